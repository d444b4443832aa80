import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../domain/directory-schema.ts';
import { countsOf, dormitoryIds, type Directory } from '../../domain/directory.ts';
import {
  duplicateCodes,
  listPlaces,
  placeByCode,
  placeCode,
  placeCodePattern,
  typedPlaceCode,
} from '../../domain/places.ts';
import { followUpScore } from '../../domain/intake.ts';

const parsed = validateDirectory(
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../infra/local/demo-campus.json'), 'utf8')),
);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const demo: Directory = parsed.directory;

describe('place codes', () => {
  it('are 8 unambiguous characters, stable, and differ between places', () => {
    const a101 = placeCode({ buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' });
    expect(a101).toMatch(placeCodePattern);
    expect(a101).not.toMatch(/[ILOU]/);
    expect(placeCode({ buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' })).toBe(a101);
    expect(placeCode({ buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A102' })).not.toBe(a101);
    expect(placeCode({ buildingId: 'bldg-a', floorId: 'a-f1' })).not.toBe(a101);
  });

  it('cover every building, floor, room and public area of the demo campus, once each', () => {
    const places = listPlaces(demo);
    const rooms = demo.buildings.flatMap((b) => b.floors.flatMap((f) => f.clusters.flatMap((c) => c.rooms)));
    expect(places.filter((p) => p.kind === 'room')).toHaveLength(rooms.length);
    // The public areas outside the dormitory grid, one code each, named as on their wall.
    expect(places.filter((p) => p.kind === 'area').map((p) => p.name.zh)).toEqual([
      '第一食堂',
      '公寓洗衣房',
      '北门',
      '田径运动场',
    ]);
    expect(duplicateCodes(demo)).toEqual([]);
    for (const p of places) expect(placeByCode(demo, p.code)).toEqual(p);
    expect(placeByCode(demo, 'not-a-code')).toBeUndefined();
  });

  it('are found as a person types them: lower case, O for 0, I or L for 1, grouped with a hyphen', () => {
    expect(typedPlaceCode('mekbxops')).toBe('MEKBX0PS');
    expect(typedPlaceCode('W4MEDG3I')).toBe('W4MEDG31');
    expect(typedPlaceCode('w4medg3l')).toBe('W4MEDG31');
    expect(typedPlaceCode('W4ME-DG31')).toBe('W4MEDG31');
    const withZero = listPlaces(demo).find((p) => p.code.includes('0'))!;
    expect(placeByCode(demo, withZero.code.replaceAll('0', 'O').toLowerCase())).toEqual(withZero);
    const withOne = listPlaces(demo).find((p) => p.code.includes('1'))!;
    expect(placeByCode(demo, withOne.code.replaceAll('1', 'L'))).toEqual(withOne);
    expect(placeByCode(demo, withOne.code.replaceAll('1', 'i'))).toEqual(withOne);
  });
});

describe('the dormitories among the places', () => {
  it('leave the public areas out of the per-building complaint limit', () => {
    expect(dormitoryIds(demo)).toEqual(['bldg-a', 'bldg-b']);
    expect(countsOf({ 'bldg-b': 2, 'area-canteen-1': 7 }, dormitoryIds(demo))).toEqual({ 'bldg-b': 2 });
  });
});

describe('the survey score a case takes', () => {
  it('is the lowest aspect, so any poor aspect reopens the case', () => {
    expect(followUpScore({ attitude: 5, quality: 2, cleanup: 4 })).toBe(2);
    expect(followUpScore({ attitude: 4, quality: 5, cleanup: 5 })).toBe(4);
  });
});
