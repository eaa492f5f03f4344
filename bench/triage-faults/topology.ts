// Two service graphs modelled on the public root-cause-analysis testbeds: TrainTicket (Java/Spring,
// HTTP, MongoDB/MySQL, a gateway in front) and an Online-Boutique-style shop (gRPC behind an HTTP
// frontend, Redis cart, Kafka to accounting and fraud detection, as in the OpenTelemetry demo).
// Operations are defined once per service and reused by every endpoint that calls them.

export type SystemName = 'trainticket' | 'boutique';

export type Step =
  /** A synchronous call; `repeat` runs it that many times in sequence (a loop over results). */
  | { call: string; repeat?: [number, number]; retry?: number; fallback?: true }
  /** Calls made concurrently; the step ends when the slowest returns. */
  | { par: string[] }
  | { db: 'mongodb' | 'mysql' | 'redis'; stmt: string; ms: number; host: string }
  /** The service's own work, recorded as an internal span. */
  | { work: string; ms: number }
  /** Fire-and-forget message: a producer span here, a consumer span in the target later. */
  | { publish: string; topic: string };

export interface OpDef {
  /** Median self time (ms) of the server span outside its steps. */
  self: number;
  steps?: Step[];
}

export interface ServiceDef {
  team: string;
  system: SystemName;
  proto: 'http' | 'grpc';
  /** Language of the stack: decides the exception types and how callers report a failed call. */
  lang: 'java' | 'go' | 'python' | 'node' | 'csharp';
  port: number;
  ops: Record<string, OpDef>;
}

export interface Endpoint {
  system: SystemName;
  /** "service op" of the entry span. */
  entry: string;
  weight: number;
}

const tt = (team: string, port: number, ops: Record<string, OpDef>): ServiceDef => ({ team, system: 'trainticket', proto: 'http', lang: 'java', port, ops });

