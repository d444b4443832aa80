import { DescribeTimeToLiveCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../infra/local/servers.ts';
import { claimIdempotencyKey } from '../../store/idempotency.ts';
import { opsKey, outboxScope, type OpsKey } from '../../store/keys.ts';
import { issueLink } from '../../store/links.ts';
import { sendOnce } from '../../store/outbox.ts';
import { testDeps, testEnv, TEST_SIGNING_KEYS, uniqueId, ownTables } from '../support/stack.ts';

/**
 * The ops table keeps what must stay (case numbers, calendar versions, tallies) beside rows that
 * are only needed for a while. Those carry `expiresAtEpoch` and the table's TTL takes them, so
 * the table does not grow for ever. Own tables: TTL is turned on by ensureTables.
 */
const prefix = uniqueId('ttl');
const env = testEnv({
  ...ownTables(prefix),
});
const deps = testDeps(env);
const DAY = 86_400;

beforeAll(async () => {
  await ensureTables(deps.ddb, deps.tables);
});

async function opsRow(key: OpsKey) {
  const out = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: marshall(key), ConsistentRead: true }),
  );
  return unmarshall(out.Item ?? {});
}

describe('the ops table’s TTL', () => {
  it('is on, on expiresAtEpoch, and ensureTables leaves it on when run again', async () => {
    await ensureTables(deps.ddb, deps.tables);
    const ttl = await deps.ddb.send(new DescribeTimeToLiveCommand({ TableName: deps.tables.ops }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAtEpoch',
    });
    // The case and audit tables keep everything.
    const audit = await deps.ddb.send(new DescribeTimeToLiveCommand({ TableName: deps.tables.audit }));
    expect(audit.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });

  it('takes an email link’s rows a month after the link expires', async () => {
    const now = new Date('2026-12-05T08:00:00Z');
    const input = { caseId: uniqueId('ZG-TTL'), step: 'sign_off', round: 1, recipientId: 'staff-zhou' };
    const { claims } = await issueLink(
      { ddb: deps.ddb, tables: deps.tables, keys: TEST_SIGNING_KEYS },
      { ...input, action: 'sign_off' },
      now,
    );
    expect(claims.exp).toBe(Math.floor(now.getTime() / 1000) + 7 * DAY);
    expect((await opsRow(opsKey.link(claims.tid))).expiresAtEpoch).toBe(claims.exp + 30 * DAY);
    expect((await opsRow(opsKey.linkHead(input))).expiresAtEpoch).toBe(claims.exp + 30 * DAY);
  });

  it('takes an idempotency claim a day after it was made', async () => {
    const createdAt = '2026-12-05T08:00:00.000Z';
    const scope = uniqueId('sup');
    await claimIdempotencyKey(deps.ddb, deps.tables, {
      scope,
      key: 'k1',
      requestHash: 'h',
      resultId: 'ZG-2026-999999',
      payload: '{}',
      createdAt,
    });
    expect((await opsRow(opsKey.idempotency(scope, 'k1'))).expiresAtEpoch).toBe(
      Date.parse(createdAt) / 1000 + DAY,
    );
  });

  it('keeps an outbox row for more than a year: no mail a case could still retry goes twice', async () => {
    const at = Date.parse('2026-12-05T08:00:00Z');
    const scope = outboxScope.case(uniqueId('ZG-TTL'));
    await sendOnce(
      deps,
      { scope, key: 'k' },
      async () => ({ to: 'zhou.qiang@demo.edu.cn', subject: 'TTL', text: 'ttl', html: '<p>ttl</p>' }),
      { now: () => at },
    );
    const row = await opsRow(opsKey.outbox(scope, 'k'));
    expect(row.status).toBe('sent');
    expect(row.expiresAtEpoch).toBe(at / 1000 + 400 * DAY);
  });
});
