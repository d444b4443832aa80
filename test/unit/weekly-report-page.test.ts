import { describe, expect, it } from 'vitest';
import { renderWeeklyReportPage } from '../../api/pages/weekly-report.tsx';
import { buildWeeklyDigests } from '../../domain/digest.ts';
import type { Directory } from '../../domain/directory.ts';
import type { Lang } from '../../domain/text.ts';
import { at, view } from '../support/views.ts';

const dir: Pick<Directory, 'buildings' | 'departments'> = {
  buildings: [
    {
      id: 'bldg-a',
      name: { zh: '学生公寓A栋', en: 'Dormitory A' },
      supervisorIds: ['sup-smith'],
      gridMemberIds: [],
      floors: [],
    },
  ],
  departments: [],
};
// Week 2026-W10 runs 2026-03-01T16:00Z .. 2026-03-08T16:00Z.
const MON = '2026-03-02T02:00:00.000Z';
const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const summary = buildWeeklyDigests({
  week: '2026-W10',
  timeZone: 'Asia/Shanghai',
  directory: dir,
  views: [
    view({
      caseId: 'w1',
      openedAt: MON,
      location: A101,
      deadlines: [['analysing', 'met']],
      closedAt: at(MON, 30),
      score: 5,
    }),
    view({ caseId: 'w2', openedAt: at(MON, 1), location: A101, deadlines: [['analysing', 'breached', 26]] }),
  ],
}).buildings[0]!;

const page = (lang?: Lang) =>
  renderWeeklyReportPage(summary, {
    title: dir.buildings[0]!.name,
    people: new Map([['staff-zhou', '周强']]),
    buildings: new Map(dir.buildings.map((b) => [b.id, b.name])),
    lang,
  });
/** The daily chart's legend, as drawn. */
const legend = (html: string) =>
  [...html.matchAll(/<rect x="\d+" y="4"[^>]*><\/rect><text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const verdicts = (html: string) => [
  ...new Set([...html.matchAll(/<span class="(?:ok|bad)">([^<]*)<\/span>/g)].map((m) => m[1])),
];

describe('the weekly report page’s chart legend and verdict marks follow the page’s language', () => {
  it('Chinese first on a Chinese page, as they always were', () => {
    const zh = page();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(legend(zh)).toEqual(['新开 opened', '结案 closed', '超时 late']);
    expect(verdicts(zh).sort()).toEqual(['✓ 达标 met', '✗ 未达标 missed']);
    expect(page('zh-CN')).toBe(zh);
  });

  it('English first on an English page', () => {
    const en = page('en');
    expect(en).toContain('<html lang="en">');
    expect(legend(en)).toEqual(['opened 新开', 'closed 结案', 'late 超时']);
    expect(verdicts(en).sort()).toEqual(['✓ met 达标', '✗ missed 未达标']);
    expect(en).not.toMatch(/新开 opened|达标 met|未达标 missed/);
  });
});
