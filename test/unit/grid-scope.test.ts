import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../domain/directory-schema.ts';
import { gridCovers, type Location } from '../../domain/directory.ts';

const parsed = validateDirectory(
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../infra/local/demo-campus.json'), 'utf8')),
);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const dir = parsed.directory;

/** Every place of the demo grid at every precision: building, floor, room with and without its floor. */
function places(): Location[] {
  const out: Location[] = [];
  for (const b of dir.buildings) {
    out.push({ buildingId: b.id });
    for (const f of b.floors) {
      out.push({ buildingId: b.id, floorId: f.id });
      for (const c of f.clusters)
        for (const r of c.rooms) {
          out.push({ buildingId: b.id, floorId: f.id, roomId: r });
          out.push({ buildingId: b.id, roomId: r });
        }
    }
  }
  return out;
}

/** The expected answer, stated cell by cell rather than by the function's own branches. */
function expected(personId: string, loc: Location): boolean {
  const b = dir.buildings.find((x) => x.id === loc.buildingId);
  if (!b) return false;
  if (b.gridMemberIds.includes(personId)) return true;
  for (const f of b.floors) {
    const roomFloor = loc.roomId ? f.clusters.some((c) => c.rooms.includes(loc.roomId ?? '')) : false;
    const onFloor = loc.floorId ? loc.floorId === f.id : roomFloor;
    if (f.gridMemberIds.includes(personId) && onFloor) return true;
    for (const c of f.clusters)
      if (c.gridMemberIds.includes(personId) && onFloor && loc.roomId && c.rooms.includes(loc.roomId))
        return true;
  }
  return false;
}

describe('a grid member’s scope is exactly their cell', () => {
  const members = [
    ...new Set(
      dir.buildings.flatMap((b) => [
        ...b.gridMemberIds,
        ...b.floors.flatMap((f) => [...f.gridMemberIds, ...f.clusters.flatMap((c) => c.gridMemberIds)]),
      ]),
    ),
  ];

  it('matches the cell-by-cell rule for every member and every place of the demo grid', () => {
    let checked = 0;
    for (const m of members)
      for (const loc of places()) {
        expect([m, loc, gridCovers(dir, m, loc)]).toEqual([m, loc, expected(m, loc)]);
        checked++;
      }
    expect(checked).toBeGreaterThan(1000);
  });

  it('the reported findings: a level-3 member of floor 1 does not cover floor 2, a floor member no floorless place', () => {
    expect(gridCovers(dir, 'grid-a1c1', { buildingId: 'bldg-a', floorId: 'a-f2' })).toBe(false);
    expect(gridCovers(dir, 'grid-a1c1', { buildingId: 'bldg-a', floorId: 'a-f1' })).toBe(false);
    expect(gridCovers(dir, 'grid-a1c1', { buildingId: 'bldg-a' })).toBe(false);
    expect(gridCovers(dir, 'grid-a1f', { buildingId: 'bldg-a' })).toBe(false);
    expect(gridCovers(dir, 'grid-a1f', { buildingId: 'bldg-a', floorId: 'a-f1' })).toBe(true);
    expect(gridCovers(dir, 'grid-a1f', { buildingId: 'bldg-a', roomId: 'A107' })).toBe(true);
    expect(gridCovers(dir, 'grid-a1c1', { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A101' })).toBe(
      false,
    );
    expect(gridCovers(dir, 'grid-a1', { buildingId: 'bldg-a' })).toBe(true);
    expect(gridCovers(dir, 'grid-a1', { buildingId: 'bldg-b' })).toBe(false);
  });
});
