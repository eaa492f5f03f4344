import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('Declare incident from this message (Slack message shortcut)', () => {
  it('opens the declare form with the message as description, captures it first on the timeline, and links back to it', async () => {
    const text = 'Customers in EU report checkout spinning forever since 03:00';
    const ts = await h.driver.userMessage('C_GENERAL', 'U_BOB', text);
    await h.driver.messageAction({ callbackId: 'sitrep_declare_from_message', userId: 'U_ALICE', channelId: 'C_GENERAL', message: { ts, user: 'U_BOB', text } });
    const form = (await eventually(
      () => h.fake.views.find((v) => (v as { callback_id?: string }).callback_id === 'sitrep_declare' && JSON.stringify(v).includes('checkout spinning')),
      'declare form',
    )) as { id: string; blocks: { block_id?: string; element?: { initial_value?: string } }[] };
    expect(form.blocks.find((b) => b.block_id === 'description')?.element?.initial_value).toBe(text);

    await h.driver.viewSubmission({
      userId: 'U_ALICE',
      view: {
        id: form.id,
        state: { values: { title: { value: { type: 'plain_text_input', value: 'EU checkout hangs' } }, description: { value: { type: 'plain_text_input', value: text } } } },
      },
    });
    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'EU checkout hangs' && i.room?.cardId), 'incident');
    expect(incident.description).toBe(text);
    const captured = await eventually(async () => (await h.store.timeline(incident.id)).find((e) => e.type === 'message_captured'), 'captured message');
    expect(captured).toMatchObject({ author: { id: 'U_BOB' }, text, message: { channel: 'C_GENERAL', ts } });
    const timeline = await h.store.timeline(incident.id);
    expect(timeline.filter((e) => e.type !== 'declared' && e.type !== 'role_assigned')[0]?.type).toBe('message_captured');
    const link = (await h.store.get(incident.id))!.links.find((l) => l.label === 'Declared from this message');
    expect(link?.url).toBeTruthy();
    expect((captured as { permalink?: string }).permalink).toBe(link?.url);
  });
});
