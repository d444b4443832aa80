import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableNames } from '../store/clients.ts';
import { caseListKey, opsPartition } from '../store/keys.ts';
import { queryItems } from '../store/paginate.ts';

/**
 * Read paths shared by the anchor job, verification and export. Cases are
 * enumerated through the cases table's indexes (one partition per page),
 * chains read per case by key: nothing here scans the audit table.
 */

export interface PeriodFilter {
  /** ISO instants: opened at or after `from`, before `to`. */
  from?: string | undefined;
  to?: string | undefined;
  buildingId?: string | undefined;
}

/** Case ids (oldest first) from byOpened, or byBuilding when a building is given. */
export async function* caseIds(
  ddb: DynamoDBClient,
  tables: TableNames,
  filter: PeriodFilter = {},
): AsyncGenerator<string> {
  const byBuilding = filter.buildingId !== undefined;
  const names: Record<string, string> = { '#h': byBuilding ? 'buildingId' : 'listPk' };
  const values: Record<string, string> = {
    ':h': byBuilding ? (filter.buildingId as string) : caseListKey.allCases,
  };
  let condition = '#h = :h';
  if (filter.from !== undefined || filter.to !== undefined) names['#o'] = 'openedSort';
  // openedSort is `${openedAt}#${caseId}`: a bare instant sorts just before every case opened at it.
  if (filter.from !== undefined && filter.to !== undefined) {
    condition += ' AND #o BETWEEN :from AND :to';
    values[':from'] = filter.from;
    values[':to'] = filter.to;
  } else if (filter.from !== undefined) {
    condition += ' AND #o >= :from';
    values[':from'] = filter.from;
  } else if (filter.to !== undefined) {
    condition += ' AND #o < :to';
    values[':to'] = filter.to;
  }
  for await (const item of queryItems(ddb, {
    TableName: tables.cases,
    IndexName: byBuilding ? 'byBuilding' : 'byOpened',
    KeyConditionExpression: condition,
    ExpressionAttributeNames: { ...names, '#c': 'caseId' },
    ExpressionAttributeValues: marshall(values),
    ProjectionExpression: '#c',
  }))
    yield (unmarshall(item) as { caseId: string }).caseId;
}

/**
 * Maps over an async source with at most `limit` calls in flight, yielding
 * results in completion order. Pulls from the source only as slots free up,
 * so a long enumeration is never held in memory twice.
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const iterator =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
      : toAsync((source as Iterable<T>)[Symbol.iterator]());
  // Settled wrappers: a failure surfaces once, the other calls in flight never reject unobserved.
  type Settled = { id: number; ok: true; result: R } | { id: number; ok: false; error: unknown };
  const running = new Map<number, Promise<Settled>>();
  let nextId = 0;
  let exhausted = false;
  const fill = async () => {
    while (!exhausted && running.size < limit) {
      const step = await iterator.next();
      if (step.done) {
        exhausted = true;
        return;
      }
      const id = nextId++;
      running.set(
        id,
        fn(step.value).then(
          (result): Settled => ({ id, ok: true, result }),
          (error: unknown): Settled => ({ id, ok: false, error }),
        ),
      );
    }
  };
  await fill();
  while (running.size > 0) {
    const settled = await Promise.race(running.values());
    running.delete(settled.id);
    if (!settled.ok) throw settled.error;
    yield settled.result;
    await fill();
  }
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return { next: () => Promise.resolve(it.next()) };
}

/**
 * stepId → seq of every step appended to a case's chain, from appendAudit's
 * idempotency rows in the ops table (one partition per case, sk the step id):
 * how a workflow's recorded step is matched to the entry it wrote.
 */
export async function stepSeqs(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
): Promise<Map<string, number>> {
  const seqs = new Map<string, number>();
  for await (const item of queryItems(ddb, {
    TableName: tables.ops,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: marshall({ ':p': opsPartition.auditSteps(caseId) }),
    ConsistentRead: true,
  })) {
    const row = unmarshall(item) as { sk: string; seq: number };
    seqs.set(row.sk, row.seq);
  }
  return seqs;
}
