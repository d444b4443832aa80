import { describe, expect, it } from 'vitest';
import {
  duplicateChecks,
  DUPLICATES_OFFERED,
  isLikelyDuplicate,
  isMergeTarget,
  mergeTargets,
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
    title: '走廊垃圾未清理',
    ...over,
  });
type Facts = Pick<Report, 'kind' | 'location' | 'description' | 'receivedAt'>;
// Days after the cases were opened: only the words can tell these reports' duplicates.
const LATER = '2026-03-05T00:00:00.000Z';
const report: Facts = {
  kind: 'cleanliness',
  location: A101,
  description: '走廊垃圾堆了好几天没人清理',
  receivedAt: LATER,
};
const leak: Facts = {
  kind: 'repair',
  location: A101,
  description: '卫生间水龙头一直在漏水',
  receivedAt: LATER,
};
const repair = (n: number, title: string, description = '') =>
  open(n, { category: 'repair', source: 'repair', title, description });

describe('cases a report may merge into', () => {
  it('are open cases at its place and of its kind', () => {
    expect(isMergeTarget(report, open(1))).toBe(true);
    expect(isMergeTarget(report, open(1, { stage: 'closed' }))).toBe(false);
    expect(isMergeTarget(report, open(1, { stage: 'withdrawn' }))).toBe(false);
    expect(isMergeTarget(report, open(1, { category: 'repair' }))).toBe(false);
    expect(isMergeTarget(report, open(1, { location: { ...A101, roomId: 'A102' } }))).toBe(false);
    expect(isMergeTarget(report, open(1, { location: { buildingId: 'bldg-a' } }))).toBe(false);
    expect(isMergeTarget(report, open(1, { location: { ...A101, buildingId: 'bldg-b' } }))).toBe(false);
    // A report about the whole building takes a case about any of its rooms.
    expect(isMergeTarget({ kind: 'cleanliness', location: { buildingId: 'bldg-a' } }, open(1))).toBe(true);
    // Without a category, the case's source says its kind.
    expect(isMergeTarget({ kind: 'repair', location: A101 }, open(1, { category: undefined }))).toBe(true);
  });
});

