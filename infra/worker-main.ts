import { existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundle, type WorkflowBundlePath } from '@temporalio/worker';
import { createAwsDeps } from '../store/clients.ts';
import { requireSigningKeys } from './app-deps.ts';
import { calendarOverridesFromEnv } from './calendar.ts';
import { ConfigError, parseEnv, type Env } from './config.ts';
import { ensureSchedules, schedulesFromEnv } from './schedules.ts';
import { temporalConnectionOptions, type TemporalConnectionOptions } from './temporal-connection.ts';
import { bundleWorkflows, createWorker, quietRuntime } from './worker.ts';

const say = (line: string) => process.stderr.write(`[rectify-worker] ${line}\n`);

/** The prebuilt bundle when the image has one; otherwise bundle now (slower start, same code). */
async function workflowBundle(codePath: string | undefined): Promise<WorkflowBundle | WorkflowBundlePath> {
  if (!codePath) {
    say('WORKFLOW_BUNDLE_PATH not set: bundling the workflow code at start');
    return bundleWorkflows();
  }
  if (!existsSync(codePath))
    throw new ConfigError(
      `Invalid configuration:\n  WORKFLOW_BUNDLE_PATH: no file at ${codePath} (build it with npm run build:workflows)`,
    );
  return { codePath };
}

/**
 * Creates or updates the Temporal Schedules (weekly feedback, morning brief).
 * Every task does it at start, idempotently; a failure is logged, not fatal,
 * so cases keep moving while the schedules are looked at.
 */
async function ensureSchedulesAtStart(env: Env, options: TemporalConnectionOptions): Promise<void> {
  try {
    const connection = await Connection.connect(options);
    try {
      const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
      const r = await ensureSchedules(client, env, schedulesFromEnv(env));
      say(
        `schedules: ${[...r.created.map((id) => `created ${id}`), ...r.updated.map((id) => `updated ${id}`)].join(', ') || 'none'}`,
      );
    } finally {
      await connection.close();
    }
  } catch (err) {
    say(
      `schedules NOT ensured (run npm run schedules once fixed): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/**
 * The production worker process (the container's command): the environment
 * parsed once, one connection to Temporal Cloud, the case workflow and its
 * activities on the task queue until SIGTERM, then a graceful stop.
 */
async function main(): Promise<void> {
  const env = parseEnv();
  const signingKeys = requireSigningKeys(env);
  const publicBaseUrl = env.PUBLIC_BASE_URL;
  if (!publicBaseUrl)
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_BASE_URL: required (the base of links in emails)',
    );
  const connectionOptions = temporalConnectionOptions(env);
  // Checked before anything connects, so a bad cron stops the task with its name.
  schedulesFromEnv(env);
  // Likewise a bad calendar file: the error names its lines.
  const calendarOverrides = await calendarOverridesFromEnv(env);
  // Logs go to CloudWatch: keep the SDK's lifecycle lines, drop its debug chatter.
  quietRuntime('INFO');
  const bundle = await workflowBundle(env.WORKFLOW_BUNDLE_PATH);
  const connection = await NativeConnection.connect(connectionOptions);
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    deps: { ...createAwsDeps(env), signingKeys, publicBaseUrl, timeZone: env.CAMPUS_TZ, calendarOverrides },
    bundle,
  });
  await ensureSchedulesAtStart(env, connectionOptions);
  say(
    `polling ${env.TEMPORAL_TASK_QUEUE} in ${env.TEMPORAL_NAMESPACE} at ${env.TEMPORAL_ADDRESS}` +
      ` (${'codePath' in bundle ? `bundle ${bundle.codePath}` : 'bundled at start'})`,
  );
  // The SDK's runtime turns SIGTERM/SIGINT into a graceful shutdown; run() resolves when it is done.
  await worker.run();
  await connection.close();
  say('stopped');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say(
      err instanceof ConfigError
        ? err.message
        : err instanceof Error
          ? (err.stack ?? err.message)
          : String(err),
    );
    process.exit(1);
  },
);
