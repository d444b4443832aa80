import { createApp } from '../api/app.ts';
import { listen } from '../api/server.ts';
import { appDepsFromEnv } from './app-deps.ts';
import { ConfigError } from './config.ts';
import { PortInUse, asPortInUse } from './ports.ts';

const say = (line: string) => process.stderr.write(`[rectify-api] ${line}\n`);

/**
 * The HTTP API on its own (`npm run api`), for a container or a machine beside
 * an already running worker: the same app as `npm start` and the Lambda, from
 * the environment parsed once, one Temporal client for the process.
 */
async function main(): Promise<void> {
  const deps = await appDepsFromEnv(process.env);
  const server = await listen(createApp(deps), deps.env.PORT).catch((err: unknown) => {
    throw asPortInUse(err, deps.env.PORT, 'PORT');
  });
  say(`listening on port ${deps.env.PORT} (health: /health, reference: /docs)`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await deps.temporal.connection.close();
  say('stopped');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say(
      err instanceof ConfigError || err instanceof PortInUse
        ? err.message
        : err instanceof Error
          ? (err.stack ?? err.message)
          : String(err),
    );
    process.exit(1);
  },
);
