import {
  BatchGetItemCommand,
  type AttributeValue,
  type BatchGetItemCommandOutput,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseView } from '../domain/case-model.ts';
import { mergeTallies, tallyCases, type KpiTally } from '../domain/kpi.ts';
import { rangeParts } from '../domain/kpi-weeks.ts';
import { casesOpenedBetween, saveTally, settledTallyOf, type StoreDeps } from './digests.ts';
import { opsKey } from './keys.ts';

/** A building's id, or undefined for the whole campus. */
export type TallyScope = string | undefined;

export interface RangeTally {
  tally: KpiTally;
  /** Whole weeks read from stored counters. */
  weeksFromCounters: number;
  /** Whole weeks and partial edges read from the cases index. */
  partsComputed: number;
}

/**
 * The cohorts one request reads, each part [from, to) of one scope read once however many tallies
 * (the period's, the year's, the weekly trend's) ask for it. Made per request: it keeps what it read.
 */
export interface CohortReads {
  read(from: string, to: string, scope: TallyScope): Promise<CaseView[]>;
}

export function cohortReads(store: StoreDeps): CohortReads {
  const seen = new Map<string, Promise<CaseView[]>>();
  return {
    read(from, to, scope) {
      const key = `${scope ?? '*'}|${from}|${to}`;
      let views = seen.get(key);
      if (!views) {
        views = casesOpenedBetween(store, { from, to, buildingId: scope });
        seen.set(key, views);
        // A failed read is not kept: the next ask reads again.
        views.catch(() => seen.delete(key));
      }
      return views;
    },
  };
}

const BATCH_GET_KEYS = 100;

/** The settled stored tallies of these (scope, week) pairs, by `scope|week`: batched reads, not one each. */
async function settledTallies(
  store: StoreDeps,
  wanted: { scope: TallyScope; week: string }[],
): Promise<Map<string, KpiTally>> {
  const found = new Map<string, KpiTally>();
  const batches: Record<string, AttributeValue>[][] = [];
  for (let i = 0; i < wanted.length; i += BATCH_GET_KEYS)
    batches.push(wanted.slice(i, i + BATCH_GET_KEYS).map((w) => marshall(opsKey.kpiTally(w.scope, w.week))));
  await Promise.all(
    batches.map(async (keys) => {
      let pending: KeysAndAttributes | undefined = { Keys: keys };
      for (let attempt = 0; pending?.Keys?.length; attempt++) {
        if (attempt > 8) throw new Error(`DynamoDB left ${pending.Keys.length} tally reads unprocessed`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out: BatchGetItemCommandOutput = await store.ddb.send(
          new BatchGetItemCommand({ RequestItems: { [store.tables.ops]: pending } }),
        );
        for (const item of out.Responses?.[store.tables.ops] ?? []) {
          const tally = settledTallyOf(item);
          const row = unmarshall(item) as { pk: string; sk: string };
          if (tally) found.set(`${row.pk}|${row.sk}`, tally);
        }
        pending = out.UnprocessedKeys?.[store.tables.ops];
      }
    }),
  );
  return found;
}

const counterKey = (scope: TallyScope, week: string) => {
  const k = opsKey.kpiTally(scope, week);
  return `${k.pk}|${k.sk}`;
};

/**
 * The KPI tally of cases opened in [from, to) for each scope asked (the campus, buildings), in the
 * order asked, read once for all (tallyForRange is its one-scope case). Whole weeks that are over
 * come from the stored counters when settled (read in batches); any other part is read from the
 * cases index once for every scope (the campus's cases, each building's taken from them) and a
 * week that is over and found settled is stored for next time.
 */
export async function tallyForScopes(
  store: StoreDeps,
  range: { from: string; to: string; timeZone: string },
  scopes: readonly TallyScope[],
  opts: { now?: Date | undefined; cohorts?: CohortReads | undefined } = {},
): Promise<RangeTally[]> {
  const now = opts.now ?? new Date();
  const cohorts = opts.cohorts ?? cohortReads(store);
  const asked = [...new Set(scopes)];
  // One building alone reads its own index partition; anything more reads the campus once.
  const readScope: TallyScope = asked.length === 1 ? asked[0] : undefined;
  const parts = rangeParts(range, now);
  const counters = await settledTallies(
    store,
    parts.flatMap((p) => (p.week ? asked.map((scope) => ({ scope, week: p.week! })) : [])),
  );
  const perPart = await Promise.all(
    parts.map(async (p) => {
      const byScope = new Map<TallyScope, { tally: KpiTally; fromCounter: boolean }>();
      for (const scope of asked) {
        const stored = p.week ? counters.get(counterKey(scope, p.week)) : undefined;
        if (stored) byScope.set(scope, { tally: stored, fromCounter: true });
      }
      const missing = asked.filter((scope) => !byScope.has(scope));
      if (missing.length === 0) return byScope;
      const views = await cohorts.read(p.from, p.to, readScope);
      await Promise.all(
        missing.map(async (scope) => {
          const mine = scope === readScope ? views : views.filter((v) => v.location.buildingId === scope);
          // Clocks of open cases are judged now; a settled week's are judged at each case's close.
          const tally = tallyCases(mine, now.getTime());
          if (p.week && tally.open === 0) await saveTally(store, p.week, scope, tally, true);
          byScope.set(scope, { tally, fromCounter: false });
        }),
      );
      return byScope;
    }),
  );
  return scopes.map((scope) => {
    const done = perPart.map((m) => m.get(scope)!);
    return {
      tally: mergeTallies(done.map((d) => d.tally)),
      weeksFromCounters: done.filter((d) => d.fromCounter).length,
      partsComputed: done.filter((d) => !d.fromCounter).length,
    };
  });
}
