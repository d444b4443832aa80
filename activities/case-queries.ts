import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseView, Stage } from '../domain/case-model.ts';
import type { Severity, Source } from '../domain/sla.ts';
import { tableDefinitions } from '../infra/tables.ts';
import { viewFromItem } from './case-record.ts';
import type { TableNames } from './clients.ts';

/**
 * Lists case records through the cases table's indexes (never a scan): the
 * most selective index the filters allow, the other filters as a
 * FilterExpression, pages continued from an opaque cursor.
 */
export type CaseIndex = 'byOpened' | 'byBuilding' | 'byAssignee' | 'byStage' | 'byOverdue';

export interface CaseFilters {
  stage?: Stage | undefined;
  buildingId?: string | undefined;
  assigneeId?: string | undefined;
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

export class BadCursorError extends Error {
  override name = 'BadCursorError';
}

const indexDef = (name: CaseIndex) => {
  const ix = tableDefinitions.cases.indexes.find((i) => i.name === name);
  if (!ix) throw new Error(`infra/tables.ts has no index ${name} on the cases table`);
  return ix;
};

/** The index a filter set is served from: the most selective one it names. */
export function chooseIndex(f: CaseFilters): { index: CaseIndex; hashValue: string } {
  if (f.overdue === true) return { index: 'byOverdue', hashValue: 'Y' };
  if (f.assigneeId) return { index: 'byAssignee', hashValue: f.assigneeId };
  if (f.buildingId) return { index: 'byBuilding', hashValue: f.buildingId };
  if (f.buildingIn && f.buildingIn.length === 1 && f.buildingIn[0])
    return { index: 'byBuilding', hashValue: f.buildingIn[0] };
  if (f.stage) return { index: 'byStage', hashValue: f.stage };
  return { index: 'byOpened', hashValue: 'CASE' };
}

const keyAttributes = (index: CaseIndex) => {
  const ix = indexDef(index);
  return [tableDefinitions.cases.hashKey, ix.hashKey, ix.rangeKey];
};

export function encodeCursor(index: CaseIndex, key: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ i: index, k: key }), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor for the same index; anything else is a BadCursorError. */
export function decodeCursor(cursor: string, index: CaseIndex): Record<string, string> {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new BadCursorError('the cursor is not one this API issued');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new BadCursorError('the cursor is malformed');
  const { i, k } = parsed as { i?: unknown; k?: unknown };
  if (i !== index)
    throw new BadCursorError('the cursor belongs to a query with other filters: keep the same filters');
  const want = keyAttributes(index);
  if (typeof k !== 'object' || k === null) throw new BadCursorError('the cursor is malformed');
  const entries = Object.entries(k as Record<string, unknown>);
  if (
    entries.length !== want.length ||
    !want.every((a) => {
      const v = (k as Record<string, unknown>)[a];
      return typeof v === 'string' && v.length > 0 && v.length <= 300;
    })
  ) {
    throw new BadCursorError('the cursor is malformed');
  }
  return k as Record<string, string>;
}

const keyOf = (index: CaseIndex, item: Record<string, AttributeValue>): Record<string, string> => {
  const raw = unmarshall(item) as Record<string, unknown>;
  return Object.fromEntries(keyAttributes(index).map((a) => [a, String(raw[a])]));
};

export async function listCases(
  ddb: DynamoDBClient,
  tables: TableNames,
  req: ListRequest,
): Promise<ListPage> {
  const f = req.filters;
  const { index, hashValue } = chooseIndex(f);
  const ix = indexDef(index);
  const names: Record<string, string> = { '#h': ix.hashKey };
  const values: Record<string, unknown> = { ':h': hashValue };
  let keyCondition = '#h = :h';
  const filters: string[] = [];
  const eq = (attr: string, value: string | undefined, skipFor?: CaseIndex) => {
    if (value === undefined || index === skipFor) return;
    names[`#${attr}`] = attr;
    values[`:${attr}`] = value;
    filters.push(`#${attr} = :${attr}`);
  };
  eq('stage', f.stage, 'byStage');
  eq('buildingId', f.buildingId, 'byBuilding');
  eq('assigneeId', f.assigneeId, 'byAssignee');
  eq('severity', f.severity);
  eq('source', f.source);
  if (f.overdue === false) filters.push('attribute_not_exists(overdueFlag)');
  if (f.buildingIn && !(index === 'byBuilding' && f.buildingIn.length === 1)) {
    if (f.buildingIn.length === 0) return { items: [], nextCursor: null };
    names['#bIn'] = 'buildingId';
    const placeholders = f.buildingIn.map((b, n) => {
      values[`:bIn${n}`] = b;
      return `:bIn${n}`;
    });
    filters.push(`#bIn IN (${placeholders.join(', ')})`);
  }
  // The open time is the sort key of every index but byOverdue: there it is a key condition.
  if (f.from || f.to) {
    const cond = f.from && f.to ? '#o BETWEEN :from AND :to' : f.from ? '#o >= :from' : '#o < :to';
    names['#o'] = 'openedSort';
    if (f.from) values[':from'] = f.from;
    if (f.to) values[':to'] = f.to;
    if (index === 'byOverdue') filters.push(cond);
    else keyCondition += ` AND ${cond}`;
  }

  let startKey: Record<string, string> | undefined = req.cursor ? decodeCursor(req.cursor, index) : undefined;
  const items: CaseView[] = [];
  // A few round trips at most per page: a selective filter returns a short page with a cursor.
  for (let trip = 0; trip < 8; trip++) {
    const want = req.limit - items.length;
    const out = await ddb.send(
      new QueryCommand({
        TableName: tables.cases,
        IndexName: index,
        KeyConditionExpression: keyCondition,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: marshall(values),
        // Newest first, except overdue cases: the longest overdue first.
        ScanIndexForward: index === 'byOverdue',
        Limit: Math.min(100, filters.length > 0 || req.keep ? want * 3 : want),
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
        return { items, nextCursor: more ? encodeCursor(index, keyOf(index, item)) : null };
      }
    }
    if (!out.LastEvaluatedKey) return { items, nextCursor: null };
    startKey = unmarshall(out.LastEvaluatedKey) as Record<string, string>;
  }
  return { items, nextCursor: startKey ? encodeCursor(index, startKey) : null };
}
