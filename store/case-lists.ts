// Longer than most modules because the index choice, the cursor format and the merged staff list must agree on one paging contract.
import { createHash } from 'node:crypto';
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseView, Stage } from '../domain/case-model.ts';
import type { Severity, Source } from '../domain/sla.ts';
import type { Bilingual } from '../domain/text.ts';
import { tableDefinitions } from './tables.ts';
import { viewFromItem } from './case-record-item.ts';
import type { TableNames } from './clients.ts';
import { caseListKey } from './keys.ts';

/**
 * Lists case records through the cases table's indexes (never a scan): the
 * most selective index the filters allow, the other filters as a
 * FilterExpression, pages continued from an opaque cursor bound to the
 * filters it was issued for.
 */
export type CaseIndex = 'byOpened' | 'byBuilding' | 'byAssignee' | 'byResponsible' | 'byStage' | 'byOverdue';

export interface CaseFilters {
  stage?: Stage | undefined;
  buildingId?: string | undefined;
  assigneeId?: string | undefined;
  /** Cases this person is assigned to or responsible for (a staff member's own cases). */
  partyId?: string | undefined;
  overdue?: boolean | undefined;
  severity?: Severity | undefined;
  source?: Source | undefined;
  /** ISO instants: opened at or after `from`, before `to`. */
  from?: string | undefined;
  to?: string | undefined;
  /** Restricts to any of these buildings (a supervisor's scope). */
  buildingIn?: string[] | undefined;
}

export interface ListRequest {
  filters: CaseFilters;
  limit: number;
  cursor?: string | undefined;
  /** A last check in code (read scopes that an expression can't say, e.g. a grid member's rooms). */
  keep?: ((view: CaseView) => boolean) | undefined;
}

export interface ListPage {
  items: CaseView[];
  nextCursor: string | null;
}

/** A cursor this query cannot continue from; `reason` says why (the caller adds what to do). */
export class BadCursorError extends Error {
  override name = 'BadCursorError';
  constructor(readonly reason: Bilingual) {
    super(reason.en);
  }
}

/**
 * How a filter set is served: one index, or (a person's own cases) the
 * assignee and responsible indexes merged by open time.
 */
export type ListPlan = { index: CaseIndex; hashValue: string } | { index: 'party'; personId: string };

/**
 * Where the next page starts. One index: DynamoDB's own key. The merged
 * party list: an open-time bound (open times are unique: they end with the
 * case id), inclusive when an unread item sits exactly there. `q` binds the
 * cursor to the filters it was issued for.
 */
export type Cursor = { q: string } & (
  { i: CaseIndex; k: Record<string, string> } | { i: 'party'; b: string; incl: boolean }
);

const OPENED = 'openedSort';
const PARTY_INDEXES = ['byAssignee', 'byResponsible'] as const;
// A few round trips at most per page: a selective filter returns a short page with a cursor.
const MAX_TRIPS = 8;

const indexDef = (name: CaseIndex) => {
  const ix = tableDefinitions.cases.indexes.find((i) => i.name === name);
  if (!ix) throw new Error(`infra/tables.ts has no index ${name} on the cases table`);
  return ix;
};

/** The index a filter set is served from: the most selective one it names. */
export function chooseIndex(f: CaseFilters): ListPlan {
  if (f.overdue === true) return { index: 'byOverdue', hashValue: caseListKey.overdue };
  if (f.assigneeId) return { index: 'byAssignee', hashValue: f.assigneeId };
  if (f.partyId) return { index: 'party', personId: f.partyId };
  if (f.buildingId) return { index: 'byBuilding', hashValue: f.buildingId };
  if (f.buildingIn && f.buildingIn.length === 1 && f.buildingIn[0])
    return { index: 'byBuilding', hashValue: f.buildingIn[0] };
  if (f.stage) return { index: 'byStage', hashValue: f.stage };
  return { index: 'byOpened', hashValue: caseListKey.allCases };
}

/** A short fingerprint of a filter set: a cursor carries it, so it can't continue another query. */
export function filterHash(f: CaseFilters): string {
  const entries = Object.entries(f)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, Array.isArray(v) ? [...(v as string[])].sort() : v] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 16);
}

const keyAttributes = (index: CaseIndex) => {
  const ix = indexDef(index);
  return [tableDefinitions.cases.hashKey, ix.hashKey, ix.rangeKey];
};

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

