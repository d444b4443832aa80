import { ConfigError, parseEnv } from './config.ts';
import { buildDeps } from './deps.ts';
import { ensureSchedules, schedulesFromEnv } from './schedules.ts';

/**
 * `npm run schedules`: creates or updates every Temporal Schedule, idempotently,
 * exactly as the worker does at start (schedulesFromEnv): WEEKLY_FEEDBACK_CRON
 * (default "0 8 * * 1"), DAILY_BRIEF_CRON ("30 7 * * *"), AUDIT_ANCHOR_CRON
 * ("0 2 * * *"), CALENDAR_WATCH_CRON ("0 9 * * *"), all in CAMPUS_TZ, and FEEDBACK_SEND_RATE (SES messages per second).
 */
async function main(): Promise<void> {
  const env = parseEnv();
  const specs = schedulesFromEnv(env);
  const deps = buildDeps(env);
  try {
    const r = await ensureSchedules(await deps.temporal.client(), env, specs);
    for (const id of r.created) console.log(`created ${id}`);
    for (const id of r.updated) console.log(`updated ${id}`);
  } finally {
    await deps.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
