import { describe, expect, it } from 'vitest';
import { boardPage } from '../../api/routes/zero-board-paging.ts';

const cells = Array.from({ length: 14 }, (_, i) => ({ cellId: `L3:c${String(i + 1).padStart(2, '0')}` }));

describe('the zero-report board’s pages', () => {
  it('pages forward and back by a cell key', () => {
    const first = boardPage(cells, {}, 5);
    expect(first?.shown.map((c) => c.cellId)).toEqual(['L3:c01', 'L3:c02', 'L3:c03', 'L3:c04', 'L3:c05']);
    expect(first?.nextAfter).toBe('L3:c05');
    const second = boardPage(cells, { after: 'L3:c05' }, 5);
    expect(second?.start).toBe(5);
    expect(second?.previous).toBe('first');
    expect(boardPage(cells, { before: 'L3:c11' }, 5)?.start).toBe(5);
  });

  it('shows the last page, not an empty one, after the last cell', () => {
    const page = boardPage(cells, { after: 'L3:c14' }, 5);
    expect(page?.shown.map((c) => c.cellId)).toEqual(['L3:c10', 'L3:c11', 'L3:c12', 'L3:c13', 'L3:c14']);
    expect(page?.start).toBe(9);
    expect(page?.nextAfter).toBeNull();
    expect(page?.previous).toEqual({ before: 'L3:c10' });
  });

  it('answers null for a key that is no cell of the night', () => {
    expect(boardPage(cells, { after: 'L3:nope' }, 5)).toBeNull();
  });
});
