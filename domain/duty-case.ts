import { localDate } from './calendar.ts';
import type { DutyDefinition, DutyOccurrence } from './duties.ts';
import type { Bilingual } from './text.ts';

/**
 * What the case a missed occurrence opens says: the duty by its name, building and date in
 * both languages (a person reads the case, not the occurrence id), what was left undone and
 * the requirement it cites. Pure: the case activity gives it the building and the item.
 */
export function missedDutyCaseText(m: {
  duty: Pick<DutyDefinition, 'name' | 'dueTime'>;
  occurrence: Pick<DutyOccurrence, 'periodLabel' | 'progress' | 'due'>;
  building: Bilingual;
  citation: Bilingual;
  /** The cited item's requirement as the standard words it (Chinese), as every item case quotes it. */
  requirement: string;
  timeZone: string;
}): { title: string; description: string } {
  const { duty: d, occurrence: o } = m;
  const due = `${localDate(o.due, m.timeZone)} ${d.dueTime}`;
  // A daily duty's period is its due date: said once, not twice.
  const daily = o.periodLabel.zh === localDate(o.due, m.timeZone);
  const period: Bilingual = daily
    ? { zh: '', en: '' }
    : { zh: `（${o.periodLabel.zh}）`, en: ` (${o.periodLabel.en})` };
  const left = o.progress.filter((p) => p.done < p.times);
  return {
    title: `${m.citation.zh} ${d.name.zh}逾期未完成 / ${m.citation.en}: ${d.name.en} missed`.slice(0, 200),
    description: [
      `${m.building.zh}「${d.name.zh}」${period.zh}截至 ${due} 未完成 / ${d.name.en}${period.en} in ${m.building.en} was not done by ${due}`,
      `未完成 / Not done: ${left.map((p) => `${p.label.zh}/${p.label.en} ${p.done}/${p.times}`).join(', ')}`,
      `标准要求 / Requirement: ${m.requirement}`,
    ]
      .join('\n')
      .slice(0, 5000),
  };
}
