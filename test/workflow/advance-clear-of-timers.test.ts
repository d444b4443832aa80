import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { advanceClearOfTimers, caseInput, startCase, steps, useCaseStack } from '../support/case-harness.ts';

// Tuesday 9 May 2023, 09:00 in Shanghai: the simulated month's (weekly-month) second day, whose
// urgent repair C2 is analysed at 10:00, an hour after it opened.
const stack = useCaseStack({ startAt: new Date('2023-05-09T09:00:00+08:00') });
const MIN = 60_000;
const GUARD = 30_000;

/** When each timer the run ever started was due, fired or not (ms on the server's clock). */
async function everyTimerDue(handle: WorkflowHandle): Promise<number[]> {
  const ms = (t?: { seconds?: unknown; nanos?: number | null } | null) =>
    Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
  return ((await handle.fetchHistory()).events ?? []).flatMap((e) =>
    e.timerStartedEventAttributes
      ? [ms(e.eventTime) + ms(e.timerStartedEventAttributes.startToFireTimeout)]
      : [],
  );
}

describe('moving the clock clear of timers (time-skipping)', () => {
  it('lands short of a timer that the leap itself starts, so a step there cannot race it', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const opened = (await stack.now()).getTime();
      const { handle } = await startCase(env, tq, caseInput(dir, new Date(opened), { severity: 'urgent' }));
      const step = opened + 60 * MIN;
      // Analysis breaches 30 minutes in; its first rung comes a stage length (30 minutes) after the
      // breach, a few real milliseconds past the hour, but only the breach starts that timer.
      expect((await everyTimerDue(handle)).filter((d) => d >= step && d < step + GUARD)).toEqual([]);

      await advanceClearOfTimers(stack, step, () => [handle]);

      const now = (await stack.now()).getTime();
      const rung = (await everyTimerDue(handle)).filter((d) => d >= step && d < step + GUARD);
      expect(rung).toHaveLength(1);
      // Landing on the hour left the rung a few hundred real milliseconds after the step, and the
      // server refused the step's task when the rung fired first (sdk-java#3088).
      expect(rung[0]! - now).toBeGreaterThan(GUARD / 2);
      // The step comes first, as the month's timeline means it to: the breach's own rung went out
      // at the breach, the next one never does.
      const view = await steps(dir, handle).rootCause();
      expect(view.stage).toBe('awaiting_signoff');
      const escalations = view.notices.filter((n) => n.kind === 'escalation').map((n) => Date.parse(n.at));
      expect(escalations.length).toBeGreaterThan(0);
      expect(escalations.filter((at) => at >= step - GUARD)).toEqual([]);
    });
  });
});
