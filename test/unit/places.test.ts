import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../domain/directory-schema.ts';
import type { Directory } from '../../domain/directory.ts';
import { duplicateCodes, listPlaces, placeByCode, placeCode, placeCodePattern } from '../../domain/places.ts';
import { followUpScore } from '../../domain/intake.ts';

const parsed = validateDirectory(
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../infra/local/demo-campus.json'), 'utf8')),
);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
// The demo campus with one public area added, as a school's directory lists its canteen.
const demo: Directory = {
  ...parsed.directory,
  buildings: [
    ...parsed.directory.buildings,
    {
      id: 'area-canteen-1',
      name: { zh: '第一食堂', en: 'Canteen 1' },
      kind: 'public_area',
      supervisorIds: ['sup-li'],
      gridMemberIds: [],
      floors: [],
    },
  ],
};

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
    expect(places.filter((p) => p.kind === 'area').map((p) => p.name.zh)).toContain('第一食堂');
    expect(duplicateCodes(demo)).toEqual([]);
    for (const p of places) expect(placeByCode(demo, p.code)).toEqual(p);
    expect(placeByCode(demo, 'not-a-code')).toBeUndefined();
  });
});

describe('the survey score a case takes', () => {
  it('is the lowest aspect, so any poor aspect reopens the case', () => {
    expect(followUpScore({ attitude: 5, quality: 2, cleanup: 4 })).toBe(2);
    expect(followUpScore({ attitude: 4, quality: 5, cleanup: 5 })).toBe(4);
  });
});
