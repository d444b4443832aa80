import { startEphemeralStack } from '../../infra/local/ephemeral.ts';
import { benchCaseThroughput } from './case-throughput.ts';

/** `npm run bench`: throughput and latency targets live here, never in timed tests. */
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const cases = Number(process.env.BENCH_CASES ?? 40);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

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
} finally {
  await stop();
}
