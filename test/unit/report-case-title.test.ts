import { describe, expect, it } from 'vitest';
import { REPORT_TITLE_CHARS, reportCaseTitle, reportKindInfo } from '../../domain/intake.ts';

const repair = reportKindInfo.repair.label;

describe('the title of a case opened from a report', () => {
  it('names the kind in the language the report was written in', () => {
    expect(reportCaseTitle(repair, '水龙头漏水')).toBe('报修：水龙头漏水');
    expect(reportCaseTitle(repair, '水龙头漏水', 'zh-CN')).toBe('报修：水龙头漏水');
    expect(reportCaseTitle(repair, 'The tap leaks', 'en')).toBe(`${repair.en}: The tap leaks`);
  });

  it('cuts a long English description at a word’s end, marked', () => {
    const long = 'The window latch in room A103 is broken and the window will not close at night at all';
    const title = reportCaseTitle(repair, long, 'en');
    expect(title).toBe(`${repair.en}: The window latch in room A103 is broken and the window will…`);
    expect(title).not.toMatch(/ …$/);
  });

  it('cuts unspaced Chinese at the limit, marked, and folds line breaks', () => {
    const long = '卫'.repeat(REPORT_TITLE_CHARS + 5);
    expect(reportCaseTitle(repair, long)).toBe(`报修：${'卫'.repeat(REPORT_TITLE_CHARS)}…`);
    expect(reportCaseTitle(repair, '门锁\n\n坏了  ')).toBe('报修：门锁 坏了');
  });

  it('keeps a description at the limit whole, and counts characters, not UTF-16 units', () => {
    const exact = '😀'.repeat(REPORT_TITLE_CHARS);
    expect(reportCaseTitle(repair, exact)).toBe(`报修：${exact}`);
  });
});
