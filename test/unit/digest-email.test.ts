import { describe, expect, it } from 'vitest';
import { buildDailyBrief, buildWeeklyDigests } from '../../domain/digest.ts';
import type { Directory } from '../../domain/directory.ts';
import {
  ackEscalationEmail,
  ackReminderEmail,
  areaSummaryEmail,
  dailyBriefEmail,
  departmentDigestEmail,
  departmentEscalationEmail,
  staffDigestEmail,
} from '../../domain/digest-email.ts';
import { at, view } from '../support/views.ts';

const dir: Pick<Directory, 'buildings' | 'departments'> = {
  buildings: [
    {
      id: 'bldg-a',
      name: { zh: '学生公寓A栋', en: 'Dormitory A' },
      supervisorIds: ['sup-smith'],
      gridMemberIds: [],
      floors: [
        {
          id: 'a-f1',
          name: { zh: '1层', en: 'Floor 1' },
          gridMemberIds: [],
          clusters: [{ id: 'a-f1-c1', gridMemberIds: [], rooms: ['A101', 'A102'] }],
        },
      ],
    },
  ],
  departments: [
    {
      id: 'cs',
      name: { zh: '计算机学院', en: 'School of Computer Science' },
      contactIds: ['dept-cs'],
      rooms: ['A101'],
    },
  ],
};
// Week 2026-W10 runs 2026-03-01T16:00Z .. 2026-03-08T16:00Z.
const MON = '2026-03-02T02:00:00.000Z';
const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const views = [
  view({
    caseId: 'w1',
    openedAt: MON,
    source: 'inspection',
    location: A101,
    deadlines: [['analysing', 'met']],
    closedAt: at(MON, 30),
  }),
  view({
    caseId: 'w2',
    openedAt: at(MON, 1),
    source: 'inspection',
    location: A101,
    deadlines: [['analysing', 'breached', 26]],
  }),
];
const digests = buildWeeklyDigests({ week: '2026-W10', timeZone: 'Asia/Shanghai', directory: dir, views });
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

const firstLine = (m: { text: string }) => m.text.split('\n')[0];

describe('the escalation of an unacknowledged digest is in its supervisor’s language first', () => {
  const staff = digests.staff[0]!;

  it('in Chinese first by default, as it always was', () => {
    const zh = ackEscalationEmail(staff, '周强', '王建国');
    expect(zh.subject).toBe('【未确认 Not acknowledged】周强 2026-W10 周反馈 weekly feedback');
    expect(firstLine(zh)).toBe(
      '王建国：周强 未在期限内确认 2026-W10 周的整改反馈，请跟进。 / 周强 has not acknowledged the week 2026-W10 feedback in time; please follow up.',
    );
    expect(zh.text).toContain('新开案件 opened: 2');
    expect(zh.text).toContain('w1 case w1 (学生公寓A栋 A101): 新 new, 结案 closed');
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(ackEscalationEmail(staff, '周强', '王建国', 'zh-CN')).toEqual(zh);
  });

  it('in English first for a reader of English: subject, opening line, counts, case marks and lang', () => {
    const en = ackEscalationEmail(staff, '周强', 'Anna Smith', 'en');
    expect(en.subject).toBe('【Not acknowledged 未确认】周强 weekly feedback 2026-W10 周反馈');
    expect(firstLine(en)).toBe(
      'Anna Smith: 周强 has not acknowledged the week 2026-W10 feedback in time; please follow up. / 周强 未在期限内确认 2026-W10 周的整改反馈，请跟进。',
    );
    expect(en.text).toContain('opened 新开案件: 2');
    expect(en.text).toContain('w1 case w1 (Dormitory A, A101): new 新, closed 结案');
    expect(en.text).toContain('w2 case w2 (Dormitory A, A101): new 新, late 超时 ×1');
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('<p>Anna Smith: 周强 has not acknowledged');
  });
});

