import type { Scenario } from './scenario.js';

// One scenario per pitfall that fools naive root-cause tools. `expect` is what a person reading
// the trace would conclude.

export interface Expectation {
  service: string;
  /** Scenario id of the span the verdict must point at. */
  span: string;
  kind: 'error' | 'latency';
  inferredFrom?: 'span' | 'peer';
  handled?: boolean;
  async?: boolean;
  /** Service hops from the entry point to the origin. */
  pathServices?: string[];
  pathStatuses?: string[];
  /** A reason must mention this. */
  reason?: RegExp;
  maxConfidence?: number;
  minConfidence?: number;
  /** Services that must never be blamed. */
  notServices?: string[];
}

export interface PitfallCase {
  scenario: Scenario;
  expect: Expectation;
}

const trace = (n: number): string => `4bf92f3577b34da6a3ce929d0e0e${n.toString(16).padStart(4, '0')}`;

export const cascade: PitfallCase = {
  scenario: {
    name: 'storefront → checkout → auth (401) → user-directory (500)',
    traceId: trace(1),
    spans: [
      { id: 'sf-srv', service: 'storefront', name: 'GET /checkout', kind: 'server', start: 0, duration: 100, http: 500, error: 'checkout failed' },
      { id: 'sf-cli', parent: 'sf-srv', service: 'storefront', name: 'POST /orders', kind: 'client', start: 5, duration: 90, http: 500, error: true, peer: 'checkout' },
      { id: 'co-srv', parent: 'sf-cli', service: 'checkout', name: 'POST /orders', kind: 'server', start: 8, duration: 84, http: 500, error: 'auth rejected the session' },
      { id: 'co-cli', parent: 'co-srv', service: 'checkout', name: 'POST /verify', kind: 'client', start: 10, duration: 50, http: 401, error: true, peer: 'auth' },
      { id: 'au-srv', parent: 'co-cli', service: 'auth', name: 'POST /verify', kind: 'server', start: 12, duration: 46, http: 401 },
      { id: 'au-cli', parent: 'au-srv', service: 'auth', name: 'GET /users/{id}', kind: 'client', start: 15, duration: 35, http: 500, error: true, peer: 'user-directory' },
      { id: 'ud-srv', parent: 'au-cli', service: 'user-directory', name: 'GET /users/{id}', kind: 'server', start: 17, duration: 31, http: 500, error: 'relation users does not exist' },
      { id: 'ud-db', parent: 'ud-srv', service: 'user-directory', name: 'SELECT users', kind: 'client', start: 20, duration: 25, error: 'relation users does not exist', attrs: { 'db.system': 'postgresql', 'server.address': 'users-db.prod' } },
      { id: 'co-log', parent: 'co-srv', service: 'checkout', name: 'audit', kind: 'internal', start: 65, duration: 5 },
    ],
  },
  expect: {
    service: 'user-directory',
    span: 'ud-db',
    kind: 'error',
    pathServices: ['storefront', 'checkout', 'auth', 'user-directory'],
    pathStatuses: ['500', '500', '401', '500'],
    reason: /`auth` answered HTTP 401/,
    minConfidence: 0.75,
  },
};

export const connectionRefused: PitfallCase = {
  scenario: {
    name: 'a client span that failed with no server child',
    traceId: trace(2),
    spans: [
      { id: 'fe-srv', service: 'frontend', name: 'POST /pay', kind: 'server', start: 0, duration: 40, http: 502, error: 'payment backend unreachable' },
      { id: 'fe-auth', parent: 'fe-srv', service: 'frontend', name: 'GET /session', kind: 'client', start: 1, duration: 5, http: 200, peer: 'sessions' },
      { id: 'se-srv', parent: 'fe-auth', service: 'sessions', name: 'GET /session', kind: 'server', start: 2, duration: 3, http: 200 },
      { id: 'fe-pay', parent: 'fe-srv', service: 'frontend', name: 'POST /charge', kind: 'client', start: 8, duration: 30, error: 'connect ECONNREFUSED 10.0.3.7:8080', peer: 'payments' },
    ],
  },
  expect: { service: 'payments', span: 'fe-pay', kind: 'error', inferredFrom: 'peer', reason: /no span came back/, pathServices: ['frontend', 'payments'] },
};

