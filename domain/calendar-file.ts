import { z } from 'zod';
import {
  addDays,
  bundledOfficialYear,
  isValidDate,
  officialDays,
  type CalendarOverrides,
} from './calendar.ts';
import type { Bilingual } from './text.ts';

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
 * never guessed. `closure` is the school's own days off; `term` its term dates.
 */
export const calendarLineKinds = ['official', 'holiday', 'workday', 'closure', 'term'] as const;

const date = z.string().refine(isValidDate, { message: 'not a valid YYYY-MM-DD date' });
const range = z
  .string()
  .transform((s) => {
    const [from, to = from] = s.split('..');
    return { from: from ?? '', to };
  })
  .pipe(z.object({ from: date, to: date }))
  .refine((r) => r.from <= r.to, { message: 'the range ends before it starts' })
  .refine((r) => r.from.slice(0, 4) === r.to.slice(0, 4) || r.to <= addDays(r.from, 366), {
    message: 'a range may not span more than a year',
  });
const label = z.string().trim().min(1, 'give it a name (e.g. 春节)').max(120);

const lineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('official'), year: z.coerce.number().int().min(2000).max(2100), source: label }),
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
    const parsed = lineSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const known = (calendarLineKinds as readonly string[]).includes(kind);
      errors.push({
        line,
        message: known
          ? {
              zh: `第 ${line} 行：${issue?.path.join('.') || kind} ${issue?.message ?? '格式错误'}`,
              en: `line ${line}: ${issue?.path.join('.') || kind} ${issue?.message ?? 'malformed'}`,
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
  const seen = new Map<string, { line: number; kind: string }>();
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
    if (l.kind === 'closure') {
      file.closures.push({ ...l.range, name: l.name });
      continue;
    }
    if (l.kind === 'term') {
      file.terms.push({ name: l.name, ...l.range });
      continue;
    }
    for (const d of days(l.range.from, l.range.to)) {
      const before = seen.get(d);
      if (before) {
        errors.push({
          line: l.line,
          message: {
            zh: `第 ${l.line} 行：${d} 已在第 ${before.line} 行列出`,
            en: `line ${l.line}: ${d} is already listed on line ${before.line}`,
          },
        });
        continue;
      }
      seen.set(d, { line: l.line, kind: l.kind });
      (l.kind === 'holiday' ? file.holidays : file.workdays).push({ date: d, name: l.name, line: l.line });
    }
  }
  // A make-up working day on an official holiday contradicts the notice it was typed from.
  for (const w of file.workdays) {
    if (officialDays(Number(w.date.slice(0, 4))).holidays.includes(w.date))
      errors.push({
        line: w.line,
        message: {
          zh: `第 ${w.line} 行：${w.date} 是法定节假日，不能设为调休上班日`,
          en: `line ${w.line}: ${w.date} is an official holiday and cannot be a make-up working day`,
        },
      });
  }
  const declared = new Set(file.official.map((o) => o.year));
  for (const h of [...file.holidays, ...file.workdays]) {
    const year = Number(h.date.slice(0, 4));
    if (!declared.has(year) && !bundledOfficialYear(year))
      errors.push({
        line: h.line,
        message: {
          zh: `第 ${h.line} 行：${year} 年的法定安排须先用 official ${year} <通知名称> 注明来源`,
          en: `line ${h.line}: declare the source of ${year}'s arrangement first with 'official ${year} <notice title>'`,
        },
      });
  }
  errors.sort((a, b) => a.line - b.line);
  return errors.length ? { ok: false, errors } : { ok: true, file };
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

export type CalendarSource = 'official' | 'configured' | 'missing';

/** The answer of `GET /api/calendar/{year}`. */
export interface CalendarYear {
  year: number;
  source: CalendarSource;
  holidays: string[];
  workdays: string[];
  terms: Term[];
}

export function calendarYear(year: number, file: CalendarFile): CalendarYear {
  const inYear = (d: string) => d.startsWith(`${year}-`);
  const bundled = officialDays(year);
  const closureDays = file.closures.flatMap((c) => days(c.from, c.to));
  const workdays = new Set([...bundled.workdays, ...file.workdays.map((w) => w.date)].filter(inYear));
  const holidays = new Set(
    [...bundled.holidays, ...file.holidays.map((h) => h.date), ...closureDays].filter(
      (d) => inYear(d) && !workdays.has(d),
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
  };
}
