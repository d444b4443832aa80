import { localDate } from './calendar.ts';
import type { Bilingual } from './text.ts';

/**
 * What a case says about a deadline counted without the official holidays of its year. A case
 * counts every working day with the calendar it pinned when it opened (CaseInput.calendar), so a
 * year's arrangement entered afterwards does not move this deadline: the note says why the date
 * is what it is, and promises no correction the case will never make.
 */
export function approximateDeadlineNote(due: string, timeZone: string): Bilingual {
  const year = localDate(due, timeZone).slice(0, 4);
  return {
    zh: `截止时间落在 ${year} 年前后；本案立案时校历中尚未录入该年的国务院节假日安排，故该年只按周末计算工作日。本案始终按立案时的校历计算，之后录入的安排只用于此后新立的案件，不改变本期限。`,
    en: `this deadline falls in or around ${year}, whose official holiday arrangement was not in the calendar when the case opened, so that year's working days were counted with weekends only. The case keeps the calendar it opened with: an arrangement entered later applies to cases opened from then on and does not move this deadline.`,
  };
}
