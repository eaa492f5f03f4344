import type { Config } from '../config.js';

/**
 * The web console's base URL, for links to a postmortem's page: only when the console is on
 * (`WEB_CONSOLE` set and not `off`) and `PUBLIC_URL` says where it is. A link to a console that is
 * not served would be a dead end at the worst moment.
 */
export function webConsoleUrl(config: Pick<Config, 'PUBLIC_URL'> & { WEB_CONSOLE?: unknown }): string | undefined {
  const mode = typeof config.WEB_CONSOLE === 'string' ? config.WEB_CONSOLE : undefined;
  if (!config.PUBLIC_URL || !mode || mode === 'off') return undefined;
  return config.PUBLIC_URL.replace(/\/+$/, '');
}
