export { FakeSlack, DEFAULT_APP_TOKEN, DEFAULT_BOT_TOKEN, RESPONSE_URL, type ApiCall, type FailOptions, type FakeSlackOptions } from './server.js';
export {
  SlackDriver,
  type BlockActionInput,
  type DriverResponse,
  type EventResponse,
  type InteractionResponse,
  type MessageActionInput,
  type SendOptions,
  type SlackDriverOptions,
  type SlashCommandInput,
  type ViewSubmissionInput,
} from './driver.js';
export { signRequest } from './signature.js';
export { BOT, TEAM, type FakeChannel, type FakeEphemeral, type FakeFile, type FakeMessage, type FakePin, type FakeView } from './workspace.js';
export { FakeSocketMode, type EnvelopeType, type SocketAck } from './socket-mode.js';
