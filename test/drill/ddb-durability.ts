import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateTableCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { freePort, localDynamo, startDynamoLocal, type RunningServer } from '../../infra/local/servers.ts';

/**
 * `npx tsx test/drill/ddb-durability.ts [rounds]`: whether file-backed DynamoDB Local (as
 * `npm start` and the drill run it) keeps what it acknowledged across a SIGKILL. Each round
 * writes as fast as it can (plain puts, then two-item transactions like the audit chain's), kills
 * the server mid-stream, starts it again on the same files and counts the acknowledged writes
 * that are gone. Written to explain the crash drill's server-restart run that lost an audit entry
 * (docs/reliability.md); real DynamoDB makes no such loss.
 */
const rounds = Number(process.argv[2] ?? 6);
const dbPath = mkdtempSync(path.join(tmpdir(), 'ddb-durability-'));
const table = 'durability';
const port = await freePort();
const client = localDynamo(`http://127.0.0.1:${port}`);
const start = () => startDynamoLocal({ port, dbPath });
const kill = (s: RunningServer) => {
  if (s.process) process.kill(s.process.pid, 'SIGKILL');
};

async function stored(): Promise<Set<string>> {
  const ids = new Set<string>();
  let key: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: key }));
    for (const it of page.Items ?? []) ids.add(it.id?.S ?? '');
    key = page.LastEvaluatedKey;
  } while (key);
  return ids;
}

let server = await start();
await client.send(
  new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }),
);
const totals = { put: { acked: 0, lost: 0 }, transaction: { acked: 0, lost: 0 } };
for (let round = 0; round < rounds; round++) {
  for (const kind of ['put', 'transaction'] as const) {
    const acked: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const id = `${kind}-${round}-${i}`;
        const item = { id: { S: id } };
        try {
          if (kind === 'put') await client.send(new PutItemCommand({ TableName: table, Item: item }));
          else
            await client.send(
              new TransactWriteItemsCommand({
                TransactItems: [
                  { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(id)' } },
                  { Put: { TableName: table, Item: { id: { S: `${id}-marker` } } } },
                ],
              }),
            );
          acked.push(id);
        } catch {
          return;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1500));
    kill(server);
    stop = true;
    await writer;
    server = await start();
    const have = await stored();
    const lost = acked.filter((id) => !have.has(id));
    totals[kind].acked += acked.length;
    totals[kind].lost += lost.length;
    process.stdout.write(
      `round ${round + 1} ${kind}: ${acked.length} acknowledged, ${lost.length} gone after SIGKILL ${lost.join(' ')}\n`,
    );
  }
}
process.stdout.write(
  `puts: ${totals.put.lost} of ${totals.put.acked} acknowledged gone; transactions: ${totals.transaction.lost} of ${totals.transaction.acked} gone\n`,
);
kill(server);
rmSync(dbPath, { recursive: true, force: true });
process.exit(0);