export const timeoutMasking: PitfallCase = {
  scenario: {
    name: 'a caller that gave up on a slow callee',
    traceId: trace(3),
    spans: [
      { id: 'api-srv', service: 'api', name: 'GET /search', kind: 'server', start: 0, duration: 2010, http: 504, error: 'upstream timeout' },
      { id: 'api-cache', parent: 'api-srv', service: 'api', name: 'GET cache', kind: 'client', start: 2, duration: 3, peer: 'cache' },
      { id: 'api-cli', parent: 'api-srv', service: 'api', name: 'GET /query', kind: 'client', start: 6, duration: 2000, error: 'context deadline exceeded', peer: 'search' },
      { id: 'se-srv', parent: 'api-cli', service: 'search', name: 'GET /query', kind: 'server', start: 8, duration: 4600, http: 200 },
      { id: 'se-parse', parent: 'se-srv', service: 'search', name: 'parse query', kind: 'internal', start: 9, duration: 2 },
      { id: 'se-rank', parent: 'se-srv', service: 'search', name: 'rank results', kind: 'internal', start: 12, duration: 4500 },
    ],
  },
  expect: { service: 'search', span: 'se-rank', kind: 'error', reason: /timeout masking/, notServices: ['api'] },
};

export const fourxxServer: PitfallCase = {
  scenario: {
    name: 'a server that answered 401 without flagging an error',
    traceId: trace(4),
    spans: [
      { id: 'web-srv', service: 'web', name: 'GET /profile', kind: 'server', start: 0, duration: 30, http: 502, error: 'profile unavailable' },
      { id: 'web-cli', parent: 'web-srv', service: 'web', name: 'GET /me', kind: 'client', start: 2, duration: 20, http: 401, error: 'HTTP 401', peer: 'accounts' },
      { id: 'acc-srv', parent: 'web-cli', service: 'accounts', name: 'GET /me', kind: 'server', start: 4, duration: 16, http: 401 },
      { id: 'acc-tok', parent: 'acc-srv', service: 'accounts', name: 'verify token', kind: 'internal', start: 5, duration: 10 },
    ],
  },
  expect: { service: 'accounts', span: 'acc-srv', kind: 'error', reason: /answered HTTP 401/, pathStatuses: ['502', '401'] },
};

export const siblingFailures: PitfallCase = {
  scenario: {
    name: 'two failing calls: the earlier is the cause, the later fallout',
    traceId: trace(5),
    spans: [
      { id: 'gw-srv', service: 'gateway', name: 'POST /cart', kind: 'server', start: 0, duration: 120, error: 'cart update failed' },
      { id: 'gw-pr', parent: 'gw-srv', service: 'gateway', name: 'GET /price', kind: 'client', start: 60, duration: 30, error: 'price for missing item', peer: 'pricing' },
      { id: 'pr-srv', parent: 'gw-pr', service: 'pricing', name: 'GET /price', kind: 'server', start: 62, duration: 26, error: 'item 42 not in stock table' },
      { id: 'gw-inv', parent: 'gw-srv', service: 'gateway', name: 'POST /reserve', kind: 'client', start: 10, duration: 40, error: 'reserve failed', peer: 'inventory' },
      { id: 'inv-srv', parent: 'gw-inv', service: 'inventory', name: 'POST /reserve', kind: 'server', start: 12, duration: 36, error: 'deadlock detected' },
    ],
  },
  expect: { service: 'inventory', span: 'inv-srv', kind: 'error', reason: /fallout/ },
};

export const handledError: PitfallCase = {
  scenario: {
    name: 'an error no caller propagated',
    traceId: trace(6),
    spans: [
      { id: 'shop-srv', service: 'shop', name: 'GET /', kind: 'server', start: 0, duration: 80, http: 200 },
      { id: 'shop-rec', parent: 'shop-srv', service: 'shop', name: 'GET /recommendations', kind: 'client', start: 5, duration: 50, error: 'HTTP 500', http: 500, peer: 'recommendations' },
      { id: 'rec-srv', parent: 'shop-rec', service: 'recommendations', name: 'GET /recommendations', kind: 'server', start: 7, duration: 46, http: 500, error: 'model not loaded' },
      { id: 'shop-render', parent: 'shop-srv', service: 'shop', name: 'render fallback', kind: 'internal', start: 56, duration: 20 },
    ],
  },
  expect: { service: 'recommendations', span: 'rec-srv', kind: 'error', handled: true, maxConfidence: 0.49, reason: /handled error/ },
};