export const SERVICES: Record<string, ServiceDef> = {
  // ---- TrainTicket ----
  'ts-ui-dashboard': tt('team-web', 8080, {
    'POST /api/v1/travelservice/trips/left': { self: 0.6, steps: [{ call: 'ts-travel-service POST /api/v1/travelservice/trips/left' }] },
    'POST /api/v1/preserveservice/preserve': { self: 0.6, steps: [{ call: 'ts-preserve-service POST /api/v1/preserveservice/preserve' }] },
    'POST /api/v1/users/login': { self: 0.5, steps: [{ call: 'ts-auth-service POST /api/v1/users/login' }] },
    'POST /api/v1/inside_pay_service/inside_payment': { self: 0.5, steps: [{ call: 'ts-inside-payment-service POST /api/v1/inside_pay_service/inside_payment' }] },
    'GET /api/v1/foodservice/foods': { self: 0.5, steps: [{ call: 'ts-food-service GET /api/v1/foodservice/foods/{date}/{startStation}/{endStation}/{tripId}' }] },
  }),
  'ts-travel-service': tt('team-trips', 12346, {
    'POST /api/v1/travelservice/trips/left': {
      self: 2.5,
      steps: [
        { db: 'mongodb', stmt: 'find trip', ms: 3, host: 'ts-travel-mongo' },
        { work: 'filterTripsByDate', ms: 1.2 },
        { call: 'ts-ticketinfo-service POST /api/v1/ticketinfoservice/ticketinfo', repeat: [1, 2] },
        { call: 'ts-seat-service POST /api/v1/seatservice/seats/left_tickets', repeat: [1, 2] },
        { work: 'buildTripResponse', ms: 0.8 },
      ],
    },
    'POST /api/v1/travelservice/trip_detail': {
      self: 1.5,
      steps: [
        { db: 'mongodb', stmt: 'find trip', ms: 3, host: 'ts-travel-mongo' },
        { call: 'ts-ticketinfo-service POST /api/v1/ticketinfoservice/ticketinfo' },
        { call: 'ts-seat-service POST /api/v1/seatservice/seats/left_tickets' },
      ],
    },
    'GET /api/v1/travelservice/routes/{tripId}': { self: 1, steps: [{ db: 'mongodb', stmt: 'find trip', ms: 2.5, host: 'ts-travel-mongo' }, { call: 'ts-route-service GET /api/v1/routeservice/routes/{routeId}' }] },
  }),
  'ts-ticketinfo-service': tt('team-trips', 15681, {
    'POST /api/v1/ticketinfoservice/ticketinfo': { self: 0.8, steps: [{ call: 'ts-basic-service POST /api/v1/basicservice/basic/travel' }] },
  }),
  'ts-basic-service': tt('team-trips', 15680, {
    'POST /api/v1/basicservice/basic/travel': {
      self: 1.5,
      steps: [
        { call: 'ts-station-service GET /api/v1/stationservice/stations/id/{stationName}', repeat: [2, 2] },
        { call: 'ts-train-service GET /api/v1/trainservice/trains/byName/{name}' },
        { call: 'ts-route-service GET /api/v1/routeservice/routes/{routeId}' },
        { call: 'ts-price-service GET /api/v1/priceservice/prices/{routeId}/{trainType}', retry: 0.03 },
      ],
    },
  }),
  'ts-station-service': tt('team-network', 12345, {
    'GET /api/v1/stationservice/stations/id/{stationName}': { self: 0.7, steps: [{ db: 'mongodb', stmt: 'find station', ms: 1.8, host: 'ts-station-mongo' }] },
  }),
  'ts-train-service': tt('team-network', 14567, {
    'GET /api/v1/trainservice/trains/byName/{name}': { self: 0.7, steps: [{ db: 'mongodb', stmt: 'find trainType', ms: 1.6, host: 'ts-train-mongo' }] },
  }),
  'ts-route-service': tt('team-network', 11178, {
    'GET /api/v1/routeservice/routes/{routeId}': { self: 0.9, steps: [{ db: 'mongodb', stmt: 'find route', ms: 2.2, host: 'ts-route-mongo' }] },
  }),
  'ts-price-service': tt('team-pricing', 16579, {
    'GET /api/v1/priceservice/prices/{routeId}/{trainType}': { self: 0.8, steps: [{ db: 'mongodb', stmt: 'find priceConfig', ms: 1.7, host: 'ts-price-mongo' }] },
  }),
  'ts-seat-service': tt('team-booking', 18898, {
    'POST /api/v1/seatservice/seats/left_tickets': {
      self: 1.2,
      steps: [
        { call: 'ts-order-service POST /api/v1/orderservice/order/tickets' },
        { call: 'ts-config-service GET /api/v1/configservice/configs/{configName}' },
        { work: 'countLeftSeats', ms: 0.9 },
      ],
    },
  }),
  'ts-order-service': tt('team-booking', 12031, {
    'POST /api/v1/orderservice/order/tickets': { self: 1.1, steps: [{ db: 'mysql', stmt: 'SELECT * FROM orders WHERE travel_date = ? AND train_number = ?', ms: 3.5, host: 'ts-order-mysql' }] },
    'POST /api/v1/orderservice/order': { self: 1.6, steps: [{ db: 'mysql', stmt: 'INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)', ms: 4.5, host: 'ts-order-mysql' }] },
    'GET /api/v1/orderservice/order/{orderId}': { self: 0.9, steps: [{ db: 'mysql', stmt: 'SELECT * FROM orders WHERE id = ?', ms: 2.2, host: 'ts-order-mysql' }] },
    'GET /api/v1/orderservice/order/status/{orderId}/{status}': { self: 1, steps: [{ db: 'mysql', stmt: 'UPDATE orders SET status = ? WHERE id = ?', ms: 3.2, host: 'ts-order-mysql' }] },
  }),
  'ts-config-service': tt('team-platform', 15679, {
    'GET /api/v1/configservice/configs/{configName}': { self: 0.5, steps: [{ db: 'mysql', stmt: 'SELECT * FROM config WHERE name = ?', ms: 1.2, host: 'ts-config-mysql' }] },
  }),
  'ts-auth-service': tt('team-identity', 12340, {
    'POST /api/v1/users/login': {
      self: 3,
      steps: [
        { call: 'ts-verification-code-service GET /api/v1/verifycode/verify/{verifyCode}' },
        { db: 'mongodb', stmt: 'find user', ms: 2.4, host: 'ts-auth-mongo' },
        { work: 'bcryptCheck', ms: 6 },
        { work: 'issueJwt', ms: 0.9 },
      ],
    },
  }),
  'ts-verification-code-service': tt('team-identity', 15678, {
    'GET /api/v1/verifycode/verify/{verifyCode}': { self: 0.6, steps: [{ work: 'checkCaptcha', ms: 0.5 }] },
  }),
  'ts-user-service': tt('team-identity', 12342, {
    'GET /api/v1/userservice/users/id/{userId}': { self: 0.7, steps: [{ db: 'mongodb', stmt: 'find user', ms: 1.9, host: 'ts-user-mongo' }] },
  }),
  'ts-contacts-service': tt('team-booking', 12347, {
    'GET /api/v1/contactservice/contacts/{id}': { self: 0.7, steps: [{ db: 'mongodb', stmt: 'find contacts', ms: 1.8, host: 'ts-contacts-mongo' }] },
  }),
  'ts-security-service': tt('team-identity', 11188, {
    'GET /api/v1/securityservice/securityConfigs/{accountId}': {
      self: 0.9,
      steps: [
        { db: 'mongodb', stmt: 'find securityConfig', ms: 1.5, host: 'ts-security-mongo' },
        { call: 'ts-order-service GET /api/v1/orderservice/order/{orderId}' },
        { work: 'checkOrderLimits', ms: 0.6 },
      ],
    },
  }),
  'ts-food-service': tt('team-catering', 18856, {
    'GET /api/v1/foodservice/foods/{date}/{startStation}/{endStation}/{tripId}': {
      self: 1.4,
      steps: [
        // Always answers 500 (a long-broken menu feed); the food service falls back to station food only.
        { call: 'ts-train-food-service GET /api/v1/trainfoodservice/trainfoods/{tripId}', fallback: true },
        { call: 'ts-travel-service GET /api/v1/travelservice/routes/{tripId}' },
        { call: 'ts-station-food-service POST /api/v1/stationfoodservice/stationfoodstores' },
        { work: 'mergeFoodLists', ms: 0.8 },
      ],
    },
    'POST /api/v1/foodservice/orders': { self: 1, steps: [{ db: 'mongodb', stmt: 'insert foodOrder', ms: 2.6, host: 'ts-food-mongo' }] },
  }),
  'ts-train-food-service': tt('team-catering', 19999, {
    'GET /api/v1/trainfoodservice/trainfoods/{tripId}': { self: 0.6, steps: [{ db: 'mongodb', stmt: 'find trainFood', ms: 1.4, host: 'ts-food-mongo' }] },
  }),
  'ts-station-food-service': tt('team-catering', 18855, {
    'POST /api/v1/stationfoodservice/stationfoodstores': { self: 0.8, steps: [{ db: 'mongodb', stmt: 'find stationFoodStore', ms: 2, host: 'ts-food-mongo' }] },
  }),
  'ts-consign-service': tt('team-logistics', 16111, {
    'PUT /api/v1/consignservice/consigns': {
      self: 1,
      steps: [{ call: 'ts-consign-price-service GET /api/v1/consignpriceservice/consignprice/{weight}/{isWithinRegion}' }, { db: 'mongodb', stmt: 'insert consign', ms: 2.2, host: 'ts-consign-mongo' }],
    },
  }),
  'ts-consign-price-service': tt('team-logistics', 16110, {
    'GET /api/v1/consignpriceservice/consignprice/{weight}/{isWithinRegion}': { self: 0.6, steps: [{ db: 'mongodb', stmt: 'find consignPrice', ms: 1.3, host: 'ts-consign-mongo' }] },
  }),
  'ts-preserve-service': tt('team-booking', 14568, {
    'POST /api/v1/preserveservice/preserve': {
      self: 2.2,
      steps: [
        { call: 'ts-security-service GET /api/v1/securityservice/securityConfigs/{accountId}' },
        { call: 'ts-contacts-service GET /api/v1/contactservice/contacts/{id}' },
        { call: 'ts-travel-service POST /api/v1/travelservice/trip_detail' },
        { call: 'ts-order-service POST /api/v1/orderservice/order', retry: 0.04 },
        { call: 'ts-food-service POST /api/v1/foodservice/orders' },
        { call: 'ts-consign-service PUT /api/v1/consignservice/consigns' },
        { call: 'ts-user-service GET /api/v1/userservice/users/id/{userId}' },
        { publish: 'ts-notification-service preserve_success', topic: 'ts-notification' },
      ],
    },
  }),
  'ts-notification-service': tt('team-comms', 17853, {
    preserve_success: {
      self: 1.2,
      steps: [
        { work: 'renderTemplate', ms: 2.5 },
        { db: 'mongodb', stmt: 'insert notification', ms: 1.6, host: 'ts-notification-mongo' },
        { work: 'sendMail', ms: 9 },
      ],
    },
  }),
  'ts-inside-payment-service': tt('team-payments', 18673, {
    'POST /api/v1/inside_pay_service/inside_payment': {
      self: 1.5,
      steps: [
        { call: 'ts-order-service GET /api/v1/orderservice/order/{orderId}' },
        { db: 'mongodb', stmt: 'find account', ms: 1.7, host: 'ts-inside-payment-mongo' },
        { call: 'ts-payment-service POST /api/v1/paymentservice/payment', retry: 0.05 },
        { call: 'ts-order-service GET /api/v1/orderservice/order/status/{orderId}/{status}' },
      ],
    },
  }),
  'ts-payment-service': tt('team-payments', 19001, {
    'POST /api/v1/paymentservice/payment': { self: 1.3, steps: [{ db: 'mysql', stmt: 'INSERT INTO payment VALUES (?, ?, ?, ?)', ms: 3.8, host: 'ts-payment-mysql' }] },
  }),

  // ---- Online-Boutique-style shop ----
  frontend: {
    team: 'team-storefront', system: 'boutique', proto: 'http', lang: 'go', port: 8080,
    ops: {
      'GET /': {
        self: 3,
        steps: [
          { call: 'currencyservice hipstershop.CurrencyService/GetSupportedCurrencies' },
          { call: 'productcatalogservice hipstershop.ProductCatalogService/ListProducts' },
          { call: 'cartservice hipstershop.CartService/GetCart' },
          { call: 'currencyservice hipstershop.CurrencyService/Convert', repeat: [4, 9] },
          { par: ['recommendationservice hipstershop.RecommendationService/ListRecommendations', 'adservice GET /ads'] },
          // The frontend looks up each recommended product itself.
          { call: 'productcatalogservice hipstershop.ProductCatalogService/GetProduct', repeat: [4, 4] },
        ],
      },
      'GET /product/{id}': {
        self: 2.5,
        steps: [
          { call: 'productcatalogservice hipstershop.ProductCatalogService/GetProduct' },
          { call: 'currencyservice hipstershop.CurrencyService/GetSupportedCurrencies' },
          { call: 'cartservice hipstershop.CartService/GetCart' },
          { call: 'currencyservice hipstershop.CurrencyService/Convert' },
          { par: ['recommendationservice hipstershop.RecommendationService/ListRecommendations', 'adservice GET /ads'] },
          // The frontend looks up each recommended product itself.
          { call: 'productcatalogservice hipstershop.ProductCatalogService/GetProduct', repeat: [4, 4] },
        ],
      },
      'POST /cart': {
        self: 1.5,
        steps: [{ call: 'productcatalogservice hipstershop.ProductCatalogService/GetProduct' }, { call: 'cartservice hipstershop.CartService/AddItem' }],
      },
      'POST /cart/checkout': {
        self: 2,
        steps: [{ call: 'checkoutservice hipstershop.CheckoutService/PlaceOrder' }, { call: 'recommendationservice hipstershop.RecommendationService/ListRecommendations' }],
      },
    },
  },
  checkoutservice: {
    team: 'team-checkout', system: 'boutique', proto: 'grpc', lang: 'go', port: 5050,
    ops: {
      'hipstershop.CheckoutService/PlaceOrder': {
        self: 1.8,
        steps: [
          { call: 'cartservice hipstershop.CartService/GetCart' },
          { call: 'productcatalogservice hipstershop.ProductCatalogService/GetProduct', repeat: [1, 3] },
          { call: 'currencyservice hipstershop.CurrencyService/Convert', repeat: [1, 3] },
          { call: 'shippingservice hipstershop.ShippingService/GetQuote' },
          { call: 'paymentservice hipstershop.PaymentService/Charge', retry: 0.04 },
          { call: 'shippingservice hipstershop.ShippingService/ShipOrder' },
          { call: 'cartservice hipstershop.CartService/EmptyCart' },
          { call: 'emailservice hipstershop.EmailService/SendOrderConfirmation' },
          { publish: 'accountingservice orders process', topic: 'orders' },
          { publish: 'frauddetectionservice orders process', topic: 'orders' },
        ],
      },
    },
  },
  cartservice: {
    team: 'team-cart', system: 'boutique', proto: 'grpc', lang: 'csharp', port: 7070,
    ops: {
      'hipstershop.CartService/GetCart': { self: 0.5, steps: [{ db: 'redis', stmt: 'HGET', ms: 0.6, host: 'redis-cart' }] },
      'hipstershop.CartService/AddItem': { self: 0.6, steps: [{ db: 'redis', stmt: 'HGET', ms: 0.5, host: 'redis-cart' }, { db: 'redis', stmt: 'HMSET', ms: 0.7, host: 'redis-cart' }] },
      'hipstershop.CartService/EmptyCart': { self: 0.4, steps: [{ db: 'redis', stmt: 'HMSET', ms: 0.6, host: 'redis-cart' }] },
    },
  },
  productcatalogservice: {
    team: 'team-catalog', system: 'boutique', proto: 'grpc', lang: 'go', port: 3550,
    ops: {
      'hipstershop.ProductCatalogService/ListProducts': { self: 1.2, steps: [{ work: 'loadCatalog', ms: 0.8 }] },
      'hipstershop.ProductCatalogService/GetProduct': { self: 0.6 },
    },
  },
  currencyservice: {
    team: 'team-payments-core', system: 'boutique', proto: 'grpc', lang: 'node', port: 7000,
    ops: {
      'hipstershop.CurrencyService/GetSupportedCurrencies': { self: 0.5 },
      'hipstershop.CurrencyService/Convert': { self: 0.4 },
    },
  },
  paymentservice: {
    team: 'team-payments-core', system: 'boutique', proto: 'grpc', lang: 'node', port: 50051,
    ops: { 'hipstershop.PaymentService/Charge': { self: 2.2, steps: [{ work: 'validateCard', ms: 0.7 }] } },
  },
  shippingservice: {
    team: 'team-fulfilment', system: 'boutique', proto: 'grpc', lang: 'go', port: 50052,
    ops: {
      'hipstershop.ShippingService/GetQuote': { self: 0.7 },
      'hipstershop.ShippingService/ShipOrder': { self: 0.9 },
    },
  },
  emailservice: {
    team: 'team-comms-shop', system: 'boutique', proto: 'grpc', lang: 'python', port: 8081,
    ops: { 'hipstershop.EmailService/SendOrderConfirmation': { self: 1.5, steps: [{ work: 'renderConfirmation', ms: 3 }] } },
  },
  recommendationservice: {
    team: 'team-discovery', system: 'boutique', proto: 'grpc', lang: 'python', port: 8082,
    ops: {
      'hipstershop.RecommendationService/ListRecommendations': {
        self: 1.6,
        steps: [
          { call: 'productcatalogservice hipstershop.ProductCatalogService/ListProducts' },
          { work: 'filterByCategory', ms: 0.9 },
          { work: 'sampleProducts', ms: 0.6 },
        ],
      },
    },
  },
  adservice: {
    // Answers every request with HTTP 500 (a broken ad inventory); the frontend shows no ad.
    team: 'team-ads', system: 'boutique', proto: 'http', lang: 'java', port: 9555,
    ops: { 'GET /ads': { self: 1.1, steps: [{ work: 'selectAds', ms: 0.5 }] } },
  },
  accountingservice: {
    team: 'team-finance', system: 'boutique', proto: 'grpc', lang: 'csharp', port: 0,
    ops: { 'orders process': { self: 1, steps: [{ db: 'mysql', stmt: 'INSERT INTO orders (id, total) VALUES (?, ?)', ms: 2.4, host: 'accounting-db' }] } },
  },
  frauddetectionservice: {
    team: 'team-risk', system: 'boutique', proto: 'grpc', lang: 'java', port: 0,
    ops: { 'orders process': { self: 2.5, steps: [{ work: 'scoreOrder', ms: 1.5 }] } },
  },
};

