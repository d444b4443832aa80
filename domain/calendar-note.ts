import { localDate } from './calendar.ts';
import type { Bilingual } from './text.ts';

/**
 * What a case says about a deadline counted without the official holidays of
 * its year: people must know the date may move once the State Council's notice
 * for that year is entered in the calendar file.
 */
export function approximateDeadlineNote(due: string, timeZone: string): Bilingual {
  const year = localDate(due, timeZone).slice(0, 4);
  return {
    zh: `截止时间涉及尚未录入国务院节假日安排的年份（${year} 年前后），暂按周末计算工作日，节假日公布后以实际为准`,
    en: `this deadline reaches a year (around ${year}) whose official holiday arrangement is not yet in the calendar; working days are counted by weekends only until the State Council's notice is entered`,
  };
}