export const retryRecovered: PitfallCase = {
  scenario: {
    name: 'a failed attempt that a retry recovered is not the cause',
    traceId: trace(7),
    spans: [
      { id: 'ord-srv', service: 'orders', name: 'POST /orders', kind: 'server', start: 0, duration: 200, http: 500, error: 'order failed' },
      { id: 'inv-1', parent: 'ord-srv', service: 'orders', name: 'POST /reserve', kind: 'client', start: 5, duration: 20, http: 503, error: true, peer: 'inventory', attrs: { 'http.request.resend_count': 0, 'item.sku': 'A-1' } },
      { id: 'inv-1s', parent: 'inv-1', service: 'inventory', name: 'POST /reserve', kind: 'server', start: 6, duration: 18, http: 503, error: 'overloaded' },
      { id: 'inv-2', parent: 'ord-srv', service: 'orders', name: 'POST /reserve', kind: 'client', start: 40, duration: 20, http: 200, peer: 'inventory', attrs: { 'http.request.resend_count': 1, 'item.sku': 'A-1' } },
      { id: 'inv-2s', parent: 'inv-2', service: 'inventory', name: 'POST /reserve', kind: 'server', start: 41, duration: 18, http: 200 },
      { id: 'pay', parent: 'ord-srv', service: 'orders', name: 'POST /charge', kind: 'client', start: 70, duration: 100, http: 500, error: true, peer: 'payments' },
      { id: 'pay-s', parent: 'pay', service: 'payments', name: 'POST /charge', kind: 'server', start: 72, duration: 96, http: 500, error: 'card processor rejected the charge' },
    ],
  },
  expect: { service: 'payments', span: 'pay-s', kind: 'error', reason: /retry of the same call recovered/, notServices: ['inventory'] },
};

export const swallowedError: PitfallCase = {
  scenario: {
    name: 'an error swallowed by a caller that succeeded',
    traceId: trace(8),
    spans: [
      { id: 'co-srv', service: 'checkout', name: 'POST /buy', kind: 'server', start: 0, duration: 150, http: 500, error: 'purchase failed' },
      { id: 'co-prof', parent: 'co-srv', service: 'checkout', name: 'load profile', kind: 'internal', start: 2, duration: 30 },
      { id: 'co-cache', parent: 'co-prof', service: 'checkout', name: 'GET profile', kind: 'client', start: 3, duration: 10, error: 'cache miss', peer: 'profile-cache' },
      { id: 'co-db', parent: 'co-prof', service: 'checkout', name: 'SELECT profile', kind: 'client', start: 14, duration: 15, attrs: { 'db.system': 'postgresql' } },
      { id: 'co-pay', parent: 'co-srv', service: 'checkout', name: 'POST /charge', kind: 'client', start: 40, duration: 100, error: true, http: 500, peer: 'payments' },
      { id: 'pay-srv', parent: 'co-pay', service: 'payments', name: 'POST /charge', kind: 'server', start: 42, duration: 96, http: 500, error: 'insufficient funds handler crashed' },
    ],
  },
  expect: { service: 'payments', span: 'pay-srv', kind: 'error', reason: /handled and succeeded anyway/, notServices: ['profile-cache'] },
};

export const statusCodesOnly: PitfallCase = {
  scenario: {
    name: 'no error flags, only HTTP and gRPC status codes',
    traceId: trace(9),
    spans: [
      { id: 'sf-srv', service: 'storefront', name: 'GET /product', kind: 'server', start: 0, duration: 60, http: 500 },
      { id: 'sf-cli', parent: 'sf-srv', service: 'storefront', name: 'GET /product', kind: 'client', start: 2, duration: 55, http: 500, peer: 'catalog' },
      { id: 'ca-srv', parent: 'sf-cli', service: 'catalog', name: 'GET /product', kind: 'server', start: 3, duration: 52, http: 500 },
      { id: 'ca-ok', parent: 'ca-srv', service: 'catalog', name: 'GetPrice', kind: 'client', start: 4, duration: 5, grpc: 0, peer: 'pricing' },
      { id: 'ca-cli', parent: 'ca-srv', service: 'catalog', name: 'GetStock', kind: 'client', start: 10, duration: 40, grpc: 14, peer: 'stock' },
      { id: 'st-srv', parent: 'ca-cli', service: 'stock', name: 'GetStock', kind: 'server', start: 12, duration: 36, grpc: 14 },
    ],
  },
  expect: { service: 'stock', span: 'st-srv', kind: 'error', reason: /status codes/, pathStatuses: ['500', '500', 'UNAVAILABLE'] },
};

