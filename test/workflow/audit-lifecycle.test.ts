import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import type { RectifyWorker } from '../../infra/worker.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepSeqs } from '../../audit/scan.ts';
import { readChain } from '../../store/audit-chain.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import { issueLocalToken } from '../../api/auth.ts';
import { summariseHistory, type HistorySummary, type TimelineItem } from '../../api/audit-timeline.ts';
import type { Directory } from '../../domain/directory.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { auditAppDeps, auditTestApp } from '../support/audit-app.ts';
import { actorOf, caseInput, caseWorker, startCase, timeSkippingEnv } from '../support/case-harness.ts';
import { seedDemo, sentEmails, testDeps, testEnv, uniqueId } from '../support/stack.ts';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let deps: ActivityDeps;
let dir: Directory;

beforeAll(async () => {
  [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
  deps = testDeps();
  dir = await seedDemo(deps);
});
afterAll(async () => {
  await env?.teardown();
});

async function withWorker<T>(fn: (taskQueue: string, worker: RectifyWorker) => Promise<T>): Promise<T> {
  const taskQueue = uniqueId('tq');
  const worker = await caseWorker(env, deps, bundle, taskQueue);
  return worker.runUntil(fn(taskQueue, worker));
}

describe('the audit trail of a case agrees with its Temporal history', () => {
  it('step for step, through a dispute, a failed review and a comment', async () => {
    const reporter = { name: '李同学', email: `${uniqueId('stu')}@students.demo.edu.cn` };
    const input = caseInput(dir, new Date(await env.currentTimeMs()), { reporter });
    const caseId = input.caseId;
    const sup = actorOf(dir, 'sup-wang');
    const staff = actorOf(dir, 'staff-zhou');

    await withWorker(async (tq) => {
      const { handle } = await startCase(env, tq, input);
      const rootCause = { actor: sup, causes: ['阀芯老化'], responsibleId: 'staff-zhou', plan: '更换阀芯' };
      await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
      await handle.executeUpdate(signOffUpdate, {
        args: [{ actor: staff, decision: 'dispute', reason: '阀芯是上周刚换的' }],
      });
      await handle.executeUpdate(adjudicateUpdate, {
        args: [{ actor: sup, decision: 'proceed', notes: '仍需更换' }],
      });
      await handle.executeUpdate(addCommentUpdate, { args: [{ actor: sup, text: '已联系供应商' }] });
      await handle.executeUpdate(reportRectificationUpdate, {
        args: [{ actor: staff, summary: '已更换', evidence: ['p1.jpg'] }],
      });
      await handle.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: false, notes: '仍有渗水' }] });
      await handle.executeUpdate(reportRectificationUpdate, {
        args: [{ actor: staff, summary: '重新密封', evidence: ['p2.jpg'] }],
      });
      await handle.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: '合格' }] });
      await handle.executeUpdate(submitFollowUpUpdate, {
        args: [{ actor: { id: `reporter:${reporter.email}`, roles: [], via: 'link' }, score: 4 }],
      });
      expect((await handle.result()).stage).toBe('closed');

      const chain = await readChain(deps.ddb, deps.tables, caseId);
      expect(verifyChain(chain, caseId)).toMatchObject({ ok: true });
      const history = await handle.fetchHistory();
      const summary = summariseHistory(history, await stepSeqs(deps.ddb, deps.tables, caseId));
      const bySeq = new Map(chain.map((e) => [e.seq, e]));

      // Every update the workflow accepted, in order, has its own audit entry, in the same order.
      const humanUpdates = summary.updates.filter((u) => u.name !== 'opened');
      expect(humanUpdates.map((u) => u.name)).toEqual([
        'submitRootCause',
        'signOff',
        'adjudicate',
        'addComment',
        'reportRectification',
        'review',
        'reportRectification',
        'review',
        'submitFollowUp',
      ]);
      expect(humanUpdates.map((u) => u.recorded?.action)).toEqual([
        'root_cause_submitted',
        'disputed',
        'adjudicated',
        'commented',
        'rectification_reported',
        'review_failed',
        'rectification_reported',
        'review_passed',
        'follow_up_rated',
      ]);
      const seqs = humanUpdates.map((u) => u.recorded?.auditSeq ?? -1);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      for (const u of humanUpdates) {
        const entry = bySeq.get(u.recorded!.auditSeq!);
        expect(entry?.action).toBe(u.recorded?.action);
        expect(entry?.actor.id).toBe(u.actorId);
        expect(u.outcome).toBe('completed');
      }

      // Every step the workflow recorded is the audit entry at the seq its idempotency row names,
      // with the same action, actor and time; the only other entries are the emails it sent.
      expect(summary.steps.length).toBeGreaterThan(humanUpdates.length);
      const stepSeqList = summary.steps.map((s) => s.auditSeq);
      expect(stepSeqList.every((s) => s !== null)).toBe(true);
      expect([...stepSeqList].sort((a, b) => a! - b!)).toEqual(stepSeqList);
      for (const s of summary.steps) {
        const entry = bySeq.get(s.auditSeq!);
        expect([entry?.action, entry?.actor.id, entry?.at]).toEqual([s.action, s.actorId, s.at]);
      }
      const fromSteps = new Set(stepSeqList);
      const others = chain.filter((e) => !fromSteps.has(e.seq)).map((e) => e.action);
      expect(new Set(others)).toEqual(new Set(['email_sent']));
      // ...one per email the SES emulator received for this case.
      expect(others).toHaveLength((await sentEmails((e) => e.subject.includes(caseId))).length);

      // The auditors' routes tell the same story.
      const app = auditTestApp(auditAppDeps(testEnv(), deps, env.client));
      const token = await issueLocalToken(testEnv().JWT_SECRET!, 'audit-he');
      const auth = { authorization: `Bearer ${token}` };
      const fromTemporal = await app.request(`/api/cases/${caseId}/history?source=temporal`, {
        headers: auth,
      });
      expect(fromTemporal.status).toBe(200);
      const body = (await fromTemporal.json()) as HistorySummary & { temporalUrl: string };
      expect(body.updates.filter((u) => u.name !== 'opened').map((u) => u.recorded?.auditSeq)).toEqual(seqs);
      expect(body.temporalUrl).toBe(`http://temporal-ui.test/namespaces/default/workflows/${caseId}`);
      expect(body.events.some((e) => e.type === 'WorkflowExecutionUpdateAccepted')).toBe(true);
      expect(body.events.some((e) => e.type.startsWith('WorkflowTask'))).toBe(false);

      const timeline = await app.request(`/api/cases/${caseId}/history`, {
        headers: { ...auth, 'accept-language': 'en-GB,en;q=0.9' },
      });
      const t = (await timeline.json()) as {
        entries: TimelineItem[];
        verification: { ok: boolean };
        temporalUrl: string;
        language: string;
      };
      expect(t.language).toBe('en');
      expect(t.verification.ok).toBe(true);
      expect(t.entries).toHaveLength(chain.length);
      const disputed = t.entries.find((e) => e.action === 'disputed');
      expect(disputed).toMatchObject({
        what: 'Disputed by the responsible person',
        detail: '阀芯是上周刚换的',
      });
      expect(disputed?.actor.name).toBe(dir.people.find((p) => p.id === 'staff-zhou')?.name);
      expect(disputed?.when).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(Asia\/Shanghai\)$/);
      // No language asked for: the auditor's own (zh-CN in the demo directory).
      const zh = (await (await app.request(`/api/cases/${caseId}/history`, { headers: auth })).json()) as {
        entries: TimelineItem[];
      };
      expect(zh.entries.find((e) => e.action === 'disputed')?.what).toBe('责任人提出异议');
    });
  });
});
