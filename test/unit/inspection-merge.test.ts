import { describe, expect, it } from 'vitest';
import { checklistFor, mergeSavedRound, scoreRound, type InspectionRound } from '../../domain/inspection.ts';

/** A run's save merged into the record (the truth of what was saved), as after a reset. */
const daily = checklistFor('daily').map((i) => i.id);
const [a, b, c] = daily as [string, string, string];
const round = (over: Partial<InspectionRound> = {}): InspectionRound => ({
  roundId: 'inspection.daily.bldg-a.2030-01-02',
  kind: 'daily',
  buildingId: 'bldg-a',
  period: '2030-01-02',
  from: '2030-01-02',
  to: '2030-01-02',
  due: '2030-01-02T16:00:00.000Z',
  assigneeIds: ['sup-wang'],
  checklist: daily,
  status: 'open',
  results: [],
  scores: scoreRound(daily, []),
  cases: {},
  ...over,
});
const at = (h: number) => `2030-01-02T0${h}:00:00.000Z`;

describe('mergeSavedRound', () => {
  it('is the run’s round when the record is what the run wrote before', () => {
    const stored = round({ results: [{ itemId: a, result: 'pass', by: 'sup-wang', at: at(1) }] });
    const run = round({
      results: [
        { itemId: a, result: 'pass', by: 'sup-wang', at: at(1) },
        { itemId: b, result: 'na', by: 'sup-wang', at: at(2) },
      ],
    });
    expect(mergeSavedRound(stored, run)).toEqual({ ...run, scores: scoreRound(daily, run.results) });
  });

  it('keeps the results and cases the run lost, and each item’s latest result', () => {
    const stored = round({
      results: [
        { itemId: a, result: 'fail', note: '过期', by: 'sup-wang', at: at(2) },
        { itemId: b, result: 'na', by: 'sup-wang', at: at(3) },
        { itemId: c, result: 'pass', by: 'sup-wang', at: at(1) },
      ],
      cases: { [a]: 'ZG-2030-000001' },
    });
    // Reset to before any of them: the run has a new post on c, and a stale pass on a.
    const run = round({
      results: [
        { itemId: c, result: 'na', by: 'sup-wang', at: at(4) },
        { itemId: a, result: 'pass', by: 'sup-wang', at: at(5) },
      ],
    });
    const merged = mergeSavedRound(stored, run);
    expect(merged.results.map((r) => [r.itemId, r.result])).toEqual([
      [c, 'na'],
      // The failure whose case opened stays as the record has it.
      [a, 'fail'],
      [b, 'na'],
    ]);
    expect(merged.cases).toEqual({ [a]: 'ZG-2030-000001' });
    expect(merged.scores).toEqual(scoreRound(daily, merged.results));
  });

  it('never reopens a closed record, and keeps the first finish’s time', () => {
    const done = round({ status: 'completed', completedAt: at(3), results: [] });
    expect(mergeSavedRound(done, round())).toBe(done);
    expect(mergeSavedRound(done, round({ status: 'missed' }))).toBe(done);
    const missed = round({ status: 'missed' });
    expect(mergeSavedRound(missed, round())).toBe(missed);
    expect(mergeSavedRound(done, round({ status: 'completed', completedAt: at(4) })).completedAt).toBe(at(3));
  });
});
