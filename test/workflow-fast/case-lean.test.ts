import { describe, expect, it } from 'vitest';
import {
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { eventually, caseInput, people, useFastStack } from './harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';

// The lean case (patch `lean-case`): a step answers a small acknowledgement and its record
// carries what it changed, not the whole view; the record the store builds from the changes is
// the case's view all the same.
const stack = useFastStack();
const { supervisor, assignee, responsible } = people;
const rootCause = {
  actor: assignee,
  causes: ['阀芯老化 worn valve'],
  responsibleId: responsible.id,
  plan: '更换阀芯 replace the valve',
};

describe('the lean case (stub activities)', () => {
  it('answers each step with where the case is, and records each step as its change', async () => {
    const { handle } = await stack.start(caseInput());
    const ack = await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    const view = await handle.query<{ version: number; deadlines: { due: string; closedAt?: string }[] }>(
      'caseView',
    );
    expect(Object.keys(ack).sort()).toEqual(['caseId', 'due', 'round', 'stage', 'version']);
    expect(ack).toEqual({
      caseId: handle.workflowId,
      stage: 'awaiting_signoff',
      round: 1,
      version: view.version,
      due: view.deadlines.find((d) => !d.closedAt)?.due,
    });
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] });
    await handle.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: responsible, summary: '已更换 replaced', evidence: ['photo-1'] }],
    });
    const closed = await handle.executeUpdate(reviewUpdate, {
      args: [{ actor: supervisor, passed: true, notes: 'ok' }],
    });
    expect(closed).toMatchObject({ stage: 'closed', round: 1 });
    expect(closed).not.toHaveProperty('timeline');
    // The case's result is where it ended, not its whole view: that stays with the query.
    const result = await handle.result();
    expect(result).toEqual({
      caseId: handle.workflowId,
      stage: 'closed',
      round: 1,
      version: expect.any(Number),
    });
    const final = await viewAfterStep(handle, result);
    expect(final.version).toBe(result.version);

    await eventually(() => {
      const { steps, record } = stack.of(handle.workflowId);
      // The opening's records are whole views; after them no record carries the whole view, and
      // each transition's last record carries its change.
      const opening = steps.findIndex((s) => s.action === 'assigned');
      expect(steps.slice(0, opening + 1).every((s) => s.whole)).toBe(true);
      const later = steps.slice(opening + 1);
      expect(later.some((s) => s.whole)).toBe(false);
      expect(later.filter((s) => s.change !== undefined).map((s) => s.action)).toEqual(
        expect.arrayContaining(['deadline_set', 'closed']),
      );
      expect(steps.length).toBeGreaterThan(5);
      // What the store made of the changes is the view the case ended with.
      expect(record).toEqual(JSON.parse(JSON.stringify(final)));
    });
    const { steps } = stack.of(handle.workflowId);
    const last = steps.at(-1)!;
    // A change is a fraction of the view it makes.
    expect(JSON.stringify(last.change).length).toBeLessThan(JSON.stringify(last.view).length / 2);
  });

  it('sends the whole view when the stored record is not at the change’s base', async () => {
    const { handle } = await stack.start(caseInput());
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    await eventually(() => expect(stack.of(handle.workflowId).record?.stage).toBe('awaiting_signoff'));
    // Another writer moved the record on (as a run before a reset would have).
    const e = stack.of(handle.workflowId);
    e.record = { ...e.record!, version: e.record!.version + 100 };
    const bumpedAt = e.steps.length;
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] });
    const view = await handle.query<{ version: number; stage: string }>('caseView');
    await eventually(() => {
      const { steps, record } = stack.of(handle.workflowId);
      // The sign-off's change was refused (nothing appended from it), then written whole: the
      // one whole record since, the last of the sign-off's transition.
      const since = steps.slice(bumpedAt);
      expect(since.filter((s) => s.whole).map((s) => [s.action, s.view.stage])).toEqual([
        ['deadline_set', 'rectifying'],
      ]);
      expect(since.map((s) => s.action).slice(0, 2)).toEqual(['signed_off', 'deadline_set']);
      expect(record?.version).toBe(view.version);
    });
    // The case carries on as changes from the record it wrote whole; nothing went stuck.
    await handle.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: responsible, summary: 'done', evidence: [] }],
    });
    await eventually(() => {
      const { steps } = stack.of(handle.workflowId);
      const reported = steps.findIndex((s) => s.action === 'rectification_reported');
      expect(reported).toBeGreaterThan(0);
      // Its transition (the report, then the review stage's deadline) is written as a change again.
      expect(steps[reported + 1]).toMatchObject({ action: 'deadline_set', whole: false });
      expect(steps[reported + 1]?.change).toBeDefined();
    });
    const after = await handle.query<{ stuck?: unknown[] }>('caseView');
    expect(after.stuck ?? []).toEqual([]);
  });
});
