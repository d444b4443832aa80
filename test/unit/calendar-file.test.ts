import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, computeDeadline, createCalendar } from '../../domain/calendar.ts';
import {
  calendarYear,
  changesNothing,
  overridesFrom,
  parseCalendarFile,
  sameCalendarText,
} from '../../domain/calendar-file.ts';

const ok = (text: string) => {
  const r = parseCalendarFile(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.file;
};
const errorsOf = (text: string) => {
  const r = parseCalendarFile(text);
  return r.ok ? [] : r.errors.map((e) => [e.line, e.message.en]);
};

// A fixture year far from any real one: the arrangement below is test data, not a published notice.
const FIXTURE = `
official 2031 test fixture notice
holiday 2031-01-23..2031-01-29 春节
workday 2031-01-19 春节调休
closure 2031-07-01..2031-08-31 暑假
term 2031-02-24..2031-06-27 spring term
`;

describe('the calendar file', () => {
  it('reads the demo campus file that npm start uses', () => {
    const text = readFileSync(path.resolve(import.meta.dirname, '../../infra/local/calendar.txt'), 'utf8');
    const file = ok(text);
    expect(file.terms.length).toBeGreaterThanOrEqual(3);
    expect(file.official).toEqual([]);
  });

  it('names the line of every mistake', () => {
    expect(errorsOf('holiday 2026-10-01 国庆\nholiday 2026-10-01 again')).toEqual([
      [2, 'line 2: 2026-10-01 is already listed on line 1'],
    ]);
    expect(errorsOf('\n\nworkday 2026-10-02 bad')).toEqual([
      [3, 'line 3: 2026-10-02 is an official holiday and cannot be a make-up working day'],
    ]);
    expect(errorsOf('holiday 2031-02-30 x')[0]?.[0]).toBe(1);
    expect(errorsOf('holiday 2031-02-30 x')[0]?.[1]).toMatch(/not a valid YYYY-MM-DD date/);
    expect(errorsOf('closure 2027-03-02..2027-03-01 x')[0]?.[1]).toMatch(/ends before it starts/);
    expect(errorsOf('vacation 2027-03-01 x')[0]?.[1]).toMatch(/unknown kind 'vacation'/);
    expect(errorsOf('term 2027-03-01..2027-04-01')[0]?.[1]).toMatch(/give it a name/);
    expect(errorsOf('official 2031 a\nofficial 2031 b')).toEqual([
      [2, 'line 2: 2031 is already declared on line 1'],
    ]);
  });

  it('never takes an official arrangement for a year without its declared source', () => {
    expect(errorsOf('holiday 2031-01-23 春节')).toEqual([
      [1, "line 1: declare the source of 2031's arrangement first with 'official 2031 <notice title>'"],
    ]);
    // Closures and terms are the school's own and need no notice.
    expect(errorsOf('closure 2031-01-23 校庆')).toEqual([]);
  });

  it('answers a year as official, configured or missing', () => {
    const file = ok(FIXTURE);
    const y2026 = calendarYear(2026, file);
    expect(y2026.source).toBe('official');
    expect(y2026.holidays).toContain('2026-10-01');
    const y2031 = calendarYear(2031, file);
    expect(y2031.source).toBe('configured');
    expect(y2031.holidays).toContain('2031-01-23');
    expect(y2031.holidays).toContain('2031-07-15');
    expect(y2031.workdays).toEqual(['2031-01-19']);
    expect(y2031.terms).toEqual([{ name: 'spring term', from: '2031-02-24', to: '2031-06-27' }]);
    expect(calendarYear(2032, file).source).toBe('missing');
  });

  it('moves working-day deadlines across a configured Spring Festival', () => {
    const cal = createCalendar(overridesFrom(ok(FIXTURE)));
    expect(cal.hasOfficialData(2031)).toBe(true);
    expect(cal.isWorkingDay('2031-01-23')).toBe(false);
    expect(cal.isWorkingDay('2031-01-19')).toBe(true); // a Sunday worked in exchange
    const bare = createCalendar();
    expect(bare.hasOfficialData(2031)).toBe(false);
    expect(cal.version).not.toBe(bare.version);
    // 3 working days from Wednesday 2031-01-22: the festival (23rd-29th) and the weekend are skipped.
    const start = '2031-01-22T10:00:00+08:00';
    const duration = { unit: 'working_days', amount: 3 } as const;
    const withFile = computeDeadline({ start, duration, tz: 'Asia/Shanghai', calendar: cal });
    const without = computeDeadline({ start, duration, tz: 'Asia/Shanghai', calendar: bare });
    expect(withFile.approximate).toBe(false);
    expect(without.approximate).toBe(true);
    expect(withFile.due.slice(0, 10)).toBe('2031-02-03'); // Thu 30, Fri 31, Mon 3
    expect(without.due.slice(0, 10) < withFile.due.slice(0, 10)).toBe(true);
  });
});

describe('a calendar without working days', () => {
  const zhOf = (text: string) => {
    const r = parseCalendarFile(text);
    return r.ok ? [] : r.errors.map((e) => [e.line, e.message.zh]);
  };
  const twelveYears = Array.from(
    { length: 12 },
    (_, i) => `closure ${2026 + i}-01-01..${2026 + i}-12-31 x`,
  ).join('\n');

  it('refuses twelve years of closures that would stall every case, naming the stretch', () => {
    // What the check prevents: the worker's deadline arithmetic gives up on such a calendar.
    const lines = twelveYears.split('\n');
    const closures = lines.map((l) => {
      const [from = '', to = ''] = (l.split(' ')[1] ?? '').split('..');
      return { from, to };
    });
    expect(() =>
      computeDeadline({
        start: '2026-03-02T10:00:00+08:00',
        duration: { unit: 'working_days', amount: 1 },
        tz: 'Asia/Shanghai',
        calendar: createCalendar({ closures }),
      }),
    ).toThrow(/no working day within/);

    const r = parseCalendarFile(twelveYears);
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(1);
    expect(errors[0]?.message.zh).toMatch(/^2026-01-01 至 2037-12-31 没有一个工作日（共 4383 天/);
    expect(errors[0]?.message.zh).toContain('第 1、2、3、4、5 行等');
    expect(errors[0]?.message.en).toMatch(
      /^there is no working day from 2026-01-01 to 2037-12-31 \(4383 days/,
    );
  });

  it('refuses a single year without a working day, counting weekends and official holidays around it', () => {
    // 2027 closed: Sat 1 and Sun 2 January 2028 join it, 367 days in a row.
    expect(zhOf('closure 2027-01-01..2027-12-31 一整年')).toEqual([
      [1, expect.stringMatching(/^2027-01-01 至 2028-01-02 没有一个工作日（共 367 天/)],
    ]);
    // A leap year alone is 366 days: more than a year.
    expect(zhOf('closure 2028-01-01..2028-12-31 一整年')[0]?.[1]).toMatch(/^2028-01-01 至 2028-12-31/);
    // Closures and holidays of several lines together, across a year's end.
    const joined = [
      'official 2031 test fixture notice',
      'closure 2030-03-01..2030-12-31 a',
      'holiday 2031-01-01..2031-01-31 b',
      'closure 2031-02-01..2031-03-31 c',
    ].join('\n');
    const e = errorsOf(joined);
    expect(e).toHaveLength(1);
    expect(e[0]?.[0]).toBe(2);
    expect(e[0]?.[1]).toMatch(/from 2030-03-01 to 2031-03-31 .* on lines 2, 3, 4\)/);
  });

  it('accepts long closures broken by a working day, and a year that is not whole', () => {
    // The days in force stay as the bundled data and the closures make them.
    expect(errorsOf('closure 2026-01-01..2026-12-31 一整年\nworkday 2026-07-01 值班')).toEqual([]);
    expect(errorsOf('closure 2027-03-01..2028-02-18 几乎一年')).toEqual([]);
    expect(errorsOf('closure 2027-07-10..2027-08-29 暑假\nclosure 2028-07-08..2028-08-27 暑假')).toEqual([]);
    expect(errorsOf(FIXTURE)).toEqual([]);
  });

  it('checks a large file quickly', () => {
    // A century closed but for a week each June: every day of it is walked.
    const text = Array.from(
      { length: 100 },
      (_, i) =>
        `closure ${2000 + i}-01-01..${2000 + i}-06-20 上半年\nclosure ${2000 + i}-06-28..${2000 + i}-12-31 下半年`,
    ).join('\n');
    const t0 = performance.now();
    expect(errorsOf(text)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('the calendar check speaks both languages', () => {
  const messagesOf = (text: string) => {
    const r = parseCalendarFile(text);
    return r.ok ? [] : r.errors.map((e) => e.message);
  };

  it('writes every line mistake in Chinese with the English beside it', () => {
    expect(messagesOf('holiday 2026-02-30 x')).toEqual([
      {
        zh: '第 1 行：开始日期：不是有效的 YYYY-MM-DD 日期',
        en: 'line 1: start date: not a valid YYYY-MM-DD date',
      },
    ]);
    expect(messagesOf('closure 2027-01-01..2027-02-30 x')[0]?.zh).toBe(
      '第 1 行：结束日期：不是有效的 YYYY-MM-DD 日期',
    );
    expect(messagesOf('closure 2027-03-02..2027-03-01 x')).toEqual([
      {
        zh: '第 1 行：日期范围：结束日期早于开始日期',
        en: 'line 1: date range: the range ends before it starts',
      },
    ]);
    expect(messagesOf('closure 2027-03-01..2028-03-05 x')[0]?.zh).toBe(
      '第 1 行：日期范围：一个日期范围不能超过一年',
    );
    expect(messagesOf('term 2027-03-01..2027-04-01')).toEqual([
      { zh: '第 1 行：名称：请写上名称（例如 春节）', en: 'line 1: name: give it a name (e.g. 春节)' },
    ]);
    expect(messagesOf(`term 2027-03-01 ${'长'.repeat(121)}`)[0]?.zh).toBe(
      '第 1 行：名称：名称不能超过 120 个字符',
    );
    // A year out of range, or not a year at all, says the years allowed in words.
    for (const bad of ['1999', '2101', '20x7', '2031.5'])
      expect(messagesOf(`official ${bad} 通知`)).toEqual([
        {
          zh: '第 1 行：年份：须为 2000 至 2100 年之间的四位年份（如 2027）',
          en: 'line 1: year: must be a year from 2000 to 2100 (like 2027)',
        },
      ]);
    for (const m of [
      ...messagesOf('official 1999 通知'),
      ...messagesOf('holiday 2027-13-01 x'),
      ...messagesOf('closure 2027-01-01..2027-12-31 x'),
    ]) {
      expect(m.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('each mistake once, by what it is (issue 15 probe)', () => {
  it('a make-up working day on a holiday of the same file is that error, not “already listed”', () => {
    const text =
      'official 2094 测试用通知（夹具）\nholiday 2094-10-01..2094-10-03 国庆\nworkday 2094-10-02 x';
    const r = parseCalendarFile(text);
    expect(r.ok ? [] : r.errors).toEqual([
      {
        line: 3,
        message: {
          zh: '第 3 行：2094-10-02 是第 2 行列出的节假日，不能设为调休上班日',
          en: 'line 3: 2094-10-02 is a holiday on line 2 and cannot be a make-up working day',
        },
      },
    ]);
    // The other way round: the holiday line is the one named, with the make-up day's line.
    const reversed = 'official 2094 t\nworkday 2094-10-02 x\nholiday 2094-10-01..2094-10-03 国庆';
    expect(errorsOf(reversed)).toEqual([
      [
        3,
        'line 3: 2094-10-02 is a make-up working day on line 2, and a make-up working day cannot be on a holiday: remove one of the two lines',
      ],
    ]);
  });

  it('a range is one error however many days it has', () => {
    expect(errorsOf('holiday 2031-01-23..2031-01-29 春节')).toEqual([
      [1, "line 1: declare the source of 2031's arrangement first with 'official 2031 <notice title>'"],
    ]);
    expect(errorsOf('holiday 2026-10-01..2026-10-03 a\nholiday 2026-10-01..2026-10-03 b')).toEqual([
      [2, 'line 2: 2026-10-01..2026-10-03 are already listed on line 1'],
    ]);
    expect(errorsOf('workday 2026-10-01..2026-10-03 x')).toEqual([
      [1, 'line 1: 2026-10-01..2026-10-03 are official holidays and cannot be make-up working days'],
    ]);
    const zh = parseCalendarFile('holiday 2026-10-01..2026-10-02 a\nholiday 2026-10-01..2026-10-02 b');
    expect(zh.ok ? [] : zh.errors.map((e) => e.message.zh)).toEqual([
      '第 2 行：2026-10-01..2026-10-02 已在第 1 行列出',
    ]);
  });

  it('a range with a missing date is that error, not a crash', () => {
    expect(errorsOf('closure ..2027-01-01 x')).toEqual([
      [1, 'line 1: start date: not a valid YYYY-MM-DD date'],
    ]);
    expect(errorsOf('closure 2027-01-01.. x')).toEqual([
      [1, 'line 1: end date: not a valid YYYY-MM-DD date'],
    ]);
    expect(errorsOf('holiday')).toEqual([[1, 'line 1: start date: not a valid YYYY-MM-DD date']]);
  });
});

describe('a closure over a make-up working day (issue 15 probe)', () => {
  it('GET /api/calendar/{year} answers as the deadline arithmetic counts: the closure wins', () => {
    const file = ok('closure 2026-02-10..2026-03-01 寒假（示例）');
    const calendar = createCalendar(overridesFrom(file));
    const y = calendarYear(2026, file);
    // 14 and 28 February 2026 are official make-up Saturdays, inside the closure.
    for (const d of ['2026-02-14', '2026-02-28']) {
      expect(calendar.isWorkingDay(d)).toBe(false);
      expect(y.workdays).not.toContain(d);
      expect(y.holidays).toContain(d);
    }
    expect(y.workdays).toEqual(['2026-01-04', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(y.closures).toEqual([{ name: '寒假（示例）', from: '2026-02-10', to: '2026-03-01' }]);
    // Every day of the year agrees with isWorkingDay.
    for (let d = '2026-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      if (y.workdays.includes(d)) expect(calendar.isWorkingDay(d), d).toBe(true);
      if (y.holidays.includes(d)) expect(calendar.isWorkingDay(d), d).toBe(false);
    }
    // A workday line of the file is the one statement a closure does not beat.
    const kept = ok('closure 2026-02-10..2026-03-01 x\nworkday 2026-02-14 值班');
    expect(createCalendar(overridesFrom(kept)).isWorkingDay('2026-02-14')).toBe(true);
    expect(calendarYear(2026, kept).workdays).toContain('2026-02-14');
    expect(calendarYear(2026, kept).holidays).not.toContain('2026-02-14');
  });

  it('lists a closure in each year it touches, and none in a year it does not', () => {
    const file = ok('closure 2026-12-28..2027-01-03 跨年（示例）');
    expect(calendarYear(2026, file).closures).toHaveLength(1);
    expect(calendarYear(2027, file).closures).toHaveLength(1);
    expect(calendarYear(2027, file).holidays.slice(0, 3)).toEqual(['2027-01-01', '2027-01-02', '2027-01-03']);
    expect(calendarYear(2028, file).closures).toEqual([]);
  });
});

describe('names in the calendar file follow the shared text rule', () => {
  const said = (text: string) => {
    const r = parseCalendarFile(text);
    return r.ok ? [] : r.errors.map((e) => [e.line, e.message.zh, e.message.en]);
  };

  it('refuses a direction override in a name, naming line and field in both languages', () => {
    expect(said('closure 2026-12-20 \u202eevil')).toEqual([
      [
        1,
        '第 1 行：名称：包含文字方向控制字符，请删除',
        'line 1: name: contains text-direction override characters; remove them',
      ],
    ]);
  });

  it('refuses an invisible character in a name or a notice title, naming its code point', () => {
    expect(said('holiday 2031-01-23 春\u200B节')).toEqual([
      [
        1,
        '第 1 行：名称：包含看不见的格式字符 U+200B ZERO WIDTH SPACE，会让它看起来与别的文字相同；请删除该字符后重新输入',
        'line 1: name: contains the invisible character U+200B ZERO WIDTH SPACE, which makes it look like other text; remove it and type it again',
      ],
    ]);
    expect(said('\nofficial 2031 notice\u200F')[0]?.[2]).toBe(
      'line 2: notice title: contains the invisible character U+200F RIGHT-TO-LEFT MARK, which makes it look like other text; remove it and type it again',
    );
  });

  it('still takes a name with an emoji sequence', () => {
    expect(ok('closure 2031-07-10 \u{1F469}\u200D\u{1F4BB} 暑期维护').closures).toEqual([
      { from: '2031-07-10', to: '2031-07-10', name: '\u{1F469}\u200D\u{1F4BB} 暑期维护' },
    ]);
  });
});

describe('a day listed twice is an error at its line, for every kind (calendar probe)', () => {
  it('refuses a closure listed again, or one that overlaps another, naming the later line', () => {
    // What the probe typed: the same day closed twice passed the check.
    expect(errorsOf('closure 2026-12-14 停水\nclosure 2026-12-14 again')).toEqual([
      [2, 'line 2: 2026-12-14 is already listed on line 1'],
    ]);
    const zh = parseCalendarFile('closure 2026-12-14 停水\nclosure 2026-12-14 again');
    expect(zh.ok ? [] : zh.errors.map((e) => e.message.zh)).toEqual(['第 2 行：2026-12-14 已在第 1 行列出']);
    // Overlapping ranges: the days they share, as one range, at the later line.
    expect(
      errorsOf('closure 2027-07-10..2027-08-29 暑假\n# 注释\nclosure 2027-08-20..2027-09-02 台风停课'),
    ).toEqual([[3, 'line 3: 2027-08-20..2027-08-29 are already listed on line 1']]);
  });

  it('refuses a term listed twice or overlapping another', () => {
    expect(errorsOf('term 2027-02-22..2027-07-02 spring\nterm 2027-02-22..2027-07-02 spring again')).toEqual([
      [2, 'line 2: 2027-02-22..2027-07-02 are already listed on line 1'],
    ]);
    expect(errorsOf('term 2027-02-22..2027-07-02 spring\nterm 2027-07-01..2027-12-31 autumn')).toEqual([
      [2, 'line 2: 2027-07-01..2027-07-02 are already listed on line 1'],
    ]);
  });

  it('still takes what the kinds are for: a closure on a holiday or in a term, a workday in a closure', () => {
    expect(
      errorsOf(
        [
          'official 2027 test fixture notice',
          'term 2027-02-22..2027-07-02 spring',
          'closure 2027-05-21 校庆',
          'closure 2026-10-01..2026-10-08 国庆停课',
          'closure 2027-07-05..2027-07-20 暑期检修',
          'workday 2027-07-12 值班',
          'term 2027-08-30..2028-01-14 autumn',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('takes every calendar file the project ships', () => {
    for (const f of ['infra/local/calendar.txt', 'infra/calendar.txt']) {
      const file = path.resolve(import.meta.dirname, '../..', f);
      expect(errorsOf(readFileSync(file, 'utf8')), f).toEqual([]);
    }
  });
});

describe('comparing calendar texts', () => {
  it('takes a text sent back by a browser as the same, and a changed comment as a change', () => {
    const text = 'term 2027-02-22..2027-07-02 spring\n# 注释\nclosure 2027-05-21 校庆\n';
    expect(sameCalendarText(text, text)).toBe(true);
    expect(sameCalendarText(text, `\n${text.replace(/\n/g, '\r\n')}  \n\n`)).toBe(true);
    expect(sameCalendarText(text, text.replace('校庆', '校庆 '))).toBe(true);
    expect(sameCalendarText(text, text.replace('# 注释', '# 注释二'))).toBe(false);
    expect(sameCalendarText(text, text.replace('05-21', '05-22'))).toBe(false);
    expect(sameCalendarText('', '\n\n')).toBe(true);
  });

  it('knows a file that changes nothing', () => {
    expect(changesNothing(ok(''))).toBe(true);
    expect(changesNothing(ok('# 只有注释\n\n  '))).toBe(true);
    expect(changesNothing(ok('closure 2027-05-21 校庆'))).toBe(false);
  });
});
