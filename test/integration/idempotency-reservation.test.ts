import { describe, expect, it } from 'vitest';
import { releaseKey, RESERVATION_MS, reserveKey } from '../../store/idempotency.ts';
import { testDeps, uniqueId } from '../support/stack.ts';

const { ddb, tables } = testDeps();

describe('reserving an idempotency key before numbering (DynamoDB Local)', () => {
  it('of requests racing with one key exactly one holds the reservation', async () => {
    const key = uniqueId('res');
    const won = await Promise.all(
      Array.from({ length: 8 }, (_, i) => reserveKey(ddb, tables, 'sup-wang', key, `t${i}`)),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    // Another person's key of the same name is theirs alone.
    expect(await reserveKey(ddb, tables, 'sup-li', key, 'other')).toBe(true);
  });

  it('a reservation whose holder died is taken over once it runs out, not before', async () => {
    const key = uniqueId('res');
    const t0 = Date.now();
    expect(await reserveKey(ddb, tables, 'sup-wang', key, 'dead', t0)).toBe(true);
    expect(await reserveKey(ddb, tables, 'sup-wang', key, 'next', t0 + RESERVATION_MS - 1)).toBe(false);
    expect(await reserveKey(ddb, tables, 'sup-wang', key, 'next', t0 + RESERVATION_MS + 1)).toBe(true);
  });

  it('is given back only by its holder', async () => {
    const key = uniqueId('res');
    expect(await reserveKey(ddb, tables, 'sup-wang', key, 'mine')).toBe(true);
    await releaseKey(ddb, tables, 'sup-wang', key, 'not-mine');
    expect(await reserveKey(ddb, tables, 'sup-wang', key, 'other')).toBe(false);
    await releaseKey(ddb, tables, 'sup-wang', key, 'mine');
    expect(await reserveKey(ddb, tables, 'sup-wang', key, 'other')).toBe(true);
  });
});
