import { describe, expect, it } from 'vitest';
import { sendOnce } from '../../store/outbox.ts';
import { routeReviewMail, sealDigest, type RouteInput } from '../../store/review-digests.ts';
import { testDeps, uniqueId } from '../support/stack.ts';

/**
 * The review-mail windows over DynamoDB Local: each case mail's route is decided once, a case
 * is listed once however often its mail is retried, and one that comes after its window's
 * digest was sealed opens the next window (mailed at once) instead of joining a digest gone.
 */
const deps = testDeps();
const WINDOW = 15 * 60_000;

describe('review mail routes', () => {
  const queue = uniqueId('tq');
  const mail = (caseId: string, now: number): RouteInput => ({
    queue,
    recipientId: 'sup-wang',
    caseId,
    outboxKey: 'reviewing#1#review_request#e4#sup-wang',
    entry: { caseId, title: caseId, building: { zh: 'A栋', en: 'Block A' }, at: now },
    now,
    windowMs: WINDOW,
  });

  it('gathers the mails after the first of a window once each, and opens a new window after the seal', async () => {
    const t0 = Date.parse('2026-12-07T08:00:00Z');
    const first = await routeReviewMail(deps, mail('ZG-1', t0));
    expect(first).toEqual({ route: 'now', windowId: String(t0) });
    // A retry of the mail sent at once is still sent at once (the outbox then finds it sent).
    expect(await routeReviewMail(deps, mail('ZG-1', t0 + 5_000))).toEqual(first);

    const second = await routeReviewMail(deps, mail('ZG-2', t0 + 60_000));
    expect(second).toEqual({ route: 'digest', windowId: String(t0), endsAt: t0 + WINDOW });
    await routeReviewMail(deps, mail('ZG-3', t0 + 120_000));
    // ZG-2's mail retried, even after the window: the same route, listed once.
    expect(await routeReviewMail(deps, mail('ZG-2', t0 + 2 * WINDOW))).toEqual(second);

    const listed = await sealDigest(deps, queue, 'sup-wang', String(t0));
    expect(listed.map((c) => c.caseId)).toEqual(['ZG-2', 'ZG-3']);
    // A retried send reads the same list.
    expect((await sealDigest(deps, queue, 'sup-wang', String(t0))).map((c) => c.caseId)).toEqual([
      'ZG-2',
      'ZG-3',
    ]);

    // Sealed early (its workflow's clock ahead): a mail within the old window opens the next.
    const late = await routeReviewMail(deps, mail('ZG-4', t0 + 180_000));
    expect(late).toEqual({ route: 'now', windowId: String(t0 + 180_000) });
    expect(await routeReviewMail(deps, mail('ZG-5', t0 + 200_000))).toMatchObject({
      route: 'digest',
      windowId: String(t0 + 180_000),
    });
  });

  it('leaves a case mail already sent on its own out of any window (a retry of it after the change)', async () => {
    const t0 = Date.parse('2026-12-07T09:00:00Z');
    const own = { ...mail('ZG-9', t0), queue: uniqueId('tq'), caseId: uniqueId('ZG-OLD') };
    const opened = await routeReviewMail(deps, { ...own, caseId: uniqueId('ZG-NEW') });
    expect(opened.route).toBe('now');
    await sendOnce(deps, { scope: own.caseId, key: own.outboxKey }, () =>
      Promise.resolve({ to: 'route-test@example.edu', subject: 'route test', text: '-', html: '-' }),
    );
    expect(await routeReviewMail(deps, { ...own, now: t0 + 60_000 })).toEqual({ route: 'now', windowId: '' });
    expect(await sealDigest(deps, own.queue, 'sup-wang', opened.windowId)).toEqual([]);
  });
});
