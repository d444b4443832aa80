import { describe, expect, it } from 'vitest';
import { sendOnce } from '../../store/outbox.ts';
import { routeReviewMail, sealDigest, settleDigest, type RouteInput } from '../../store/review-digests.ts';
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

  describe('settling a digest at its send', () => {
    const gather = async (q: string, t0: number, cases: [string, number][]) => {
      const at = (i: number) => t0 + i * 60_000;
      // Routes are kept per case mail: a case of its own opens each test's window.
      const opened = await routeReviewMail(deps, { ...mail(uniqueId('ZG-OPEN'), t0), queue: q });
      for (const [i, [caseId, round]] of cases.entries())
        await routeReviewMail(deps, {
          ...mail(caseId, at(i + 1)),
          queue: q,
          outboxKey: `reviewing#${round}#review_request#e${2 * round + 2}#sup-wang`,
        });
      return opened.windowId;
    };

    it('lists only the cases still awaiting the review gathered, once each, and keeps that decision', async () => {
      const [q, B, C] = [uniqueId('tq'), uniqueId('ZG-B'), uniqueId('ZG-C')];
      // B's review failed and it was reported again within the window: gathered twice.
      const windowId = await gather(q, Date.parse('2026-12-07T10:00:00Z'), [
        [B, 1],
        [C, 1],
        [B, 2],
      ]);
      const asked: string[] = [];
      // B now awaits its second round's review; C was reviewed.
      const settled = await settleDigest(deps, q, 'sup-wang', windowId, (c) => {
        asked.push(`${c.caseId}#${c.stage ?? '?'}#${c.round ?? '?'}`);
        return Promise.resolve(c.caseId === B && c.round === 2);
      });
      expect(asked).toEqual([`${B}#reviewing#1`, `${C}#reviewing#1`, `${B}#reviewing#2`]);
      expect(settled.cases.map((c) => [c.caseId, c.round])).toEqual([[B, 2]]);
      expect(settled.handled).toBe(1);
      // A retried send lists what the first decided, whatever it would find now.
      const again = await settleDigest(deps, q, 'sup-wang', windowId, () => Promise.resolve(true));
      expect(again).toEqual(settled);
    });

    it('keeps a digest with nothing left empty on a retry', async () => {
      const q = uniqueId('tq');
      const windowId = await gather(q, Date.parse('2026-12-07T11:00:00Z'), [
        [uniqueId('ZG-D'), 1],
        [uniqueId('ZG-E'), 1],
      ]);
      const none = await settleDigest(deps, q, 'sup-wang', windowId, () => Promise.resolve(false));
      expect(none).toEqual({ cases: [], handled: 2 });
      expect(await settleDigest(deps, q, 'sup-wang', windowId, () => Promise.resolve(true))).toEqual(none);
    });
  });
});
