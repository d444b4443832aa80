import type { Bilingual } from './text.ts';
import type { ZeroCell } from './zero-report.ts';

/**
 * What a grid member is told who is on none of the night's cells. The night's cells and their
 * members are fixed when it opens, so a grid member named in the directory during the evening
 * (one replacing another on a cluster) reports from the next night on; until then they are told
 * who answers tonight for the cells the directory now gives them, or whom to tell instead.
 */
export function noCellTonight(args: {
  night: string;
  /** When the night opened, as the campus reads it (`2026-12-07 22:20`). */
  openedAt: string;
  personId: string;
  /** The grid as the directory gives it now (gridCells). */
  cellsNow: readonly ZeroCell[];
  /** The night's cells, as fixed at its opening. */
  tonight: readonly ZeroCell[];
  name: (personId: string) => string;
}): Bilingual {
  const { night, openedAt, tonight } = args;
  const names = (ids: readonly string[], sep: string) => ids.map(args.name).join(sep);
  const head: Bilingual = {
    zh: `您不是 ${night} 晚零报告中任何网格的网格员：当晚的网格及其网格员在零报告开始时（${openedAt}）已确定，此后网格员的变更从下一晚起生效。`,
    en: `You are not a grid member of any cell in the zero report of ${night}: its cells and their grid members were fixed when it opened (${openedAt}), and a change of grid members since takes effect from the next night.`,
  };
  const whom = args.cellsNow
    .filter((c) => c.memberIds.includes(args.personId))
    .map((now): Bilingual => {
      const same = tonight.find((c) => c.cellId === now.cellId);
      if (same && same.memberIds.length > 0)
        return {
          zh: `今晚「${now.name.zh}」由 ${names(same.memberIds, '、')} 上报，如有晚归、未归请告知。`,
          en: `Tonight ${now.name.en} is reported by ${names(same.memberIds, ', ')}: tell them of anyone late or absent.`,
        };
      const above = levelAbove(now, tonight);
      if (above.length > 0)
        return {
          zh: `「${now.name.zh}」不在今晚的零报告中，如有晚归、未归请告知上一级网格员 ${names(above, '、')}。`,
          en: `${now.name.en} is not in tonight's report: tell the level above, ${names(above, ', ')}, of anyone late or absent.`,
        };
      return { zh: '', en: '' };
    })
    .filter((b) => b.zh !== '');
  const ask =
    whom.length > 0
      ? whom
      : [
          {
            zh: '如有晚归、未归，请告知公寓管理部门（网格化管理工作小组）。',
            en: 'Tell the dormitory office (the grid working group) of anyone late or absent.',
          },
        ];
  return {
    zh: [head.zh, ...ask.map((b) => b.zh)].join(''),
    en: [head.en, ...ask.map((b) => b.en)].join(' '),
  };
}

/** Tonight's members one level up from a cell (a floor's for a cluster, else the building's), as escalations go. */
function levelAbove(cell: ZeroCell, tonight: readonly ZeroCell[]): string[] {
  const floor = tonight.find((c) => c.level === 2 && c.floorId === cell.floorId);
  const building = tonight.find((c) => c.level === 1 && c.buildingId === cell.buildingId);
  if (cell.level === 3 && floor && floor.memberIds.length > 0) return floor.memberIds;
  if (cell.level > 1 && building) return building.memberIds;
  return [];
}
