import { describe, expect, it } from 'vitest';
import {
  DUPLICATES_OFFERED,
  isLikelyDuplicate,
  likelyDuplicates,
} from '../../api/pages/app/triage-duplicates.ts';
import type { Report } from '../../store/reports.ts';
import { view, type ViewSpec } from '../support/views.ts';

const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const open = (n: number, over: Partial<ViewSpec> = {}) =>
  view({
    caseId: `ZG-2026-${String(n).padStart(6, '0')}`,
    openedAt: new Date(Date.parse('2026-03-01T00:00:00Z') - n * 60_000).toISOString(),
    stage: 'rectifying',
    category: 'cleanliness',
    location: A101,
    ...over,
  });
const report: Pick<Report, 'kind' | 'location'> = { kind: 'cleanliness', location: A101 };

describe('likely duplicates of a report', () => {
  it('are open cases at its place and of its kind', () => {
    expect(isLikelyDuplicate(report, open(1))).toBe(true);
    expect(isLikelyDuplicate(report, open(1, { stage: 'closed' }))).toBe(false);
    expect(isLikelyDuplicate(report, open(1, { stage: 'withdrawn' }))).toBe(false);
    expect(isLikelyDuplicate(report, open(1, { category: 'repair' }))).toBe(false);
    expect(isLikelyDuplicate(report, open(1, { location: { ...A101, roomId: 'A102' } }))).toBe(false);
    expect(isLikelyDuplicate(report, open(1, { location: { buildingId: 'bldg-a' } }))).toBe(false);
    expect(isLikelyDuplicate(report, open(1, { location: { ...A101, buildingId: 'bldg-b' } }))).toBe(false);
    // A report about the whole building takes a case about any of its rooms.
    expect(isLikelyDuplicate({ kind: 'cleanliness', location: { buildingId: 'bldg-a' } }, open(1))).toBe(
      true,
    );
    // Without a category, the case's source says its kind.
    expect(isLikelyDuplicate({ kind: 'repair', location: A101 }, open(1, { category: undefined }))).toBe(
      true,
    );
  });

  it('keep the order they are given in and stop at the number offered', () => {
    const cases = Array.from({ length: 30 }, (_, i) => open(i, i % 2 ? { stage: 'closed' } : {}));
    const found = likelyDuplicates(cases, report);
    expect(found).toHaveLength(Math.min(15, DUPLICATES_OFFERED));
    expect(found.map((v) => v.caseId)).toEqual(
      cases
        .filter((_, i) => i % 2 === 0)
        .map((v) => v.caseId)
        .slice(0, DUPLICATES_OFFERED),
    );
    expect(likelyDuplicates(cases, report, 3)).toHaveLength(3);
  });
});