describe('the department mails are in their reader’s language first', () => {
  const dept = digests.departments[0]!;
  const items = dept.items.map((item, i) => ({ item, url: `https://r.test/actions/${i}` }));

  it('in Chinese first by default, as they always were', () => {
    const digest = departmentDigestEmail(dept, '陈明', items, false);
    expect(digest.subject).toBe(
      '【学生情况反馈 Student feedback】2026-W10 计算机学院 School of Computer Science',
    );
    expect(firstLine(digest)).toBe(
      '陈明：2026-W10 周涉及贵院学生的情况如下，请逐条跟进后点击“已处理”。 / Cases concerning your students in week 2026-W10: please follow up on each and mark it handled.',
    );
    expect(digest.text).toContain('  已处理 Mark handled: https://r.test/actions/0');
    expect(digest.html).toContain('<html lang="zh-CN">');
    expect(digest.html).toContain('>已处理 Mark handled</a>');
    expect(departmentDigestEmail(dept, '陈明', items, true).subject).toBe(
      '【提醒 Reminder】【学生情况反馈 Student feedback】2026-W10 计算机学院 School of Computer Science',
    );
    const escalation = departmentEscalationEmail(dept, dept.items, '陈明');
    expect(escalation.subject).toBe(
      '【院系跟进未完成 Department follow-ups open】2026-W10 计算机学院 School of Computer Science',
    );
    expect(firstLine(escalation)).toBe(
      '陈明：计算机学院 对 2026-W10 周的以下情况仍未标记处理。 / School of Computer Science has not marked these week 2026-W10 follow-ups handled.',
    );
    expect(escalation.html).toContain('<html lang="zh-CN">');
  });

  it('in English first for a reader of English: subject, opening line, asks, button and lang', () => {
    const digest = departmentDigestEmail(dept, 'Anna Smith', items, false, 'en');
    expect(digest.subject).toBe(
      '【Student feedback 学生情况反馈】2026-W10 School of Computer Science 计算机学院',
    );
    expect(firstLine(digest)).toBe(
      'Anna Smith: Cases concerning your students in week 2026-W10: please follow up on each and mark it handled. / 2026-W10 周涉及贵院学生的情况如下，请逐条跟进后点击“已处理”。',
    );
    const ask = dept.items[0]!.ask;
    expect(digest.text).toContain(`— ${ask.en} ${ask.zh}`);
    expect(digest.text).toContain('  Mark handled 已处理: https://r.test/actions/0');
    expect(digest.html).toContain('<html lang="en">');
    expect(digest.html).toContain('>Mark handled 已处理</a>');
    expect(departmentDigestEmail(dept, 'Anna Smith', items, true, 'en').subject).toBe(
      '【Reminder 提醒】【Student feedback 学生情况反馈】2026-W10 School of Computer Science 计算机学院',
    );
    const escalation = departmentEscalationEmail(dept, dept.items, 'Anna Smith', 'en');
    expect(escalation.subject).toBe(
      '【Department follow-ups open 院系跟进未完成】2026-W10 School of Computer Science 计算机学院',
    );
    expect(firstLine(escalation)).toBe(
      'Anna Smith: School of Computer Science has not marked these week 2026-W10 follow-ups handled. / 计算机学院 对 2026-W10 周的以下情况仍未标记处理。',
    );
    expect(escalation.html).toContain('<html lang="en">');
  });
});

describe('the morning brief is in its supervisor’s language first', () => {
  // The morning after w1 and w2 were opened: both are yesterday's new cases.
  const brief = buildDailyBrief({
    date: '2026-03-03',
    timeZone: 'Asia/Shanghai',
    buildingId: 'bldg-a',
    views,
    directory: dir,
  });

  it('in Chinese first by default, as it always was', () => {
    const zh = dailyBriefEmail(brief, title, '王建国');
    expect(zh.subject).toBe('【晨会简报 Morning brief】2026-03-03 学生公寓A栋 Dormitory A');
    expect(firstLine(zh)).toBe(
      '王建国：学生公寓A栋 昨日情况与今日到期事项。 / Yesterday at Dormitory A, and what falls due today.',
    );
    expect(zh.text).toContain('昨日新开 new yesterday (2):\nw1 case w1 (学生公寓A栋 A101): 新 new');
    expect(zh.text).toContain('昨日结案 closed yesterday (0):\n无 none');
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(dailyBriefEmail(brief, title, '王建国', 'zh-CN')).toEqual(zh);
  });

  it('in English first for a reader of English: subject, opening line, sections and lang', () => {
    const en = dailyBriefEmail(brief, title, 'Anna Smith', 'en');
    expect(en.subject).toBe('【Morning brief 晨会简报】2026-03-03 Dormitory A 学生公寓A栋');
    expect(firstLine(en)).toBe(
      'Anna Smith: Yesterday at Dormitory A, and what falls due today. / 学生公寓A栋 昨日情况与今日到期事项。',
    );
    expect(en.text).toContain('new yesterday 昨日新开 (2):\nw1 case w1 (Dormitory A, A101): new 新');
    expect(en.text).toContain('closed yesterday 昨日结案 (0):\nnone 无');
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('<h3>due today 今日到期 (0):</h3>');
    expect(en.text).not.toMatch(/晨会简报 Morning|昨日新开 new|无 none/);
  });

  // Opened the week before; its rectification falls due this morning at 17:30 in Shanghai (09:30 UTC).
  const d1 = view({
    caseId: 'd1',
    openedAt: '2026-02-27T02:00:00.000Z',
    location: A101,
    stage: 'rectifying',
    deadlines: [['rectifying', 'pending', 102.5]],
  });
  const briefIn = (timeZone: string) =>
    buildDailyBrief({
      date: '2026-03-03',
      timeZone,
      buildingId: 'bldg-a',
      views: [...views, d1],
      directory: dir,
    });
  const dueSection = (m: { text: string }) =>
    m.text
      .split('\n\n')
      .find((s) => /^(今日到期|due today) /.test(s))
      ?.trimEnd();

  it('names a deadline due today by its stage’s label and its time on the campus clock, in the reader’s order', () => {
    const brief = briefIn('Asia/Shanghai');
    expect(brief.dueToday.map((d) => d.due)).toEqual(['2026-03-03T09:30:00.000Z']);
    const zh = dailyBriefEmail(brief, title, '王建国');
    expect(dueSection(zh)).toBe(
      '今日到期 due today (1):\nd1 case d1 (学生公寓A栋 A101) 整改 rectification → 17:30',
    );
    expect(zh.html).toContain('<li>d1 case d1 (学生公寓A栋 A101) 整改 rectification → 17:30</li>');
    const en = dailyBriefEmail(brief, title, 'Anna Smith', 'en');
    expect(dueSection(en)).toBe(
      'due today 今日到期 (1):\nd1 case d1 (Dormitory A, A101) rectification 整改 → 17:30',
    );
    for (const m of [zh, en]) expect(m.text + m.html).not.toMatch(/rectifying|T09:30/);
  });

  it('reads the deadline on the clock of the campus the brief was built for', () => {
    const brief = briefIn('UTC');
    expect(dueSection(dailyBriefEmail(brief, title, 'Anna Smith', 'en'))).toBe(
      'due today 今日到期 (1):\nd1 case d1 (Dormitory A, A101) rectification 整改 → 09:30',
    );
  });
});

