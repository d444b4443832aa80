import type { Building, Directory, Location } from './directory.ts';
import type { Bilingual } from './text.ts';

/**
 * A place as people name it, the one way every page and mail names it and its printed code does:
 * a room with its building ("学生公寓A栋 A101" / "Dormitory A, A101"), a floor as its building
 * and the floor's name ("学生公寓A栋 1层" / "Dormitory A, Floor 1"), a building or public area
 * alone ("第一食堂" / "Canteen 1"). A room is named without its floor: the room's number already
 * says where it is, and a shorter name stays on one line of a phone's list or select.
 */

/** Said after a place the directory no longer has, so a reader knows why it reads as ids. */
export const notInDirectory: Bilingual = { zh: '（已不在名录）', en: ' (no longer in the directory)' };

/** A building's name followed by a part of it: a space in Chinese, a comma in English. */
export const placeJoined = (building: Bilingual, ...parts: (Bilingual | string)[]): Bilingual => ({
  zh: [building.zh, ...parts.map((p) => (typeof p === 'string' ? p : p.zh))].join(' '),
  en: [building.en, ...parts.map((p) => (typeof p === 'string' ? p : p.en))].join(', '),
});

/** The room's name within the building, whether or not the floor given is still the room's. */
const roomIn = (b: Building, room: string): boolean =>
  b.floors.some((f) => f.clusters.some((c) => c.rooms.includes(room)));

/**
 * The name of a location (`placeJoined`): the room when there is one, else the floor, else the
 * building. What the directory no longer has is named by what it still knows (the building's
 * name, the floor's) and the ids of the rest, every id the location gives, marked
 * `notInDirectory`, never a bare join of ids.
 */
export function placeNameOf(dir: Pick<Directory, 'buildings'>, loc: Location): Bilingual {
  const b = dir.buildings.find((x) => x.id === loc.buildingId);
  const floor = loc.floorId ? b?.floors.find((x) => x.id === loc.floorId) : undefined;
  if (b && loc.roomId && roomIn(b, loc.roomId)) return placeJoined(b.name, loc.roomId);
  if (b && !loc.roomId && floor) return placeJoined(b.name, floor.name);
  if (b && !loc.roomId && !loc.floorId) return b.name;
  const parts = [floor ? floor.name : loc.floorId, loc.roomId].filter((x): x is Bilingual | string =>
    Boolean(x),
  );
  const named = placeJoined(b ? b.name : { zh: loc.buildingId, en: loc.buildingId }, ...parts);
  return { zh: `${named.zh}${notInDirectory.zh}`, en: `${named.en}${notInDirectory.en}` };
}

/** A place read without a directory (none loaded, or a list that kept only its ids): by its ids, marked so. */
export const unlistedPlaceName = (loc: Location): Bilingual => placeNameOf({ buildings: [] }, loc);
