import { describe, expect, it } from 'vitest';
import { feedbackScheduleSpecs, schedulesFromEnv } from '../../infra/schedules.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The duration strings the specs use ('28 days', '4 hours'); the stack test reads Temporal's own value. */
function msToNumber(d: string): number {
  const m = /^(\d+) (days?|hours?)$/.exec(d);
  if (!m) throw new Error(`unexpected duration '${d}'`);
  return Number(m[1]) * (m[2]?.startsWith('day') ? DAY : HOUR);
}

describe('the feedback schedules', () => {
  const [weekly, daily] = feedbackScheduleSpecs({ timeZone: 'Asia/Shanghai' });

  // Each weekly run reports the week before its own scheduled time, and the next Monday reports
  // only its own week: a missed Monday outside the catch-up window is a week never reported.
  it.each([1, 6, 7, 13, 27])('catches up a Monday missed in an outage of %i days', (days) => {
    expect(msToNumber(weekly?.catchupWindow ?? '0')).toBeGreaterThan(days * DAY);
  });

  it('keeps the weekly window at four weeks, and the morning brief to its morning', () => {
    expect(msToNumber(weekly?.catchupWindow ?? '0')).toBe(28 * DAY);
    expect(weekly).toMatchObject({ cron: '0 8 * * 1', overlap: 'ALLOW_ALL' });
    expect(msToNumber(daily?.catchupWindow ?? '0')).toBe(4 * HOUR);
  });

  it('builds the same policies from the environment', () => {
    const specs = schedulesFromEnv({ CAMPUS_TZ: 'Asia/Shanghai' }, { AUDIT_ANCHOR_CRON: '15 3 * * *' });
    expect(specs.find((s) => s.scheduleId === 'rectify-weekly-feedback')?.catchupWindow).toBe(
      weekly?.catchupWindow,
    );
    expect(specs.find((s) => s.scheduleId === 'rectify-audit-anchor')?.cron).toBe('15 3 * * *');
  });
});

describe('the daily calendar check', () => {
  it('runs every day at 09:00 campus time, or when CALENDAR_WATCH_CRON says', () => {
    const at9 = schedulesFromEnv({ CAMPUS_TZ: 'Asia/Shanghai' }, {}).find(
      (s) => s.scheduleId === 'rectify-calendar-watch',
    );
    expect(at9).toMatchObject({
      workflowType: 'calendarWatch',
      cron: '0 9 * * *',
      timeZone: 'Asia/Shanghai',
    });
    expect(at9?.args).toEqual([{ config: { timeZone: 'Asia/Shanghai' } }]);
    const custom = schedulesFromEnv(
      { CAMPUS_TZ: 'Asia/Shanghai' },
      { CALENDAR_WATCH_CRON: '30 8 * * *' },
    ).find((s) => s.scheduleId === 'rectify-calendar-watch');
    expect(custom?.cron).toBe('30 8 * * *');
    expect(() => schedulesFromEnv({ CAMPUS_TZ: 'Asia/Shanghai' }, { CALENDAR_WATCH_CRON: 'daily' })).toThrow(
      /CALENDAR_WATCH_CRON/,
    );
  });
});
