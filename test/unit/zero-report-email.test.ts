import { describe, expect, it } from 'vitest';
import { noAutolink } from '../../domain/no-autolink.ts';
import { gridCells, type ZeroReport } from '../../domain/zero-report.ts';
import { askMail, escalationMail, summaryMail } from '../../domain/zero-report-email.ts';
import { demoDirectory } from '../support/stack.ts';

const dir = await demoDirectory();
const cells = gridCells(dir);
const cell = (id: string) => {
  const c = cells.find((x) => x.cellId === id);
  if (!c) throw new Error(`no cell ${id}`);
  return c;
};
const buildingA = cells.filter((c) => c.buildingId === 'bldg-a');

const NIGHT = '2026-12-06';
const BOARD = `https://rectify.example.edu/zero-report/${NIGHT}`;
const NONE = `https://rectify.example.edu/actions/${'eyJhbGciOiJFZERTQSJ9'.repeat(20)}.${'s'.repeat(86)}`;

/** What a reader sees of the HTML part: the text between the tags. */
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const anchors = (html: string) => [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);

const ask = (lang: 'zh-CN' | 'en') =>
  askMail(lang, {
    night: NIGHT,
    cell: cell('L3:a-f1-c1'),
    name: '李明',
    noneUrl: NONE,
    reportUrl: `${BOARD}/report`,
    boardUrl: BOARD,
    closeText: '22:40',
  });

const report = (cellId: string, over: Partial<ZeroReport> = {}): ZeroReport => ({
  night: NIGHT,
  cellId,
  personId: 'grid-a1c1',
  at: `${NIGHT}T14:25:00.000Z`,
  none: true,
  late: [],
  absent: [],
  via: 'api',
  afterClose: false,
  ...over,
});

const summary = (reports: ZeroReport[], over: Partial<Parameters<typeof summaryMail>[1]> = {}) =>
  summaryMail('zh-CN', {
    night: NIGHT,
    building: { zh: 'A栋', en: 'Building A' },
    department: { zh: '计算机学院', en: 'School of Computing' },
    name: '冯静',
    late: [],
    absent: [],
    missing: buildingA.filter((c) => !reports.some((r) => r.cellId === c.cellId)),
    reports,
    boardUrl: BOARD,
    ...over,
  });

describe('the nightly ask', () => {
  it('shows the one-click "none" as a short button, its long signed address in the href only', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const { html } = ask(lang);
      expect(anchors(html)).toEqual([NONE, `${BOARD}/report`, BOARD]);
      expect(visible(html)).not.toMatch(/https?:/);
      expect(visible(html)).toContain('无异常，一键零报告');
      expect(visible(html)).toContain('Nothing to report: one tap');
      // A word wider than the phone breaks rather than widening the mail.
      expect(html).toMatch(/^<div style="[^"]*overflow-wrap:anywhere/);
    }
    expect(ask('en').html).toMatch(/^<div[^>]* lang="en"/);
  });

  it('keeps each address in the text part, where there is no button, in both languages', () => {
    const { text } = ask('zh-CN');
    expect(text.split('\n')[0]).toBe('李明，您好：');
    expect(text).toContain(`无晚归、未归，一键上报：${NONE}`);
    expect(text).toContain(`有晚归或未归：请在手机上逐人填写上报：${BOARD}/report`);
    expect(text).toContain(`Nobody late or absent — report "none" in one click: ${NONE}`);
    expect(text.indexOf('一键上报')).toBeLessThan(text.indexOf('one click'));
    expect(ask('en').text.indexOf('one click')).toBeLessThan(ask('en').text.indexOf('一键上报'));
  });
});

