// How KPI figures that are not plain shares read, on every page and in the mails. Pure.
import { enCount } from './english-count.ts';
import type { Bilingual } from './text.ts';

/**
 * Minutes under an hour ("12 分钟" / "12 min"), hours with one decimal from an hour on ("3.5 小时"
 * / "3.5 h"): cases closed within minutes read "0.0 h" in hours alone. Anything above zero but
 * under half a minute reads "< 1 min", not a closing time of none.
 */
export function kpiDurationText(hours: number): Bilingual {
  const minutes = Math.round(hours * 60);
  if (minutes < 60) {
    if (minutes === 0 && hours > 0) return { zh: '不到 1 分钟', en: '< 1 min' };
    return { zh: `${minutes} 分钟`, en: `${minutes} min` };
  }
  const h = hours.toFixed(1);
  return { zh: `${h} 小时`, en: `${h} h` };
}

/**
 * The sample of the yearly complaint limit: the valid complaints in all and the dormitories they
 * are counted over ("共 2 件，统计 2 栋宿舍", "2 complaints in all, over 2 dormitories"). As
 * "2 in 2 buildings" it read as two buildings having complaints when both were in one: the second
 * number is how many dormitories are in scope, not how many had a complaint. The limit is judged
 * per building, on the building with most (the KPI's value).
 */
export function complaintSampleText(complaints: number, dormitories: number): Bilingual {
  return {
    zh: `共 ${complaints} 件，统计 ${dormitories} 栋宿舍`,
    en: `${enCount(complaints, 'complaint')} in all, over ${enCount(dormitories, 'dormitory', 'dormitories')}`,
  };
}
