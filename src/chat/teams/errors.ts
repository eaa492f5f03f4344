import { SitrepError } from '../../domain/errors.js';

/** The HTTP status of a Bot Connector (core-rest-pipeline RestError) or Graph failure, if it has one. */
export function teamsStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, response } = error as { statusCode?: unknown; response?: { status?: unknown } };
  if (typeof statusCode === 'number') return statusCode;
  return typeof response?.status === 'number' ? response.status : undefined;
}

/** A Teams failure as a sentence for whoever clicked or typed, saying what to do about it. */
export function toSitrepError(error: unknown, doing: string): SitrepError {
  if (error instanceof SitrepError) return error;
  const status = teamsStatusOf(error);
  if (status === 401 || status === 403) {
    return new SitrepError(
      'forbidden',
      `Teams would not let sitrep ${doing} (HTTP ${status}). Make sure the sitrep app is installed in the team that holds the incidents channel (and, for pages, for the person being paged).`,
      { cause: error },
    );
  }
  if (status === 404) {
    return new SitrepError('not_found', `Teams could not ${doing}: the conversation or message no longer exists.`, { cause: error });
  }
  const what = status ? `Teams answered HTTP ${status}` : 'Teams could not be reached';
  return new SitrepError('unavailable', `sitrep could not ${doing}: ${what}. It has been logged; please try again in a minute.`, { cause: error });
}