export const asyncConsumer: PitfallCase = {
  scenario: {
    name: 'the request succeeded; its asynchronous consumer failed',
    traceId: trace(10),
    spans: [
      { id: 'ord-srv', service: 'orders', name: 'POST /orders', kind: 'server', start: 0, duration: 20, http: 202 },
      { id: 'ord-pub', parent: 'ord-srv', service: 'orders', name: 'publish order.created', kind: 'producer', start: 5, duration: 3, peer: 'kafka' },
      { id: 'ful-con', parent: 'ord-pub', followsFrom: true, service: 'fulfillment', name: 'process order.created', kind: 'consumer', start: 300, duration: 60, error: 'could not allocate stock' },
      { id: 'ful-cli', parent: 'ful-con', service: 'fulfillment', name: 'POST /allocate', kind: 'client', start: 305, duration: 50, http: 500, error: true, peer: 'warehouse' },
      { id: 'wh-srv', parent: 'ful-cli', service: 'warehouse', name: 'POST /allocate', kind: 'server', start: 307, duration: 46, http: 500, error: 'stock table locked' },
    ],
  },
  expect: { service: 'warehouse', span: 'wh-srv', kind: 'error', async: true, pathServices: ['orders', 'fulfillment', 'warehouse'] },
};

export const latencySuspect: PitfallCase = {
  scenario: {
    name: 'nothing failed but the page was slow',
    traceId: trace(11),
    spans: [
      { id: 'fe-srv', service: 'frontend', name: 'GET /home', kind: 'server', start: 0, duration: 1200, http: 200 },
      { id: 'fe-cli', parent: 'fe-srv', service: 'frontend', name: 'GET /feed', kind: 'client', start: 10, duration: 1170, http: 200, peer: 'feed' },
      { id: 'fd-srv', parent: 'fe-cli', service: 'feed', name: 'GET /feed', kind: 'server', start: 12, duration: 1165, http: 200 },
      { id: 'fd-db', parent: 'fd-srv', service: 'feed', name: 'SELECT posts', kind: 'client', start: 15, duration: 40, attrs: { 'db.system': 'postgresql' } },
      { id: 'fd-rank', parent: 'fd-srv', service: 'feed', name: 'rank posts', kind: 'internal', start: 60, duration: 1050 },
      { id: 'fd-ml', parent: 'fd-rank', service: 'feed', name: 'load model', kind: 'internal', start: 65, duration: 30 },
    ],
  },
  expect: { service: 'feed', span: 'fd-rank', kind: 'latency', pathServices: ['frontend', 'feed'] },
};

export const orphansSkewDuplicates: PitfallCase = {
  scenario: {
    name: 'root span missing, clocks skewed, a span delivered twice',
    traceId: trace(12),
    spans: [
      { id: 'edge-srv', parent: 'gone-root', service: 'edge', name: 'GET /invoice', kind: 'server', start: 0, duration: 100, http: 500, error: 'billing failed' },
      { id: 'edge-cli', parent: 'edge-srv', service: 'edge', name: 'GET /invoice', kind: 'client', start: 5, duration: 90, http: 500, error: true, peer: 'billing' },
      // billing's clock runs 200 ms behind: its server span "starts" before the client that called it.
      { id: 'bi-srv', parent: 'edge-cli', service: 'billing', name: 'GET /invoice', kind: 'server', start: -195, duration: 80, http: 500, error: 'ledger locked' },
      { id: 'bi-srv', parent: 'edge-cli', service: 'billing', name: 'GET /invoice', kind: 'server', start: -195, duration: 80, http: 500, error: 'ledger locked' },
      { id: 'bi-db', parent: 'bi-srv', service: 'billing', name: 'SELECT ledger', kind: 'internal', start: -190, duration: 60, error: 'ledger locked' },
      { id: 'metrics', parent: 'gone-too', service: 'edge', name: 'flush metrics', kind: 'internal', start: 150, duration: 2 },
    ],
  },
  expect: { service: 'billing', span: 'bi-db', kind: 'error', reason: /root span is missing/ },
};

export const PITFALLS: PitfallCase[] = [
  cascade,
  connectionRefused,
  timeoutMasking,
  fourxxServer,
  siblingFailures,
  handledError,
  retryRecovered,
  swallowedError,
  statusCodesOnly,
  asyncConsumer,
  latencySuspect,
  orphansSkewDuplicates,
];
