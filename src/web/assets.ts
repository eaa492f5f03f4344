/**
 * The console's stylesheet and script, served by sitrep itself (no CDN: the console works in a closed
 * network). They live in a module, like the default postmortem template, so src/ and dist/ serve the same.
 */
export const CONSOLE_CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --accent: #0b57d0; --bad: #b3261e; --warn: #8a5a00; --ok: #146c2e; --chip: #eef1f6; }
@media (prefers-color-scheme: dark) { :root { --bg: #121317; --fg: #e8e8ea; --muted: #a8abb3; --line: #34363d; --accent: #8ab4f8; --bad: #f2b8b5; --warn: #f6c66b; --ok: #7fd493; --chip: #23252b; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; }
.top { display: flex; gap: 24px; align-items: center; padding: 10px 20px; border-bottom: 1px solid var(--line); }
.top nav a { margin-right: 14px; text-decoration: none; } .top nav a[aria-current] { font-weight: 600; text-decoration: underline; }
.brand { font-weight: 700; text-decoration: none; } .who { margin-left: auto; color: var(--muted); }
main { padding: 16px 20px; max-width: 1280px; } main.narrow { max-width: 560px; margin: 10vh auto; }
form.inline { display: inline; }
button, input, select, textarea { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
button { cursor: pointer; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-bottom: 12px; } .filters label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); }
.chip { display: inline-block; padding: 0 8px; border-radius: 10px; background: var(--chip); font-size: 13px; }
.sev-SEV1 { color: var(--bad); font-weight: 700; } .sev-SEV2 { color: var(--warn); font-weight: 600; }
.status-resolved, .status-closed { color: var(--ok); }
.pager { margin-top: 12px; display: flex; gap: 12px; align-items: center; }
.card { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px 24px; margin-bottom: 16px; }
.card dl { margin: 0; } .card dt { color: var(--muted); font-size: 13px; } .card dd { margin: 0 0 8px; }
.timeline { list-style: none; padding: 0; margin: 0; }
.timeline li { content-visibility: auto; contain-intrinsic-size: auto 44px; padding: 6px 0; border-bottom: 1px solid var(--line); display: grid; grid-template-columns: 11em 1fr; gap: 12px; }
.timeline li.fresh { animation: fresh 2s ease-out; } @keyframes fresh { from { background: var(--chip); } to { background: transparent; } }
.timeline .when { color: var(--muted); font-variant-numeric: tabular-nums; }
.timeline .actor { color: var(--muted); }
.live { font-size: 13px; color: var(--muted); } .live[data-state="live"] { color: var(--ok); }
.actions form { margin: 0 0 10px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.error { color: var(--bad); }
`;

export const CONSOLE_JS = `
'use strict';
(function () {
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  // Times are rendered in UTC by the server and shown here in the viewer's own time zone.
  var fmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
  function localize(root) {
    root.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d)) return;
      // Ages stay ages; the exact local time is in the tooltip.
      if (!t.hasAttribute('data-relative')) t.textContent = fmt.format(d);
      t.title = fmt.format(d);
    });
  }
  localize(document);

  // Timeline filters by kind.
  var kindFilter = document.getElementById('kind-filter');
  var list = document.getElementById('timeline');
  function applyFilter() {
    if (!kindFilter || !list) return;
    var kind = kindFilter.value;
    list.querySelectorAll('li').forEach(function (li) { li.hidden = kind !== '' && li.dataset.kind !== kind; });
  }
  if (kindFilter) kindFilter.addEventListener('change', applyFilter);

  // Live updates: server-sent events of new timeline entries; the card is re-fetched with each.
  if (list && list.dataset.live) {
    var seen = new Set();
    list.querySelectorAll('li[data-id]').forEach(function (li) { seen.add(li.dataset.id); });
    var state = document.getElementById('live-state');
    var source = new EventSource(list.dataset.live);
    source.onopen = function () { if (state) { state.dataset.state = 'live'; state.textContent = 'live'; } };
    source.onerror = function () { if (state) { state.dataset.state = 'reconnecting'; state.textContent = 'reconnecting…'; } };
    source.addEventListener('timeline', function (message) {
      var entry = JSON.parse(message.data);
      if (seen.has(entry.id)) return;
      seen.add(entry.id);
      var li = document.createElement('li');
      li.dataset.id = entry.id; li.dataset.kind = entry.kind; li.className = 'fresh';
      var when = document.createElement('time'); when.className = 'when'; when.setAttribute('datetime', entry.at);
      var what = document.createElement('div');
      var text = document.createElement('span'); text.textContent = entry.text;
      var actor = document.createElement('span'); actor.className = 'actor'; actor.textContent = ' — ' + entry.actor;
      what.appendChild(text); what.appendChild(actor);
      if (entry.link) { var a = document.createElement('a'); a.href = entry.link; a.textContent = ' message'; what.appendChild(a); }
      li.appendChild(when); li.appendChild(what);
      list.appendChild(li);
      localize(li);
      applyFilter();
      refreshCard();
    });
  }

  // Long timelines come a page at a time: "Earlier entries" loads the page before the first one shown, in place.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('#timeline-earlier a[data-src]');
    if (!link || !list) return;
    event.preventDefault();
    link.textContent = 'loading…';
    fetch(link.dataset.src, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error(String(r.status))); })
      .then(function (text) {
        var holder = document.createElement('div');
        holder.innerHTML = text;
        var items = holder.querySelector('ol');
        if (items) list.prepend.apply(list, Array.prototype.slice.call(items.children));
        localize(list);
        applyFilter();
        var next = holder.querySelector('#timeline-earlier');
        var current = document.getElementById('timeline-earlier');
        if (next) current.replaceWith(next); else current.remove();
      })
      .catch(function () { link.textContent = 'Earlier entries (failed; try again)'; });
  });

  var card = document.getElementById('card');
  function refreshCard() {
    if (!card || !card.dataset.src) return;
    fetch(card.dataset.src, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) { if (text !== null) { card.innerHTML = text; localize(card); } });
  }

  document.querySelectorAll('input[name="_csrf"]').forEach(function (i) { if (!i.value) i.value = csrf; });
})();
`;
