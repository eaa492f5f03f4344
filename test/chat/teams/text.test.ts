import { describe, expect, it } from 'vitest';
import { commandTextOf } from '../../../src/chat/teams/mentions.js';
import { teamsChannelName } from '../../../src/chat/teams/channel-name.js';
import { htmlToText, teamsMention, toTeamsMessage } from '../../../src/chat/teams/text.js';

const bot = { id: '28:bot-app-id', name: 'sitrep' };

describe('what people type to @sitrep', () => {
  it('drops the bot mention and the word "incident", and turns each person mentioned into one word', () => {
    const { text, mentions } = commandTextOf({
      recipient: bot,
      text: '<at>sitrep</at> incident action page the DBA <at>Maria Lopez</at>&nbsp;',
      entities: [
        { type: 'mention', text: '<at>sitrep</at>', mentioned: { id: bot.id, name: 'sitrep' } },
        { type: 'mention', text: '<at>Maria Lopez</at>', mentioned: { id: '29:maria', name: 'Maria Lopez' } },
        { type: 'clientInfo' },
      ],
    });
    expect(text).toBe('action page the DBA @person1');
    expect(mentions.get('@person1')).toEqual({ id: '29:maria', name: 'Maria Lopez' });
  });

  it('reads a 1:1 chat message without any mention, with or without the word incident', () => {
    expect(commandTextOf({ recipient: bot, text: 'Incident  DB down', entities: [] }).text).toBe('DB down');
    expect(commandTextOf({ recipient: bot, text: 'help', entities: [] }).text).toBe('help');
    expect(commandTextOf({ recipient: bot, text: 'incidental finding', entities: [] }).text).toBe('incidental finding');
  });
});

describe('what sitrep writes in Teams', () => {
  it('turns mentions into real mention entities, Slack bold into Markdown, and /incident into @sitrep incident', () => {
    const maria = teamsMention({ platform: 'teams', id: 'aad-maria', name: 'Maria Lopez' });
    const { text, entities } = toTeamsMessage(`Status → *investigating* by ${maria}: see <https://grafana.example/d/1|the dashboard>; try /incident note <text> :warning:`);
    expect(text).toBe('Status → **investigating** by <at>Maria Lopez</at>: see [the dashboard](https://grafana.example/d/1); try @sitrep incident note &lt;text&gt; ⚠️');
    expect(entities).toEqual([{ type: 'mention', text: '<at>Maria Lopez</at>', mentioned: { id: 'aad-maria', name: 'Maria Lopez' } }]);
  });

  it('names people from other platforms without a mention', () => {
    expect(teamsMention({ platform: 'slack', id: 'U1', name: 'alice' })).toBe('alice');
  });

  it('reads a Teams message body as plain text', () => {
    expect(htmlToText('<p>rolled back&nbsp;<b>8812</b> &amp; flushed</p><p>next</p>')).toBe('rolled back 8812 & flushed\nnext');
  });
});

describe('incident channel names', () => {
  it('stay within 50 characters, drop characters Teams refuses and cut at a word', () => {
    const name = teamsChannelName({ number: 42, title: 'Checkout: 500s for "EU" users / mobile & web since the 03:00 deploy' });
    expect(name.length).toBeLessThanOrEqual(50);
    expect(name).toBe('INC-42 Checkout 500s for EU users mobile web since');
    expect(teamsChannelName({ number: 42, title: 'DB down' }, 3)).toBe('INC-42 DB down (3)');
  });

  it("an alert incident's channel keeps what tells it apart when its alert name is long", () => {
    const name = teamsChannelName({ number: 317, title: 'KubePersistentVolumeFillingUp · payments-db' });
    expect(name.length).toBeLessThanOrEqual(50);
    expect(name).toBe('INC-317 KubePersistentVolumeFillingU · payments-db');
  });
});
