import { beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import {
  markChaseStarted,
  newReportId,
  saveReport,
  unchasedReports,
  type ReportDeps,
} from '../../store/reports.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';

/**
 * The report sweep's reading of the queue. It used to take the oldest 100 waiting reports and
 * then drop the chased ones, so 100 chased reports at the head hid every newer report whose chase
 * never started: those waited for a triage nobody was reminded of. Tables of its own.
 */
let deps: ReportDeps;
beforeAll(async () => {
  const all = testDeps(testEnv(ownTables(uniqueId('unchased'))));
  await ensureTables(all.ddb, all.tables);
  deps = { ddb: all.ddb, tables: all.tables };
});

const places = {
  a: { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A203' },
  b: { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' },
};
async function report(at: string, where: keyof typeof places) {
  const location = places[where];
  const { report } = await saveReport(deps, {
    reportId: newReportId(),
    placeCode: placeCode(location),
    location,
    kind: 'repair',
    description: '灯不亮',
    evidence: [],
    receivedAt: at,
  });
  return report.reportId;
}
const minute = (n: number) => new Date(Date.UTC(2026, 2, 3, 2, n)).toISOString();

describe('unchased reports', () => {
  it('reads past a head of chased reports, page by page, across buildings, oldest first', async () => {
    // Seven chased at the head of two buildings' queues, then three nobody chases.
    const chased = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6].map((n) => report(minute(n), n % 2 === 0 ? 'a' : 'b')),
    );
    for (const id of chased) await markChaseStarted(deps, id);
    const missed = [
      await report(minute(10), 'b'),
      await report(minute(11), 'a'),
      await report(minute(12), 'b'),
    ];

    // Pages of three: the first two hold chased reports only.
    const found = await unchasedReports(deps, ['bldg-a', 'bldg-b'], 100, 3);
    expect(found.map((r) => r.reportId)).toEqual(missed);
    // At most `limit`, the oldest.
    expect((await unchasedReports(deps, ['bldg-a', 'bldg-b'], 2, 3)).map((r) => r.reportId)).toEqual(
      missed.slice(0, 2),
    );
    // One building only.
    expect((await unchasedReports(deps, ['bldg-b'], 100, 2)).map((r) => r.reportId)).toEqual([
      missed[0],
      missed[2],
    ]);
  });
});
