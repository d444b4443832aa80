import type { CaseInput } from '../domain/case-model.ts';
import { withItemRule } from '../domain/case-citation.ts';
import { buildPolicy } from '../domain/case-policy.ts';
import { localDate, pinCalendar } from '../domain/calendar.ts';
import type { Directory, Location } from '../domain/directory.ts';
import type { StandardItem } from '../domain/standards/catalogue.ts';
import { nextCaseNumber } from '../store/counters.ts';
import { calendarInForce } from './calendar-in-force.ts';
import type { ActivityDeps } from './index.ts';

/**
 * What every case a catalogue item opens (a missed duty, a failed inspection item) has in
 * common: a new case number, the item as its category, its severity and SLA rule, and the
 * calendar in force, pinned like the policy.
 */
export async function itemCaseBasis(
  deps: ActivityDeps,
  c: { dir: Directory; item: StandardItem; location: Location; openedAt: string; timeZone: string },
): Promise<
  Pick<CaseInput, 'caseId' | 'source' | 'severity' | 'category' | 'location' | 'policy' | 'calendar'>
> {
  const year = Number(localDate(c.openedAt, c.timeZone).slice(0, 4));
  const caseId = await nextCaseNumber(deps.ddb, deps.tables, year);
  const severity = c.item.severity ?? 'routine';
  // The item names its rule: a citation is not one of the SLA's own categories.
  const policy = withItemRule(
    buildPolicy(
      c.dir,
      { source: 'inspection', severity, category: c.item.id, location: c.location },
      { timeZone: c.timeZone },
    ),
    c.item,
    'inspection',
  );
  return {
    caseId,
    source: 'inspection',
    severity,
    category: c.item.id,
    location: c.location,
    policy,
    calendar: pinCalendar(await calendarInForce(deps), year),
  };
}
