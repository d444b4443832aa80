import { beforeAll, describe, expect, it } from 'vitest';
import { kpiFigures, kpiFiguresOf } from '../../api/kpi-figures.ts';
import type { CaseView } from '../../domain/case-model.ts';
import type { Directory } from '../../domain/directory.ts';
import { mergeTallies, tallyCases, type KpiTally } from '../../domain/kpi.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { batchWrite } from '../../store/batch-write.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { saveTally } from '../../store/digests.ts';
import { cohortReads, tallyForScopes, type TallyScope } from '../../store/kpi-scope-tallies.ts';
import { tallyForRange } from '../../store/kpi-tallies.ts';
import { demoDirectory, ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { view } from '../support/views.ts';

/**
 * A range's KPI tally, cut into weeks (settled ones from stored counters, the rest and the edges
 * from the cases index), is the tally of every case opened in it counted at once; for the campus
 * and each building at once (tallyForScopes, kpiFiguresOf) from one read of the cases, and for one
 * scope (tallyForRange, kpiFigures).
 */
const env = testEnv(ownTables(uniqueId('kpiscopes')));
const deps = testDeps(env);
const store = { ddb: deps.ddb, tables: deps.tables };
const tz = env.CAMPUS_TZ;
const now = new Date('2026-03-20T04:00:00.000Z');
// 1 January to 21 March, campus time (UTC+8).
const range = { from: '2025-12-31T16:00:00.000Z', to: '2026-03-20T16:00:00.000Z', timeZone: tz };
let dir: Directory;
let seeded: CaseView[] = [];
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
  seeded = Array.from({ length: 140 }, (_, i) => {
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
    seeded.map((v) => ({ PutRequest: { Item: caseRecordItem(v) } })),
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

/** Close durations in a fixed order: a merged tally lists them part by part. */
const sorted = (t: KpiTally): KpiTally => ({
  ...t,
  closeDurationsMs: [...t.closeDurationsMs].sort((a, b) => a - b),
});

/** The tally of every seeded case opened in [from, to) in the scope, counted at once (no weeks). */
function truth(r: { from: string; to: string }, scope: TallyScope, at: Date = now): KpiTally {
  const mine = seeded.filter(
    (v) =>
      Date.parse(v.openedAt) >= Date.parse(r.from) &&
      Date.parse(v.openedAt) < Date.parse(r.to) &&
      (scope === undefined || v.location.buildingId === scope),
  );
  // Merged from one tally, so it has the shape a merged one has.
  return sorted(mergeTallies([tallyCases(mine, at.getTime())]));
}

describe('the tallies of several scopes read at once', () => {
  const scopes: TallyScope[] = [undefined, 'bldg-a', 'bldg-b', 'area-laundry'];

  it('are each scope’s own tally, read from the cases once for all of them', async () => {
    caseQueries = 0;
    const together = await tallyForScopes(store, range, scopes, { now });
    // Nothing stored yet: every part read from the index once (the campus's), never per building.
    expect(together[0]!.weeksFromCounters).toBe(0);
    expect(caseQueries).toBe(together[0]!.partsComputed);
    // The building figures differ from one another and from the campus's: the test has teeth.
    expect(new Set(together.map((t) => t.tally.cases)).size).toBe(scopes.length);
    together.forEach((t, i) => expect(sorted(t.tally)).toEqual(truth(range, scopes[i])));

    // Asked again: the settled weeks come from the counters stored the first time.
    const again = await tallyForScopes(store, range, scopes, { now });
    expect(again[1]!.weeksFromCounters).toBeGreaterThan(0);
    again.forEach((t, i) => expect(sorted(t.tally)).toEqual(truth(range, scopes[i])));
  });

  it('mix a campus counter with a building read live when only the campus was counted', async () => {
    const mixed = await tallyForScopes(store, range, [undefined, 'area-canteen-1'], { now });
    expect(mixed[0]!.weeksFromCounters).toBeGreaterThan(0);
    expect(mixed[1]!.weeksFromCounters).toBe(0);
    expect(sorted(mixed[0]!.tally)).toEqual(truth(range, undefined));
    expect(sorted(mixed[1]!.tally)).toEqual(truth(range, 'area-canteen-1'));
  });

  it('share the reads of one request across ranges (the period, the year, the weekly trend)', async () => {
    const cohorts = cohortReads(store);
    // A whole week of the year with open cases (so no counter): the trend reads it live too.
    const week = { from: '2026-03-01T16:00:00.000Z', to: '2026-03-08T16:00:00.000Z', timeZone: tz };
    await tallyForScopes(store, range, [undefined], { now, cohorts });
    caseQueries = 0;
    await tallyForScopes(store, week, [undefined], { now, cohorts });
    expect(caseQueries).toBe(0);
  });
});

describe('the tally of one scope over a range (tallyForRange)', () => {
  const scopes: TallyScope[] = [undefined, 'bldg-a', 'area-laundry'];
  const tallies = (r: { from: string; to: string }, scope: TallyScope, at: Date = now) =>
    tallyForRange(store, { ...r, buildingId: scope, timeZone: tz }, at);

  it('is every case opened in a range that starts and ends mid-week, the weeks stored once settled', async () => {
    // Wednesday 14 January 12:00 to Thursday 19 February 15:00: 2026-W04 to W07 whole, all closed.
    const r = { from: '2026-01-14T04:00:00.000Z', to: '2026-02-19T07:00:00.000Z' };
    // Both edges hold campus cases of their own: leaving one out, or counting a week twice, shows.
    expect(truth({ from: r.from, to: '2026-01-18T16:00:00.000Z' }, undefined).cases).toBeGreaterThan(0);
    expect(truth({ from: '2026-02-15T16:00:00.000Z', to: r.to }, undefined).cases).toBeGreaterThan(0);
    for (const scope of scopes) {
      const first = await tallies(r, scope);
      expect(sorted(first.tally)).toEqual(truth(r, scope));
      const again = await tallies(r, scope);
      expect(again).toMatchObject({ weeksFromCounters: 4, partsComputed: 2 });
      expect(sorted(again.tally)).toEqual(truth(r, scope));
    }
  });

  it('over a closed week and an open one: the closed one from its counter, the open one from the index', async () => {
    // 2026-W07 (every case closed) and 2026-W08 (a case opened on the 21st still open).
    const r = { from: '2026-02-08T16:00:00.000Z', to: '2026-02-22T16:00:00.000Z' };
    expect(truth({ from: '2026-02-15T16:00:00.000Z', to: r.to }, undefined).open).toBeGreaterThan(0);
    await tallies(r, undefined);
    const again = await tallies(r, undefined);
    expect(again).toMatchObject({ weeksFromCounters: 1, partsComputed: 1 });
    expect(sorted(again.tally)).toEqual(truth(r, undefined));
  });

  it('reads a week not yet over from the index, whatever is stored for it, and stores it once over', async () => {
    // 2026-W12, asked on its Friday: the canteen's cases of it are all closed, yet more may open.
    const r = { from: '2026-03-15T16:00:00.000Z', to: '2026-03-22T16:00:00.000Z' };
    const canteen: TallyScope = 'area-canteen-1';
    expect(truth(r, canteen)).toMatchObject({ open: 0, cases: 1 });
    // A settled counter stored for the campus's week before it was over is not taken.
    await saveTally(store, '2026-W12', undefined, tallyCases([]), true);
    for (const scope of [undefined, canteen]) {
      for (let i = 0; i < 2; i++) {
        const t = await tallies(r, scope);
        expect(t).toMatchObject({ weeksFromCounters: 0, partsComputed: 1 });
        expect(sorted(t.tally)).toEqual(truth(r, scope));
      }
    }
    // Once over (with the margin), the canteen's settled week is stored, then read back.
    const monday = new Date('2026-03-22T17:00:00.000Z');
    expect(await tallies(r, canteen, monday)).toMatchObject({ weeksFromCounters: 0, partsComputed: 1 });
    const stored = await tallies(r, canteen, monday);
    expect(stored).toMatchObject({ weeksFromCounters: 1, partsComputed: 0 });
    expect(sorted(stored.tally)).toEqual(truth(r, canteen, monday));
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
