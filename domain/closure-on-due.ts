import { localDate } from './calendar.ts';
import type { Bilingual } from './text.ts';

export interface NamedClosure {
  from: string;
  to: string;
  name: string;
}

/**
 * The school closure of the calendar in force that a deadline's campus day falls in, if any. A
 * running case recounts its open stage's deadline minutes after a calendar is saved (the
 * calendar broadcast); one still on a closed day is a case in those minutes, or one that pinned
 * no calendar (its stage counts with the calendar it began with). Pure.
 */
export function closureOnDue(
  due: string,
  timeZone: string,
  closures: readonly NamedClosure[],
): NamedClosure | undefined {
  const day = localDate(due, timeZone);
  return closures.find((c) => c.from <= day && day <= c.to);
}

/** What the case page says beside such a deadline: why it stands and what a supervisor can do. */
export function closureDueNote(c: NamedClosure): Bilingual {
  const days = c.from === c.to ? c.from : `${c.from}–${c.to}`;
  return {
    zh: `此时限落在学校停课日（${days} ${c.name}）。校历保存后几分钟内，进行中的案件会按新校历重新计算当前环节的时限；若此提示仍在，本环节按其开始时的校历计时（2026 年 12 月 5 日前开启的案件），如需顺延，请申请或批准暂停。`,
    en: `This deadline falls on a school closure day (${days} ${c.name}). Running cases recount their open stage's deadline within minutes of a calendar save; if this note stays, the stage counts with the calendar it began with (cases opened before 5 December 2026): to hold it, request or approve a pause.`,
  };
}
