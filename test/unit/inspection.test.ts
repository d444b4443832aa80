import { describe, expect, it } from 'vitest';
import {
  checkEntrySchema,
  checklistFor,
  checklistSubmission,
  entryPlace,
  periodOf,
  roundId,
  scoreRound,
  unansweredItems,
} from '../../domain/inspection.ts';
import { demoDirectory } from '../support/stack.ts';

describe('inspection rounds', () => {
  it('checks the SLA items daily, the on-site dimensions weekly and all 60 monthly', () => {
    const daily = checklistFor('daily');
    expect(daily.length).toBeGreaterThan(0);
    expect(daily.every((i) => i.slaRuleId)).toBe(true);
    expect(
      checklistFor('weekly').every((i) => ['safety', 'service', 'management'].includes(i.dimension)),
    ).toBe(true);
    expect(checklistFor('monthly')).toHaveLength(60);
  });

  it('names the period of each kind', () => {
    expect(periodOf('daily', '2017-06-07')).toEqual({
      period: '2017-06-07',
      from: '2017-06-07',
      to: '2017-06-07',
    });
    expect(periodOf('weekly', '2017-06-07')).toEqual({
      period: '2017-W23',
      from: '2017-06-05',
      to: '2017-06-11',
    });
    expect(periodOf('monthly', '2016-02-10')).toEqual({
      period: '2016-02',
      from: '2016-02-01',
      to: '2016-02-29',
    });
    expect(roundId('daily', 'bldg-a', '2017-06-07')).toBe('inspection.daily.bldg-a.2017-06-07');
  });

  it('scores each dimension as the pass rate of the applicable items checked', () => {
    const list = ['6t.safety.1', '6t.safety.2', '6t.safety.3', '6t.safety.4', '6t.service.1'];
    const scores = scoreRound(list, [
      { itemId: '6t.safety.1', result: 'pass' },
      { itemId: '6t.safety.2', result: 'pass' },
      { itemId: '6t.safety.3', result: 'fail', note: 'x' },
      { itemId: '6t.service.1', result: 'na' },
    ]);
    expect(scores).toEqual([
      { dimension: 'safety', passed: 2, failed: 1, na: 0, unchecked: 1, score: 66.7 },
      { dimension: 'service', passed: 0, failed: 0, na: 1, unchecked: 0, score: null },
    ]);
  });

  it('wants a note with every failure and each item once', () => {
    expect(
      checklistSubmission.safeParse({ results: [{ itemId: '6t.safety.1', result: 'fail' }] }).success,
    ).toBe(false);
    const twice = [
      { itemId: '6t.safety.1', result: 'pass' },
      { itemId: '6t.safety.1', result: 'na' },
    ];
    expect(checklistSubmission.safeParse({ results: twice }).success).toBe(false);
    expect(checklistSubmission.parse({ results: [{ itemId: '6t.safety.1', result: 'pass' }] }).finish).toBe(
      true,
    );
  });

  it('holds a room to the safe-text rule, on one line', () => {
    const room = (roomId: string) =>
      checkEntrySchema.safeParse({ itemId: '6t.safety.1', result: 'pass', roomId });
    expect(room(' A103 ').success).toBe(true);
    for (const bad of ['A1\u000003', 'A1\uFFFD03', '\u200b\u200b', 'A1\n03', 'A1\u202e03', 'A'.repeat(33)]) {
      const r = room(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('roomId');
    }
  });

  it('holds each photo key to the safe-text rule too: the failed item’s case carries it in its description', () => {
    const photo = (key: string) =>
      checkEntrySchema.safeParse({ itemId: '6t.safety.1', result: 'fail', photos: ['ok.jpg', key] });
    expect(photo('evidence/2026/a.jpg').success).toBe(true);
    const ref = `evidence:ev_${'a'.repeat(16)}#sha256=${'0'.repeat(64)}`;
    // A whole reference to a photo uploaded for the round: the API checks that it is the round's.
    expect(photo(ref).success).toBe(true);
    for (const bad of [
      'a\u0000.jpg',
      'a\uFFFD.jpg',
      '\u200b',
      'a\n.jpg',
      'a\u202e.jpg',
      ' ',
      `见 ${ref}`,
      `${ref}x`,
      'Evidence:x',
    ]) {
      const r = photo(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('photos.1');
    }
  });

  it('names the items neither the recorded nor the new results answer, in checklist order', () => {
    const list = ['6t.safety.1', '6t.safety.2', '6t.safety.3'];
    expect(unansweredItems(list, [{ itemId: '6t.safety.3' }], [{ itemId: '6t.safety.1' }])).toEqual([
      '6t.safety.2',
    ]);
    expect(unansweredItems(list, [], [])).toEqual(list);
  });
});

describe('the place of a failed item’s case', () => {
  it('takes the floor of a room given alone from the directory', async () => {
    const dir = await demoDirectory();
    expect(entryPlace(dir, 'bldg-b', { roomId: 'B101' })).toEqual({
      ok: true,
      location: { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' },
    });
    expect(entryPlace(dir, 'bldg-a', { roomId: 'A203' })).toEqual({
      ok: true,
      location: { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A203' },
    });
    expect(entryPlace(dir, 'bldg-a', { floorId: 'a-f2', roomId: 'A203' })).toMatchObject({ ok: true });
    expect(entryPlace(dir, 'bldg-a', { floorId: 'a-f1' })).toEqual({
      ok: true,
      location: { buildingId: 'bldg-a', floorId: 'a-f1' },
    });
    expect(entryPlace(dir, 'bldg-a', {})).toEqual({ ok: true, location: { buildingId: 'bldg-a' } });
  });

  it('knows a room typed in lower case or with spaces, and puts the directory’s spelling on the case', async () => {
    const dir = await demoDirectory();
    for (const typed of ['a203', ' A203 ', 'a 203'])
      expect(entryPlace(dir, 'bldg-a', { roomId: typed })).toEqual({
        ok: true,
        location: { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A203' },
      });
    expect(entryPlace(dir, 'bldg-a', { floorId: 'a-f2', roomId: 'a203' })).toMatchObject({
      ok: true,
      location: { roomId: 'A203' },
    });
    expect(entryPlace(dir, 'bldg-a', { roomId: 'a2033' })).toMatchObject({ ok: false, field: 'roomId' });
  });

  it('refuses a place the building does not have, naming the field, the room and the building', async () => {
    const dir = await demoDirectory();
    expect(entryPlace(dir, 'bldg-a', { roomId: 'B101' })).toEqual({
      ok: false,
      field: 'roomId',
      text: { zh: '学生公寓A栋没有房间 B101', en: 'Dormitory A has no room B101' },
    });
    expect(entryPlace(dir, 'bldg-a', { floorId: 'a-f1', roomId: 'A203' })).toEqual({
      ok: false,
      field: 'roomId',
      text: { zh: '学生公寓A栋 1层没有房间 A203', en: 'Dormitory A, Floor 1 has no room A203' },
    });
    expect(entryPlace(dir, 'bldg-a', { floorId: 'b-f1', roomId: 'B101' })).toMatchObject({
      ok: false,
      field: 'floorId',
    });
    expect(entryPlace(dir, 'bldg-x', { roomId: 'A101' })).toMatchObject({ ok: false, field: 'buildingId' });
  });
});
