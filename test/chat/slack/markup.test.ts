import { describe, expect, it } from 'vitest';
import { channelName } from '../../../src/chat/slack/channel-name.js';
import { decodeSlackMentions, decodeSlackText, parseSlackText, slackSafe } from '../../../src/chat/slack/markup.js';

describe('Slack text coming in', () => {
  it('escaped ampersands and angle brackets become the characters people typed', async () => {
    expect(await decodeSlackText('Payments &amp; checkout &gt;50% errors &lt;EU&gt;')).toBe('Payments & checkout >50% errors <EU>');
  });

  it('people, channels, user groups, broadcasts and links become readable words', async () => {
    const raw = '<@W222|bob> sees <#C123|payments> fail, cc <!subteam^S123|@oncall> <!here> see <https://status.example.com/x?a=1&amp;b=2|the status page> and <http://example.com|example.com>';
    expect(await decodeSlackText(raw)).toBe(
      '@bob sees #payments fail, cc @oncall @here see the status page (https://status.example.com/x?a=1&b=2) and example.com',
    );
  });

  it('a person Slack sent without a name is looked up once, and shown by id if nobody can say', async () => {
    const asked: string[] = [];
    const lookup = async (id: string) => {
      asked.push(id);
      return id === 'U1' ? 'Maria Lopez' : undefined;
    };
    expect(await decodeSlackText('<@U1> and <@U1> paged <@U2>', lookup)).toBe('@Maria Lopez and @Maria Lopez paged @U2');
    expect(asked.sort()).toEqual(['U1', 'U2']);
  });

  it('angle brackets Slack did not make (text from a test or a proxy that skipped escaping) stay as written', async () => {
    expect(await decodeSlackText('Payments <timeout> & retries')).toBe('Payments <timeout> & retries');
  });

  it('keeps the typed parts apart so a page target can be recognised as a user group', () => {
    expect(parseSlackText('<!subteam^S0614TZR7|@oncall>')).toEqual([{ kind: 'usergroup', id: 'S0614TZR7', label: 'oncall' }]);
  });

  it('a slash command with escaped ampersands makes a readable channel name', async () => {
    const title = await decodeSlackText('Payments &amp; checkout &gt;50% errors');
    expect(channelName('inc', 2, title)).toBe('inc-2-payments-checkout-50-errors');
  });

  it('a mention or a link in a title gives the channel name its words, not ids or addresses', async () => {
    expect(channelName('inc', 3, await decodeSlackText('<@W222|bob> cannot log in'))).toBe('inc-3-bob-cannot-log-in');
    expect(channelName('inc', 4, await decodeSlackText('Checkout down <https://status.example.com|status>'))).toBe('inc-4-checkout-down-status');
  });
});

describe('Slack text going out', () => {
  it('escapes what people wrote exactly once, keeping sitrep’s own mentions, channel links and web links', () => {
    expect(slackSafe('Status → *identified* by <@U_ALICE>: p99 > 5 s & rising <#C_OPS> <https://grafana.example.com/d/1|dashboard>')).toBe(
      'Status → *identified* by <@U_ALICE>: p99 &gt; 5 s &amp; rising <#C_OPS> <https://grafana.example.com/d/1|dashboard>',
    );
  });

  it('a title that spells out a broadcast can never notify the channel', () => {
    expect(slackSafe('<!channel> a < b')).toBe('&lt;!channel&gt; a &lt; b');
  });

  it('a quote at the start of a line stays a quote', () => {
    expect(slackSafe('Paged\n> checkout is down > 5 min')).toBe('Paged\n> checkout is down &gt; 5 min');
  });

  it('round-trips: what Slack sent, decoded and sent back, reads the same in Slack', async () => {
    const raw = 'Payments &amp; checkout &gt;50% errors';
    expect(slackSafe(await decodeSlackText(raw))).toBe(raw);
  });
});

describe('mentions kept with the text', () => {
  it('a mention decodes to the name people read plus the typed mention; broadcasts and links are never kept live', async () => {
    const decoded = await decodeSlackMentions('<@W222> and <!subteam^S123|@oncall> on <#C123|payments>, <!here> <https://x.example|x>', async (id) => (id === 'W222' ? 'bob' : undefined));
    expect(decoded).toEqual({
      text: '@bob and @oncall on #payments, @here x (https://x.example)',
      mentions: [
        { kind: 'user', id: 'W222', text: '@bob' },
        { kind: 'usergroup', id: 'S123', text: '@oncall' },
        { kind: 'channel', id: 'C123', text: '#payments' },
      ],
    });
  });

  it('round-trips: a mention Slack sent comes back live, the words around it escaped once', async () => {
    const { text, mentions } = await decodeSlackMentions('Refunds &amp; payouts: <@U1|bob> and <!subteam^S9|@payments-oncall>, see <#C7|ops>');
    expect(slackSafe(`INC-4 declared: ${text}`, mentions)).toBe('INC-4 declared: Refunds &amp; payouts: <@U1> and <!subteam^S9>, see <#C7>');
  });

  it('only whole mentions become live: not @bobby, not an address, not a user group spelled out by hand', () => {
    const mentions = [{ kind: 'user' as const, id: 'U1', text: '@bob' }];
    expect(slackSafe('@bob, @bobby, mail me@bob.io, @bob.', mentions)).toBe('<@U1>, @bobby, mail me@bob.io, <@U1>.');
    expect(slackSafe('<!subteam^S1> @bob', mentions)).toBe('&lt;!subteam^S1&gt; <@U1>');
  });
});
