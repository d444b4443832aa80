import { createHash } from 'node:crypto';
import type { Building, Directory, Location } from './directory.ts';
import { placeJoined } from './place-name.ts';
import type { Bilingual } from './text.ts';

/**
 * Every place a problem can be reported at (building, floor, room, public
 * area) with the code printed on its wall. A code is derived from the place's
 * ids alone, so it stays the same across directory reloads and reprints as
 * long as the place keeps its ids, and a printed sheet never goes stale. Each is
 * named as every page and mail names it (`placeNameOf`).
 */
export type PlaceKind = 'building' | 'floor' | 'room' | 'area';

export interface Place {
  code: string;
  kind: PlaceKind;
  location: Location;
  name: Bilingual;
  /** The building's (or area's) name, for sheets and lists grouped by building. */
  buildingName: Bilingual;
}

// Crockford's base32 without I, L, O, U: nothing on a printed code reads as another character.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

/** The stable code of a place: 8 characters of base32 over a hash of its ids. */
export function placeCode(loc: Location): string {
  const digest = createHash('sha256')
    .update(`place:${loc.buildingId}/${loc.floorId ?? ''}/${loc.roomId ?? ''}`)
    .digest();
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += ALPHABET[digest[i]! % 32];
  return out;
}

export const placeCodePattern = /^[0-9A-HJKMNP-TV-Z]{8}$/;

function placesOf(b: Building): Place[] {
  const buildingLoc = { buildingId: b.id };
  const base = { buildingName: b.name };
  if (b.kind === 'public_area')
    return [{ ...base, code: placeCode(buildingLoc), kind: 'area', location: buildingLoc, name: b.name }];
  const out: Place[] = [
    { ...base, code: placeCode(buildingLoc), kind: 'building', location: buildingLoc, name: b.name },
  ];
  for (const f of b.floors) {
    const floorLoc = { buildingId: b.id, floorId: f.id };
    out.push({
      ...base,
      code: placeCode(floorLoc),
      kind: 'floor',
      location: floorLoc,
      name: placeJoined(b.name, f.name),
    });
    for (const room of f.clusters.flatMap((c) => c.rooms)) {
      const roomLoc = { buildingId: b.id, floorId: f.id, roomId: room };
      out.push({
        ...base,
        code: placeCode(roomLoc),
        kind: 'room',
        location: roomLoc,
        name: placeJoined(b.name, room),
      });
    }
  }
  return out;
}

/** Every place of the directory, building by building, optionally of one building only. */
export function listPlaces(dir: Pick<Directory, 'buildings'>, buildingId?: string): Place[] {
  return dir.buildings.filter((b) => !buildingId || b.id === buildingId).flatMap(placesOf);
}

/**
 * A code as it is printed, from what a person typed or a scanner read: upper case, without the
 * hyphens one may group it with, and the letters the alphabet leaves out read as the digits they
 * are mistaken for (O as 0, I and L as 1), as Crockford's base32 decodes them. U, left out so no
 * code spells a word, is mistaken for nothing and stays (no code has it).
 */
export const typedPlaceCode = (typed: string): string =>
  typed.toUpperCase().replace(/-/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

/** The place a scanned or typed code names (`typedPlaceCode`), or undefined when no place of the directory has it. */
export function placeByCode(dir: Pick<Directory, 'buildings'>, typed: string): Place | undefined {
  const code = typedPlaceCode(typed);
  if (!placeCodePattern.test(code)) return undefined;
  return listPlaces(dir).find((p) => p.code === code);
}

/** Two places of one directory with one code would send reports to the wrong wall: refuse such a directory. */
export function duplicateCodes(dir: Pick<Directory, 'buildings'>): string[] {
  const seen = new Map<string, number>();
  for (const p of listPlaces(dir)) seen.set(p.code, (seen.get(p.code) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([c]) => c);
}
