import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportKind } from '../../domain/intake.ts';
import { placeCode } from '../../domain/places.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { opsKey } from '../../store/keys.ts';
import {
  isQueueCursor,
  newReportId,
  saveReport,
  triageQueue,
  unchasedReports,
  type ReportDeps,
} from '../../store/reports.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';

/**
 * The triage queue's order: a safety hazard is owed an answer before any routine report, so it
 * heads the queue however many older repairs wait (a student's hazard once sat last behind nine
 * repairs); within each, oldest first across the buildings. Tables of its own.
 */
let deps: ReportDeps;
beforeAll(async () => {
  const all = testDeps(testEnv(ownTables(uniqueId('triageorder'))));
  await ensureTables(all.ddb, all.tables);
  deps = { ddb: all.ddb, tables: all.tables };
});

const places = {
  a: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A102' },
  b: { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B102' },
};
const minute = (n: number) => new Date(Date.UTC(2026, 3, 7, 2, n)).toISOString();

async function report(n: number, where: keyof typeof places, kind: ReportKind = 'repair') {
  const location = places[where];
  const { report } = await saveReport(deps, {
    reportId: newReportId(),
    placeCode: placeCode(location),
    location,
    kind,
    description: `${kind} ${n}`,
    evidence: [],
    receivedAt: minute(n),
  });
  return report;
}

const ids = (rs: { reportId: string }[]) => rs.map((r) => r.reportId);

describe('the triage queue', () => {
  const repairs: string[] = [];
  const hazards: string[] = [];
  beforeAll(async () => {
    // Nine routine repairs across two buildings, then the hazards: one newest of all, one in
    // between, and one kept as queue rows were before they said their band (placed by its report).
    for (let n = 0; n < 9; n++) repairs.push((await report(n, n % 3 === 0 ? 'b' : 'a')).reportId);
    const legacy = await report(4.5, 'b', 'safety');
    await deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: marshall(opsKey.reportQueue('bldg-b', legacy.receivedAt, legacy.reportId)),
        UpdateExpression: 'REMOVE #f',
        ExpressionAttributeNames: { '#f': 'first' },
      }),
    );
    const middle = await report(6.5, 'a', 'safety');
    const newest = await report(20, 'a', 'safety');
    hazards.push(legacy.reportId, middle.reportId, newest.reportId);
  });

  it('puts safety hazards first, then the rest, each oldest first across the buildings', async () => {
    const page = await triageQueue(deps, ['bldg-a', 'bldg-b'], { limit: 50 });
    expect(ids(page.reports)).toEqual([...hazards, ...repairs]);
    expect(page.total).toBe(12);
    expect(page.next).toBeNull();
  });

  it('keeps that order page by page, the pages running from the hazards into the repairs', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await triageQueue(deps, ['bldg-a', 'bldg-b'], { limit: 2, after });
      seen.push(...ids(page.reports));
      if (page.next) expect(isQueueCursor(page.next)).toBe(true);
      after = page.next ?? undefined;
      pages++;
    } while (after);
    expect(seen).toEqual([...hazards, ...repairs]);
    expect(pages).toBe(6);
    // A page link from before the bands (a received time and an id) goes on among the routine reports.
    const old = `${minute(4)}#${repairs[4]}`;
    expect(isQueueCursor(old)).toBe(true);
    expect(ids((await triageQueue(deps, ['bldg-a', 'bldg-b'], { limit: 50, after: old })).reports)).toEqual(
      repairs.slice(5),
    );
  });

  it('one building alone has its own hazard first', async () => {
    const page = await triageQueue(deps, ['bldg-b'], { limit: 50 });
    expect(ids(page.reports)).toEqual([hazards[0], repairs[0], repairs[3], repairs[6]]);
  });

  it('the sweep finds unchased reports in the same order', async () => {
    expect(ids(await unchasedReports(deps, ['bldg-a', 'bldg-b'], 4, 3))).toEqual([...hazards, repairs[0]]);
  });
});
