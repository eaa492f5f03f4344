// The alert-storm floor: what a webhook costs with nothing of sitrep in it. A bare node:http server that
// reads the body, checks the bearer token, parses the same JSON and makes one Redis round trip (counting the
// alert in its group), then answers 202. Run as its own process, like a bot: PORT, REDIS_URL, REDIS_KEY_PREFIX,
// BENCH_ALERT_TOKEN from the environment.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = process.env.REDIS_KEY_PREFIX ?? 'sitrep-floor:';
const expected = `Bearer ${process.env.BENCH_ALERT_TOKEN ?? ''}`;

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200).end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401).end();
      return;
    }
    const alert = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { title: string; labels?: Record<string, string> };
    redis.hincrby(`${prefix}floor:${alert.title}`, alert.labels?.pod ?? '-', 1).then(
      () => {
        const body = JSON.stringify({ ok: true, accepted: 1 });
        res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      },
      () => res.writeHead(503).end(),
    );
  });
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
});
