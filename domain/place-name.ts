import type { Directory, Location } from './directory.ts';
import { listPlaces } from './places.ts';
import type { Bilingual } from './text.ts';

/**
 * A place as people name it ("一号楼 A101" / "Building 1 A101"), the way its printed code names it:
 * the room when there is one (matched within its building, whether or not the floor is given),
 * else the floor, else the building. Undefined when the directory no longer has it.
 */
export function placeNameOf(dir: Pick<Directory, 'buildings'>, loc: Location): Bilingual | undefined {
  const places = listPlaces(dir, loc.buildingId);
  const place = loc.roomId
    ? places.find(
        (p) =>
          p.kind === 'room' &&
          p.location.roomId === loc.roomId &&
          (!loc.floorId || p.location.floorId === loc.floorId),
      )
    : loc.floorId
      ? places.find((p) => p.kind === 'floor' && p.location.floorId === loc.floorId)
      : places.find((p) => p.kind === 'building' || p.kind === 'area');
  return place?.name;
}
