import { describe, expect, it } from 'vitest';
import { searchKeys } from '../../workflows/rectification-case/messages.ts';
import { caseInput, settle, startCase, steps, useCaseStack } from '../support/case-harness.ts';

const stack = useCaseStack();

describe('search attributes', () => {
  it('keep building, stage, severity, assignee and overdue current through the case', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), {
        severity: 'urgent',
        location: { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B102' },
        assigneeId: 'staff-wu',
      });
      const { handle, view } = await startCase(env, tq, input);
      const attrs = async () => {
        await settle(handle);
        const d = await handle.describe();
        return {
          building: d.typedSearchAttributes.get(searchKeys.building),
          stage: d.typedSearchAttributes.get(searchKeys.stage),
          severity: d.typedSearchAttributes.get(searchKeys.severity),
          assignee: d.typedSearchAttributes.get(searchKeys.assignee),
          overdue: d.typedSearchAttributes.get(searchKeys.overdue),
        };
      };
      const base = { building: 'bldg-b', severity: 'urgent' };
      expect(await attrs()).toEqual({ ...base, stage: 'analysing', assignee: 'staff-wu', overdue: false });

      // repair/urgent: on site within 30 minutes; past it the case is overdue.
      const due = Date.parse(view.deadlines[0]!.due);
      for (const f of [0.5, 0.9]) {
        const start = Date.parse(view.deadlines[0]!.startedAt);
        await stack.advanceTo(start + Math.round(f * (due - start)) + 1_000, handle);
      }
      await stack.advanceTo(due + 1_000, handle);
      expect(await attrs()).toEqual({ ...base, stage: 'analysing', assignee: 'staff-wu', overdue: true });

      const s = steps(dir, handle);
      await s.rootCause('sup-li', 'staff-zhao');
      expect(await attrs()).toEqual({
        ...base,
        stage: 'awaiting_signoff',
        assignee: 'staff-zhao',
        overdue: false,
      });
      await s.confirm('staff-zhao');
      expect((await attrs()).stage).toBe('rectifying');
      await s.withdraw('test over', 'sup-li');
      expect((await attrs()).stage).toBe('withdrawn');
      await stack.result(handle);
    });
  });
});
