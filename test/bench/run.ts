import { startEphemeralStack } from '../../infra/local/ephemeral.ts';
import { quietSdkNodeVersionNotice } from '../../infra/local/quiet.ts';
import { benchCaseThroughput } from './case-throughput.ts';
import { benchFeedbackFanout } from './feedback-fanout.ts';
import { benchLifecycleVsBare, percentile } from './lifecycle-vs-bare.ts';
import { benchActionLink } from './action-link.ts';
import { benchUniversityYear, SEED_YEAR } from './university-year.ts';
import { historyPlot, latencyPlot } from './plots.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `npm run bench`: throughput and latency targets live here, never in timed tests.
 * `npm run bench -- link year --scale 0.05` runs only the benches named.
 */
const say = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
quietSdkNodeVersionNotice();
const benchNames = ['throughput', 'lifecycle', 'link', 'year', 'digests'] as const;
type BenchName = (typeof benchNames)[number];
const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scale: { type: 'string', default: process.env.BENCH_YEAR_SCALE ?? '1' },
    links: { type: 'string', default: process.env.BENCH_LINKS ?? '400' },
    rate: { type: 'string', default: process.env.BENCH_LINK_RATE ?? '200' },
    connections: { type: 'string', default: process.env.BENCH_LINK_CONNECTIONS ?? '10' },
  },
});
const unknown = positionals.filter((p) => !(benchNames as readonly string[]).includes(p));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; choose from ${benchNames.join(', ')}\n`);
  process.exit(2);
}
const selected = new Set<BenchName>(positionals.length > 0 ? (positionals as BenchName[]) : benchNames);
const scale = Number(flags.scale);
if (!(scale > 0 && scale <= 1)) {
  process.stderr.write('--scale takes a fraction of the seed year, 0 < scale ≤ 1\n');
  process.exit(2);
}
const cases = Number(process.env.BENCH_CASES ?? 40);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
// The issue's scale is 5,000 staff; the default keeps a local run to about a minute.
const staff = Number(process.env.BENCH_STAFF ?? 1000);
const rate = Number(process.env.BENCH_SEND_RATE ?? 100);

say('starting an in-memory Temporal dev server, DynamoDB Local and SES emulator…');
const { stack, stop } = await startEphemeralStack('bench');
try {
  say(`benches: ${[...selected].join(', ')}`);
  const plots = process.env.BENCH_PLOTS_DIR ?? 'docs/benchmarks';
  mkdirSync(plots, { recursive: true });
  const mark = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');
  if (selected.has('throughput')) {
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
  }
  if (selected.has('lifecycle')) {
    say(`the six-step lifecycle against bare Temporal, ${cases} cases each, ${concurrency} at a time…`);
    const { rectify, bare, oneRound } = await benchLifecycleVsBare(stack, {
      cases,
      concurrency,
      progress: say,
    });
    const ratio = rectify.perSecond / bare.perSecond;
    const targets = {
      ratio: ratio >= 0.7,
      events: rectify.historyEvents <= 100,
      bytes: rectify.historyBytes <= 48 * 1024,
      actions: oneRound.billable <= 30,
    };
    process.stdout.write(
      [
        'six-step lifecycle (root cause, sign-off by email link, rectification, review failed, rectification, review passed)',
        `  Rectify (HTTP API + link):  ${rectify.perSecond.toFixed(2)} cases/s, step p50 ${percentile(rectify.stepMs, 50).toFixed(0)} ms, p99 ${percentile(rectify.stepMs, 99).toFixed(0)} ms`,
        `  bare Temporal (updates):    ${bare.perSecond.toFixed(2)} cases/s, step p50 ${percentile(bare.stepMs, 50).toFixed(0)} ms, p99 ${percentile(bare.stepMs, 99).toFixed(0)} ms`,
        `  ratio:                      ${ratio.toFixed(2)} (target ≥ 0.7: ${mark(targets.ratio)})`,
        `  history per case:           ${rectify.historyEvents} events (≤ 100: ${mark(targets.events)}), ${(rectify.historyBytes / 1024).toFixed(1)} KB (≤ 48 KB: ${mark(targets.bytes)})`,
        `  billable actions per case:  ${rectify.billableActions} (two rounds; bare: ${bare.billableActions})`,
        `  one-round case:             ${oneRound.billable} billable actions (≤ 30: ${mark(targets.actions)}), ${oneRound.events} events, ${(oneRound.bytes / 1024).toFixed(1)} KB`,
        '',
      ].join('\n'),
    );
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
  }
  if (selected.has('link')) {
    const links = Number(flags.links);
    const rate = Number(flags.rate);
    say(`the sign-off link (GET page, POST sign): ${links} fresh links at ${rate} requests/s…`);
    const l = await benchActionLink(stack, {
      links,
      ratePerSecond: rate,
      maxSeconds: Number(process.env.BENCH_LINK_MAX_SECONDS ?? 180),
      connections: Number(flags.connections),
      progress: say,
    });
    process.stdout.write(
      [
        `action link (GET the page, then POST the signature; autocannon, ${l.connections} connections, loopback)`,
        `  links signed:  ${l.signed} of ${l.links} (${l.requests} requests in ${l.seconds.toFixed(1)} s: ${(l.requests / l.seconds).toFixed(0)} requests/s of the ${l.ratePerSecond} asked)`,
        `  statuses:      ${Object.entries(l.statuses)
          .map(([k, v]) => `${k}×${v}`)
          .join(', ')}; errors ${l.errors}`,
        `  latency:       p50 ${l.p50ms} ms, p90 ${l.p90ms} ms, p99 ${l.p99ms} ms (target < 50: ${mark(l.p99ms < 50)}), max ${l.maxMs} ms`,
        `  each side:     GET page p50 ${l.page.p50ms.toFixed(0)} ms / p99 ${l.page.p99ms.toFixed(0)} ms; POST sign p50 ${l.sign.p50ms.toFixed(0)} ms / p99 ${l.sign.p99ms.toFixed(0)} ms`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      `${plots}/link-latency.svg`,
      latencyPlot([{ name: 'GET + POST /actions/{token}', stepMs: l.samplesMs }]),
    );
    if (l.signed < l.links) process.exitCode = 1;
  }
  if (selected.has('year')) {
    say(
      `one university year: ${SEED_YEAR.repairs} repair reports and ${SEED_YEAR.surveys} surveys × ${scale}, on the time-skipping server…`,
    );
    const y = await benchUniversityYear(stack, { scale, concurrency, progress: say });
    const items = y.dynamo.reduce((a, t) => a + t.items, 0);
    const bytes = y.dynamo.reduce((a, t) => a + t.bytes, 0);
    process.stdout.write(
      [
        `university year (scale ${y.scale}: ${y.cases} repair cases, ${y.surveys} surveys, ${y.days} days on the time-skipping server)`,
        `  wall time:          ${y.wallSeconds.toFixed(0)} s`,
        `  peak worker memory: ${y.peakRssMb.toFixed(0)} MB RSS, ${y.peakHeapMb.toFixed(0)} MB heap (worker and driver in one process)`,
        `  DynamoDB:           ${items} items, ${(bytes / 2 ** 20).toFixed(2)} MB (${y.dynamo.map((t) => `${t.table} ${t.items} items ${(t.bytes / 1024).toFixed(0)} KB`).join('; ')})`,
        `  emails:             ${y.emails} (${(y.emails / y.cases).toFixed(2)} per case)`,
        `  steps:              ${Object.entries(y.stepMs)
          .map(
            ([k, v]) =>
              `${k} p50 ${percentile(v, 50).toFixed(0)} ms / p99 ${percentile(v, 99).toFixed(0)} ms`,
          )
          .join('; ')}`,
        `  history, one case:  ${y.bytesPerStep.at(-1) ?? 0} bytes after ${y.bytesPerStep.length - 1} updates`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      `${plots}/year-step-latency.svg`,
      latencyPlot(Object.entries(y.stepMs).map(([name, stepMs]) => ({ name, stepMs }))),
    );
    writeFileSync(
      `${plots}/year-history-size.svg`,
      historyPlot([{ name: 'one case of the year', bytesPerStep: y.bytesPerStep }]),
    );
    say(`plots written to ${plots}/`);
  }
  if (selected.has('digests')) {
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
  }
} finally {
  await stop();
}