describe('likely duplicates of a report', () => {
  it('say the same problem, not only the same room and kind', () => {
    expect(isLikelyDuplicate(leak, repair(1, '水龙头漏水'))).toBe(true);
    expect(isLikelyDuplicate(leak, repair(1, '门锁坏了，钥匙打不开'))).toBe(false);
    expect(isLikelyDuplicate(leak, repair(1, '卫生间灯不亮'))).toBe(false);
    expect(isLikelyDuplicate(leak, repair(1, '空调不制冷'))).toBe(false);
    // The same words, but a cleanliness case: not one a repair report may merge into.
    expect(isLikelyDuplicate(leak, open(1, { title: '水龙头漏水' }))).toBe(false);
  });

  it('include a case reported from the same room, of the same kind, within a day, whatever its words', () => {
    // The probe: a light reported in B208, then a minute later again in other words.
    const B208 = { buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B208' };
    const first = open(1, {
      category: 'repair',
      source: 'repair',
      location: B208,
      title: '报修：宿舍灯一闪一闪的',
      openedAt: '2026-03-01T00:40:00.000Z',
      reportedAt: '2026-03-01T00:38:00.000Z',
    });
    const again = (receivedAt: string, over: Partial<Facts> = {}): Facts => ({
      kind: 'repair',
      location: B208,
      description: 'B208的灯不亮了，晚上没法看书',
      receivedAt,
      ...over,
    });
    expect(isLikelyDuplicate(again('2026-03-01T00:39:00.000Z'), first)).toBe(true);
    expect(mergeTargets([first], again('2026-03-01T00:39:00.000Z')).likely).toEqual([first]);
    // Counted from the first report's own time, not the case's opening, up to a day.
    expect(isLikelyDuplicate(again('2026-03-02T00:38:00.000Z'), first)).toBe(true);
    expect(isLikelyDuplicate(again('2026-03-02T00:39:00.000Z'), first)).toBe(false);
    // Another kind, another room, or a report naming no room: the words decide, as before.
    expect(isLikelyDuplicate(again('2026-03-01T00:39:00.000Z', { kind: 'cleanliness' }), first)).toBe(false);
    const floorOnly = { buildingId: 'bldg-b', floorId: 'b-f2' };
    expect(isLikelyDuplicate(again('2026-03-01T00:39:00.000Z', { location: floorOnly }), first)).toBe(false);
    expect(
      isLikelyDuplicate(again('2026-03-01T00:39:00.000Z'), {
        ...first,
        location: { ...B208, roomId: 'B209' },
      }),
    ).toBe(false);
  });

  it('are named by what was checked, never as a verdict', () => {
    expect(duplicateChecks({ location: A101 }).likely.zh).toBe('同一房间24小时内的同类报告，或描述用词相近');
    expect(duplicateChecks({ location: A101 }).none.en).toBe(
      'none from this room within 24 hours or in similar wording; judge whether one is the same problem',
    );
    expect(duplicateChecks({ location: { buildingId: 'bldg-a' } }).none.zh).toBe(
      '描述用词均不相近；是否同一问题请您判断',
    );
  });

  it('read a case opened from a report by its words, not by the lines triage adds', () => {
    const fromReport = (title: string, said: string) =>
      repair(
        1,
        title,
        `${said}\n扫码报告 / Scanned report RP-8SEF2N10Y7，2026-03-01 09:00\n照片 / Photos: evidence:ev_abcdefabcdefabcd#sha256=${'ab'.repeat(32)}`,
      );
    expect(isLikelyDuplicate(leak, fromReport('报修：水龙头坏了', '水龙头坏了一直滴水'))).toBe(true);
    // Both scanned, both with photos: nothing else in common.
    const scanned: Facts = { ...leak, description: '扫码报告：门锁坏了 照片见附件' };
    expect(isLikelyDuplicate(scanned, fromReport('报修：空调不制冷', '空调不制冷'))).toBe(false);
  });

  it('are told in English by their words, room numbers and generic words aside', () => {
    const en: Facts = { ...leak, description: 'The tap in the bathroom of A101 is leaking' };
    expect(isLikelyDuplicate(en, repair(1, 'Repair: leaking tap'))).toBe(true);
    expect(isLikelyDuplicate(en, repair(1, 'Repair: A101 door lock broken'))).toBe(false);
    const light: Facts = { ...leak, description: 'light broken in room A101' };
    expect(isLikelyDuplicate(light, repair(1, 'door broken in room A101'))).toBe(false);
  });
});

describe('the merge choices of a card', () => {
  it('are the likely duplicates, then the other open cases there apart, none called a duplicate', () => {
    // The probe's room: many open repairs, one of them the report's leak.
    const unrelated = Array.from({ length: 25 }, (_, i) => repair(i + 2, `门锁坏了 ${i}`));
    const same = repair(30, '水龙头漏水');
    const elsewhere = open(31, {
      category: 'repair',
      source: 'repair',
      title: '水龙头漏水',
      location: { ...A101, roomId: 'A102' },
    });
    const { likely, others } = mergeTargets(
      [...unrelated.slice(0, 5), same, ...unrelated.slice(5), elsewhere],
      leak,
    );
    expect(likely.map((v) => v.caseId)).toEqual([same.caseId]);
    expect(others.map((v) => v.caseId)).toEqual(unrelated.slice(0, DUPLICATES_OFFERED).map((v) => v.caseId));
    // None alike: nothing likely, the rest only as other cases.
    expect(mergeTargets(unrelated, leak).likely).toEqual([]);
    expect(mergeTargets([], leak)).toEqual({ likely: [], others: [] });
  });

  it('keep the order they are given in and stop at the number offered', () => {
    const cases = Array.from({ length: 30 }, (_, i) => open(i, i % 2 ? { stage: 'closed' } : {}));
    const found = mergeTargets(cases, report).likely;
    expect(found).toHaveLength(Math.min(15, DUPLICATES_OFFERED));
    expect(found.map((v) => v.caseId)).toEqual(
      cases
        .filter((_, i) => i % 2 === 0)
        .map((v) => v.caseId)
        .slice(0, DUPLICATES_OFFERED),
    );
    expect(mergeTargets(cases, report, 3).likely).toHaveLength(3);
  });
});
