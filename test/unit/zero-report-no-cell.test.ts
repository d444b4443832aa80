import { describe, expect, it } from 'vitest';
import { noCellTonight } from '../../domain/zero-report-no-cell.ts';
import type { ZeroCell } from '../../domain/zero-report.ts';

const cell = (cellId: string, level: 1 | 2 | 3, memberIds: string[]): ZeroCell => ({
  cellId,
  level,
  buildingId: 'a',
  ...(level === 1 ? {} : { floorId: 'a-f1' }),
  name: { zh: `格${cellId}`, en: `cell ${cellId}` },
  memberIds,
  rooms: [],
});
const names: Record<string, string> = { new: '新', old: '旧', floor: '层长', building: '楼长' };
const said = (cellsNow: ZeroCell[], tonight: ZeroCell[]) =>
  noCellTonight({
    night: '2026-12-07',
    openedAt: '2026-12-07 22:20',
    personId: 'new',
    cellsNow,
    tonight,
    name: (id) => names[id] ?? id,
  });

describe('noCellTonight', () => {
  const building = cell('L1:a', 1, ['building']);
  const floor = cell('L2:a-f1', 2, ['floor']);

  it('says the night’s cells were fixed at its opening, and who reports tonight for the cell the directory now gives', () => {
    const b = said([cell('L3:c1', 3, ['new'])], [building, floor, cell('L3:c1', 3, ['old'])]);
    expect(b.zh).toBe(
      '您不是 2026-12-07 晚零报告中任何网格的网格员：当晚的网格及其网格员在零报告开始时（2026-12-07 22:20）已确定，此后网格员的变更从下一晚起生效。今晚「格L3:c1」由 旧 上报，如有晚归、未归请告知。',
    );
    expect(b.en).toContain('fixed when it opened (2026-12-07 22:20)');
    expect(b.en).toContain('Tonight cell L3:c1 is reported by 旧: tell them of anyone late or absent.');
  });

  it('names the level above when the cell is not in tonight’s report, and the working group when nobody is', () => {
    expect(said([cell('L3:c9', 3, ['new'])], [building, floor]).zh).toContain(
      '「格L3:c9」不在今晚的零报告中，如有晚归、未归请告知上一级网格员 层长。',
    );
    expect(said([cell('L3:c9', 3, ['new'])], [building]).en).toContain('tell the level above, 楼长,');
    const nobody = said([], [building, floor]);
    expect(nobody.zh).toContain('请告知公寓管理部门（网格化管理工作小组）');
    expect(nobody.en).toContain('Tell the dormitory office (the grid working group)');
  });
});
