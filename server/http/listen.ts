import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Binds a server and resolves with the port actually bound (port 0 picks a free one).
 * A port in use or a forbidden address becomes one clear sentence naming the flag to change.
 */
export function listen(
  server: Server,
  host: string,
  port: number,
  what: string,
  flag: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`${what} port ${port} on ${host} is already in use; choose another with ${flag}`));
      } else if (error.code === 'EACCES') {
        reject(
          new Error(
            `${what} cannot bind ${host}:${port}: permission denied; choose a port above 1023 with ${flag}`,
          ),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new Error(`${what} cannot bind ${host}: no such local address; check --host`));
      } else {
        reject(new Error(`${what} cannot listen on ${host}:${port}: ${error.message}`));
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Closes a server, dropping idle keep-alive connections so shutdown does not wait for them. */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
