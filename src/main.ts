import { ConfigError, loadDotEnv, NO_PLATFORM_HELP, parseConfig, type Config } from './config.js';
import { isSitrepError } from './domain/errors.js';
import { createLogger } from './log.js';

/** Start-up problems are printed as plain lines a person can act on — never a stack trace. */
function fail(lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadDotEnv();
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      fail(['sitrep cannot start: the configuration has problems.', ...err.problems.map((p) => `  ${p}`), 'See .env.example for every setting.']);
    }
    throw err;
  }
  if (!config.slack && !config.teams) fail([NO_PLATFORM_HELP]);

  const logger = createLogger({ level: config.LOG_LEVEL });
  logger.info({ slack: config.slack ? (config.slack.appToken ? 'socket mode' : 'http') : 'off', teams: Boolean(config.teams) }, 'sitrep is starting');
  try {
    // Loaded only now: the adapters (Bolt, botbuilder) take seconds to load, and a configuration
    // problem or the first log line should not wait for them.
    const { startSitrep } = await import('./app.js');
    const app = await startSitrep(config, logger);
    const stop = (signal: string) => {
      logger.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutting down');
      // The last word: whatever hangs (Redis gone, chat unreachable), exit before the orchestrator's SIGKILL.
      setTimeout(() => {
        logger.warn('shutdown took too long; exiting');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS + 1000).unref();
      app.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (err) {
    if (isSitrepError(err)) fail([`sitrep cannot start: ${err.userMessage}`]);
    throw err;
  }
}

main().catch((err: unknown) => {
  fail([`sitrep stopped on an unexpected error: ${err instanceof Error ? err.message : String(err)}`]);
});
