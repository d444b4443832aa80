import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { batchWrite } from '../../store/batch-write.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { openCasesIn } from '../../store/open-cases.ts';
import { newReportId, saveReport } from '../../store/reports.ts';
import { createSession } from '../../store/sessions.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { view, type ViewSpec } from '../support/views.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The merge targets a triage card offers: every open case at the report's place and of its kind,
 * however many newer cases the building has (the building's ended cases are never read through).
 * Own tables, so the building's cases are only this file's.
 */
const tables = ownTables(uniqueId('triagedup'));
let s: ApiStack;

beforeAll(async () => {
  const deps = testDeps(testEnv(tables));
  await ensureTables(deps.ddb, deps.tables);
  s = await startApiStack({}, { ...tables });
});
afterAll(async () => {
  await s?.stop();
});

const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const caseNo = (n: number) => `ZG-2026-${String(700_000 + n).padStart(6, '0')}`;
const day = (n: number) => new Date(Date.parse('2026-03-01T02:00:00.000Z') + n * 3_600_000).toISOString();

const cleanliness = (n: number, over: Partial<ViewSpec>) =>
  view({
    caseId: caseNo(n),
    openedAt: day(n),
    source: 'inspection',
    category: 'cleanliness',
    location: A101,
    title: `卫生 ${n}`,
    ...over,
  });

describe('likely duplicates on a triage card', () => {
  // An open case at the place, opened long before 500 newer cases of the building that have ended.
  const old = cleanliness(0, { stage: 'rectifying' });
  const ended = Array.from({ length: 500 }, (_, i) =>
    cleanliness(10 + i, { stage: i % 7 === 0 ? 'withdrawn' : 'closed' }),
  );
  // Newer and open, but not the report's place or kind: never offered.
  const otherRoom = cleanliness(600, { stage: 'rectifying', location: { ...A101, roomId: 'A102' } });
  const wholeBuilding = cleanliness(601, { stage: 'detected', location: { buildingId: 'bldg-a' } });
  const otherKind = cleanliness(602, { stage: 'analysing', category: 'repair', source: 'repair' });
  const otherBuilding = cleanliness(603, {
    stage: 'rectifying',
    location: { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' },
  });
  // The newest of all, open at the place: offered first.
  const newest = cleanliness(700, { stage: 'follow_up' });

  beforeAll(async () => {
    const all = [old, ...ended, otherRoom, wholeBuilding, otherKind, otherBuilding, newest];
    await batchWrite(
      s.deps.aws.ddb,
      s.deps.aws.tables.cases,
      all.map((v) => ({ PutRequest: { Item: caseRecordItem(v) } })),
    );
    await saveReport(s.deps.aws, {
      reportId: newReportId(),
      placeCode: placeCode(A101),
      location: A101,
      kind: 'cleanliness',
      description: '走廊垃圾未清',
      evidence: [],
      receivedAt: day(800),
    });
  });

  it('offers an old open case behind hundreds of newer ended ones, newest first, and nothing else', async () => {
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const res = await s.app.request('/app/triage', { headers: { cookie: `rectify_session=${sess.id}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const offered = [...html.matchAll(/<option value="(ZG-\d{4}-\d{6})"/g)].map((m) => m[1]);
    expect(offered).toEqual([newest.caseId, old.caseId]);
    expect(html).toContain('并入已有案件（可能重复）');
  });

  it('reads the open cases of the buildings asked, newest first, and no ended one', async () => {
    const open = await openCasesIn(s.deps.aws.ddb, s.deps.aws.tables, ['bldg-a', 'bldg-a']);
    expect(open.map((v) => v.caseId)).toEqual(
      [newest, otherKind, wholeBuilding, otherRoom, old].map((v) => v.caseId),
    );
    const both = await openCasesIn(s.deps.aws.ddb, s.deps.aws.tables, ['bldg-b', 'bldg-a']);
    expect(both.map((v) => v.caseId)).toContain(otherBuilding.caseId);
    expect(both).toHaveLength(6);
    expect(await openCasesIn(s.deps.aws.ddb, s.deps.aws.tables, ['area-laundry'])).toEqual([]);
  });
});
