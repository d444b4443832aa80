import { localDate } from './calendar.ts';
import type { Bilingual } from './text.ts';

/**
 * What a case says about a deadline counted without the official holidays of its year: why the
 * date is what it is, and what entering the year on the calendar page does to it (a running
 * case recounts a deadline not yet overdue within minutes: the calendar broadcast).
 */
export function approximateDeadlineNote(due: string, timeZone: string): Bilingual {
  const year = localDate(due, timeZone).slice(0, 4);
  return {
    zh: `截止时间落在 ${year} 年前后；校历中尚未录入该年的国务院节假日安排，故该年只按周末计算工作日。管理员在“校历”页录入后，本期限若尚未超时，几分钟内即按录入的安排重新计算。`,
    en: `this deadline falls in or around ${year}, whose official holiday arrangement is not in the calendar yet, so that year's working days are counted with weekends only. Once an admin enters it on the calendar page, this deadline, if not yet overdue, is recounted with it within minutes.`,
  };
}
