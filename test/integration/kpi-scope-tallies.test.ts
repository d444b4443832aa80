import { beforeAll, describe, expect, it } from 'vitest';
import { kpiFigures, kpiFiguresOf } from '../../api/kpi-figures.ts';
import type { Directory } from '../../domain/directory.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { batchWrite } from '../../store/batch-write.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { cohortReads, tallyForScopes, type TallyScope } from '../../store/kpi-scope-tallies.ts';
import { tallyForRange } from '../../store/kpi-tallies.ts';
import { demoDirectory, ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { view } from '../support/views.ts';

/**
 * The dashboard's figures for the campus and each building at once (tallyForScopes,
 * kpiFiguresOf) are the figures each scope gets asked alone (tallyForRange, kpiFigures), from
 * one read of the cases: stored weekly counters, live parts and a mix of the two alike.
 */
const env = testEnv(ownTables(uniqueId('kpiscopes')));
const deps = testDeps(env);
const store = { ddb: deps.ddb, tables: deps.tables };
const tz = env.CAMPUS_TZ;
const now = new Date('2026-03-20T04:00:00.000Z');
const range = { from: '2026-01-01T00:00:00.000+08:00', to: '2026-03-21T00:00:00.000+08:00', timeZone: tz };
let dir: Directory;
let caseQueries = 0;

const places = [
  { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
  { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' },
  { buildingId: 'area-laundry' },
  { buildingId: 'area-canteen-1' },
];

beforeAll(async () => {
  await ensureTables(deps.ddb, deps.tables);
  dir = await demoDirectory();
  // Eleven weeks of cases, one every 13 hours: the early ones all closed (their weeks settle),
  // the later ones partly open; repairs, complaints and inspections, met and breached deadlines.
  const views = Array.from({ length: 140 }, (_, i) => {
    const openedAt = new Date(Date.parse('2026-01-02T03:00:00.000Z') + i * 13 * 3_600_000).toISOString();
    const open = i > 90 && i % 3 === 0;
    return view({
      caseId: `ZG-2026-${String(800_000 + i).padStart(6, '0')}`,
      openedAt,
      // Uneven shares (3, 2, 1 and 1 in 7), so each scope's figures differ.
      location: places[[0, 0, 0, 1, 1, 2, 3][i % 7]!]!,
      source: (['repair', 'complaint', 'inspection'] as const)[i % 3]!,
      stage: open ? 'rectifying' : 'closed',
      ...(open ? {} : { closedAt: new Date(Date.parse(openedAt) + 20 * 3_600_000).toISOString() }),
      deadlines: [['rectifying', i % 4 === 0 ? 'breached' : open ? 'pending' : 'met', 3]],
      ...(open ? {} : { score: (i % 5) + 1 }),
    });
  });
  await batchWrite(
    deps.ddb,
    deps.tables.cases,
    views.map((v) => ({ PutRequest: { Item: caseRecordItem(v) } })),
  );
  deps.ddb.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TableName?: string; IndexName?: string };
      if (input.TableName === deps.tables.cases && input.IndexName) caseQueries++;
      return next(args);
    },
    { step: 'initialize', name: 'countCaseQueries' },
  );
});

const alone = (scopes: readonly TallyScope[]) =>
  Promise.all(scopes.map((buildingId) => tallyForRange(store, { ...range, buildingId }, now)));

describe('the tallies of several scopes read at once', () => {
  const scopes: TallyScope[] = [undefined, 'bldg-a', 'bldg-b', 'area-laundry'];

  it('are each scope’s own tally, read from the cases once for all of them', async () => {
    caseQueries = 0;
    const together = await tallyForScopes(store, range, scopes, { now });
    // Nothing stored yet: every part read from the index once (the campus's), never per building.
    expect(together[0]!.weeksFromCounters).toBe(0);
    expect(caseQueries).toBe(together[0]!.partsComputed);
    const each = await alone(scopes);
    // The building figures differ from one another and from the campus's: the test has teeth.
    expect(new Set(together.map((t) => t.tally.cases)).size).toBe(scopes.length);
    together.forEach((t, i) => expect(t.tally).toEqual(each[i]!.tally));

    // Asked again: the settled weeks come from the counters stored the first time, as alone.
    const again = await tallyForScopes(store, range, scopes, { now });
    expect(again[1]!.weeksFromCounters).toBeGreaterThan(0);
    expect(again).toEqual(await alone(scopes));
  });

  it('mix a campus counter with a building read live when only the campus was counted', async () => {
    const mixed = await tallyForScopes(store, range, [undefined, 'area-canteen-1'], { now });
    expect(mixed[0]!.weeksFromCounters).toBeGreaterThan(0);
    expect(mixed[1]!.weeksFromCounters).toBe(0);
    const [, canteen] = await alone([undefined, 'area-canteen-1']);
    expect(mixed[1]!.tally).toEqual(canteen!.tally);
  });

  it('share the reads of one request across ranges (the period, the year, the weekly trend)', async () => {
    const cohorts = cohortReads(store);
    // A whole week of the year with open cases (so no counter): the trend reads it live too.
    const week = { from: '2026-03-02T00:00:00.000+08:00', to: '2026-03-09T00:00:00.000+08:00', timeZone: tz };
    await tallyForScopes(store, range, [undefined], { now, cohorts });
    caseQueries = 0;
    await tallyForScopes(store, week, [undefined], { now, cohorts });
    expect(caseQueries).toBe(0);
  });
});

describe('the KPI figures of the campus and every building at once', () => {
  it('are the figures each gets asked alone', async () => {
    const period = { from: '2026-02-20T00:00:00.000+08:00', to: '2026-03-21T00:00:00.000+08:00', days: 29 };
    const appDeps = { aws: deps, env };
    const scopes: TallyScope[] = [undefined, ...dir.buildings.map((b) => b.id)];
    const together = await kpiFiguresOf(appDeps, dir, period, scopes);
    const each = await Promise.all(scopes.map((b) => kpiFigures(appDeps, dir, period, b)));
    const strip = (f: (typeof together)[number]) => ({ ...f, source: undefined, complaintYear: undefined });
    together.forEach((f, i) => expect(strip(f)).toEqual(strip(each[i]!)));
    expect(together[0]!.cases).toBeGreaterThan(together[1]!.cases);
  });
});
