import { farDay, startDutyStack, type DutyStack } from '../support/duty-stack.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DutyOccurrence } from '../../domain/duties.ts';
import { getOccurrence, occurrencesDue, saveOccurrence } from '../../store/duties.ts';
import { call, type ApiStack } from './harness.ts';

/**
 * Completions of one occurrence sent at once: each is saved by its own activity, and the saves
 * may land in any order. The store must end with the occurrence as its run ended, not with an
 * older copy written last (the run is over then, and nothing would correct it). Own tables and
 * a day of its own far ahead.
 */
const DATE = farDay();
const POSTS = `duty.standing-posts.bldg-b.${DATE}`;
let s: ApiStack;
let duty: DutyStack | undefined;

beforeAll(async () => {
  duty = await startDutyStack('duty-races', DATE, ['bldg-b'], ['standing-posts']);
  s = duty.s;
  expect(duty.ids).toEqual([POSTS]);
});
afterAll(async () => {
  await duty?.stop();
});

const store = () => ({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables });
const listed = async () =>
  (await occurrencesDue(store(), 'bldg-b', DATE, DATE)).find((o) => o.occurrenceId === POSTS);
const post = (body: object) =>
  call(s.app, 'POST', `/api/duties/occurrences/${POSTS}/completions?lang=en`, { as: 'staff-lee', body });

describe('completions sent at once', () => {
  it('leave the store with the occurrence as its run ended: completed, every part done', async () => {
    expect((await post({ part: 'morning', minutes: 30, note: 'morning post' })).status).toBe(200);
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, (_, n) => post({ part: 'noon', minutes: 30, note: `race ${n}` })),
      post({ part: 'evening', minutes: 30, note: 'race evening' }),
    ]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((st) => st === 200 || st === 409)).toBe(true);
    expect(statuses).toContain(200);

    const ended = (await s.deps.temporal.workflow.getHandle(POSTS).result()) as DutyOccurrence;
    expect(ended.status).toBe('completed');
    expect(ended.progress.find((p) => p.key === 'evening')?.done).toBe(1);
    const stored = await getOccurrence(store(), POSTS);
    expect(stored).toEqual(ended);
    // The calendar's copy (the building's list, what GET /api/duties/occurrences reads) is the same.
    expect(await listed()).toEqual(ended);
  });

  it('an older copy saved after a newer one does not replace it, in either row', async () => {
    const newer = await getOccurrence(store(), POSTS);
    if (!newer) throw new Error('no occurrence stored');
    const older: DutyOccurrence = {
      ...newer,
      status: 'open',
      completedAt: undefined,
      completions: newer.completions.slice(0, 2),
    };
    await saveOccurrence(store(), older);
    expect(await getOccurrence(store(), POSTS)).toEqual(newer);
    expect(await listed()).toEqual(newer);
  });
});
