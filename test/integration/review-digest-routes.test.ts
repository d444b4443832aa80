import { MessageRejected, SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createReviewDigestActivities } from '../../activities/review-digest.ts';
import { readChain } from '../../store/audit-chain.ts';
import { sendOnce } from '../../store/outbox.ts';
import { routeReviewMail, sealDigest, settleDigest, type RouteInput } from '../../store/review-digests.ts';
import { seedDemo, sentEmails, testDeps, uniqueCaseNumber, uniqueId } from '../support/stack.ts';

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

describe('what a digest leaves on its cases', () => {
  beforeAll(async () => {
    await seedDemo(deps);
  });
  const WANG = 'wang.jianguo@demo.edu.cn';
  const SMITH = 'anna.smith@demo.edu.cn';
  const key = (personId: string) => `reviewing#1#review_request#e4#${personId}`;
  /** A window of `personId`'s opened by a case of its own, then `caseIds` gathered into it (bldg-a). */
  const gathered = async (q: string, personId: string, caseIds: string[]) => {
    const t0 = Date.now();
    const route = (caseId: string, at: number) =>
      routeReviewMail(deps, {
        queue: q,
        recipientId: personId,
        caseId,
        outboxKey: key(personId),
        entry: {
          caseId,
          title: '水龙头漏水 Leaking tap',
          building: { zh: '学生公寓A栋', en: 'Dormitory A' },
          buildingId: 'bldg-a',
          at,
        },
        now: at,
        windowMs: WINDOW,
      });
    const opened = await route(uniqueId('ZG-OPEN'), t0);
    for (const [i, caseId] of caseIds.entries())
      expect((await route(caseId, t0 + (i + 1) * 1_000)).route).toBe('digest');
    return {
      queue: q,
      recipientId: personId,
      windowId: opened.windowId,
      endsAt: t0 + WINDOW,
      windowMinutes: 15,
    };
  };
  const mailsOf = (to: string) => sentEmails((e) => e.to.includes(to));
  const ownRequests = async (to: string, caseId: string) =>
    (await mailsOf(to)).filter((e) => e.subject.includes('待复查') && e.subject.includes(caseId));
  const sentEntries = async (caseId: string) =>
    (await readChain(deps.ddb, deps.tables, caseId))
      .filter((e) => e.action === 'email_sent')
      .map((e) => (e.payload as { payload?: Record<string, unknown> }).payload);

  it('records a gathered request as mailed only when its digest goes, once however often the send runs', async () => {
    const [B, C] = [uniqueCaseNumber(), uniqueCaseNumber()];
    const input = await gathered(uniqueId('tq'), 'sup-wang', [B, C]);
    // Gathered, nothing mailed yet: the case's audit does not say it was.
    expect(await sentEntries(B)).toEqual([]);
    const send = createReviewDigestActivities(deps).sendReviewDigest;
    expect(await send(input)).toEqual({ listed: 2, handled: 0 });
    expect(await send(input)).toEqual({ listed: 2, handled: 0 });
    const digests = (await mailsOf(WANG)).filter((e) => e.text.includes(B));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toContain(C);
    for (const caseId of [B, C])
      expect(await sentEntries(caseId)).toEqual([
        expect.objectContaining({
          kind: 'review_request',
          to: 'sup-wang',
          outboxKey: key('sup-wang'),
          digest: input.windowId,
          messageId: expect.any(String),
        }),
      ]);
  });

  it("mails each case on its own to the building's supervisors when the digest's reader has left", async () => {
    const D = uniqueCaseNumber();
    // Smith's own digest lists D already; Wang (appointed since, say) was never asked.
    await gathered(uniqueId('tq'), 'sup-smith', [D]);
    const input = await gathered(uniqueId('tq'), 'sup-gone', [D]);
    const send = createReviewDigestActivities(deps).sendReviewDigest;
    const result = await send(input);
    expect(result).toMatchObject({
      listed: 0,
      fallback: { reason: 'reader_gone', mailed: [`${D} to sup-wang`] },
    });
    await send(input);
    expect(await ownRequests(WANG, D)).toHaveLength(1);
    expect(await mailsOf(SMITH).then((m) => m.filter((e) => e.text.includes(D)))).toEqual([]);
    expect(await sentEntries(D)).toEqual([
      expect.objectContaining({
        to: 'sup-wang',
        outboxKey: key('sup-wang'),
        insteadOfDigest: input.windowId,
      }),
    ]);
  });

  it('mails the cases on their own when the mail service refuses the digest for good', async () => {
    const E = uniqueCaseNumber();
    const refusing = testDeps();
    const send = refusing.ses.send.bind(refusing.ses) as (command: unknown) => Promise<unknown>;
    refusing.ses.send = ((command: unknown) =>
      command instanceof SendEmailCommand && command.input.Message?.Subject?.Data?.includes('汇总')
        ? Promise.reject(
            new MessageRejected({ message: 'Digest refused', $metadata: { httpStatusCode: 400 } }),
          )
        : send(command)) as SESClient['send'];
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const input = await gathered(uniqueId('tq'), 'sup-wang', [E]);
    // Smith was mailed E at once: the fallback does not mail them again.
    await sendOnce(deps, { scope: E, key: key('sup-smith') }, () =>
      Promise.resolve({ to: SMITH, subject: `【待复查】${E}`, text: E, html: E }),
    );
    const result = await createReviewDigestActivities(refusing).sendReviewDigest(input);
    expect(result).toMatchObject({ listed: 0, fallback: { reason: 'refused' } });
    expect(await mailsOf(WANG).then((m) => m.filter((e) => e.text.includes(E)))).toHaveLength(1);
    expect(await ownRequests(WANG, E)).toHaveLength(1);
    expect(await mailsOf(SMITH).then((m) => m.filter((e) => e.text.includes(E)))).toHaveLength(1);
    expect(await sentEntries(E)).toContainEqual(
      expect.objectContaining({
        to: 'sup-wang',
        outboxKey: key('sup-wang'),
        insteadOfDigest: input.windowId,
      }),
    );
    expect(await sentEntries(E)).not.toContainEqual(expect.objectContaining({ digest: input.windowId }));
  });
});
