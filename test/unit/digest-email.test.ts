import { describe, expect, it } from 'vitest';
import { buildWeeklyDigests } from '../../domain/digest.ts';
import type { Directory } from '../../domain/directory.ts';
import { ackReminderEmail, areaSummaryEmail, staffDigestEmail } from '../../domain/digest-email.ts';
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
const digests = buildWeeklyDigests({
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
    }),
    view({ caseId: 'w2', openedAt: at(MON, 1), location: A101, deadlines: [['analysing', 'breached', 26]] }),
  ],
});
const summary = digests.buildings[0]!;
const title = dir.buildings[0]!.name;
const mail = (lang: 'zh-CN' | 'en') =>
  areaSummaryEmail(summary, title, lang === 'en' ? 'Anna Smith' : '王建国', 'https://r.test/reports/t', lang);

describe('the weekly summary email puts its reader’s language first, as the case emails do', () => {
  it('in Chinese first for a reader of Chinese', () => {
    const zh = mail('zh-CN');
    expect(zh.subject).toBe('【周报 Weekly summary】2026-W10 学生公寓A栋 Dormitory A');
    expect(zh.text.split('\n')[0]).toBe(
      '王建国：学生公寓A栋 2026-W10 周汇总。 / Summary of Dormitory A for week 2026-W10.',
    );
    expect(zh.text).toContain('新开案件 opened: 2');
    expect(zh.text).toContain('指标 KPIs:');
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.html).toContain('查看报告 Open the report');
  });

  it('in English first for a reader of English: subject, opening line, labels and button', () => {
    const en = mail('en');
    expect(en.subject).toBe('【Weekly summary 周报】2026-W10 Dormitory A 学生公寓A栋');
    expect(en.text.split('\n')[0]).toBe(
      'Anna Smith: Summary of Dormitory A for week 2026-W10. / 学生公寓A栋 2026-W10 周汇总。',
    );
    expect(en.text).toContain('opened 新开案件: 2');
    expect(en.text).toContain('vs last week 较上周: opened 新开案件 +2');
    expect(en.text).toContain('KPIs 指标:');
    expect(en.text).toContain('Report 报告 (valid for 7 days 7 天内有效): https://r.test/reports/t');
    // Every KPI line names the KPI in English first.
    const kpiLines = en.text.split('\n').filter((l) => / \(target 目标 /.test(l));
    expect(kpiLines.length).toBeGreaterThan(0);
    for (const k of summary.kpis.filter((x) => x.value !== null && x.target !== null))
      expect(en.text).toContain(`${k.label.en} ${k.label.zh}: `);
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('<p>Anna Smith: Summary of Dormitory A');
    expect(en.html).toContain('Open the report 查看报告');
    // Nothing Chinese-first is left in the English text's labels.
    expect(en.text).not.toMatch(/新开案件 opened|指标 KPIs|报告 Report|周报 Weekly/);
  });
});

describe('the staff digest and its reminder put their reader’s language first too', () => {
  const staff = digests.staff[0]!;
  const url = 'https://r.test/actions/t';

  it('in Chinese first by default, as they always were', () => {
    const digest = staffDigestEmail(staff, '周强', url);
    expect(digest.subject).toBe(`【每周反馈 Weekly feedback】2026-W10 周强`);
    expect(digest.text.split('\n')[0]).toBe(
      '周强：以下是您 2026-W10 周的整改情况，请阅读后点击链接确认。 / Your rectification cases in week 2026-W10; please read and acknowledge.',
    );
    expect(digest.html).toContain('<html lang="zh-CN">');
    expect(digest.html).toContain('确认已阅 Acknowledge');
    expect(ackReminderEmail(staff, '周强', url).subject).toBe(
      '【提醒 Reminder】请确认 2026-W10 周反馈 Please acknowledge your week 2026-W10 feedback',
    );
  });

  it('in English first for a reader of English: subject, opening line, counts and button', () => {
    const digest = staffDigestEmail(staff, 'Lee Wei', url, 'en');
    expect(digest.subject).toBe('【Weekly feedback 每周反馈】2026-W10 Lee Wei');
    expect(digest.text.split('\n')[0]).toBe(
      'Lee Wei: Your rectification cases in week 2026-W10; please read and acknowledge. / 以下是您 2026-W10 周的整改情况，请阅读后点击链接确认。',
    );
    expect(digest.text).toContain('opened 新开案件: ');
    expect(digest.text).toContain(`Acknowledge 确认: ${url}`);
    expect(digest.html).toContain('<html lang="en">');
    expect(digest.html).toContain('Acknowledge 确认已阅');
    const reminder = ackReminderEmail(staff, 'Lee Wei', url, 'en');
    expect(reminder.subject).toBe(
      '【Reminder 提醒】Please acknowledge your week 2026-W10 feedback 请确认 2026-W10 周反馈',
    );
    expect(reminder.text.split('\n')[0]).toMatch(/^Lee Wei: You have not yet acknowledged/);
  });
});