const otherFilters = () =>
  new BadCursorError({
    zh: '它属于筛选条件不同的查询（翻页时只有 limit 可以改变）',
    en: 'it was issued for a query with other filters (only limit may change between pages)',
  });

const malformed = { zh: '它的格式不正确', en: 'it is malformed' };

const shortString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 300;

/** Decodes a cursor made by encodeCursor for the same plan and filters; anything else is a BadCursorError. */
export function decodeCursor(cursor: string, plan: ListPlan, hash: string): Cursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new BadCursorError({ zh: '它不是本接口签发的', en: 'it is not one this API issued' });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new BadCursorError(malformed);
  const c = parsed as Record<string, unknown>;
  if (typeof c.q !== 'string' || typeof c.i !== 'string') throw new BadCursorError(malformed);
  if (c.q !== hash || c.i !== plan.index) throw otherFilters();
  if (plan.index === 'party') {
    if (!shortString(c.b) || typeof c.incl !== 'boolean') throw new BadCursorError(malformed);
    return { q: c.q, i: 'party', b: c.b, incl: c.incl };
  }
  const want = keyAttributes(plan.index);
  const k = c.k;
  if (typeof k !== 'object' || k === null) throw new BadCursorError(malformed);
  const key = k as Record<string, unknown>;
  if (Object.keys(key).length !== want.length || !want.every((a) => shortString(key[a]))) {
    throw new BadCursorError(malformed);
  }
  if (key[indexDef(plan.index).hashKey] !== plan.hashValue) throw otherFilters();
  return { q: c.q, i: plan.index, k: key as Record<string, string> };
}

const keyOf = (index: CaseIndex, item: Record<string, AttributeValue>): Record<string, string> => {
  const raw = unmarshall(item) as Record<string, unknown>;
  return Object.fromEntries(keyAttributes(index).map((a) => [a, String(raw[a])]));
};

const sortOf = (item: Record<string, AttributeValue>): string => {
  const v = item[OPENED];
  return v && 'S' in v && v.S !== undefined ? v.S : '';
};

/**
 * DynamoDB's answer to a start key that doesn't fit the query (a hand-made
 * cursor, or one from before a change of filters that hashed the same).
 */
function isStartKeyRejection(err: unknown): boolean {
  return (
    err instanceof Error &&
    err.name === 'ValidationException' &&
    /start(ing)? ?key|ExclusiveStartKey/i.test(err.message)
  );
}

/** One index partition's query: its key (`#h = :h`), and the filters the key doesn't serve. */
class Expression {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  readonly filters: string[] = [];
  /** False when the filters can match nothing (an empty scope). */
  possible = true;

  /** `hashValue`: the index partition read (the person, for byAssignee); `party`: the merged party list. */
  constructor(
    f: CaseFilters,
    private readonly index: CaseIndex,
    hashValue: string,
    party: boolean,
  ) {
    this.names['#h'] = indexDef(index).hashKey;
    this.values[':h'] = hashValue;
    const eq = (attr: string, value: string | undefined, skipFor?: CaseIndex) => {
      if (value === undefined || index === skipFor) return;
      this.names[`#${attr}`] = attr;
      this.values[`:${attr}`] = value;
      this.filters.push(`#${attr} = :${attr}`);
    };
    eq('stage', f.stage, 'byStage');
    eq('buildingId', f.buildingId, 'byBuilding');
    eq('assigneeId', f.assigneeId, 'byAssignee');
    eq('severity', f.severity);
    eq('source', f.source);
    // Served by the merge itself when the plan is the party list. DynamoDB refuses a filter on the
    // queried index's own key: on byAssignee the assignee is known, so only the other half is left.
    if (f.partyId && !party && !(index === 'byAssignee' && hashValue === f.partyId)) {
      this.names['#pR'] = 'responsibleId';
      this.values[':party'] = f.partyId;
      if (index === 'byAssignee') this.filters.push('#pR = :party');
      else {
        this.names['#pA'] = 'assigneeId';
        this.filters.push('(#pA = :party OR #pR = :party)');
      }
    }
    if (f.overdue === false) this.filters.push('attribute_not_exists(overdueFlag)');
    if (f.buildingIn && !(index === 'byBuilding' && f.buildingIn.length === 1)) {
      if (f.buildingIn.length === 0) {
        this.possible = false;
        return;
      }
      this.names['#bIn'] = 'buildingId';
      const placeholders = f.buildingIn.map((b, n) => {
        this.values[`:bIn${n}`] = b;
        return `:bIn${n}`;
      });
      this.filters.push(`#bIn IN (${placeholders.join(', ')})`);
    }
  }

