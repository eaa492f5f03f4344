import { SitrepError } from '../domain/errors.js';

/** Why the HTTP server could not listen, as one line naming PORT/HOST and what to do. */
export function listenError(err: unknown, port: number, host: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return new SitrepError('unavailable', `PORT ${port} is already in use on ${host} (EADDRINUSE): stop the other program (or sitrep) listening there, or set PORT to a free port.`, { cause: err });
  if (code === 'EACCES') return new SitrepError('unavailable', `PORT ${port} needs privileges this process does not have (EACCES): use a port above 1023.`, { cause: err });
  if (code === 'EADDRNOTAVAIL') return new SitrepError('unavailable', `HOST ${host} is not an address of this machine (EADDRNOTAVAIL): use 0.0.0.0 or one of its addresses.`, { cause: err });
  return err;
}
