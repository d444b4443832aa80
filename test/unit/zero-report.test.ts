import { describe, expect, it } from 'vitest';
import {
  escalationsFor,
  gridCells,
  nightCounts,
  parseZeroLinkCaseId,
  zeroLinkCaseId,
  zeroReportBody,
  type ZeroReport,
} from '../../domain/zero-report.ts';
import { demoDirectory } from '../support/stack.ts';

const dir = await demoDirectory();
const cells = gridCells(dir);
const report = (cellId: string, late: string[] = []): ZeroReport => ({
  night: '2017-05-16',
  cellId,
  personId: 'x',
  via: 'api',
  late: late.map((room) => ({ room })),
  absent: [],
  none: late.length === 0,
  at: '2017-05-16T14:30:00.000Z',
  afterClose: false,
});

describe('the zero report grid', () => {
  it('has a cell per building, floor and cluster with people on it', () => {
    expect(cells.map((c) => c.level).filter((l) => l === 1)).toHaveLength(2);
    expect(cells.find((c) => c.cellId === 'L3:a-f1-c1')).toMatchObject({ level: 3, floorId: 'a-f1' });
    expect(cells.find((c) => c.cellId === 'L1:bldg-a')?.rooms).toHaveLength(20);
  });

  it('escalates each level one rung up, level 1 to the working group', () => {
    const e = escalationsFor(cells, ['L3:a-f2-c2', 'L2:b-f1', 'L1:bldg-b'], ['wg-chen']);
    expect(e).toEqual([
      { cellId: 'L3:a-f2-c2', level: 3, toIds: ['grid-a2f', 'grid-a1'], to: 'grid_l2' },
      { cellId: 'L2:b-f1', level: 2, toIds: ['grid-b1'], to: 'grid_l1' },
      { cellId: 'L1:bldg-b', level: 1, toIds: ['wg-chen'], to: 'working_group' },
    ]);
  });

  it('counts "none" reports and each late student once across levels', () => {
    const counts = nightCounts(cells, [
      report('L3:a-f1-c1', ['A103']),
      report('L2:a-f1', ['A103']),
      report('L1:bldg-a'),
    ]);
    expect(counts).toEqual({ cells: 14, reported: 3, none: 1, missing: 11, late: 1, absent: 0 });
  });

  it('wants "none" said, and not with entries', () => {
    expect(zeroReportBody.safeParse({}).success).toBe(false);
    expect(zeroReportBody.safeParse({ none: true, late: [{ room: 'A101' }] }).success).toBe(false);
    expect(zeroReportBody.safeParse({ none: true }).success).toBe(true);
    expect(zeroReportBody.safeParse({ absent: [{ room: 'A101', name: '李四' }] }).success).toBe(true);
  });

  it('round-trips the link case id', () => {
    expect(parseZeroLinkCaseId(zeroLinkCaseId('2017-05-16', 'L3:a-f1-c1'))).toEqual({
      night: '2017-05-16',
      cellId: 'L3:a-f1-c1',
    });
    expect(parseZeroLinkCaseId('ZG-2017-1')).toBeNull();
  });
});
