import { describe, expect, it } from 'vitest';
import {
  missingReason,
  missingReportText,
  WeeklyReportList,
  type MissingReportContext,
} from '../../api/pages/app/weekly-report-list.tsx';

/**
 * Why a week has no report: a public area's report is built only for weeks with cases there, and
 * weeks before the system's first report never have one. Both read "not built yet" before.
 */
const area: MissingReportContext = {
  firstWeek: '2026-W45',
  publicArea: true,
  campusWeeks: new Set(['2026-W45', '2026-W46', '2026-W48', '2026-W49']),
};

describe('a week without a weekly report', () => {
  it('of a public area whose campus report was built: no cases there that week', () => {
    expect(missingReason('2026-W49', area)).toBe('no_cases');
    expect(missingReportText('2026-W49', '第一食堂', area).zh).toBe(
      '第一食堂 2026-W49 没有案件，因此没有该周的周报（公共区域只在有案件的周生成周报）。请从下列各周中选择。',
    );
    // The campus report not built either: not built yet.
    expect(missingReason('2026-W47', area)).toBe('not_built');
    // A dormitory's report is built every week: a missing one is not built yet.
    expect(missingReason('2026-W49', { ...area, publicArea: false })).toBe('not_built');
  });

  it('before the system’s first report says so, whatever the place', () => {
    expect(missingReason('2020-W10', area)).toBe('before_first');
    expect(missingReportText('2020-W10', 'Dormitory A', { ...area, publicArea: false }).en).toBe(
      "2020-W10 is before the system's first weekly report (2026-W45), so there is no report of Dormitory A for it. Pick one of the weeks below.",
    );
    // Before any report was built, a missing week is simply not built yet.
    expect(missingReason('2020-W10', { ...area, firstWeek: null })).toBe('not_built');
  });

  it('the list of recent weeks says each one’s reason', async () => {
    const html = String(
      await WeeklyReportList({
        reports: ['2026-W49', '2026-W44'].map((week) => ({ week, from: '', stored: false, summary: null })),
        buildingId: 'area-canteen-1',
        lang: 'en',
        missing: area,
      }).toString(),
    );
    expect(html).toContain('2026-W49: no cases at this place that week, so no report');
    expect(html).toContain('2026-W44: before the system&#39;s first report (2026-W45), so none');
    expect(html).not.toContain('not built yet');
  });

  it('before the system’s first report: a run of weeks is one line, not one each saying the same', async () => {
    const none: MissingReportContext = {
      firstWeek: null,
      publicArea: false,
      campusWeeks: new Set(),
      nextBuild: { at: '2026-12-14T00:00:00.000Z', date: '2026-12-14', time: '08:00', week: '2026-W50' },
    };
    const reports = Array.from({ length: 8 }, (_, i) => `2026-W${49 - i}`).map((week) => ({
      week,
      from: '',
      stored: false,
      summary: null,
    }));
    const list = async (lang: 'zh-CN' | 'en') =>
      String(await WeeklyReportList({ reports, buildingId: undefined, lang, missing: none }).toString());
    const zh = await list('zh-CN');
    expect(zh.match(/data-missing="before_first"/g)).toHaveLength(1);
    expect(zh).toContain(
      '2026-W42 – 2026-W49：早于系统的第一份周报（2026-W50，将于 2026-12-14（周一）08:00 生成），没有周报',
    );
    const en = await list('en');
    expect(en.match(/data-missing="before_first"/g)).toHaveLength(1);
    expect(en).toContain(
      '2026-W42 – 2026-W49: before the system&#39;s first report (2026-W50, to be built Monday 2026-12-14 at 08:00), so none',
    );
  });
});
