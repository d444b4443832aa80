import { existsSync } from 'node:fs';
import { NativeConnection, type WorkflowBundle, type WorkflowBundlePath } from '@temporalio/worker';
import { ConfigError, parseEnv } from './config.ts';
import { buildDeps, type Deps } from './deps.ts';
import { assertDeployedMode } from './deployed-mode.ts';
import { activityCalendar, calendarOverridesFromEnv, loadCalendar } from './calendar.ts';
import { ensureSchedules, schedulesFromEnv } from './schedules.ts';
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
async function ensureSchedulesAtStart(deps: Deps): Promise<void> {
  try {
    const r = await ensureSchedules(await deps.temporal.client(), deps.env, schedulesFromEnv(deps.env));
    say(
      `schedules: ${[...r.created.map((id) => `created ${id}`), ...r.updated.map((id) => `updated ${id}`)].join(', ') || 'none'}`,
    );
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
  assertDeployedMode(process.env, 'infra/worker-main.ts');
  const env = parseEnv();
  const deps = buildDeps(env);
  // Checked before anything connects, so missing secrets, a half-set TLS pair or a bad cron
  // stop the task with their names.
  const activityDeps = deps.activityDeps();
  const connectionOptions = deps.temporal.connection;
  schedulesFromEnv(env);
  // Likewise a bad calendar file: the error names its lines.
  const calendarOverrides = await calendarOverridesFromEnv(env);
  const calendarFile = await loadCalendar(env);
  // Logs go to CloudWatch: keep the SDK's lifecycle lines, drop its debug chatter.
  quietRuntime('INFO');
  const bundle = await workflowBundle(env.WORKFLOW_BUNDLE_PATH);
  const connection = await NativeConnection.connect(connectionOptions);
  const worker = await createWorker({
    connection,
    namespace: deps.temporal.namespace,
    taskQueue: deps.temporal.taskQueue,
    deps: {
      ...activityDeps,
      calendarOverrides,
      calendarFile,
      currentCalendar: activityCalendar(env, deps.aws),
    },
    bundle,
  });
  await ensureSchedulesAtStart(deps);
  say(
    `polling ${env.TEMPORAL_TASK_QUEUE} in ${env.TEMPORAL_NAMESPACE} at ${env.TEMPORAL_ADDRESS}` +
      ` (${'codePath' in bundle ? `bundle ${bundle.codePath}` : 'bundled at start'})`,
  );
  // The SDK's runtime turns SIGTERM/SIGINT into a graceful shutdown; run() resolves when it is done.
  await worker.run();
  await connection.close();
  await deps.close();
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
