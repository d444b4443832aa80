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
      // The opening record is the whole view; every later one only its change.
      expect(steps[0]?.change).toBeUndefined();
      expect(steps.slice(1).every((s) => s.change !== undefined)).toBe(true);
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
      // The next record was refused as a change (nothing appended), then written whole.
      expect(steps[bumpedAt]?.change).toBeUndefined();
      expect(steps[bumpedAt]?.view).toBeDefined();
      expect(steps.slice(bumpedAt + 1).every((s) => s.change !== undefined)).toBe(true);
      expect(steps.find((s) => s.action === 'signed_off')?.view.stage).toBe('rectifying');
      expect(record?.version).toBe(view.version);
    });
    // The case carries on as changes from the record it wrote whole; nothing went stuck.
    await handle.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: responsible, summary: 'done', evidence: [] }],
    });
    await eventually(() => {
      const { steps } = stack.of(handle.workflowId);
      expect(steps.find((s) => s.action === 'rectification_reported')?.change).toBeDefined();
    });
    const after = await handle.query<{ stuck?: unknown[] }>('caseView');
    expect(after.stuck ?? []).toEqual([]);
  });
});