  /** The open-time range as a condition on `openedSort` (key condition or filter). */
  range(lower: string | undefined, upper: { v: string; incl: boolean } | undefined): string | undefined {
    if (!lower && !upper) return undefined;
    this.names['#o'] = OPENED;
    if (lower) this.values[':lo'] = lower;
    if (upper) this.values[':hi'] = upper.v;
    // BETWEEN is inclusive at both ends: an exclusive upper bound's own item is dropped in code.
    if (lower && upper) return '#o BETWEEN :lo AND :hi';
    if (lower) return '#o >= :lo';
    return upper?.incl ? '#o <= :hi' : '#o < :hi';
  }

  /**
   * A query for `want` more cases: with filters (in the expression or in code) some of what is
   * read is dropped, so read more per trip. `range` is the open-time condition, when it is a key one.
   */
  query(
    tables: TableNames,
    opts: { range?: string | undefined; want: number; keep: boolean; forward: boolean },
  ) {
    const filtered = this.filters.length > 0 || opts.keep;
    return {
      TableName: tables.cases,
      IndexName: this.index,
      KeyConditionExpression: opts.range ? `#h = :h AND ${opts.range}` : '#h = :h',
      ...(this.filters.length > 0 ? { FilterExpression: this.filters.join(' AND ') } : {}),
      ExpressionAttributeNames: this.names,
      ExpressionAttributeValues: marshall(this.values),
      ScanIndexForward: opts.forward,
      Limit: Math.min(100, filtered ? opts.want * 3 : opts.want),
    };
  }
}

export async function listCases(
  ddb: DynamoDBClient,
  tables: TableNames,
  req: ListRequest,
): Promise<ListPage> {
  const plan = chooseIndex(req.filters);
  const hash = filterHash(req.filters);
  const cursor = req.cursor ? decodeCursor(req.cursor, plan, hash) : undefined;
  try {
    return plan.index === 'party'
      ? await listParty(ddb, tables, req, plan.personId, hash, cursor?.i === 'party' ? cursor : undefined)
      : await listOne(
          ddb,
          tables,
          req,
          plan,
          hash,
          cursor?.i === plan.index && 'k' in cursor ? cursor.k : undefined,
        );
  } catch (err) {
    if (isStartKeyRejection(err)) {
      throw new BadCursorError({ zh: '它与本次查询不符', en: 'it does not fit this query' });
    }
    throw err;
  }
}

/** One index: DynamoDB's own pagination. */
async function listOne(
  ddb: DynamoDBClient,
  tables: TableNames,
  req: ListRequest,
  plan: { index: CaseIndex; hashValue: string },
  hash: string,
  startAt: Record<string, string> | undefined,
): Promise<ListPage> {
  const { index, hashValue } = plan;
  const f = req.filters;
  const expr = new Expression(f, index, hashValue, false);
  if (!expr.possible) return { items: [], nextCursor: null };
  // The open time is the sort key of every index but byOverdue: there it is a filter.
  let range = expr.range(f.from, f.to ? { v: f.to, incl: false } : undefined);
  if (range && index === 'byOverdue') {
    expr.filters.push(range);
    range = undefined;
  }
  const next = (key: Record<string, string>) => encodeCursor({ q: hash, i: index, k: key });

  let startKey = startAt;
  const items: CaseView[] = [];
  for (let trip = 0; trip < MAX_TRIPS; trip++) {
    const want = req.limit - items.length;
    const out = await ddb.send(
      new QueryCommand({
        ...expr.query(tables, {
          range,
          want,
          keep: req.keep !== undefined,
          // Newest first, except overdue cases: the longest overdue first.
          forward: index === 'byOverdue',
        }),
        ...(startKey ? { ExclusiveStartKey: marshall(startKey) } : {}),
      }),
    );
    const page = out.Items ?? [];
    for (const [n, item] of page.entries()) {
      const view = viewFromItem(item);
      if (req.keep && !req.keep(view)) continue;
      items.push(view);
      if (items.length === req.limit) {
        const more = n < page.length - 1 || out.LastEvaluatedKey !== undefined;
        return { items, nextCursor: more ? next(keyOf(index, item)) : null };
      }
    }
    if (!out.LastEvaluatedKey) return { items, nextCursor: null };
    startKey = unmarshall(out.LastEvaluatedKey) as Record<string, string>;
  }
  return { items, nextCursor: startKey ? next(startKey) : null };
}

