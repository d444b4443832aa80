// How KPI figures that are not plain shares read, on every page and in the mails. Pure.
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
 * The sample of the yearly complaint limit: the valid complaints and the buildings they are
 * counted over ("2 件 / 1 栋", "2 in 1 building"). As "2/1" it read as a share above 100%;
 * the limit is judged per building, on the building with most.
 */
export function complaintSampleText(complaints: number, buildings: number): Bilingual {
  return {
    zh: `${complaints} 件 / ${buildings} 栋`,
    en: `${complaints} in ${buildings} building${buildings === 1 ? '' : 's'}`,
  };
}
