import { startEphemeralStack } from '../../infra/local/ephemeral.ts';
import { quietSdkNodeVersionNotice } from '../../infra/local/quiet.ts';
import { benchCaseThroughput } from './case-throughput.ts';
import { benchFeedbackFanout } from './feedback-fanout.ts';

/** `npm run bench`: throughput and latency targets live here, never in timed tests. */
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
quietSdkNodeVersionNotice();
const cases = Number(process.env.BENCH_CASES ?? 40);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
// The scale is 5,000 staff; the default keeps a local run to about a minute.
const staff = Number(process.env.BENCH_STAFF ?? 1000);
const rate = Number(process.env.BENCH_SEND_RATE ?? 100);

say('starting an in-memory Temporal dev server, DynamoDB Local and SES emulator…');
const { stack, stop } = await startEphemeralStack('bench');
try {
  say(`driving ${cases} cases through every stage to closure, ${concurrency} at a time…`);
  const r = await benchCaseThroughput(stack, { cases, concurrency, progress: say });
  process.stdout.write(
    [
      'case lifecycle (start → analysis → sign-off → rectification → review → closed)',
      `  cases:        ${r.cases}`,
      `  wall time:    ${r.seconds.toFixed(1)} s`,
      `  throughput:   ${r.perSecond.toFixed(2)} workflows/s`,
      `  latency p50:  ${r.p50ms.toFixed(0)} ms`,
      `  latency p99:  ${r.p99ms.toFixed(0)} ms`,
      '',
    ].join('\n'),
  );
  say(`weekly digests to ${staff} staff at ${rate} emails/s…`);
  const f = await benchFeedbackFanout(stack, { staff, ratePerSecond: rate, progress: say });
  process.stdout.write(
    [
      'weekly feedback fan-out',
      `  staff:             ${f.staff}`,
      `  digest emails:     ${f.digestEmails} (${f.uniqueRecipients} recipients, ${f.duplicates} duplicates)`,
      `  wall time:         ${f.seconds.toFixed(1)} s`,
      `  send rate:         ${f.perSecond.toFixed(1)} emails/s (configured ${f.configuredRate})`,
      `  history events:    ${f.historyEvents}`,
      '',
    ].join('\n'),
  );
  if (f.duplicates > 0) process.exitCode = 1;
} finally {
  await stop();
}
