import {
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

interface Page {
  Items?: Item[] | undefined;
  LastEvaluatedKey?: Item | undefined;
}

async function* paginate(fetch: (start: Item | undefined) => Promise<Page>): AsyncGenerator<Item[]> {
  let start: Item | undefined;
  do {
    const page = await fetch(start);
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * The pages of a Query (Rectify reads by key and index only; nothing scans a
 * table, so there is no Scan counterpart), one round trip each, continued from DynamoDB's own
 * `LastEvaluatedKey` until it has no more. Stopping the loop early (a `break`
 * or `return` in `for await`) reads no further pages.
 */
export function queryPages(ddb: DynamoDBClient, input: QueryCommandInput): AsyncGenerator<Item[]> {
  return paginate((start) => ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
}

/** Every item a Query returns, one by one across pages. */
export async function* queryItems(ddb: DynamoDBClient, input: QueryCommandInput): AsyncGenerator<Item> {
  for await (const page of queryPages(ddb, input)) yield* page;
}

/** Every item a Query returns, read into memory: for partitions known to be small. */
export async function queryAll(ddb: DynamoDBClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(ddb, input)) items.push(...page);
  return items;
}