/** Endpoints and the share of traffic each gets, as a load generator would drive them. */
export const ENDPOINTS: Endpoint[] = [
  { system: 'trainticket', entry: 'ts-ui-dashboard POST /api/v1/travelservice/trips/left', weight: 4 },
  { system: 'trainticket', entry: 'ts-ui-dashboard POST /api/v1/preserveservice/preserve', weight: 2 },
  { system: 'trainticket', entry: 'ts-ui-dashboard POST /api/v1/users/login', weight: 2 },
  { system: 'trainticket', entry: 'ts-ui-dashboard POST /api/v1/inside_pay_service/inside_payment', weight: 1.5 },
  { system: 'trainticket', entry: 'ts-ui-dashboard GET /api/v1/foodservice/foods', weight: 1.5 },
  { system: 'boutique', entry: 'frontend GET /', weight: 3 },
  { system: 'boutique', entry: 'frontend GET /product/{id}', weight: 4 },
  { system: 'boutique', entry: 'frontend POST /cart', weight: 2 },
  { system: 'boutique', entry: 'frontend POST /cart/checkout', weight: 1.5 },
];

/** Errors that are there before, during and after any incident. */
export interface BackgroundNoise {
  /** "caller callee op": the callee answers 500 every time; the caller falls back. */
  alwaysFailing: string;
  /** A service that logs an error about once a minute in normal traffic (share of its spans). */
  errorLog: { service: string; share: number; type: string; message: (n: () => number) => string };
  /** A call that answers 4xx now and then, which the entry turns into a 4xx for the user. */
  clientError: { service: string; op: string; share: number; http: number; grpc?: number; message: string };
}

