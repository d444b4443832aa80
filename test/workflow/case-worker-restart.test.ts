import { describe, expect, it } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import { caseViewQuery } from '../../workflows/rectification-case/messages.ts';
import {
  caseInput,
  caseWorker,
  emailOf,
  mailLog,
  saveHistory,
  settle,
  startCase,
  steps,
  uncachedCaseWorker,
  useCaseStack,
} from '../support/case-harness.ts';
import { uniqueId } from '../support/stack.ts';

const stack = useCaseStack();
const SEC = 1_000;

describe('a worker killed and restarted mid-case', () => {
  it('loses nothing and sends no email twice', async () => {
    const { dir, env, deps, bundle } = stack;
    const taskQueue = uniqueId('tq');
    const reporter = { name: '李老师', email: `${uniqueId('teacher')}@demo.edu.cn` };
    const input = caseInput(dir, await stack.now(), { reporter });

    // Worker 1 opens the case, takes it to rectification and through its first reminder.
    const first = await uncachedCaseWorker(env, deps, bundle, taskQueue);
    const running = first.run();
    const { handle } = await startCase(env, taskQueue, input);
    const s = steps(dir, handle);
    await s.rootCause();
    const v = await s.confirm();
    const d = v.deadlines.at(-1)!; // rectifying: 24 hours (repair, routine)
    const at = (f: number) =>
      Date.parse(d.startedAt) + Math.round(f * (Date.parse(d.due) - Date.parse(d.startedAt)));
    await stack.advanceTo(at(0.5) + SEC, handle);
    expect((await handle.query(caseViewQuery)).notices).toHaveLength(1);
    first.shutdown();
    await running;

    // No worker at all while the second reminder falls due: the timer fires, its task waits.
    await stack.advanceTo(at(0.9) + SEC);

    // Worker 2, a new process as far as the workflow knows: replays the history and goes on.
    const second = await caseWorker(env, deps, bundle, taskQueue);
    await second.runUntil(async () => {
      await settle(handle);
      const resumed = await handle.query(caseViewQuery);
      expect(resumed.notices.map((n) => [n.kind, n.stage])).toEqual([
        ['reminder', 'rectifying'],
        ['reminder', 'rectifying'],
      ]);
      await s.report();
      await s.review(true, '复查合格');
      await s.rate(reporter, 5, '满意');
      const final = await stack.result(handle);
      expect(final.stage).toBe('closed');
    });

    const zhou = emailOf(dir, 'staff-zhou');
    expect(await mailLog(input.caseId)).toEqual(
      [
        `整改 ${zhou}`,
        `待签字 ${zhou}`,
        `提醒 ${zhou}`,
        `提醒 ${zhou}`,
        `待复查 ${emailOf(dir, 'sup-wang')}`,
        `待复查 ${emailOf(dir, 'sup-smith')}`,
        `处理结果 ${reporter.email}`,
      ].sort(),
    );
    const chain = await readChain(deps.ddb, deps.tables, input.caseId);
    expect(verifyChain(chain, input.caseId)).toMatchObject({ ok: true });
    expect(chain.map((e) => e.action).filter((a) => a !== 'email_sent')).toEqual([
      'detected',
      'assigned',
      'root_cause_submitted',
      'deadline_set',
      'signed_off',
      'deadline_set',
      'reminder_sent',
      'reminder_sent',
      'rectification_reported',
      'deadline_set',
      'review_passed',
      'deadline_set',
      'follow_up_rated',
    ]);
    const outboxKeys = chain
      .filter((e) => e.action === 'email_sent')
      .map((e) => (e.payload as { payload: { outboxKey: string } }).payload.outboxKey);
    expect(outboxKeys).toHaveLength(7);
    expect(new Set(outboxKeys).size).toBe(outboxKeys.length);
    await saveHistory(handle, 'worker-restart');
  });
});
