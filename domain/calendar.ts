// Longer than most modules because the working-day arithmetic and the official data it reads must stay together to stay deterministic.
// Working-day calendar and deadline arithmetic for a campus time zone.
//
// Pure by construction: workflow code imports this module, so it reads no clock,
// does no I/O and imports no Node builtins. Every function takes the instants it
// needs. The official Chinese calendar (holidays and 调休 make-up working days)
// comes from the `chinese-days` package's JSON data, never from dates typed here.
import officialData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_END_OF_WORKING_DAY = '18:00';

/** School-specific changes on top of the official calendar. Dates are local 'YYYY-MM-DD'. */
export interface CalendarOverrides {
  workdays?: string[];
  holidays?: string[];
  closures?: { from: string; to: string }[];
  years?: number[];
}

export interface WorkingCalendar {
  readonly version: string;
  isWorkingDay(date: string): boolean;
  hasOfficialData(year: number): boolean;
}

export type Duration = { unit: 'minutes' | 'hours' | 'days' | 'working_days'; amount: number };

export interface DeadlineInput {
  start: string;
  duration: Duration;
  tz: string;
  calendar: WorkingCalendar;
  endOfWorkingDay?: string;
}

export interface Deadline {
  due: string;
  approximate: boolean;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

// A calendar whose overrides close every day would otherwise loop forever; ten
// years without a single working day can only be a configuration mistake.
const MAX_NON_WORKING_RUN = 3660;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
// Only instants with an explicit offset: a bare date or local time would be read
// in whatever zone the host happens to use.
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

interface OfficialData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const official: OfficialData = officialData;
const officialHolidays: ReadonlySet<string> = new Set(Object.keys(official.holidays));
const officialWorkdays: ReadonlySet<string> = new Set(Object.keys(official.workdays));
const officialYears: ReadonlySet<number> = new Set(
  [...officialHolidays].map((date) => Number(date.slice(0, 4))),
);

/** FNV-1a (32 bit) over UTF-16 code units: stable, dependency-free, enough to tell data sets apart. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function describeYears(years: readonly number[]): string {
  const sorted = [...years].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return 'none';
  const contiguous = last - first + 1 === sorted.length;
  return contiguous ? `${first}-${last}` : sorted.join(',');
}

// Only the dates decide working days, so only they go into the hash: a fixed
// English holiday name in a package update must not look like a new calendar.
const OFFICIAL_VERSION = `chinese-days@${describeYears([...officialYears])}.${fnv1a(
  JSON.stringify({ holidays: [...officialHolidays].sort(), workdays: [...officialWorkdays].sort() }),
)}`;

export function isValidDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

function assertDate(date: string, what: string): void {
  if (!isValidDate(date)) throw new RangeError(`${what} must be a valid 'YYYY-MM-DD' date, got '${date}'`);
}

function dateToUtcMs(date: string): number {
  assertDate(date, 'date');
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function utcMsToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Calendar arithmetic on 'YYYY-MM-DD' strings, independent of any time zone. */
export function addDays(date: string, days: number): string {
  return utcMsToDate(dateToUtcMs(date) + days * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(dateToUtcMs(date)).getUTCDay();
}

/** Epoch milliseconds of an ISO-8601 instant that carries 'Z' or an explicit offset. */
export function parseInstant(instant: string): number {
  const m = INSTANT_RE.exec(instant);
  if (!m || !isValidDate(`${m[1]}-${m[2]}-${m[3]}`)) {
    throw new RangeError(`expected an ISO-8601 instant with offset, got '${instant}'`);
  }
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`expected an ISO-8601 instant with offset, got '${instant}'`);
  return ms;
}

function canonicalOverrides(overrides: CalendarOverrides): string {
  const uniqueSorted = (xs: readonly string[] | undefined): string[] => [...new Set(xs ?? [])].sort();
  const closures = [...(overrides.closures ?? [])]
    .map((c) => ({ from: c.from, to: c.to }))
    .sort((a, b) => (a.from === b.from ? a.to.localeCompare(b.to) : a.from.localeCompare(b.from)))
    .filter((c, i, all) => i === 0 || c.from !== all[i - 1]?.from || c.to !== all[i - 1]?.to);
  return JSON.stringify({
    closures,
    holidays: uniqueSorted(overrides.holidays),
    workdays: uniqueSorted(overrides.workdays),
    years: [...new Set(overrides.years ?? [])].sort((a, b) => a - b),
  });
}

/** Official days: the bundled data, or the part of it a case pinned. */
interface OfficialDays {
  version: string;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  years: ReadonlySet<number>;
}

const BUNDLED: OfficialDays = {
  version: OFFICIAL_VERSION,
  holidays: officialHolidays,
  workdays: officialWorkdays,
  years: officialYears,
};

/** Builds the campus calendar: official data, then the school's own holidays, closures and make-up days. */
export function createCalendar(overrides: CalendarOverrides = {}): WorkingCalendar {
  return calendarOver(BUNDLED, overrides);
}

/**
 * What a case pins of the calendar: the official days of the years it can reach, as the bundled
 * data has them when it opens, and the school's changes. A package update that adds or corrects
 * official days then moves no running case's deadline, and its workflow replays as it ran.
 */
export interface PinnedCalendar {
  official: { version: string; years: number[]; holidays: string[]; workdays: string[] };
  overrides: CalendarOverrides;
}

/**
 * The pin of a case that opens in `year`: that year's official days and the next one's, and
 * those of every year from `from` on (the year its problem was reported, when that is earlier:
 * a report of 30 December opened on 2 January counts its clocks from December).
 */
export function pinCalendar(overrides: CalendarOverrides, year: number, from: number = year): PinnedCalendar {
  const first = Math.min(from, year);
  const years = Array.from({ length: year + 2 - first }, (_, i) => first + i).filter((y) =>
    officialYears.has(y),
  );
  const days = years.map((y) => officialDays(y));
  return {
    official: {
      version: OFFICIAL_VERSION,
      years,
      holidays: days.flatMap((d) => d.holidays),
      workdays: days.flatMap((d) => d.workdays),
    },
    overrides,
  };
}

/**
 * The years a case pins (`pinCalendar`'s `year` and `from`): the campus year it opens in, and the
 * year its problem was reported in when the report came earlier (its clocks run from the report).
 */
export function pinYears(
  openedAt: string,
  reportedAt: string | undefined,
  tz: string = DEFAULT_TIME_ZONE,
): { year: number; from: number } {
  const yearOf = (instant: string) => Number(localDate(instant, tz).slice(0, 4));
  const year = yearOf(openedAt);
  const earlier = reportedAt !== undefined && parseInstant(reportedAt) < parseInstant(openedAt);
  return { year, from: earlier ? Math.min(year, yearOf(reportedAt)) : year };
}

/** The calendar of a pin alone: the bundled data is never read (a year outside the pin counts weekends only). */
export function pinnedCalendar(pin: PinnedCalendar): WorkingCalendar {
  for (const d of [...pin.official.holidays, ...pin.official.workdays]) assertDate(d, 'pinned official day');
  return calendarOver(
    {
      version: pin.official.version,
      holidays: new Set(pin.official.holidays),
      workdays: new Set(pin.official.workdays),
      years: new Set(pin.official.years),
    },
    pin.overrides,
  );
}

function calendarOver(official: OfficialDays, overrides: CalendarOverrides): WorkingCalendar {
  for (const d of overrides.workdays ?? []) assertDate(d, 'overrides.workdays entry');
  for (const d of overrides.holidays ?? []) assertDate(d, 'overrides.holidays entry');
  for (const c of overrides.closures ?? []) {
    assertDate(c.from, 'closure.from');
    assertDate(c.to, 'closure.to');
    if (c.from > c.to) throw new RangeError(`closure ${c.from}..${c.to} ends before it starts`);
  }
  for (const y of overrides.years ?? []) {
    if (!Number.isInteger(y)) throw new RangeError(`overrides.years entry must be an integer, got ${y}`);
  }

  const workdays = new Set(overrides.workdays ?? []);
  const holidays = new Set(overrides.holidays ?? []);
  const closures = (overrides.closures ?? []).map((c) => ({ from: c.from, to: c.to }));
  const declaredYears = new Set(overrides.years ?? []);
  const version = `${official.version}+${fnv1a(canonicalOverrides(overrides))}`;

  return {
    version,
    isWorkingDay(date: string): boolean {
      assertDate(date, 'date');
      // A single declared make-up day is the most specific statement the school
      // can make, so it wins even inside a closure range.
      if (workdays.has(date)) return true;
      if (closures.some((c) => c.from <= date && date <= c.to)) return false;
      if (holidays.has(date)) return false;
      if (official.workdays.has(date)) return true;
      if (official.holidays.has(date)) return false;
      const dow = dayOfWeek(date);
      return dow !== 0 && dow !== 6;
    },
    hasOfficialData(year: number): boolean {
      return official.years.has(year) || declaredYears.has(year);
    },
  };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // Throws RangeError for an unknown zone, which is the error we want callers to see.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

function wallClock(ms: number, tz: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? NaN,
    month: fields.month ?? NaN,
    day: fields.day ?? NaN,
    hour: fields.hour ?? NaN,
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
  };
}

function wallClockAsUtcMs(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

// Offset of the zone at an instant, in ms (local = utc + offset).
function offsetAt(ms: number, tz: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallClockAsUtcMs(wallClock(whole, tz)) - whole;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** An instant on the campus wall clock, 'YYYY-MM-DD HH:mm:ss' (without the zone): the audit's reading of a time. */
export function localDateTime(instantIso: string, tz: string = DEFAULT_TIME_ZONE): string {
  const w = wallClock(parseInstant(instantIso), tz);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** The campus-local calendar date ('YYYY-MM-DD') of an instant. */
export function localDate(instantIso: string, tz: string = DEFAULT_TIME_ZONE): string {
  const w = wallClock(parseInstant(instantIso), tz);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The campus-local wall-clock time ('HH:mm') of an instant. */
export function localTime(instantIso: string, tz: string = DEFAULT_TIME_ZONE): string {
  const w = wallClock(parseInstant(instantIso), tz);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The UTC instant of a local date and time in `tz`.
 * Disambiguates like Temporal's 'compatible': a time skipped by a DST gap moves
 * forward by the gap; a time repeated by a DST overlap takes the earlier instant.
 */
export function localTimeToInstant(date: string, time: string, tz: string = DEFAULT_TIME_ZONE): string {
  assertDate(date, 'date');
  const t = TIME_RE.exec(time);
  if (!t) throw new RangeError(`time must be 'HH:mm' (00:00-23:59), got '${time}'`);
  const target: WallClock = {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
    hour: Number(t[1]),
    minute: Number(t[2]),
    second: 0,
  };
  const asUtc = wallClockAsUtcMs(target);
  // Offsets a day either side bracket any single transition near the target.
  const before = offsetAt(asUtc - DAY_MS, tz);
  const after = offsetAt(asUtc + DAY_MS, tz);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((ms) => wallClockAsUtcMs(wallClock(ms, tz)) === asUtc)
    .sort((a, b) => a - b);
  const chosen = candidates[0] ?? asUtc - before;
  return new Date(chosen).toISOString();
}

/** Milliseconds of a clock duration; working days have no fixed length and are refused. */
export function durationMs(duration: Duration): number {
  assertDuration(duration);
  switch (duration.unit) {
    case 'minutes':
      return Math.round(duration.amount * MINUTE_MS);
    case 'hours':
      return Math.round(duration.amount * HOUR_MS);
    case 'days':
      return Math.round(duration.amount * DAY_MS);
    case 'working_days':
      throw new RangeError('working_days have no fixed length in milliseconds; use computeDeadline');
  }
}

function assertDuration(duration: Duration): void {
  if (!Number.isFinite(duration.amount) || duration.amount < 0) {
    throw new RangeError(`duration amount must be a finite number >= 0, got ${duration.amount}`);
  }
  if (duration.unit === 'working_days' && !Number.isInteger(duration.amount)) {
    throw new RangeError(`working_days amount must be an integer, got ${duration.amount}`);
  }
}

/**
 * When a time limit that starts at `start` runs out.
 * Clock units ('days' = 24 h) add elapsed time exactly. 'working_days' N >= 1 ends at
 * `endOfWorkingDay` on the Nth working day after the start's local date; N = 0 ends today
 * if today is a working day not yet past its end, else at the end of the next working day.
 * `approximate` is true when a consulted day lies in a year without official data.
 */
export function computeDeadline(input: DeadlineInput): Deadline {
  const startMs = parseInstant(input.start);
  const { duration, tz, calendar } = input;
  assertDuration(duration);
  if (duration.unit !== 'working_days') {
    // An unknown zone is a caller bug even when clock units never need it.
    formatterFor(tz);
    return { due: new Date(startMs + durationMs(duration)).toISOString(), approximate: false };
  }

  const endOfDay = input.endOfWorkingDay ?? DEFAULT_END_OF_WORKING_DAY;
  let approximate = false;
  const consult = (date: string): boolean => {
    if (!calendar.hasOfficialData(Number(date.slice(0, 4)))) approximate = true;
    return calendar.isWorkingDay(date);
  };
  const nextWorkingDayAfter = (date: string): string => {
    let d = date;
    for (let run = 0; run < MAX_NON_WORKING_RUN; run++) {
      d = addDays(d, 1);
      if (consult(d)) return d;
    }
    throw new RangeError(`no working day within ${MAX_NON_WORKING_RUN} days after ${date}`);
  };

  const today = localDate(input.start, tz);
  let day: string;
  if (duration.amount === 0) {
    const endToday = localTimeToInstant(today, endOfDay, tz);
    day = consult(today) && startMs < parseInstant(endToday) ? today : nextWorkingDayAfter(today);
  } else {
    day = today;
    for (let n = 0; n < duration.amount; n++) day = nextWorkingDayAfter(day);
  }
  return { due: localTimeToInstant(day, endOfDay, tz), approximate };
}

/** The official holidays and make-up working days the bundled data carries for `year` (empty when it has none). */
export function officialDays(year: number): { holidays: string[]; workdays: string[] } {
  const inYear = (days: ReadonlySet<string>) => [...days].filter((d) => d.startsWith(`${year}-`)).sort();
  return { holidays: inYear(officialHolidays), workdays: inYear(officialWorkdays) };
}

/** Whether the bundled official data covers `year` (the school's file may cover more). */
export const bundledOfficialYear = (year: number): boolean => officialYears.has(year);
