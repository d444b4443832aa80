import { z } from 'zod';
import {
  addDays,
  bundledOfficialYear,
  createCalendar,
  isValidDate,
  officialDays,
  pinnedCalendar,
  type CalendarOverrides,
} from './calendar.ts';
import { refuseFlaws } from './safe-text.ts';
import { splitBilingual, type Bilingual } from './text.ts';

/**
 * The school's calendar file: one statement per line, so an admin can edit it
 * in a text box and every mistake names its line.
 *
 *   # comment
 *   official 2027 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）
 *   holiday 2027-02-06..2027-02-13 春节
 *   workday 2027-02-14 春节调休上班
 *   closure 2027-07-10..2027-08-29 暑假
 *   term 2027-02-22..2027-07-09 2026-2027学年第二学期
 *
 * `official YEAR SOURCE` says the year's `holiday` and `workday` lines were
 * entered from the State Council's notice (its title is the source); without
 * it a year the bundled data lacks stays "missing", because the arrangement is
 * never guessed. `closure` is the school's own days off (a closure stops every
 * working-day deadline and clock on campus, so it is for days the school is
 * shut, not for vacations, when the dormitories are still run); `term` its term
 * dates (a vacation is the gap between two terms).
 *
 * Which statement decides a day, as the deadline arithmetic counts it
 * (domain/calendar.ts `isWorkingDay`), first match wins:
 *   1. a `workday` line of this file: a working day, even inside a closure;
 *   2. a `closure`: a day off, even on an official make-up working day (调休上班)
 *      of the bundled data: the school is shut that day;
 *   3. a `holiday` line: a day off;
 *   4. the bundled official data: make-up working days on, holidays off;
 *   5. Saturday and Sunday off, every other day on.
 * A day that two lines of one kind cover (two holidays, two closures, two terms) is an error at
 * the later line, as is a make-up working day on a holiday.
 *
 * `GET /api/calendar/{year}` and the admin page's preview answer with the same
 * rule (`calendarYear`): `workdays` are the make-up working days that are working
 * days (never a closure's day), `holidays` every declared day off and every
 * closure day, and `closures` the closures that touch the year, by name.
 */
export const calendarLineKinds = ['official', 'holiday', 'workday', 'closure', 'term'] as const;

/** The years an `official` line may declare (the span GET /api/calendar/{year} answers). */
const YEARS = { min: 2000, max: 2100 } as const;

// The schema's own messages are keys of MESSAGES, so each reads in both languages.
const MESSAGES = {
  date: { zh: '不是有效的 YYYY-MM-DD 日期', en: 'not a valid YYYY-MM-DD date' },
  order: { zh: '结束日期早于开始日期', en: 'the range ends before it starts' },
  span: { zh: '一个日期范围不能超过一年', en: 'a range may not span more than a year' },
  noName: { zh: '请写上名称（例如 春节）', en: 'give it a name (e.g. 春节)' },
  longName: { zh: '名称不能超过 120 个字符', en: 'the name may be at most 120 characters' },
  year: {
    zh: `须为 ${YEARS.min} 至 ${YEARS.max} 年之间的四位年份（如 2027）`,
    en: `must be a year from ${YEARS.min} to ${YEARS.max} (like 2027)`,
  },
} satisfies Record<string, Bilingual>;
type MessageKey = keyof typeof MESSAGES;
const msg = (key: MessageKey) => ({ message: key });

const date = z.string().refine(isValidDate, msg('date'));
const bothDates = (r: { from: string; to: string }) => isValidDate(r.from) && isValidDate(r.to);
const range = z
  .string()
  .transform((s) => {
    const [from, to = from] = s.split('..');
    return { from: from ?? '', to };
  })
  .pipe(z.object({ from: date, to: date }))
  // Only a range of two real dates has an order and a length (a bad date is its own error).
  .refine((r) => !bothDates(r) || r.from <= r.to, msg('order'))
  .refine(
    (r) => !bothDates(r) || r.from.slice(0, 4) === r.to.slice(0, 4) || r.to <= addDays(r.from, 366),
    msg('span'),
  );
// A name ends up on pages and in mails like any other single line a person typed: the same rule.
const label = z
  .string()
  .trim()
  .min(1, msg('noName'))
  .max(120, msg('longName'))
  .superRefine(refuseFlaws({ singleLine: true }));

const lineSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('official'),
    year: z.coerce
      .number(msg('year'))
      .int(msg('year'))
      .min(YEARS.min, msg('year'))
      .max(YEARS.max, msg('year')),
    source: label,
  }),
  z.object({ kind: z.literal('holiday'), range, name: label }),
  z.object({ kind: z.literal('workday'), range, name: label }),
  z.object({ kind: z.literal('closure'), range, name: label }),
  z.object({ kind: z.literal('term'), range, name: label }),
]);
type Line = z.infer<typeof lineSchema> & { line: number };

export interface NamedDay {
  date: string;
  name: string;
  line: number;
}
export interface Term {
  name: string;
  from: string;
  to: string;
}

export interface CalendarFile {
  official: { year: number; source: string }[];
  holidays: NamedDay[];
  workdays: NamedDay[];
  closures: { from: string; to: string; name: string }[];
  terms: Term[];
}

export interface CalendarFileError {
  line: number;
  message: Bilingual;
}

export type CalendarFileResult =
  { ok: true; file: CalendarFile } | { ok: false; errors: CalendarFileError[] };

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/** Whether a list of dates from `dateRanges` names more than one day. */
const many = (days: Bilingual): boolean => /\.\.|,/.test(days.en);

/** Dates as ranges of consecutive days: 2027-02-06..2027-02-08、2027-02-10. */
function dateRanges(dates: readonly string[], separator: string): string {
  const sorted = [...new Set(dates)].sort();
  const out: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === addDays(sorted[j] ?? '', 1)) j++;
    out.push(i === j ? (sorted[i] ?? '') : `${sorted[i]}..${sorted[j]}`);
    i = j + 1;
  }
  return out.join(separator);
}

/** Days of line `at` that line `other` of the same kind already lists. */
const alreadyListed =
  (at: number, other: number) =>
  (x: Bilingual): Bilingual => ({
    zh: `第 ${at} 行：${x.zh} 已在第 ${other} 行列出`,
    en: `line ${at}: ${x.en} ${many(x) ? 'are' : 'is'} already listed on line ${other}`,
  });

const zhErrors = z.locales.zhCN().localeError;
const enErrors = z.locales.en().localeError;

/** What a line's fields are called in each language. */
const FIELD: Record<string, Bilingual> = {
  year: { zh: '年份', en: 'year' },
  source: { zh: '通知标题', en: 'notice title' },
  range: { zh: '日期范围', en: 'date range' },
  'range.from': { zh: '开始日期', en: 'start date' },
  'range.to': { zh: '结束日期', en: 'end date' },
  name: { zh: '名称', en: 'name' },
};

/**
 * A line's first problem in both languages: the schema's own messages from MESSAGES, zod's
 * built-in ones (a year that is not a number, say) from its two locales.
 */
function issueText(issue: z.core.$ZodIssue | undefined, candidate: unknown): Bilingual {
  if (!issue) return { zh: '格式错误', en: 'malformed' };
  if (Object.hasOwn(MESSAGES, issue.message)) return MESSAGES[issue.message as MessageKey];
  // The shared text rule words its refusal in both languages, "中文 / English".
  const own = splitBilingual(issue.message);
  if (own.zh !== own.en) return own;
  const en = lineSchema.safeParse(candidate, { error: enErrors });
  return {
    zh: issue.message,
    en: en.success ? issue.message : (en.error.issues[0]?.message ?? issue.message),
  };
}

