import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it, vi } from 'vitest';
import { createActivities, type EmailRequest, type EmailResult } from '../../activities/index.ts';
import { REVIEW_DIGEST_WINDOW_MS } from '../../domain/review-digest-mail.ts';
import { readChain } from '../../store/audit-chain.ts';
import { routeOf } from '../../store/review-digests.ts';
import {
  caseInput,
  caseWorker,
  emailOf,
  plainClient,
  settle,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';

const stack = useCaseStack();

/** An email_sent entry's mail, as the activity recorded it. */
const mailOf = (payload: unknown) =>
  (payload as { payload?: { to?: string; kind?: string; outboxKey?: string; digest?: string } } | undefined)
    ?.payload;

describe('review requests in a busy window', () => {
  it('a supervisor gets the first review request at once and one digest of the rest at the window end', async () => {
    const { dir, env, bundle } = stack;
    const deps = { ...stack.deps, reviewDigestWindowMs: REVIEW_DIGEST_WINDOW_MS };
    const taskQueue = uniqueId('tq');
    const worker = await caseWorker(env, deps, bundle, taskQueue);
    await worker.runUntil(async () => {
      const started = await stack.now();
      const cases = [];
      for (let i = 0; i < 3; i++) {
        const input = caseInput(dir, await stack.now());
        const { handle } = await startCase(env, taskQueue, input);
        const s = steps(dir, handle);
        await s.rootCause();
        await s.confirm();
        await s.report();
        await settle(handle);
        cases.push({ input, handle });
      }
      const [first, ...rest] = cases.map((c) => c.input.caseId);
      const wang = emailOf(dir, 'sup-wang');
      const smith = emailOf(dir, 'sup-smith');
      const mailsTo = async (to: string) => sentEmails((e) => e.to.includes(to));
      const reviewRequestsOf = async (to: string, caseId: string) =>
        (await mailsTo(to)).filter((e) => e.subject.includes('待复查') && e.subject.includes(caseId));

      // The first goes at once, as before; the other two wait for the window's end.
      for (const to of [wang, smith]) {
        expect(await reviewRequestsOf(to, first ?? '')).toHaveLength(1);
        for (const caseId of rest) expect(await reviewRequestsOf(to, caseId)).toHaveLength(0);
      }
      // A gathered mail is not recorded as sent on its case while it waits for the digest.
      const sentTo = async (caseId: string, personId: string) =>
        (await readChain(deps.ddb, deps.tables, caseId)).filter(
          (e) => e.action === 'email_sent' && mailOf(e.payload)?.to === personId,
        );
      for (const caseId of rest) expect(await sentTo(caseId, 'sup-wang')).toEqual([]);
      // The first case's mail, sent at once, says the key the gathered ones have too.
      const [mailedAtOnce] = await sentTo(first ?? '', 'sup-wang');
      const outboxKey = mailOf(mailedAtOnce?.payload)?.outboxKey ?? '';
      const route = await routeOf(deps, rest[0] ?? '', outboxKey);
      expect(route).toMatchObject({ route: 'digest' });

      // The case mail's activity retried: the same mail of the second case again.
      const [stage, round, , key] = outboxKey.split('#');
      const again: EmailRequest = {
        caseId: rest[0] ?? '',
        title: cases[1]?.input.title ?? '',
        stage: stage ?? '',
        round: Number(round),
        kind: 'review_request',
        key,
        to: { supervisorsOf: 'bldg-a' },
      };
      const retried = await new MockActivityEnvironment(
        {
          taskQueue: `${taskQueue}.mail`,
          currentAttemptScheduledTimestampMs: (await stack.now()).getTime(),
        },
        { client: env.client },
      ).run<[EmailRequest], EmailResult, (r: EmailRequest) => Promise<EmailResult>>(
        createActivities(deps).sendCaseEmail,
        again,
      );
      // Still only gathered: reported as such, not as sent.
      expect(retried.sent).toEqual([]);
      expect(retried.gathered?.map((g) => g.to)).toEqual(expect.arrayContaining(['sup-wang', 'sup-smith']));

      await stack.advanceTo(started.getTime() + REVIEW_DIGEST_WINDOW_MS + 60_000);
      const digestsTo = async (to: string) =>
        (await mailsTo(to)).filter(
          (e) => e.subject.includes('【待复查】') && e.text.includes(rest[0] ?? '-'),
        );
      await vi.waitFor(async () => expect(await digestsTo(smith)).toHaveLength(1), {
        timeout: 30_000,
        interval: 500,
      });
      await vi.waitFor(async () => expect(await digestsTo(wang)).toHaveLength(1), {
        timeout: 30_000,
        interval: 500,
      });
      for (const to of [wang, smith]) {
        const [digest] = await digestsTo(to);
        expect(digest?.subject).toContain('又有 2 件案件待您复查');
        const zhHalf = digest?.text.split('———').find((half) => half.includes('去复查')) ?? '';
        const lines = zhHalf.split('\n');
        for (const caseId of rest) {
          const listed = lines.filter((l) => l.includes(caseId));
          expect(listed).toHaveLength(1);
          expect(listed[0]).toMatch(
            new RegExp(
              `^${caseId}「水龙头漏水 Leaking tap」，学生公寓A栋[^，]*，复查时限 [^。]+ \\(Asia/Shanghai\\)。去复查：http://rectify\\.test/app/cases/${caseId}$`,
            ),
          );
        }
        expect(zhHalf).not.toContain(first);
        // Nothing of the two gathered cases went one by one meanwhile.
        for (const caseId of rest) expect(await reviewRequestsOf(to, caseId)).toHaveLength(0);
      }
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await digestsTo(wang)).toHaveLength(1);
      // Now that the digest went, each gathered case records it, once, naming the digest.
      for (const caseId of rest)
        for (const to of ['sup-wang', 'sup-smith']) {
          const entries = await sentTo(caseId, to);
          expect(entries).toHaveLength(1);
          expect(mailOf(entries[0]?.payload)).toMatchObject({
            kind: 'review_request',
            digest: expect.any(String),
          });
        }
    });
  });

  it('leaves out the cases reviewed or withdrawn during the window, and mails no digest when none is left', async () => {
    const { dir, env, bundle } = stack;
    const deps = { ...stack.deps, reviewDigestWindowMs: REVIEW_DIGEST_WINDOW_MS };
    const taskQueue = uniqueId('tq');
    const worker = await caseWorker(env, deps, bundle, taskQueue);
    const wang = emailOf(dir, 'sup-wang');
    const mailsNaming = async (caseId: string) =>
      sentEmails((e) => e.to.includes(wang) && e.text.includes(caseId));
    await worker.runUntil(async () => {
      /** Cases of one window whose rectification is reported (the first mailed at once, the rest gathered). */
      const reported = async (n: number) => {
        const out = [];
        for (let i = 0; i < n; i++) {
          const input = caseInput(dir, await stack.now());
          const { handle } = await startCase(env, taskQueue, input);
          const s = steps(dir, handle);
          await s.rootCause();
          await s.confirm();
          await s.report();
          await settle(handle);
          out.push({ caseId: input.caseId, handle, s });
        }
        return out;
      };
      const started = await stack.now();
      const [, reviewed, withdrawn, waiting] = await reported(4);
      if (!reviewed || !withdrawn || !waiting) throw new Error('four cases were opened');
      // A co-supervisor reviews one within the window; the other is withdrawn.
      await reviewed.s.review(true, '已修好', 'sup-smith');
      await settle(reviewed.handle);
      await withdrawn.s.withdraw('重复报修');

      await stack.advanceTo(started.getTime() + REVIEW_DIGEST_WINDOW_MS + 60_000);
      await vi.waitFor(async () => expect(await mailsNaming(waiting.caseId)).toHaveLength(1), {
        timeout: 30_000,
        interval: 500,
      });
      const [digest] = await mailsNaming(waiting.caseId);
      expect(digest?.subject).toContain('又有 1 件案件待您复查');
      expect(digest?.text).not.toContain(reviewed.caseId);
      expect(digest?.text).not.toContain(withdrawn.caseId);
      expect(digest?.text).toContain('另有 2 件已有人复查，或已撤销、关闭，不再列出。');
      expect(digest?.text).toContain('2 more cases were already reviewed, withdrawn or closed');

      // The next window: its one gathered case is reviewed before the window ends.
      const next = await stack.now();
      const [opened, handled] = await reported(2);
      if (!handled) throw new Error('two cases were opened');
      await handled.s.review(true, '已修好', 'sup-wang');
      await settle(handled.handle);
      const opener = (await readChain(deps.ddb, deps.tables, opened?.caseId ?? '')).findLast(
        (e) => e.action === 'email_sent' && mailOf(e.payload)?.to === 'sup-wang',
      );
      const route = await routeOf(deps, handled.caseId, mailOf(opener?.payload)?.outboxKey ?? '');
      const windowId = route?.route === 'digest' ? route.windowId : '';
      expect(windowId).not.toBe('');
      await stack.advanceTo(next.getTime() + REVIEW_DIGEST_WINDOW_MS + 60_000);
      const sent = await plainClient(env)
        .getHandle(`review-digest.${taskQueue}.sup-wang.${windowId}`)
        .result();
      expect(sent).toMatchObject({ listed: 0, handled: 1 });
      expect(await mailsNaming(handled.caseId)).toHaveLength(0);
    });
  });
});