describe('text people typed, in the HTML part', () => {
  it('is never made a link: no anchor of its own, and no address a mail client would recognise', () => {
    const typed = {
      room: 'A103',
      name: 'https://evil.example/pay',
      note: '请见 www.evil.example 或 x@evil.example',
    };
    const mail = summary(
      buildingA.map((c) => report(c.cellId)),
      { late: [typed] },
    );
    expect(anchors(mail.html)).toEqual([BOARD]);
    const seen = visible(mail.html);
    expect(seen).not.toMatch(/https?:\/\//);
    expect(seen).not.toMatch(/www\.|evil\.example|x@/);
    // It still reads as typed: only invisible marks were added.
    expect(seen.replace(/\u200C/g, '')).toContain(
      'A103 https://evil.example/pay 请见 www.evil.example 或 x@evil.example',
    );
    // The plain-text part too: a client links a bare address there as readily.
    expect(mail.text).not.toMatch(/https?:\/\/evil|www\.|evil\.example|x@/);
    expect(mail.text.replace(/\u200C/g, '')).toContain(
      'A103 https://evil.example/pay 请见 www.evil.example 或 x@evil.example',
    );
  });

  it('breaks the scheme, domains and addresses but leaves Chinese text and times alone', () => {
    expect(noAutolink('http://a.cn')).toBe('http:\u200C//a\u200C.cn');
    expect(noAutolink('23:05 返回，宿舍楼 A 区')).toBe('23:05 返回，宿舍楼 A 区');
    expect(noAutolink('ab@cd.ef')).toBe('ab\u200C@cd\u200C.ef');
    // A number's dot is no domain's: an item's number and a score read (and are found) as written.
    expect(noAutolink('1.2 物品定位摆放，4.5 分')).toBe('1.2 物品定位摆放，4.5 分');
    expect(noAutolink('1.2.3.cn a1.b2')).toBe('1.2.3\u200C.cn a1\u200C.b2');
    // Twice is once.
    expect(noAutolink(noAutolink('http://a.cn x@y.z'))).toBe(noAutolink('http://a.cn x@y.z'));
  });
});

describe('the escalation at the close', () => {
  const silent = buildingA.filter((c) => c.level > 1);

  it('lists every silent cell a person hears of in one mail', () => {
    const mail = escalationMail('zh-CN', {
      night: NIGHT,
      name: '郑浩',
      boardUrl: BOARD,
      cells: silent.map((c) => ({ cell: c, memberNames: c.memberIds.join('、') })),
    });
    expect(mail.subject).toBe(
      `【零报告未报】${NIGHT} ${silent.length} 个网格 / [Zero report missing] ${NIGHT} ${silent.length} cells`,
    );
    expect(mail.text).toContain(`以下 ${silent.length} 个网格未上报`);
    for (const c of silent) {
      expect(mail.text).toContain(`  - ${c.name.zh}（网格员：`);
      expect(mail.text).toContain(`  - ${c.name.en} (grid members: `);
    }
  });

  it('names the cell in the subject when there is one', () => {
    const one = silent[0];
    if (!one) throw new Error('no silent cell');
    const mail = escalationMail('en', {
      night: NIGHT,
      name: 'Feng Jing',
      boardUrl: BOARD,
      cells: [{ cell: one, memberNames: '李明' }],
    });
    expect(mail.subject).toBe(
      `[Zero report missing] ${NIGHT} ${one.name.en} / 【零报告未报】${NIGHT} ${one.name.zh}`,
    );
    expect(mail.text).toContain(`At the close, ${one.name.en} (grid members: 李明) had not reported`);
  });
});

describe('the summary to a department', () => {
  it('opens with how many cells reported, and gives no figure when none did', () => {
    const mail = summary([]);
    const [greeting, , first, second] = mail.text.split('\n');
    expect(greeting).toBe('冯静 老师，您好：');
    expect(first).toBe(`${buildingA.length} 个网格中 0 个已上报，${buildingA.length} 个未上报。`);
    expect(second).toContain('一级网格汇总');
    expect(mail.text).toContain(`0 of ${buildingA.length} cells reported, ${buildingA.length} did not.`);
    expect(mail.text).toContain('没有网格上报，晚归、未归人数不明。');
    expect(mail.text).not.toMatch(/晚归 0 人|未归 0 人|Late: 0|\bnone\b|^\s*无$/m);
  });

  it('counts only the cells that reported when some did not, and says so', () => {
    const reports = buildingA.slice(0, 5).map((c) => report(c.cellId));
    const mail = summary(reports);
    expect(mail.text).toContain(
      `${buildingA.length} 个网格中 5 个已上报，${buildingA.length - 5} 个未上报。`,
    );
    expect(mail.text).toContain('晚归 0 人（仅计已上报的 5 个网格）：\n  已上报的网格中无');
    expect(mail.text).toContain(
      'Late: 0 (in the 5 cells that reported only)\n  none in the cells that reported',
    );
    expect(mail.text).not.toMatch(/^\s*无$/m);
  });

  it('says "none" plainly when every cell reported', () => {
    const mail = summary(buildingA.map((c) => report(c.cellId)));
    expect(mail.text).toContain(`${buildingA.length} 个网格中 ${buildingA.length} 个已上报。`);
    expect(mail.text).toContain('晚归 0 人：\n  无');
    expect(mail.text).toContain(`${buildingA.length} of ${buildingA.length} cells reported.`);
  });
});