export const NOISE: Record<SystemName, BackgroundNoise> = {
  trainticket: {
    alwaysFailing: 'ts-train-food-service',
    errorLog: {
      service: 'ts-route-service',
      share: 0.3,
      type: 'com.mongodb.MongoSocketReadTimeoutException',
      message: (n) => `Cache refresh for route ${n()}-${n()} failed after ${1 + (n() % 3)} attempts: Timed out after ${1000 + n()} ms while reading from server ts-route-mongo:27017`,
    },
    clientError: { service: 'ts-verification-code-service', op: 'GET /api/v1/verifycode/verify/{verifyCode}', share: 0.04, http: 403, message: 'verification code mismatch' },
  },
  boutique: {
    alwaysFailing: 'adservice',
    errorLog: {
      service: 'currencyservice',
      share: 0.2,
      type: 'Error',
      message: (n) => `conversion rates stale: last refresh ${n() % 60} min ago, request ${n().toString(16)}${n().toString(16)} used cached EUR/JPY ${(n() % 200) + 100}.${n() % 100}`,
    },
    clientError: { service: 'productcatalogservice', op: 'hipstershop.ProductCatalogService/GetProduct', share: 0.04, http: 404, grpc: 5, message: 'no product with ID OLJCESPC7Z' },
  },
};

