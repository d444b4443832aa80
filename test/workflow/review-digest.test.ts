import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it, vi } from 'vitest';
import { createActivities, type EmailRequest, type EmailResult } from '../../activities/index.ts';
import { REVIEW_DIGEST_WINDOW_MS } from '../../domain/review-digest-mail.ts';
import { readChain } from '../../store/audit-chain.ts';
import {
  caseInput,
  caseWorker,
  emailOf,
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
      // Each gathered mail is still in its case's record, naming the digest it went into.
      const chain = await readChain(deps.ddb, deps.tables, rest[0] ?? '');
      const gathered = chain.find((e) => e.action === 'email_sent' && mailOf(e.payload)?.to === 'sup-wang');
      expect(mailOf(gathered?.payload)).toMatchObject({ kind: 'review_request', digest: expect.any(String) });

      // The case mail's activity retried: the same mail of the second case again.
      const [stage, round, , key] = (mailOf(gathered?.payload)?.outboxKey ?? '').split('#');
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
      expect(retried.sent).toEqual(expect.arrayContaining(['sup-wang', 'sup-smith']));

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
        expect(digest?.subject).toContain('2 件案件整改已完成');
        const zhHalf = digest?.text.split('———').find((half) => half.includes('去复查')) ?? '';
        const lines = zhHalf.split('\n');
        for (const caseId of rest) {
          const listed = lines.filter((l) => l.includes(caseId));
          expect(listed).toHaveLength(1);
          expect(listed[0]).toMatch(
            new RegExp(
              `^${caseId}「水龙头漏水 Leaking tap」（学生公寓A栋，复查时限 [^）]+）。去复查：http://rectify\\.test/app/cases/${caseId}$`,
            ),
          );
        }
        expect(zhHalf).not.toContain(first);
        // Nothing of the two gathered cases went one by one meanwhile.
        for (const caseId of rest) expect(await reviewRequestsOf(to, caseId)).toHaveLength(0);
      }
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await digestsTo(wang)).toHaveLength(1);
    });
  });
});
