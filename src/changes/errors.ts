import { SitrepError } from '../domain/errors.js';

/** A change webhook body sitrep cannot use (HTTP 400); `reason` is written for whoever configures the sender. */
export class ChangePayloadError extends SitrepError {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super('invalid_input', `sitrep rejected this ${source} change event: ${reason}`);
  }
}
