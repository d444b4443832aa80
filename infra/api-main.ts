import { createApp } from '../api/app.ts';
import { listen } from '../api/server.ts';
import { ConfigError } from './config.ts';
import { depsFromEnvironment } from './deps.ts';
import { assertDeployedMode } from './deployed-mode.ts';
import { PortInUse, asPortInUse } from './ports.ts';

const say = (line: string) => process.stderr.write(`[rectify-api] ${line}\n`);

/**
 * The HTTP API on its own (`npm run api`), for a container or a machine beside
 * an already running worker: the same app as `npm start` and the Lambda, from
 * the environment parsed once, one Temporal client for the process.
 */
async function main(): Promise<void> {
  assertDeployedMode(process.env, 'infra/api-main.ts');
  const deps = depsFromEnvironment(process.env);
  const { env } = deps;
  const server = await listen(createApp(await deps.appDeps()), env.PORT).catch((err: unknown) => {
    throw asPortInUse(err, env.PORT, 'PORT');
  });
  say(`listening on port ${env.PORT} (health: /health, reference: /docs)`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await deps.close();
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
