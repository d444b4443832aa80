import type { Directory, Location } from './directory.ts';
import type { Bilingual } from './text.ts';

/**
 * Why a grid member with a cell in a building may not open a case at a place there (gridCovers
 * said no): the floor or room named is outside their cells, or the place is named too vaguely
 * for their level. Saying "the building is outside your grid" would be false for them.
 */
type Cell =
  | { kind: 'floor'; floorId: string }
  | { kind: 'cluster'; floorId: string; clusterId: string; rooms: string[] };

/** The member's floor and cluster cells in a building (a building-level member has no refusal). */
function cellsIn(dir: Pick<Directory, 'buildings'>, personId: string, buildingId: string): Cell[] {
  const building = dir.buildings.find((b) => b.id === buildingId);
  return (building?.floors ?? []).flatMap((f): Cell[] => [
    ...(f.gridMemberIds.includes(personId) ? [{ kind: 'floor' as const, floorId: f.id }] : []),
    ...f.clusters
      .filter((c) => c.gridMemberIds.includes(personId))
      .map((c) => ({ kind: 'cluster' as const, floorId: f.id, clusterId: c.id, rooms: c.rooms })),
  ]);
}

/** Whether the place, as far as it is named, could still lie in the cell (it is only too vague). */
function namedWithin(dir: Pick<Directory, 'buildings'>, cell: Cell, loc: Location): boolean {
  if (loc.floorId !== undefined && loc.floorId !== cell.floorId) return false;
  if (loc.roomId === undefined) return true;
  if (cell.kind === 'cluster') return cell.rooms.includes(loc.roomId);
  const floor = dir.buildings.find((b) => b.id === loc.buildingId)?.floors.find((f) => f.id === cell.floorId);
  return floor?.clusters.some((c) => c.rooms.includes(loc.roomId ?? '')) ?? false;
}

const cellText = (cell: Cell): Bilingual =>
  cell.kind === 'floor'
    ? { zh: `楼层 ${cell.floorId}`, en: `floor ${cell.floorId}` }
    : {
        zh: `楼层 ${cell.floorId} 的房间组 ${cell.clusterId}，房间 ${cell.rooms.join('、')}`,
        en: `cluster ${cell.clusterId} on floor ${cell.floorId}, rooms ${cell.rooms.join(', ')}`,
      };

const needText = (cell: Cell): Bilingual =>
  cell.kind === 'floor'
    ? { zh: `您的楼层 ${cell.floorId} 或其中的房间`, en: `your floor ${cell.floorId} or a room on it` }
    : {
        zh: `您的房间组 ${cell.clusterId} 中的一个房间（${cell.rooms.join('、')}）`,
        en: `a room of your cluster ${cell.clusterId} (${cell.rooms.join(', ')})`,
      };

const placeText = (loc: Location): Bilingual => {
  if (loc.roomId !== undefined)
    return loc.floorId !== undefined
      ? { zh: `楼层 ${loc.floorId} 的房间 ${loc.roomId}`, en: `room ${loc.roomId} on floor ${loc.floorId}` }
      : { zh: `房间 ${loc.roomId}`, en: `room ${loc.roomId}` };
  return loc.floorId !== undefined
    ? { zh: `楼层 ${loc.floorId}`, en: `floor ${loc.floorId}` }
    : { zh: `楼栋 ${loc.buildingId}`, en: `building ${loc.buildingId}` };
};

const both = (parts: Bilingual[], zhSep: string, enSep: string): Bilingual => ({
  zh: parts.map((p) => p.zh).join(zhSep),
  en: parts.map((p) => p.en).join(enSep),
});

/**
 * The refusal for a grid member whose cells in the place's building do not cover it; null when
 * they have no floor or cluster cell in that building (the building itself is outside their grid).
 */
export function gridCellRefusal(
  dir: Pick<Directory, 'buildings'>,
  personId: string,
  loc: Location,
): Bilingual | null {
  const cells = cellsIn(dir, personId, loc.buildingId);
  if (cells.length === 0) return null;
  const place = placeText(loc);
  const vague = cells.filter((cell) => namedWithin(dir, cell, loc));
  if (vague.length > 0) {
    const need = both(vague.map(needText), ' 或 ', ' or ');
    return {
      zh: `网格员只能在本人网格内新建案件：只写到${place.zh}，比您的网格大，请把地点具体到${need.zh}`,
      en: `grid members open cases only in their own grid cell: ${place.en} alone is wider than your cell; narrow the location to ${need.en}`,
    };
  }
  const mine = both(cells.map(cellText), '；', '; ');
  return {
    zh: `网格员只能在本人网格内新建案件：${place.zh} 不在您的网格内，您的网格是${mine.zh}`,
    en: `grid members open cases only in their own grid cell: ${place.en} is outside yours, which is ${mine.en}`,
  };
}
