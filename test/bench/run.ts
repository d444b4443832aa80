import { startEphemeralStack } from '../../infra/local/ephemeral.ts';
import { quietSdkNodeVersionNotice } from '../../infra/local/quiet.ts';
import { benchCaseThroughput } from './case-throughput.ts';
import { benchFeedbackFanout } from './feedback-fanout.ts';
import { benchLifecycleVsBare, percentile } from './lifecycle-vs-bare.ts';
import { historyPlot, latencyPlot } from './plots.ts';
import { mkdirSync, writeFileSync } from 'node:fs';

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
  say(`the six-step lifecycle against bare Temporal, ${cases} cases each, ${concurrency} at a time…`);
  const { rectify, bare } = await benchLifecycleVsBare(stack, { cases, concurrency, progress: say });
  const ratio = rectify.perSecond / bare.perSecond;
  const targets = {
    ratio: ratio >= 0.7,
    events: rectify.historyEvents <= 100,
    bytes: rectify.historyBytes <= 48 * 1024,
  };
  const mark = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');
  process.stdout.write(
    [
      'six-step lifecycle (root cause, sign-off by email link, rectification, review failed, rectification, review passed)',
      `  Rectify (HTTP API + link):  ${rectify.perSecond.toFixed(2)} cases/s, step p50 ${percentile(rectify.stepMs, 50).toFixed(0)} ms, p99 ${percentile(rectify.stepMs, 99).toFixed(0)} ms`,
      `  bare Temporal (updates):    ${bare.perSecond.toFixed(2)} cases/s, step p50 ${percentile(bare.stepMs, 50).toFixed(0)} ms, p99 ${percentile(bare.stepMs, 99).toFixed(0)} ms`,
      `  ratio:                      ${ratio.toFixed(2)} (target ≥ 0.7: ${mark(targets.ratio)})`,
      `  history per case:           ${rectify.historyEvents} events (≤ 100: ${mark(targets.events)}), ${(rectify.historyBytes / 1024).toFixed(1)} KB (≤ 48 KB: ${mark(targets.bytes)})`,
      `  billable actions per case:  ${rectify.billableActions} (two rounds; bare: ${bare.billableActions})`,
      '',
    ].join('\n'),
  );
  const plots = process.env.BENCH_PLOTS_DIR ?? 'docs/benchmarks';
  mkdirSync(plots, { recursive: true });
  writeFileSync(
    `${plots}/step-latency.svg`,
    latencyPlot([
      { name: 'Rectify', stepMs: rectify.stepMs },
      { name: 'bare Temporal', stepMs: bare.stepMs },
    ]),
  );
  writeFileSync(
    `${plots}/history-size.svg`,
    historyPlot([
      { name: 'Rectify', bytesPerStep: rectify.bytesPerStep },
      { name: 'bare Temporal', bytesPerStep: bare.bytesPerStep },
    ]),
  );
  say(`plots written to ${plots}/`);

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