/** Parses and checks a calendar file; every error names its line. */
export function parseCalendarFile(text: string): CalendarFileResult {
  const errors: CalendarFileError[] = [];
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const body = raw.replace(/#.*$/, '').trim();
    if (!body) return;
    const [kind = '', first = '', ...rest] = body.split(/\s+/);
    const candidate =
      kind === 'official'
        ? { kind, year: first, source: rest.join(' ') }
        : { kind, range: first, name: rest.join(' ') };
    const parsed = lineSchema.safeParse(candidate, { error: zhErrors });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const known = (calendarLineKinds as readonly string[]).includes(kind);
      const path = issue?.path.join('.') || kind;
      const said = issueText(issue, candidate);
      errors.push({
        line,
        message: known
          ? {
              zh: `第 ${line} 行：${FIELD[path]?.zh ?? path}：${said.zh}`,
              en: `line ${line}: ${FIELD[path]?.en ?? path}: ${said.en}`,
            }
          : {
              zh: `第 ${line} 行：未知的类型“${kind}”，应为 ${calendarLineKinds.join('、')} 之一`,
              en: `line ${line}: unknown kind '${kind}', expected one of ${calendarLineKinds.join(', ')}`,
            },
      });
      return;
    }
    lines.push({ ...parsed.data, line });
  });

  const file: CalendarFile = { official: [], holidays: [], workdays: [], closures: [], terms: [] };
  // Each problem once per line, with its days as ranges: a week listed twice is one mistake, not seven.
  const found = new Map<string, { line: number; dates: string[]; say: (days: Bilingual) => Bilingual }>();
  const problem = (line: number, key: string, date: string, say: (days: Bilingual) => Bilingual) => {
    const k = `${line}|${key}`;
    const p = found.get(k) ?? { line, dates: [], say };
    p.dates.push(date);
    found.set(k, p);
  };
  const seen = new Map<string, { line: number; kind: string }>();
  // Closures and terms each on their own: a closure on a holiday or in a term is what they are for.
  const rangeSeen = { closure: new Map<string, number>(), term: new Map<string, number>() };
  const officialSeen = new Map<number, number>();
  for (const l of lines) {
    if (l.kind === 'official') {
      const before = officialSeen.get(l.year);
      if (before)
        errors.push({
          line: l.line,
          message: {
            zh: `第 ${l.line} 行：${l.year} 年已在第 ${before} 行声明`,
            en: `line ${l.line}: ${l.year} is already declared on line ${before}`,
          },
        });
      officialSeen.set(l.year, l.line);
      file.official.push({ year: l.year, source: l.source });
      continue;
    }
    if (l.kind === 'closure' || l.kind === 'term') {
      // A day in two closures (or two terms) is a line typed twice or two ranges that overlap:
      // either way one of them is a mistake, as a day listed twice is for holidays.
      const seenOfKind = rangeSeen[l.kind];
      for (const d of days(l.range.from, l.range.to)) {
        const other = seenOfKind.get(d);
        if (other === undefined) seenOfKind.set(d, l.line);
        else problem(l.line, `listed ${other}`, d, alreadyListed(l.line, other));
      }
      if (l.kind === 'closure') file.closures.push({ ...l.range, name: l.name });
      else file.terms.push({ name: l.name, ...l.range });
      continue;
    }
    for (const d of days(l.range.from, l.range.to)) {
      const before = seen.get(d);
      if (!before) {
        seen.set(d, { line: l.line, kind: l.kind });
        (l.kind === 'holiday' ? file.holidays : file.workdays).push({ date: d, name: l.name, line: l.line });
        continue;
      }
      const [at, other] = [l.line, before.line];
      if (before.kind === l.kind) problem(at, `listed ${other}`, d, alreadyListed(at, other));
      else if (l.kind === 'workday')
        problem(at, `on holiday ${other}`, d, (x) => ({
          zh: `第 ${at} 行：${x.zh} 是第 ${other} 行列出的节假日，不能设为调休上班日`,
          en: many(x)
            ? `line ${at}: ${x.en} are holidays on line ${other} and cannot be make-up working days`
            : `line ${at}: ${x.en} is a holiday on line ${other} and cannot be a make-up working day`,
        }));
      else
        problem(at, `holiday on workday ${other}`, d, (x) => ({
          zh: `第 ${at} 行：${x.zh} 已在第 ${other} 行设为调休上班日，调休上班日不能设在节假日上；请删去其中一行`,
          en: `line ${at}: ${x.en} ${many(x) ? 'are make-up working days' : 'is a make-up working day'} on line ${other}, and a make-up working day cannot be on a holiday: remove one of the two lines`,
        }));
    }
  }
  // A make-up working day on an official holiday contradicts the notice it was typed from.
  for (const w of file.workdays) {
    if (officialDays(Number(w.date.slice(0, 4))).holidays.includes(w.date))
      problem(w.line, 'official holiday', w.date, (x) => ({
        zh: `第 ${w.line} 行：${x.zh} 是法定节假日，不能设为调休上班日`,
        en: many(x)
          ? `line ${w.line}: ${x.en} are official holidays and cannot be make-up working days`
          : `line ${w.line}: ${x.en} is an official holiday and cannot be a make-up working day`,
      }));
  }
  const declared = new Set(file.official.map((o) => o.year));
  for (const h of [...file.holidays, ...file.workdays]) {
    const year = Number(h.date.slice(0, 4));
    if (!declared.has(year) && !bundledOfficialYear(year))
      problem(h.line, `undeclared ${year}`, h.date, () => ({
        zh: `第 ${h.line} 行：${year} 年的法定安排须先用 official ${year} <通知名称> 注明来源`,
        en: `line ${h.line}: declare the source of ${year}'s arrangement first with 'official ${year} <notice title>'`,
      }));
  }
  for (const p of found.values())
    errors.push({
      line: p.line,
      message: p.say({ zh: dateRanges(p.dates, '、'), en: dateRanges(p.dates, ', ') }),
    });
  const idle = idleStretch(lines, overridesFrom(file));
  if (idle) errors.push(idleStretchError(idle));
  errors.sort((a, b) => a.line - b.line);
  return errors.length ? { ok: false, errors } : { ok: true, file };
}

