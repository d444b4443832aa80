import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../activities/index.ts';
import type { Directory } from '../../domain/directory.ts';
import { EffectFailure } from '../../domain/effect-failure.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import { readChain } from '../../store/audit-chain.ts';
import { createAwsDeps } from '../../store/clients.ts';
import {
  caseViewQuery,
  dismissEffectUpdate,
  retryEffectUpdate,
} from '../../workflows/rectification-case/messages.ts';
import {
  actorOf,
  caseInput,
  caseWorker,
  saveHistory,
  startCase,
  steps,
  timeSkippingEnv,
} from '../support/case-harness.ts';
import { startRefusingSmtp, type RefusingSmtp } from '../support/refusing-smtp.ts';
import { seedDemo, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { viewAfterStep } from '../../api/step-view.ts';

/**
 * A mail refused for good (a real SMTP relay answering 550) on the time-skipping server: the
 * case keeps it as stuck and goes on; an admin's retry sends it, a dismissal drops it; a case
 * that ends with a stuck effect waits for the admin before its run completes. Saves the
 * replay histories of both paths.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let deps: ActivityDeps;
let dir: Directory;
let smtp: RefusingSmtp;
const ZHOU = 'zhou.qiang@demo.edu.cn';

beforeAll(async () => {
  smtp = await startRefusingSmtp();
  [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
  deps = { ...testDeps(), ...createAwsDeps(testEnv(smtp.env)) };
  dir = await seedDemo(deps);
});
afterAll(async () => {
  await env?.teardown();
  await smtp?.close();
});

async function stuckCase(taskQueue: string) {
  smtp.refused.add(ZHOU);
  const { handle } = await startCase(env, taskQueue, caseInput(dir, new Date(await env.currentTimeMs())));
  for (let i = 0; i < 150; i++) {
    const v = await handle.query(caseViewQuery);
    if (v.stuck?.length) return { handle, view: v };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the refused mail never became stuck');
}

describe('a mail refused for good', () => {
  it('is kept as stuck while the case goes on, and an admin retry sends it', async () => {
    const taskQueue = uniqueId('tq');
    const worker = await caseWorker(env, deps, bundle, taskQueue);
    await worker.runUntil(async () => {
      const { handle, view } = await stuckCase(taskQueue);
      expect(view.stuck).toEqual([
        expect.objectContaining({
          id: 'x1',
          kind: 'email',
          what: 'assigned',
          reason: EffectFailure.EmailRejected,
        }),
      ]);
      expect((await handle.describe()).searchAttributes.RectifyStuck).toEqual([EffectFailure.EmailRejected]);
      const s = steps(dir, handle);
      expect((await s.rootCause('sup-wang', 'staff-zhao')).stage).toBe('awaiting_signoff');
      smtp.refused.delete(ZHOU);
      const ack = await handle.executeUpdate(retryEffectUpdate, {
        args: [{ actor: actorOf(dir, 'admin-xu'), effectId: 'x1' }],
      });
      expect(ack).toEqual({ stuck: [] });
      expect(smtp.received.flatMap((m) => m.to)).toContain(ZHOU);
      // Removed (the test server keeps a removed keyword as [null]).
      expect((await handle.describe()).searchAttributes.RectifyStuck?.filter(Boolean) ?? []).toEqual([]);
      await s.withdraw('重复登记');
      const final = await viewAfterStep(handle, handle.result());
      expect(final.stage).toBe('withdrawn');
      const actions = (await readChain(deps.ddb, deps.tables, final.caseId)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['effect_failed', 'effect_retried', 'withdrawn']));
      await saveHistory(handle, 'stuck-mail-retried');
    });
  });

  it('keeps a finished case running until an admin dismisses what is stuck', async () => {
    const taskQueue = uniqueId('tq');
    const worker = await caseWorker(env, deps, bundle, taskQueue);
    await worker.runUntil(async () => {
      const { handle } = await stuckCase(taskQueue);
      smtp.refused.delete(ZHOU);
      await steps(dir, handle).withdraw('重复登记');
      await new Promise((r) => setTimeout(r, 1000));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      const refusedByStaff = handle.executeUpdate(dismissEffectUpdate, {
        args: [{ actor: actorOf(dir, 'staff-zhou'), effectId: 'x1' }],
      });
      await expect(refusedByStaff).rejects.toThrow();
      await handle.executeUpdate(dismissEffectUpdate, {
        args: [{ actor: actorOf(dir, 'admin-xu'), effectId: 'x1' }],
      });
      const final = await viewAfterStep(handle, handle.result());
      expect(final.stage).toBe('withdrawn');
      expect(final.stuck).toEqual([]);
      expect(final.timeline.map((t) => t.action)).toContain('effect_dismissed');
      await saveHistory(handle, 'stuck-mail-dismissed');
    });
  });
});
