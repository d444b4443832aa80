import os from 'node:os';
import { quietSdkNodeVersionNotice } from '../../infra/local/quiet.ts';
import { quietRuntime } from '../../infra/worker.ts';
import { STEPS, type StepName } from './case-script.ts';
import { runDrill, summary, type DrillAim } from './drill.ts';

/**
 * `npm run drill`: the full crash drill (DRILL_WORKER_KILLS=100, DRILL_SERVER_RESTARTS=10,
 * DRILL_START_KILLS=10 unless set). Progress on stderr, the figures on stdout; exit code 1
 * when any run ends wrong.
 */
const say = (line: string) => process.stderr.write(`[drill] ${line}\n`);
const count = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 0)
    throw new Error(`${name} must be a whole number, got ${process.env[name]}`);
  return v;
};

quietSdkNodeVersionNotice();
quietRuntime();
const counts = {
  workerKills: count('DRILL_WORKER_KILLS', 100),
  serverRestarts: count('DRILL_SERVER_RESTARTS', 10),
  startKills: count('DRILL_START_KILLS', 10),
};
say(
  `${counts.workerKills} worker kills, ${counts.serverRestarts} server restarts, ${counts.startKills} npm start kills`,
);
const aim: DrillAim = {};
const step = process.env.DRILL_STEP;
if (step !== undefined) {
  if (!(STEPS as readonly string[]).includes(step))
    throw new Error(`DRILL_STEP must be one of ${STEPS.map((s) => `"${s}"`).join(', ')}, got "${step}"`);
  aim.step = step as StepName;
}
if (process.env.DRILL_DELAY_MS !== undefined) aim.delayMs = count('DRILL_DELAY_MS', 0);
const report = await runDrill(counts, say, aim);
const failed = report.runs.filter((r) => !r.ok);
const restarts = report.restartSeconds;
process.stdout.write(
  [
    'crash drill',
    ...summary(report).map((l) => `  ${l}`),
    `  baseline case: stage ${report.baseline.stage}, ${report.baseline.mails.length} mails, ${report.baseline.actions.length} audit entries`,
    restarts.length
      ? `  npm start ready again after a SIGKILL: ${Math.min(...restarts).toFixed(0)}–${Math.max(...restarts).toFixed(0)} s`
      : '',
    `  wall time: ${(report.seconds / 60).toFixed(1)} min on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, ${os.platform()} ${os.release()}, Node ${process.version}`,
    ...failed.map(
      (r) => `  FAILED ${r.fault} ${r.caseId} (${r.step}, +${r.delayMs} ms): ${r.problems.join('; ')}`,
    ),
    '',
  ]
    .filter((l) => l !== '')
    .join('\n') + '\n',
);
process.exit(failed.length > 0 ? 1 : 0);