/**
 * A calendar may not go this many consecutive days without a working day. Deadline arithmetic
 * gives up after ten years without one (domain/calendar.ts), and a case whose deadline cannot be
 * planned stalls for good; no school closes for a year, so a run of 366 days is a mistake.
 */
export const MAX_DAYS_WITHOUT_WORK = 365;

/** Days off that only the official calendar and weekends make: far less than a month in a row. */
const BRIDGE = 31;

interface IdleStretch {
  from: string;
  to: string;
  days: number;
  lines: number[];
}

/**
 * The first run of more than MAX_DAYS_WITHOUT_WORK days without a working day, or null.
 *
 * Days are judged by the calendar module itself, with the official holidays, weekends and make-up
 * days under the school's closures, holidays and working days. A day counts as working only if it
 * is one both with the bundled official data (createCalendar, as the activities count) and with
 * none (a pinned case counts a year outside its pin by weekends only, pinnedCalendar). Only the
 * file's own days off can make such a run, so only the stretches they cover are walked, from a
 * month before to the first working day after (into the next year when they reach its end), a
 * year at a time with the lines that touch that year: a large file stays quick to check.
 */
function idleStretch(lines: readonly Line[], overrides: CalendarOverrides): IdleStretch | null {
  const off = lines
    .flatMap((l) => (l.kind === 'closure' || l.kind === 'holiday' ? [{ ...l.range, line: l.line }] : []))
    .sort((a, b) => a.from.localeCompare(b.from));
  const clusters: { from: string; to: string }[] = [];
  for (const r of off) {
    const last = clusters[clusters.length - 1];
    if (last && r.from <= addDays(last.to, BRIDGE)) {
      if (r.to > last.to) last.to = r.to;
    } else clusters.push({ from: r.from, to: r.to });
  }
  for (const c of clusters) {
    const start = addDays(c.from, -BRIDGE);
    const end = addDays(c.to, BRIDGE);
    if (addDays(start, MAX_DAYS_WITHOUT_WORK) > end) continue;
    let run: string | undefined;
    let runDays = 0;
    let year = '';
    let isWorking = (_d: string): boolean => true;
    // Past `end` the walk goes on only while a run lasts: a run is ended by a working day.
    for (let d = start; isValidDate(d); d = addDays(d, 1)) {
      if (d.slice(0, 5) !== year) {
        year = d.slice(0, 5);
        isWorking = workingIn(d.slice(0, 4), overrides);
      }
      if (!isWorking(d)) {
        run ??= d;
        runDays++;
        continue;
      }
      if (run && runDays > MAX_DAYS_WITHOUT_WORK) return stretch(run, addDays(d, -1), runDays, off);
      run = undefined;
      runDays = 0;
      if (d > end) break;
    }
    // The last representable day ended a run that never met a working day.
    if (run && runDays > MAX_DAYS_WITHOUT_WORK) return stretch(run, '9999-12-31', runDays, off);
  }
  return null;
}

const stretch = (
  from: string,
  to: string,
  days: number,
  off: readonly { from: string; to: string; line: number }[],
): IdleStretch => ({
  from,
  to,
  days,
  lines: [...new Set(off.filter((r) => r.from <= to && r.to >= from).map((r) => r.line))].sort(
    (a, b) => a - b,
  ),
});

/** Whether a day of `year` is a working day with and without the bundled official data. */
function workingIn(year: string, overrides: CalendarOverrides): (date: string) => boolean {
  const [first, last] = [`${year}-01-01`, `${year}-12-31`];
  const inYear = (d: string) => d.startsWith(`${year}-`);
  // Only the lines that touch the year: a file of thousands of lines stays quick to walk.
  const part: CalendarOverrides = {
    holidays: (overrides.holidays ?? []).filter(inYear),
    workdays: (overrides.workdays ?? []).filter(inYear),
    closures: (overrides.closures ?? []).filter((c) => c.from <= last && c.to >= first),
    years: overrides.years ?? [],
  };
  const withOfficial = createCalendar(part);
  const weekendsOnly = pinnedCalendar({
    official: { version: 'none', years: [], holidays: [], workdays: [] },
    overrides: part,
  });
  return (date) => withOfficial.isWorkingDay(date) && weekendsOnly.isWorkingDay(date);
}

