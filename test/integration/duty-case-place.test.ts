import { beforeAll, describe, expect, it } from 'vitest';
import { createDutyActivities } from '../../activities/duties.ts';
import { dutyById, newOccurrence } from '../../domain/duties.ts';
import { seedDemo, testDeps, uniqueId } from '../support/stack.ts';

const deps = testDeps();
const acts = createDutyActivities(deps);

beforeAll(async () => {
  await seedDemo(deps);
});

describe('a missed duty’s case in a building the directory no longer has', () => {
  it('names the building as the pages do, marked as no longer listed, not by its bare id', async () => {
    const duty = dutyById('fire-drill')!;
    const buildingId = uniqueId('bldg-gone').toLowerCase();
    const occurrence = newOccurrence(
      duty,
      {
        dutyId: duty.id,
        period: '2026',
        periodLabel: { zh: '2026年', en: '2026' },
        opens: '2026-01-01',
        dueDate: '2026-12-07',
      },
      { buildingId, ownerIds: [], supervisorIds: [] },
      deps.timeZone,
    );
    const c = await acts.prepareDutyCase({ occurrence, at: '2026-12-07T10:05:00.000Z' });
    const [first = ''] = c.description.split('\n');
    expect(first).toContain(`${buildingId}（已不在名录）「消防应急演练」`);
    expect(first).toContain(`in ${buildingId} (no longer in the directory) was not done`);
  });
});
