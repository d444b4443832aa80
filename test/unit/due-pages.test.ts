import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case-model.ts';
import {
  dueFirst,
  encodePageAt,
  pageAt,
  parsePageAt,
  type DuePage,
  type PageAt,
} from '../../api/pages/app/due-pages.ts';
import { view } from '../support/views.ts';

const SIZE = 20;
const BASE = '2026-03-02T00:00:00.000Z';

/** Case n, due n hours after BASE (negative: already due), its stage's deadline open. */
function open(n: number, id = `ZG-2026-${String(500 + n).padStart(6, '0')}`): CaseView {
  const v = view({
    caseId: id,
    openedAt: BASE,
    stage: 'analysing',
    deadlines: [['analysing', 'pending', 0]],
  });
  const due = new Date(Date.parse(BASE) + n * 3_600_000).toISOString();
  return { ...v, deadlines: v.deadlines.map((d) => ({ ...d, due })) };
}

const ids = (p: DuePage) => p.shown.map((v) => v.caseId);
/** What a link carries: the page's place through its address value and back. */
const follow = (at: PageAt | null): PageAt => parsePageAt(at ? encodePageAt(at) : null);

describe('workbench pages cut by due time and case number', () => {
  const list = Array.from({ length: 50 }, (_, n) => open(n)).sort(dueFirst);

  it('handling the cases of page 1 before pressing 下一页 leaves none of page 2 out', () => {
    const first = pageAt(list, { from: 'start' }, SIZE);
    expect(first.shown).toHaveLength(SIZE);
    const handled = new Set(ids(first).slice(0, 3));
    const after = list.filter((v) => !handled.has(v.caseId));
    const second = pageAt(after, follow(first.next), SIZE);
    expect(ids(second)).toEqual(list.slice(SIZE, 2 * SIZE).map((v) => v.caseId));
  });

  it('cases opened more urgent than page 1 between pages do not come back on page 2', () => {
    const first = pageAt(list, { from: 'start' }, SIZE);
    const urgent = [-3, -2, -1].map((n) => open(n, `ZG-2026-9${String(n + 10).padStart(5, '0')}`));
    const second = pageAt([...urgent, ...list].sort(dueFirst), follow(first.next), SIZE);
    expect(ids(second)).toEqual(list.slice(SIZE, 2 * SIZE).map((v) => v.caseId));
    expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
  });

  it('equal due times are cut by case number, so none is skipped at a page edge', () => {
    const same = Array.from({ length: 30 }, (_, n) => open(5, `ZG-2026-${String(n).padStart(6, '0')}`)).sort(
      dueFirst,
    );
    const first = pageAt(same, { from: 'start' }, SIZE);
    const second = pageAt(same, follow(first.next), SIZE);
    expect([...ids(first), ...ids(second)]).toEqual(same.map((v) => v.caseId));
  });

  it('上一页 walks back to the pages seen, and to a full first page when cases above were handled', () => {
    const first = pageAt(list, { from: 'start' }, SIZE);
    const second = pageAt(list, follow(first.next), SIZE);
    const third = pageAt(list, follow(second.next), SIZE);
    expect(third.start).toBe(40);
    expect(third.next).toBeNull();
    expect(ids(pageAt(list, follow(third.previous), SIZE))).toEqual(ids(second));
    expect(follow(second.previous)).toEqual({ from: 'start' });
    const fewer = list.slice(25);
    const back = pageAt(fewer, follow(third.previous), SIZE);
    expect(back.start).toBe(0);
    expect(ids(back)).toEqual(fewer.slice(0, SIZE).map((v) => v.caseId));
  });

  it('a page after every case left (all below were handled) is the last page, not an empty one', () => {
    const first = pageAt(list, { from: 'start' }, SIZE);
    const left = list.slice(0, 25);
    const tail = pageAt(left, { from: 'after', key: { due: '9999', caseId: 'ZG-2026-999999' } }, SIZE);
    expect(ids(tail)).toEqual(left.slice(5).map((v) => v.caseId));
    expect(pageAt(list.slice(0, SIZE), follow(first.next), SIZE).shown).toHaveLength(SIZE);
  });

  it('overdue (due passed) first, cases with no open deadline last', () => {
    const none = { ...open(1, 'ZG-2026-000001'), stage: 'detected' as const, deadlines: [] };
    const sorted = [none, open(3), open(-4)].sort(dueFirst);
    expect(sorted.map((v) => v.caseId)).toEqual([open(-4).caseId, open(3).caseId, 'ZG-2026-000001']);
  });

  it('an address value it did not make (an old page number, a hand-edited key) is the first page', () => {
    for (const bad of [
      null,
      '',
      '2',
      'n.',
      'n.!!',
      `n.${Buffer.from('[1,2]').toString('base64url')}`,
      'x.abc',
    ])
      expect(parsePageAt(bad)).toEqual({ from: 'start' });
    const at: PageAt = { from: 'before', key: { due: BASE, caseId: 'ZG-2026-000007' } };
    expect(parsePageAt(encodePageAt(at))).toEqual(at);
  });
});