function idleStretchError(s: IdleStretch): CalendarFileError {
  const shown = s.lines.slice(0, 5);
  const more = s.lines.length > shown.length;
  return {
    line: s.lines[0] ?? 0,
    message: {
      zh: `${s.from} 至 ${s.to} 没有一个工作日（共 ${s.days} 天，已计入法定节假日、周末、调休和学校的放假安排，见第 ${shown.join('、')} 行${more ? '等' : ''}）。连续一年以上没有工作日，期限无法计算，案件会因此停滞；请缩短放假（closure、holiday）或加上上班日（workday）。`,
      en: `there is no working day from ${s.from} to ${s.to} (${s.days} days, counting official holidays, weekends, make-up days and the school's own days off on line${s.lines.length > 1 ? 's' : ''} ${shown.join(', ')}${more ? ' and more' : ''}). With more than a year without a working day no deadline can be counted and cases would stall; shorten the closures or holidays, or add working days (workday).`,
    },
  };
}

/** What the working-day calendar takes from the file. */
export function overridesFrom(file: CalendarFile): CalendarOverrides {
  return {
    holidays: file.holidays.map((h) => h.date),
    workdays: file.workdays.map((w) => w.date),
    closures: file.closures.map((c) => ({ from: c.from, to: c.to })),
    years: file.official.map((o) => o.year),
  };
}

/** Whether the file changes nothing: no statement, only blank lines and comments (or nothing at all). */
export function changesNothing(file: CalendarFile): boolean {
  return (
    file.official.length +
      file.holidays.length +
      file.workdays.length +
      file.closures.length +
      file.terms.length ===
    0
  );
}

/**
 * A calendar text as it is compared with another: line endings, spaces at a line's end and blank
 * lines at either end are not the file's content (a browser's text box sends CRLF and drops a
 * leading newline), so a text sent back unchanged compares equal; a comment is content (it says why).
 */
const comparable = (text: string): string =>
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');

/** Whether two calendar texts are the same file (`comparable`). */
export function sameCalendarText(a: string, b: string): boolean {
  return comparable(a) === comparable(b);
}

export type CalendarSource = 'official' | 'configured' | 'missing';

/** The answer of `GET /api/calendar/{year}`. */
export interface CalendarYear {
  year: number;
  source: CalendarSource;
  /** Every day off that is not a weekend's alone: official and declared holidays, and closure days. */
  holidays: string[];
  /** The make-up working days (调休上班) that are working days: a closure's days are never among them. */
  workdays: string[];
  terms: Term[];
  /** The school's own closures that touch the year, as the file names them (their days are among `holidays`). */
  closures: { name: string; from: string; to: string }[];
}

/**
 * A year as the deadline arithmetic counts it (the rule in this file's header): each day listed
 * is judged by `isWorkingDay` of the calendar the file makes, so the answer and the deadlines
 * never disagree (a bundled make-up Saturday inside a closure is a day off in both).
 */
export function calendarYear(year: number, file: CalendarFile): CalendarYear {
  const [first, last] = [`${year}-01-01`, `${year}-12-31`];
  const inYear = (d: string) => d.startsWith(`${year}-`);
  const calendar = createCalendar(overridesFrom(file));
  const bundled = officialDays(year);
  const closures = file.closures.filter((c) => c.from <= last && c.to >= first);
  const closureDays = closures.flatMap((c) =>
    days(c.from < first ? first : c.from, c.to > last ? last : c.to),
  );
  const workdays = new Set(
    [...bundled.workdays, ...file.workdays.map((w) => w.date)].filter(
      (d) => inYear(d) && calendar.isWorkingDay(d),
    ),
  );
  const holidays = new Set(
    [...bundled.holidays, ...file.holidays.map((h) => h.date), ...closureDays].filter(
      (d) => inYear(d) && !calendar.isWorkingDay(d),
    ),
  );
  const source: CalendarSource = bundledOfficialYear(year)
    ? 'official'
    : file.official.some((o) => o.year === year)
      ? 'configured'
      : 'missing';
  return {
    year,
    source,
    holidays: [...holidays].sort(),
    workdays: [...workdays].sort(),
    terms: file.terms.filter((t) => inYear(t.from) || inYear(t.to)),
    closures: closures.map((c) => ({ name: c.name, from: c.from, to: c.to })),
  };
}
