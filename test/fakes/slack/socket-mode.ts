import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BOT } from './workspace.js';

/** What the app answered to one envelope: `{ envelope_id, payload? }`. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/**
 * Slack's side of Socket Mode on loopback: `apps.connections.open` hands out `ws://` URLs on the fake's
 * own port; each connection gets `hello`, then envelopes; the app acks each by `envelope_id`. `disconnect`
 * asks the app to reconnect, as Slack does every few hours (`refresh_requested`).
 */
export class FakeSocketMode {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly waiting = new Map<string, (ack: SocketAck) => void>();
  readonly connections: WebSocket[] = [];

  constructor(private readonly origin: () => string) {}

  /** Answer of `apps.connections.open`: a one-time URL, like Slack's. */
  openConnection(): { url: string } {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return { url: `${this.origin().replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${BOT.appId}` };
  }

  /** Handles an HTTP upgrade on the fake's server; false if it is not a Socket Mode URL. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', this.origin());
    if (url.pathname !== '/link/') return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  private accept(ws: WebSocket): void {
    this.connections.push(ws);
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      this.waiting.get(ack.envelope_id)?.(ack);
      this.waiting.delete(ack.envelope_id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.open().length, debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 }, connection_info: { app_id: BOT.appId } }));
  }

  /** Connections the app holds open now. */
  open(): WebSocket[] {
    return this.connections.filter((ws) => ws.readyState === ws.OPEN);
  }

  /** Sends one envelope on the newest open connection and resolves with the app's ack (rejects after `timeoutMs`). */
  send(type: EnvelopeType, payload: Record<string, unknown>, options: { retryAttempt?: number; timeoutMs?: number } = {}): Promise<SocketAck> {
    const ws = this.open().at(-1);
    if (!ws) return Promise.reject(new Error('FakeSocketMode: the app holds no open connection'));
    const envelopeId = randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      payload,
      type,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryAttempt ? 'timeout' : '' } : {}),
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        reject(new Error(`FakeSocketMode: no ack for ${type} envelope within ${options.timeoutMs ?? 3000} ms`));
      }, options.timeoutMs ?? 3000);
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      ws.send(JSON.stringify(envelope));
    });
  }

  /** Slack asks the app to reconnect (it will close this connection soon). */
  disconnect(reason: 'refresh_requested' | 'warning' = 'refresh_requested'): void {
    this.open().at(-1)?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
  }

  close(): void {
    for (const ws of this.connections) ws.terminate();
    this.wss.close();
  }
}
