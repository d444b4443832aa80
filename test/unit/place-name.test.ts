import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../domain/directory-schema.ts';
import type { Directory, Location } from '../../domain/directory.ts';
import { notInDirectory, placeJoined, placeNameOf, unlistedPlaceName } from '../../domain/place-name.ts';
import { listPlaces } from '../../domain/places.ts';

const parsed = validateDirectory(
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../infra/local/demo-campus.json'), 'utf8')),
);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const demo: Directory = parsed.directory;

const gone = (zh: string, en: string) => ({
  zh: `${zh}（已不在名录）`,
  en: `${en} (no longer in the directory)`,
});

describe('placeNameOf: a place the directory has', () => {
  it('names a room with its building, whether or not the floor is given', () => {
    const a101 = { zh: '学生公寓A栋 A101', en: 'Dormitory A, A101' };
    expect(placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' })).toEqual(a101);
    expect(placeNameOf(demo, { buildingId: 'bldg-a', roomId: 'A101' })).toEqual(a101);
    expect(placeNameOf(demo, { buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B203' })).toEqual({
      zh: '学生公寓B栋 B203',
      en: 'Dormitory B, B203',
    });
  });

  it('names a room by its building even when the floor given is not the room’s (the name has no floor)', () => {
    expect(placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A101' })).toEqual({
      zh: '学生公寓A栋 A101',
      en: 'Dormitory A, A101',
    });
  });

  it('names a floor as its building and the floor’s name', () => {
    expect(placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f1' })).toEqual({
      zh: '学生公寓A栋 1层',
      en: 'Dormitory A, Floor 1',
    });
  });

  it('names a building or a public area alone', () => {
    expect(placeNameOf(demo, { buildingId: 'bldg-a' })).toEqual({ zh: '学生公寓A栋', en: 'Dormitory A' });
    expect(placeNameOf(demo, { buildingId: 'area-canteen-1' })).toEqual({ zh: '第一食堂', en: 'Canteen 1' });
  });

  it('names every place of the directory as its printed code does, in one shape', () => {
    const places = listPlaces(demo);
    expect(places.length).toBeGreaterThan(20);
    for (const p of places) {
      const name = placeNameOf(demo, p.location);
      expect(name).toEqual(p.name);
      // Never the ids, never the old separators, never the mark.
      for (const said of [name.zh, name.en]) {
        expect(said).not.toMatch(/ · |\/|bldg-|area-|-f\d/);
        expect(said).not.toContain('名录');
        expect(said).not.toContain('directory');
      }
      // The building first, then at most one part: a space in Chinese, a comma in English.
      expect(name.zh.startsWith(p.buildingName.zh)).toBe(true);
      expect(name.en.startsWith(p.buildingName.en)).toBe(true);
      expect(name.zh).not.toContain(',');
      if (p.kind === 'room') {
        expect(name).toEqual(placeJoined(p.buildingName, p.location.roomId ?? ''));
        expect(name.en).toBe(`${p.buildingName.en}, ${p.location.roomId}`);
      }
      if (p.kind === 'building' || p.kind === 'area') expect(name).toEqual(p.buildingName);
    }
  });
});

describe('placeNameOf: a place the directory no longer has', () => {
  it('names a building it does not have by the ids given, marked', () => {
    expect(placeNameOf(demo, { buildingId: 'bldg-z' })).toEqual(gone('bldg-z', 'bldg-z'));
    expect(placeNameOf(demo, { buildingId: 'bldg-z', floorId: 'z-f1', roomId: 'Z101' })).toEqual(
      gone('bldg-z z-f1 Z101', 'bldg-z, z-f1, Z101'),
    );
    expect(placeNameOf(demo, { buildingId: 'bldg-z', roomId: 'Z101' })).toEqual(
      gone('bldg-z Z101', 'bldg-z, Z101'),
    );
  });

  it('keeps the names it still has: a room gone from a floor that stays, a floor gone from a building', () => {
    expect(placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A199' })).toEqual(
      gone('学生公寓A栋 1层 A199', 'Dormitory A, Floor 1, A199'),
    );
    expect(placeNameOf(demo, { buildingId: 'bldg-a', roomId: 'A199' })).toEqual(
      gone('学生公寓A栋 A199', 'Dormitory A, A199'),
    );
    expect(placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f9' })).toEqual(
      gone('学生公寓A栋 a-f9', 'Dormitory A, a-f9'),
    );
    expect(placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f9', roomId: 'A999' })).toEqual(
      gone('学生公寓A栋 a-f9 A999', 'Dormitory A, a-f9, A999'),
    );
  });

  it('marks a room of a public area (which has no rooms) as not in the directory', () => {
    expect(placeNameOf(demo, { buildingId: 'area-canteen-1', roomId: 'K1' })).toEqual(
      gone('第一食堂 K1', 'Canteen 1, K1'),
    );
  });

  it('names a place read without a directory by its ids, marked the same way', () => {
    const loc: Location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
    expect(unlistedPlaceName(loc)).toEqual(gone('bldg-a a-f1 A101', 'bldg-a, a-f1, A101'));
    expect(placeNameOf({ buildings: [] }, loc)).toEqual(unlistedPlaceName(loc));
    expect(unlistedPlaceName({ buildingId: 'bldg-a' })).toEqual(gone('bldg-a', 'bldg-a'));
  });

  it('says the mark once, at the end, in each language', () => {
    const name = placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A199' });
    expect(name.zh.endsWith(notInDirectory.zh)).toBe(true);
    expect(name.en.endsWith(notInDirectory.en)).toBe(true);
    expect(name.zh.split('名录')).toHaveLength(2);
    expect(name.en.split('directory')).toHaveLength(2);
  });
});

describe('placeJoined', () => {
  it('joins a building and its parts with a space in Chinese and a comma in English', () => {
    const b = { zh: '学生公寓A栋', en: 'Dormitory A' };
    expect(placeJoined(b)).toEqual(b);
    expect(placeJoined(b, 'A101')).toEqual({ zh: '学生公寓A栋 A101', en: 'Dormitory A, A101' });
    expect(placeJoined(b, { zh: '1层', en: 'Floor 1' }, 'A101')).toEqual({
      zh: '学生公寓A栋 1层 A101',
      en: 'Dormitory A, Floor 1, A101',
    });
  });
});
