import { describe, expect, it } from 'vitest';
import { REPORT_TITLE_CHARS, reportCaseTitle, reportKindInfo } from '../../domain/intake.ts';
import { writtenLanguage } from '../../domain/written-language.ts';

const repair = reportKindInfo.repair.label;
const hazard = reportKindInfo.safety.label;

describe('the language a text is written in', () => {
  it('is Chinese with any CJK character, else English', () => {
    expect(writtenLanguage('PP4 A101 门口插座冒火花')).toBe('zh-CN');
    expect(writtenLanguage('水龙头漏水')).toBe('zh-CN');
    expect(writtenLanguage('The light in A101 is broken（urgent）')).toBe('zh-CN');
    expect(writtenLanguage('Broken light')).toBe('en');
    expect(writtenLanguage('A101 😀 42')).toBe('en');
    expect(writtenLanguage('')).toBe('en');
  });
});

describe('the title of a case opened from a report', () => {
  it('names the kind in the language the description is written in', () => {
    expect(reportCaseTitle(repair, '水龙头漏水')).toBe('报修：水龙头漏水');
    expect(reportCaseTitle(repair, 'The tap leaks')).toBe(`${repair.en}: The tap leaks`);
  });

  it('follows the text, not the form it was sent from', () => {
    // Sent from the English form, written in Chinese; and the other way round.
    expect(reportCaseTitle(hazard, 'PP4 A101 门口插座冒火花')).toBe(`${hazard.zh}：PP4 A101 门口插座冒火花`);
    expect(reportCaseTitle(repair, 'Broken light')).toBe(`${repair.en}: Broken light`);
  });

  it('cuts a long English description at a word’s end, marked', () => {
    const long = 'The window latch in room A103 is broken and the window will not close at night at all';
    const title = reportCaseTitle(repair, long);
    expect(title).toBe(`${repair.en}: The window latch in room A103 is broken and the window will…`);
    expect(title).not.toMatch(/ …$/);
  });

  it('cuts unspaced Chinese at the limit, marked, and folds line breaks', () => {
    const long = '卫'.repeat(REPORT_TITLE_CHARS + 5);
    expect(reportCaseTitle(repair, long)).toBe(`报修：${'卫'.repeat(REPORT_TITLE_CHARS)}…`);
    expect(reportCaseTitle(repair, '门锁\n\n坏了  ')).toBe('报修：门锁 坏了');
  });

  it('keeps a description at the limit whole, and counts characters, not UTF-16 units', () => {
    const exact = '𠀀'.repeat(REPORT_TITLE_CHARS);
    expect(reportCaseTitle(repair, exact)).toBe(`报修：${exact}`);
  });
});
