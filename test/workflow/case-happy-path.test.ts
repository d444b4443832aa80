import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import type { RectifyWorker } from '../../infra/worker.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import type { Directory } from '../../domain/directory.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import {
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import {
  actorOf,
  caseInput,
  caseWorker,
  saveHistory,
  startCase,
  timeSkippingEnv,
} from '../support/case-harness.ts';
import { seedDemo, sentEmails, testDeps, uniqueId } from '../support/stack.ts';
import { viewAfterStep } from '../../api/step-view.ts';

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

describe('a case from detection to closure', () => {
  it('walks every stage, stores the record, chains the audit trail and sends each email once', async () => {
    await withWorker(async (tq) => {
      const reporter = { name: '张同学', email: `${uniqueId('stu')}@students.demo.edu.cn` };
      const input = caseInput(dir, new Date(await env.currentTimeMs()), { reporter });
      const { handle, view: opened } = await startCase(env, tq, input);
      expect(opened.stage).toBe('analysing');
      expect(opened.deadlines).toHaveLength(1);
      expect(opened.deadlines[0]?.stage).toBe('analysing');
      // repair/routine: on site within 2 hours (seed 000).
      expect(Date.parse(opened.deadlines[0]!.due) - Date.parse(opened.deadlines[0]!.startedAt)).toBe(
        2 * 3_600_000,
      );

      const sup = actorOf(dir, 'sup-wang');
      const staff = actorOf(dir, 'staff-zhou');
      let v = await handle.executeUpdate(submitRootCauseUpdate, {
        args: [
          {
            actor: sup,
            causes: ['阀芯老化'],
            responsibleId: 'staff-zhou',
            plan: '更换阀芯',
            whys: ['漏水', '阀芯老化'],
          },
        ],
      });
      expect(v.stage).toBe('awaiting_signoff');
      v = await handle.executeUpdate(signOffUpdate, { args: [{ actor: staff, decision: 'confirm' }] });
      expect(v.stage).toBe('rectifying');
      v = await handle.executeUpdate(reportRectificationUpdate, {
        args: [{ actor: staff, summary: '已更换阀芯', evidence: ['photo-1.jpg'] }],
      });
      expect(v.stage).toBe('reviewing');
      v = await handle.executeUpdate(reviewUpdate, {
        args: [{ actor: sup, passed: true, notes: '复查合格' }],
      });
      expect(v.stage).toBe('follow_up');
      v = await handle.executeUpdate(submitFollowUpUpdate, {
        args: [
          {
            actor: { id: `reporter:${reporter.email}`, roles: [], via: 'link' },
            score: 5,
            comment: '很满意',
          },
        ],
      });
      expect(v.stage).toBe('closed');
      const final = await viewAfterStep(handle, handle.result());
      expect(final.stage).toBe('closed');
      expect(final.followUp).toMatchObject({ score: 5, outcome: 'rated' });
      expect(final.deadlines.map((d) => [d.stage, d.state])).toEqual([
        ['analysing', 'met'],
        ['awaiting_signoff', 'met'],
        ['rectifying', 'met'],
        ['reviewing', 'met'],
        ['follow_up', 'met'],
      ]);

      const record = await getCaseRecord(deps.ddb, deps.tables, input.caseId);
      expect(record?.stage).toBe('closed');
      expect(record?.version).toBe(final.version);

      const chain = await readChain(deps.ddb, deps.tables, input.caseId);
      expect(verifyChain(chain, input.caseId)).toMatchObject({ ok: true });
      const actions = chain.map((e) => e.action);
      for (const a of [
        'detected',
        'assigned',
        'root_cause_submitted',
        'signed_off',
        'rectification_reported',
        'review_passed',
        'follow_up_rated',
      ]) {
        expect(actions).toContain(a);
      }
      const mails = await sentEmails((e) => e.subject.includes(input.caseId));
      const subjects = mails.map((m) => m.subject);
      expect(new Set(subjects).size).toBe(subjects.length);
      expect(
        mails.find((m) => m.to.includes('zhou.qiang@demo.edu.cn') && m.subject.includes('待签字'))?.text,
      ).toMatch(/http:\/\/rectify\.test\/actions\/v1\./);
      expect(mails.find((m) => m.to.includes(reporter.email))?.subject).toContain('请您评价');
      expect(actions.filter((a) => a === 'email_sent')).toHaveLength(mails.length);

      // Queries still answer after completion from the closed workflow.
      expect((await handle.query(caseViewQuery)).stage).toBe('closed');
      await saveHistory(handle, 'happy-path');
    });
  });
});
