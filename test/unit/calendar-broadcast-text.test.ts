import { describe, expect, it } from 'vitest';
import { broadcastText } from '../../api/pages/app/calendar-broadcast-text.ts';

describe('the calendar page line on telling running cases', () => {
  it('counts cases in English with the noun agreeing, and says what stays', () => {
    const many = broadcastText(8, { kind: 'done', told: 1258, refused: 3 });
    expect(many.en).toBe(
      'Version 8 reached 1,258 running cases: their deadlines not yet passed, and their working-day clocks, were counted again with it; deadlines already passed stay as they were. 3 other cases already had it or will take it at their next stage.',
    );
    const one = broadcastText(8, { kind: 'done', told: 1, refused: 1 });
    expect(one.en).toContain('reached 1 running case:');
    expect(one.en).toContain('1 other case already had it or will take it at its next stage.');
    for (const t of [many.en, one.en]) expect(t).not.toMatch(/\(s\)|ones stay|\) \(/);
    // None refused: nothing said about others.
    expect(broadcastText(8, { kind: 'done', told: 2, refused: 0 }).en).not.toContain('other case');
  });

  it('says the same in Chinese, counts grouped', () => {
    const zh = broadcastText(8, { kind: 'done', told: 1258, refused: 3 }).zh;
    expect(zh).toContain('第 8 版已告知 1,258 件进行中的案件');
    expect(zh).toContain('（另有 3 件此前已按此版或从下一环节起计算）');
  });

  it('tells running, failed and not started apart', () => {
    expect(broadcastText(4, { kind: 'running' }).en).toContain('Reload the page');
    expect(broadcastText(4, { kind: 'failed' }).zh).toContain('（上次尝试失败）');
    expect(broadcastText(4, { kind: 'not_started' }).zh).not.toContain('失败');
  });
});

describe('a broadcast that left cases not told', () => {
  it('says how many took it and how many did not answer, and that it will be tried again', () => {
    const t = broadcastText(9, { kind: 'failed', partial: { told: 257, notTold: 1 } });
    expect(t.zh).toBe('第 9 版已告知 257 件进行中的案件，另有 1 件未响应，尚未告知：每日校历检查会再试。');
    expect(t.en).toBe(
      'Version 9 reached 257 running cases; 1 case did not answer and has not been told yet: the daily calendar check will try again.',
    );
    expect(broadcastText(9, { kind: 'failed', partial: { told: 0, notTold: 3 } }).en).toContain(
      '3 cases did not answer and have not been told yet',
    );
  });
});
