// Redis processes of a test's own, on ports of their own (never the shared Redis on 6379): to kill,
// restart, fail over or cluster without disturbing anyone else.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';
import { eventually } from './wait.js';

export class RedisProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly args: string[],
    readonly dir: string,
  ) {}

  /** Starts `redis-server` (extra `args` appended) and waits until it answers PING. */
  static async start(args: string[] = [], port?: number): Promise<RedisProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-redis-'));
    const p = new RedisProcess(port ?? (await freePort()), args, dir);
    await p.launch();
    return p;
  }

  /** A Sentinel watching `master` as `name` (quorum 2), with short failover timings. */
  static async sentinel(master: RedisProcess, name = 'mymaster'): Promise<RedisProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-sentinel-'));
    const port = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const p = new RedisProcess(port, [conf, '--sentinel'], dir);
    await p.launch();
    return p;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const sentinel = this.args.includes('--sentinel');
    const base = sentinel ? [] : ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no'];
    this.child = spawn('redis-server', [...(sentinel ? this.args : base), ...(sentinel ? [] : this.args)], { stdio: 'ignore' });
    const probe = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused until the server is up
    try {
      await eventually(
        async () => {
          await probe.connect().catch(() => undefined);
          return (await probe.ping()) === 'PONG';
        },
        `redis-server on port ${this.port}`,
        10_000,
      );
    } finally {
      probe.disconnect();
    }
  }

  /** A client of this process alone (no retries): for setting up and looking. */
  client(): Redis {
    const client = new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined); // the process may be killed under it on purpose
    return client;
  }

  /** SIGKILL, as a crash or an OOM kill would: no save, no goodbye. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts it again on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A master, one replica and three Sentinels (quorum 2), as a small production setup would run. */
export interface SentinelSet {
  master: RedisProcess;
  replica: RedisProcess;
  sentinels: RedisProcess[];
  name: string;
  stop(): Promise<void>;
}

export async function startSentinelSet(name = 'mymaster'): Promise<SentinelSet> {
  const master = await RedisProcess.start();
  const replica = await RedisProcess.start(['--replicaof', '127.0.0.1', String(master.port)]);
  const sentinels = await Promise.all([0, 1, 2].map(() => RedisProcess.sentinel(master, name)));
  // Sentinels must know each other and the replica before a failover can be agreed on.
  const look = sentinels[0]!.client();
  try {
    await eventually(
      async () => {
        const replicas = (await look.call('SENTINEL', 'REPLICAS', name)) as unknown[];
        const peers = (await look.call('SENTINEL', 'SENTINELS', name)) as unknown[];
        return replicas.length >= 1 && peers.length >= 2;
      },
      'sentinels to discover the replica and each other',
      15_000,
    );
  } finally {
    look.disconnect();
  }
  return {
    master,
    replica,
    sentinels,
    name,
    async stop() {
      await Promise.all([...sentinels, replica, master].map((p) => p.stop()));
    },
  };
}

/**
 * A Redis Cluster of three masters (no replicas) on ports of their own, joined with
 * `redis-cli --cluster create`; resolves once every slot is served.
 */
export async function startRedisCluster(): Promise<{ nodes: RedisProcess[]; seeds: string[]; stop(): Promise<void> }> {
  const nodes: RedisProcess[] = [];
  for (let i = 0; i < 3; i++) nodes.push(await RedisProcess.start(['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000']));
  const seeds = nodes.map((n) => n.address);
  await new Promise<void>((resolve, reject) => {
    const create = spawn('redis-cli', ['--cluster', 'create', ...seeds, '--cluster-replicas', '0', '--cluster-yes'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    create.stderr.on('data', (d: Buffer) => (err += d.toString()));
    create.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli --cluster create failed (${code}): ${err}`))));
  });
  // Every node, not just one: until gossip has converged a client can be handed a node that still answers
  // CLUSTERDOWN, which on a loaded machine outlasts sitrep's 5 s start-up check.
  const probes = nodes.map((n) => n.client());
  try {
    await eventually(
      async () => (await Promise.all(probes.map(async (p) => /cluster_state:ok/.test((await p.cluster('INFO')) as string)))).every(Boolean),
      'every node of the cluster to serve every slot',
      30_000,
    );
  } finally {
    probes.forEach((p) => p.disconnect());
  }
  return { nodes, seeds, stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))) };
}
