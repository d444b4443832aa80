import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { ConfigError, parseEnv } from './config.ts';
import { ensureSchedules, feedbackScheduleSpecs } from './schedules.ts';
import { temporalConnectionOptions } from './temporal-connection.ts';

/**
 * `npm run schedules`: creates or updates every Temporal Schedule, idempotently.
 * Times are configurable: WEEKLY_FEEDBACK_CRON (default "0 8 * * 1"),
 * DAILY_BRIEF_CRON ("30 7 * * *"), both in CAMPUS_TZ, and FEEDBACK_SEND_RATE
 * (SES messages per second, default 14).
 */
const cron = z.string().regex(/^\s*\S+(\s+\S+){4}\s*$/, 'must be a five-field cron like "0 8 * * 1"');
const scheduleEnv = z.object({
  WEEKLY_FEEDBACK_CRON: cron.optional(),
  DAILY_BRIEF_CRON: cron.optional(),
  FEEDBACK_SEND_RATE: z.coerce.number().positive().max(10_000).optional(),
});

async function main(): Promise<void> {
  const env = parseEnv();
  const parsed = scheduleEnv.safeParse(
    Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const extra = parsed.data;
  const connection = await Connection.connect(temporalConnectionOptions(env));
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    const specs = [
      ...feedbackScheduleSpecs({
        timeZone: env.CAMPUS_TZ,
        weeklyCron: extra.WEEKLY_FEEDBACK_CRON,
        dailyCron: extra.DAILY_BRIEF_CRON,
        weekly: extra.FEEDBACK_SEND_RATE ? { sendRatePerSecond: extra.FEEDBACK_SEND_RATE } : undefined,
      }),
    ];
    const r = await ensureSchedules(client, env, specs);
    for (const id of r.created) console.log(`created ${id}`);
    for (const id of r.updated) console.log(`updated ${id}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
