import { describe, expect, it } from 'vitest';
import {
  missingReason,
  missingWeekText,
  type MissingReportContext,
} from '../../api/pages/app/weekly-report-list.tsx';
import { nextWeeklyBuild, weeklyBuildText, WEEKLY_REPORT_CRON } from '../../domain/weekly-build.ts';

const TZ = 'Asia/Shanghai';
// Monday 7 December 2026, 19:14 UTC: 03:14 on Tuesday 8 December in Shanghai (2026-W50).
const NOW = '2026-12-07T19:14:00.000Z';

describe('the next weekly build', () => {
  it('is the next Monday 08:00 campus time, reporting the week before it', () => {
    expect(WEEKLY_REPORT_CRON).toBe('0 8 * * 1');
    const next = nextWeeklyBuild(NOW, TZ);
    expect(next).toEqual({
      at: '2026-12-14T00:00:00.000Z',
      date: '2026-12-14',
      time: '08:00',
      week: '2026-W50',
    });
    expect(weeklyBuildText(next!)).toEqual({
      zh: '2026-12-14（周一）08:00',
      en: 'Monday 2026-12-14 at 08:00',
    });
    // Before Monday's 08:00 the build still to come is today's, of the week before.
    expect(nextWeeklyBuild('2026-12-06T23:00:00.000Z', TZ)?.week).toBe('2026-W49');
    expect(nextWeeklyBuild(NOW, TZ, 'not a cron')).toBeNull();
  });
});

describe('a week with no report, before the system built any', () => {
  const ctx: MissingReportContext = {
    firstWeek: null,
    publicArea: false,
    campusWeeks: new Set(),
    nextBuild: nextWeeklyBuild(NOW, TZ),
  };

  it('is before the first report, not "not built yet", when the next build reports a later week', () => {
    for (const week of ['2026-W42', '2026-W45', '2026-W49']) {
      expect(missingReason(week, ctx), week).toBe('before_first');
      expect(missingWeekText(week, ctx).en).toBe(
        `${week}: before the system's first report (2026-W50, to be built Monday 2026-12-14 at 08:00), so none`,
      );
    }
  });

  it('the week the next build reports says when', () => {
    expect(missingReason('2026-W50', ctx)).toBe('pending');
    expect(missingWeekText('2026-W50', ctx)).toEqual({
      zh: '2026-W50 的周报将于 2026-12-14（周一）08:00 生成',
      en: '2026-W50 is built Monday 2026-12-14 at 08:00',
    });
  });

  it('once a report is built, a week after it the build missed is "not built yet"', () => {
    const built = { ...ctx, firstWeek: '2026-W44' };
    expect(missingReason('2026-W43', built)).toBe('before_first');
    expect(missingReason('2026-W47', built)).toBe('not_built');
    expect(missingReason('2026-W50', built)).toBe('pending');
  });
});