describe('a case titled in both languages (a failed 6T item’s) reads in its reader’s order', () => {
  const failed = '1.2 物品定位摆放 不合格 / 1.2 Items kept in place: failed';
  const zhFirst = '1.2 物品定位摆放 不合格 / 1.2 Items kept in place: failed';
  const enFirst = '1.2 Items kept in place: failed / 1.2 物品定位摆放 不合格';
  // Opened on the Monday, its analysis due the next morning at 10:00 in Shanghai.
  const t1 = view({
    caseId: 't1',
    title: failed,
    source: 'inspection',
    openedAt: MON,
    location: A101,
    stage: 'analysing',
    deadlines: [['analysing', 'pending', 23]],
  });
  const week = buildWeeklyDigests({
    week: '2026-W10',
    timeZone: 'Asia/Shanghai',
    directory: dir,
    views: [t1],
  });
  const staff = week.staff[0]!;
  const dept = week.departments[0]!;
  const items = dept.items.map((item) => ({ item, url: 'https://r.test/actions/0' }));
  const brief = buildDailyBrief({
    date: '2026-03-03',
    timeZone: 'Asia/Shanghai',
    buildingId: 'bldg-a',
    views: [t1],
    directory: dir,
  });

  it('Chinese half first for a reader of Chinese: digest, escalation, department mails and brief', () => {
    for (const m of [
      staffDigestEmail(staff, '周强', 'https://r.test/a'),
      ackEscalationEmail(staff, '周强', '王建国'),
      departmentDigestEmail(dept, '陈明', items, false),
      departmentEscalationEmail(dept, dept.items, '陈明'),
    ])
      expect(m.text).toContain(`t1 ${zhFirst} (学生公寓A栋 A101)`);
    const zh = dailyBriefEmail(brief, title, '王建国');
    expect(zh.text).toContain(`昨日新开 new yesterday (1):\nt1 ${zhFirst} (学生公寓A栋 A101): 新 new`);
    expect(zh.text).toContain(`t1 ${zhFirst} (学生公寓A栋 A101) 原因分析 analysis → 10:00`);
  });

  it('English half first for a reader of English, each half once', () => {
    for (const m of [
      staffDigestEmail(staff, 'Lee Wei', 'https://r.test/a', 'en'),
      ackEscalationEmail(staff, '周强', 'Anna Smith', 'en'),
      departmentDigestEmail(dept, 'Anna Smith', items, false, 'en'),
      departmentEscalationEmail(dept, dept.items, 'Anna Smith', 'en'),
    ]) {
      expect(m.text).toContain(`t1 ${enFirst} (Dormitory A, A101)`);
      expect(m.html).toContain(`t1 ${enFirst} (Dormitory A, A101)`);
    }
    const en = dailyBriefEmail(brief, title, 'Anna Smith', 'en');
    expect(en.text).toContain(`new yesterday 昨日新开 (1):\nt1 ${enFirst} (Dormitory A, A101): new 新`);
    expect(en.text).toContain(`t1 ${enFirst} (Dormitory A, A101) analysis 原因分析 → 10:00`);
    expect(en.text.split('物品定位摆放').length).toBe(en.text.split('Items kept in place').length);
  });

  it('a title written English first reads Chinese first for a reader of Chinese; one language as written', () => {
    const reversed = buildDailyBrief({
      date: '2026-03-03',
      timeZone: 'Asia/Shanghai',
      buildingId: 'bldg-a',
      views: [{ ...t1, title: enFirst }],
    });
    expect(dailyBriefEmail(reversed, title, '王建国').text).toContain(`t1 ${zhFirst} (`);
    const plain = buildDailyBrief({
      date: '2026-03-03',
      timeZone: 'Asia/Shanghai',
      buildingId: 'bldg-a',
      views: [{ ...t1, title: '宿舍 / 走廊灯不亮' }],
    });
    expect(dailyBriefEmail(plain, title, 'Anna Smith', 'en').text).toContain('t1 宿舍 / 走廊灯不亮 (');
  });
});