export function splitRef(ref: string): { service: string; op: string } {
  const i = ref.indexOf(' ');
  return { service: ref.slice(0, i), op: ref.slice(i + 1) };
}

export function opOf(ref: string): { service: string; op: string; svc: ServiceDef; def: OpDef } {
  const { service, op } = splitRef(ref);
  const svc = SERVICES[service];
  const def = svc?.ops[op];
  if (!svc || !def) throw new Error(`topology: no operation "${ref}"`);
  return { service, op, svc, def };
}

function callsOf(step: Step): string[] {
  if ('call' in step) return [step.call];
  if ('par' in step) return step.par;
  if ('publish' in step) return [step.publish];
  return [];
}

/** Every service an endpoint's requests can pass through (statically, ignoring retries). */
export function reachable(entry: string, into = new Set<string>()): Set<string> {
  const { service, def } = opOf(entry);
  into.add(service);
  for (const step of def.steps ?? []) for (const ref of callsOf(step)) reachable(ref, into);
  return into;
}

export const ENTRY_SERVICES = new Set(ENDPOINTS.map((e) => splitRef(e.entry).service));

/** The fewest steps any operation of the service has: delay spread needs at least three places. */
export function minSteps(service: string): number {
  const ops = Object.values(SERVICES[service]?.ops ?? {});
  return Math.min(...ops.map((o) => (o.steps ?? []).length));
}

/** ownership.yaml as src/triage/catalog/ownership-file.ts reads it: `services: {service: team}`. */
export function ownershipYaml(): string {
  const lines = ['# Generated by bench/triage-faults/generate.ts: who owns each service of the synthetic systems.', 'services:'];
  for (const [name, def] of Object.entries(SERVICES)) lines.push(`  ${name}: ${def.team}`);
  return `${lines.join('\n')}\n`;
}
