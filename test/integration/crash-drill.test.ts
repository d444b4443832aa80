import { describe, expect, it } from 'vitest';
import { runDrill } from '../drill/drill.ts';

// The crash drill's short version (`npm run drill` runs 100/10/10): a few runs of each kind,
// each ending at the stage a run without a crash reaches, with the same mails once each and
// the same audit trail, verified.
describe('crash drill (short)', () => {
  it('a case survives a worker SIGKILL, a restart of Temporal and DynamoDB Local, and a SIGKILL of npm start', async () => {
    const lines: string[] = [];
    const report = await runDrill({ workerKills: 2, serverRestarts: 1, startKills: 1 }, (l) => lines.push(l));
    const failed = report.runs
      .filter((r) => !r.ok)
      .map((r) => `${r.fault} ${r.caseId}: ${r.problems.join('; ')}`);
    expect(failed, lines.join('\n')).toEqual([]);
    expect(report.runs.map((r) => r.fault)).toEqual([
      'none',
      'worker kill',
      'worker kill',
      'server restart',
      'npm start kill',
    ]);
    // The script reaches closure and mails someone at every step.
    expect(report.baseline.stage).toBe('closed');
    expect(report.baseline.mails.length).toBeGreaterThanOrEqual(6);
    expect(report.restartSeconds).toHaveLength(1);
  }, 600_000);
});
