import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../domain/directory-schema.ts';
import { escalationChain, type Directory, type EscalationLevel } from '../../domain/directory.ts';
import { escalationPlan } from '../../domain/escalation.ts';
import { severities } from '../../domain/sla.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

let dir: Directory;
beforeAll(async () => {
  const file = path.resolve(import.meta.dirname, '../../infra/local/demo-campus.json');
  dir = directorySchema.parse(JSON.parse(await readFile(file, 'utf8')));
});

const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const levels = (chain: { level: string }[]) => chain.map((l) => l.level);

describe('escalationChain', () => {
  it("runs up seed 001's grid from the room: cluster, floor (level 2), building, working group, leadership", () => {
    expect(escalationChain(dir, A101)).toEqual([
      { level: 'grid_l3', personIds: ['grid-a1c1'] },
      { level: 'grid_l2', personIds: ['grid-a1f'] },
      { level: 'grid_l1', personIds: ['grid-a1'] },
      { level: 'working_group', personIds: ['wg-chen', 'wg-yang'] },
      { level: 'leadership', personIds: ['lead-huang'] },
    ]);
  });

  it('finds the floor from the room when the floor is not given', () => {
    expect(escalationChain(dir, { buildingId: 'bldg-a', roomId: 'A101' })).toEqual(
      escalationChain(dir, A101),
    );
  });

  it('a floor without a room has its floor members but no cluster', () => {
    expect(levels(escalationChain(dir, { buildingId: 'bldg-a', floorId: 'a-f2' }))).toEqual([
      'grid_l2',
      'grid_l1',
      'working_group',
      'leadership',
    ]);
  });

  it('a building alone starts at level 1; an unknown one at the working group', () => {
    expect(levels(escalationChain(dir, { buildingId: 'bldg-a' }))).toEqual([
      'grid_l1',
      'working_group',
      'leadership',
    ]);
    expect(levels(escalationChain(dir, { buildingId: 'nowhere' }))).toEqual(['working_group', 'leadership']);
  });

  it('skips a rung with nobody on it', () => {
    const noFloorMembers: Directory = {
      ...dir,
      buildings: dir.buildings.map((b) => ({
        ...b,
        floors: b.floors.map((f) => ({ ...f, gridMemberIds: [] })),
      })),
    };
    expect(levels(escalationChain(noFloorMembers, A101))).toEqual([
      'grid_l3',
      'grid_l1',
      'working_group',
      'leadership',
    ]);
  });
});

const chain: EscalationLevel[] = [
  { level: 'grid_l3', personIds: ['c'] },
  { level: 'grid_l2', personIds: ['f'] },
  { level: 'grid_l1', personIds: ['b'] },
  { level: 'working_group', personIds: ['w'] },
  { level: 'leadership', personIds: ['l'] },
];
const plan = (severity: (typeof severities)[number], stageSpanMs = 4 * HOUR, c = chain) =>
  escalationPlan({ severity, chain: c, stageSpanMs }).map((s) => [s.level, s.afterBreachMs]);

describe('escalationPlan', () => {
  it('routine: one rung per stage length, up to the working group, never leadership', () => {
    expect(plan('routine')).toEqual([
      ['grid_l3', 0],
      ['grid_l2', 4 * HOUR],
      ['grid_l1', 8 * HOUR],
      ['working_group', 12 * HOUR],
    ]);
  });

  it('routine: at least an hour between rungs however short the stage', () => {
    expect(plan('routine', 10 * MIN).map(([, at]) => at)).toEqual([0, HOUR, 2 * HOUR, 3 * HOUR]);
  });

  it('urgent: the whole grid up to level 1 at the breach, the working group half a stage later, no leadership', () => {
    expect(plan('urgent')).toEqual([
      ['grid_l3', 0],
      ['grid_l2', 0],
      ['grid_l1', 0],
      ['working_group', 2 * HOUR],
    ]);
    // Sooner than routine on both counts.
    const at = (p: (string | number)[][], level: string) => p.find(([l]) => l === level)?.[1];
    expect(at(plan('urgent'), 'grid_l1')).toBeLessThan(at(plan('routine'), 'grid_l1') as number);
    expect(at(plan('urgent'), 'working_group')).toBeLessThan(at(plan('routine'), 'working_group') as number);
  });

  it('urgent: the working group at least 30 minutes after, or at once when there is no grid rung', () => {
    expect(plan('urgent', 10 * MIN).at(-1)).toEqual(['working_group', 30 * MIN]);
    expect(plan('urgent', 4 * HOUR, chain.slice(3))).toEqual([['working_group', 0]]);
  });

  it('major: every rung, leadership included, at the breach', () => {
    expect(plan('major')).toEqual(chain.map((l) => [l.level, 0]));
  });

  it('every severity keeps the chain order and copies the people', () => {
    for (const severity of severities) {
      const steps = escalationPlan({ severity, chain, stageSpanMs: HOUR });
      const order = steps.map((s) => chain.findIndex((l) => l.level === s.level));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      for (const s of steps) expect(s.personIds).not.toBe(chain.find((l) => l.level === s.level)?.personIds);
      expect(steps.map((s) => s.afterBreachMs)).toEqual(
        [...steps.map((s) => s.afterBreachMs)].sort((a, b) => a - b),
      );
    }
  });

  it('a chain without leadership (none appointed) is no different for major', () => {
    expect(plan('major', HOUR, chain.slice(0, 4)).map(([l]) => l)).toEqual([
      'grid_l3',
      'grid_l2',
      'grid_l1',
      'working_group',
    ]);
  });
});
