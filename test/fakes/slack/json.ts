import { PERMALINK_HOST, TEAM, type FakeChannel, type FakeFile, type FakeMessage, type FakeUser, type FakeView, type Workspace } from './workspace.js';

/** Serializers that turn fake state into the objects Slack answers with. */

export function channelJson(channel: FakeChannel, viewer: string, { numMembers = false } = {}): Record<string, unknown> {
  if (channel.is_im) {
    return { id: channel.id, created: channel.created, is_im: true, is_org_shared: false, user: channel.user, is_user_deleted: false, priority: 0 };
  }
  return {
    id: channel.id,
    name: channel.name,
    is_channel: channel.is_channel,
    is_group: channel.is_group,
    is_im: false,
    is_mpim: channel.is_mpim,
    is_private: channel.is_private,
    created: channel.created,
    is_archived: channel.is_archived,
    is_general: channel.is_general,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    context_team_id: TEAM.id,
    creator: channel.creator,
    is_member: channel.members.includes(viewer),
    topic: { ...channel.topic },
    purpose: { ...channel.purpose },
    previous_names: [],
    ...(numMembers ? { num_members: channel.members.length } : {}),
  };
}

export function messageJson(message: FakeMessage): Record<string, unknown> {
  const { channel: _channel, ...rest } = message;
  return structuredClone(rest);
}

export function userJson(user: FakeUser): Record<string, unknown> {
  return { ...structuredClone(user) };
}

export function viewJson(view: FakeView): Record<string, unknown> {
  const { user: _user, open: _open, errors: _errors, ...rest } = view;
  return structuredClone(rest);
}

export function fileJson(file: FakeFile, ws: Workspace): Record<string, unknown> {
  const channelsOf = (pred: (c: FakeChannel) => boolean): string[] =>
    file.channels.filter((id) => {
      const c = ws.channels.get(id);
      return c !== undefined && pred(c);
    });
  const sharesOf = (isPrivate: boolean): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(file.shares)
        .filter(([id]) => (ws.channels.get(id)?.is_private ?? false) === isPrivate)
        .map(([id, list]) => [id, list.map((s) => ({ ...s, channel_name: ws.channels.get(id)?.name, team_id: TEAM.id, share_user_id: file.user }))]),
    );
  const shares = { public: sharesOf(false), private: sharesOf(true) };
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.user,
    user_team: TEAM.id,
    editable: false,
    size: file.size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: channelsOf((c) => !c.is_private).length > 0,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `${PERMALINK_HOST}/files-pri/${TEAM.id}-${file.id}/${file.name}`,
    url_private_download: `${PERMALINK_HOST}/files-pri/${TEAM.id}-${file.id}/download/${file.name}`,
    permalink: `${PERMALINK_HOST}/files/${file.user}/${file.id}/${file.name}`,
    ...(file.alt_text ? { alt_text: file.alt_text } : {}),
    channels: channelsOf((c) => !c.is_private),
    groups: channelsOf((c) => c.is_private && !c.is_im),
    ims: channelsOf((c) => c.is_im),
    shares: file.completed && file.channels.length > 0 ? shares : {},
    comments_count: 0,
  };
}
