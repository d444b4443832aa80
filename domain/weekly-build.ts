// When the weekly reports are built, as the pages tell it. Pure.
import { localDate, localTimeToInstant } from './calendar.ts';
import { reportedWeek } from './digest.ts';
import type { Bilingual } from './text.ts';

/**
 * The weekly build's schedule (minute hour * * weekday, in the campus time zone): Monday 08:00
 * builds the week before. infra/schedules.ts schedules it; a deployment that sets
 * WEEKLY_FEEDBACK_CRON gives it to the worker and the API alike, and the pages read that.
 */
export const WEEKLY_REPORT_CRON = '0 8 * * 1';

export interface WeeklyBuild {
  /** The instant the next build runs. */
  at: string;
  /** Its campus date and time ("2026-12-14", "08:00"). */
  date: string;
  time: string;
  /** The week that build reports: the one before the week it runs in. */
  week: string;
}

const WEEKDAYS: Bilingual[] = [
  { zh: '周日', en: 'Sunday' },
  { zh: '周一', en: 'Monday' },
  { zh: '周二', en: 'Tuesday' },
  { zh: '周三', en: 'Wednesday' },
  { zh: '周四', en: 'Thursday' },
  { zh: '周五', en: 'Friday' },
  { zh: '周六', en: 'Saturday' },
];

/** The next weekly build after `nowIso`; null for a schedule not of the "m h * * d" shape. */
export function nextWeeklyBuild(nowIso: string, tz: string, cron = WEEKLY_REPORT_CRON): WeeklyBuild | null {
  const m = /^\s*(\d{1,2})\s+(\d{1,2})\s+\*\s+\*\s+([0-7])\s*$/.exec(cron);
  if (!m) return null;
  const time = `${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')}`;
  const weekday = Number(m[3]) % 7;
  const today = localDate(nowIso, tz);
  for (let i = 0; i <= 7; i++) {
    const day = new Date(Date.parse(`${today}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    if (new Date(`${day}T12:00:00Z`).getUTCDay() !== weekday) continue;
    const at = localTimeToInstant(day, time, tz);
    if (Date.parse(at) > Date.parse(nowIso)) return { at, date: day, time, week: reportedWeek(at, tz) };
  }
  return null;
}

/** "周一 2026-12-14 08:00" / "Monday 2026-12-14 at 08:00". */
export function weeklyBuildText(b: WeeklyBuild): Bilingual {
  const day = WEEKDAYS[new Date(`${b.date}T12:00:00Z`).getUTCDay()]!;
  return { zh: `${b.date}（${day.zh}）${b.time}`, en: `${day.en} ${b.date} at ${b.time}` };
}
