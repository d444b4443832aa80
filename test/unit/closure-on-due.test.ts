import { describe, expect, it } from 'vitest';
import { closureDueNote, closureOnDue } from '../../domain/closure-on-due.ts';

const closures = [
  { from: '2026-12-08', to: '2026-12-08', name: '雪灾停课' },
  { from: '2027-01-20', to: '2027-02-25', name: '寒假' },
];
const TZ = 'Asia/Shanghai';

describe('a deadline on a school closure day', () => {
  it('is found by the campus day of the due instant, not its UTC day', () => {
    // 2026-12-07T16:30Z is 00:30 on the 8th in Shanghai: on the closure.
    expect(closureOnDue('2026-12-07T16:30:00.000Z', TZ, closures)?.name).toBe('雪灾停课');
    // 2026-12-08T16:30Z is 00:30 on the 9th: past it.
    expect(closureOnDue('2026-12-08T16:30:00.000Z', TZ, closures)).toBeUndefined();
    expect(closureOnDue('2026-12-08T10:00:00.000Z', TZ, closures)?.name).toBe('雪灾停课');
  });

  it('takes both ends of a closure of many days, and nothing outside it', () => {
    expect(closureOnDue('2027-01-20T10:00:00.000Z', TZ, closures)?.name).toBe('寒假');
    expect(closureOnDue('2027-02-25T10:00:00.000Z', TZ, closures)?.name).toBe('寒假');
    expect(closureOnDue('2027-01-19T10:00:00.000Z', TZ, closures)).toBeUndefined();
    expect(closureOnDue('2027-02-26T10:00:00.000Z', TZ, closures)).toBeUndefined();
    expect(closureOnDue('2027-02-01T10:00:00.000Z', TZ, [])).toBeUndefined();
  });

  it('is said with the closure’s days and name, and what a supervisor can do, in both languages', () => {
    const one = closureDueNote(closures[0]!);
    expect(one.zh).toContain('2026-12-08 雪灾停课');
    expect(one.zh).toContain('请申请或批准暂停');
    expect(one.en).toContain('request or approve a pause');
    expect(closureDueNote(closures[1]!).zh).toContain('2027-01-20–2027-02-25 寒假');
  });
});
