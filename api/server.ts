import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/** Serves the app on a port; resolves once it listens. */
export function listen(app: Hono, port: number, hostname = '0.0.0.0'): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () => resolve(server));
  });
}
