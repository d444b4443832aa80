import { localDate } from './calendar.ts';
import type { Bilingual } from './text.ts';

export interface NamedClosure {
  from: string;
  to: string;
  name: string;
}

/**
 * The school closure of the calendar in force that a deadline's campus day falls in, if any. A
 * case counts with the calendar it pinned when it opened, so a closure saved since does not move
 * its deadlines: one that lands on a closed day was counted without it. Pure.
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
    zh: `此时限落在学校停课日（${days} ${c.name}）：本案按开启时的校历计时，之后保存的停课安排不会顺延它；如需顺延，请申请或批准暂停。`,
    en: `This deadline falls on a school closure day (${days} ${c.name}): the case counts with the calendar it opened with, so a closure saved since does not move it; to hold it, request or approve a pause.`,
  };
}