/** One of the two index reads of a party list, newest first. */
interface PartyStream {
  index: CaseIndex;
  /** Read but not yet merged. */
  buffer: Record<string, AttributeValue>[];
  lastKey?: Record<string, AttributeValue> | undefined;
  done: boolean;
}

/**
 * A person's own cases: the assignee index and the responsible index, each
 * read newest first and merged by open time, a case in both taken once.
 * Everything newer than the merge point has been taken from both, so a
 * cursor is just that point: no case is repeated or skipped across pages.
 */
async function listParty(
  ddb: DynamoDBClient,
  tables: TableNames,
  req: ListRequest,
  personId: string,
  hash: string,
  after: { b: string; incl: boolean } | undefined,
): Promise<ListPage> {
  const f = req.filters;
  // `to` is an instant and open times are `<instant>#<caseId>`: it never equals one, so its inclusiveness is moot.
  const upper =
    after && (!f.to || after.b < f.to)
      ? { v: after.b, incl: after.incl }
      : f.to
        ? { v: f.to, incl: false }
        : undefined;
  if (upper && f.from && upper.v < f.from) return { items: [], nextCursor: null };

  const streams: PartyStream[] = PARTY_INDEXES.map((index) => ({ index, buffer: [], done: false }));
  const items: CaseView[] = [];
  let trips = 0;
  const fill = async (s: PartyStream) => {
    const expr = new Expression(f, s.index, personId, true);
    if (!expr.possible) {
      s.done = true;
      return;
    }
    const range = expr.range(f.from, upper);
    const want = req.limit - items.length + 1;
    trips++;
    const out = await ddb.send(
      new QueryCommand({
        ...expr.query(tables, { range, want, keep: req.keep !== undefined, forward: false }),
        ...(s.lastKey ? { ExclusiveStartKey: s.lastKey } : {}),
      }),
    );
    const exclusive = upper && !upper.incl ? upper.v : undefined;
    s.buffer.push(...(out.Items ?? []).filter((item) => sortOf(item) !== exclusive));
    s.lastKey = out.LastEvaluatedKey;
    s.done = out.LastEvaluatedKey === undefined;
  };
  /** The highest open time not yet taken from some stream: where the next page starts. */
  const nextCursor = (): string | null => {
    let best: { b: string; incl: boolean } | undefined;
    for (const s of streams) {
      const head = s.buffer[0];
      const at = head
        ? { b: sortOf(head), incl: true }
        : !s.done && s.lastKey
          ? { b: sortOf(s.lastKey), incl: false }
          : undefined;
      if (at && (!best || at.b > best.b || (at.b === best.b && at.incl))) best = at;
    }
    return best ? encodeCursor({ q: hash, i: 'party', ...best }) : null;
  };

  for (;;) {
    const heads = streams.flatMap((s) => (s.buffer[0] ? [sortOf(s.buffer[0])] : []));
    const top = heads.length > 0 ? heads.reduce((a, b) => (b > a ? b : a)) : undefined;
    // A stream must be read further only while it could still hold a case newer than the
    // newest one in hand: never read yet, or stopped above it. The streams are read in
    // rounds, one trip each, so a selective filter on one index cannot spend the whole
    // budget before the other is read (whose newer cases the cursor would then skip).
    const behind = streams.filter(
      (s) => s.buffer.length === 0 && !s.done && (top === undefined || !s.lastKey || sortOf(s.lastKey) > top),
    );
    if (behind.length > 0) {
      if (trips + behind.length > MAX_TRIPS) return { items, nextCursor: nextCursor() };
      for (const s of behind) await fill(s);
      continue;
    }
    if (top === undefined) return { items, nextCursor: null };
    // A case in both indexes (its assignee is also responsible) is taken once.
    let item: Record<string, AttributeValue> | undefined;
    for (const s of streams) if (s.buffer[0] && sortOf(s.buffer[0]) === top) item = s.buffer.shift();
    if (!item) return { items, nextCursor: null };
    const view = viewFromItem(item);
    if (req.keep && !req.keep(view)) continue;
    items.push(view);
    if (items.length === req.limit) return { items, nextCursor: nextCursor() };
  }
}
