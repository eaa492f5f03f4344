import type { Logger } from '../../log.js';

type BoltLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Bolt logs through its own small interface; route it into our pino logger (same redaction). */
export function boltLogger(logger: Logger) {
  const log = logger.child({ component: 'bolt' });
  let level: BoltLogLevel = 'info';
  const line = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => log.debug(line(msg)),
    info: (...msg: unknown[]) => log.info(line(msg)),
    warn: (...msg: unknown[]) => log.warn(line(msg)),
    error: (...msg: unknown[]) => log.error(line(msg)),
    setLevel: (l: BoltLogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  } as never;
}
