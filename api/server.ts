import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/** Where the API listens unless told otherwise: every interface, so other machines on the network reach it. */
export const API_HOST = '0.0.0.0';

/**
 * Serves the app on a port; resolves once it listens, rejects with the listen error
 * (EADDRINUSE when another process took the port since it was checked).
 */
export function listen(app: Hono, port: number, hostname = API_HOST): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () => {
      server.off('error', reject);
      resolve(server);
    });
    server.once('error', reject);
  });
}
