import { SitrepError } from '../domain/errors.js';
import type { AlertSource } from './alert.js';

/**
 * A webhook body sitrep cannot turn into alerts (HTTP 400). `reason` is written for whoever configures
 * the sender, so the route can return it as is.
 */
export class AlertPayloadError extends SitrepError {
  constructor(
    readonly source: AlertSource,
    readonly reason: string,
  ) {
    super('invalid_input', `sitrep rejected this ${source} alert payload: ${reason}`);
  }
}

/** The alert rules file cannot be used. Fatal at startup: the message names the file, the line and the fix. */
export class AlertRulesFileError extends SitrepError {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super('invalid_input', `Alert rules file ${file}${line === undefined ? '' : ` (line ${line})`}: ${reason}`);
  }
}
