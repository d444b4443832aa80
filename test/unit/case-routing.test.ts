import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LEADERSHIP_NOTICE_MS,
  leadershipSecondNoticeAfterMs,
  linkForStage,
  peopleOfLevel,
  stageOwners,
} from '../../domain/case-routing.ts';
import { timedStages } from '../../domain/sla.ts';
import { resolveSla } from '../../domain/sla.ts';

const HOUR = 3_600_000;
const c = { assigneeId: 'staff-zhou', responsibleId: 'staff-chen' };
const policy = {
  supervisorIds: ['sup-wang', 'sup-li'],
  escalationChain: [
    { level: 'grid_l1' as const, personIds: ['grid-li'] },
    { level: 'leadership' as const, personIds: ['lead-sun'] },
  ],
};

describe('stageOwners', () => {
  it('reminds whoever must take the stage’s step', () => {
    expect(Object.fromEntries(timedStages.map((s) => [s, stageOwners(s, c, policy)]))).toEqual({
      analysing: ['staff-zhou'],
      awaiting_signoff: ['staff-chen'],
      adjudicating: ['sup-wang', 'sup-li'],
      rectifying: ['staff-chen'],
      reviewing: ['sup-wang', 'sup-li'],
      follow_up: [],
    });
  });

  it('hands out a copy, not the pinned policy’s own list', () => {
    const to = stageOwners('reviewing', c, policy);
    to.push('x');
    expect(policy.supervisorIds).toEqual(['sup-wang', 'sup-li']);
  });
});

describe('linkForStage', () => {
  it('links the steps taken from an email, and no other', () => {
    expect(Object.fromEntries(timedStages.map((s) => [s, linkForStage(s)]))).toEqual({
      analysing: undefined,
      awaiting_signoff: { step: 'sign_off', action: 'sign_off' },
      adjudicating: { step: 'adjudication', action: 'adjudicate' },
      rectifying: undefined,
      reviewing: undefined,
      follow_up: { step: 'follow_up', action: 'rate' },
    });
  });
});

describe('peopleOfLevel', () => {
  it('reads one rung of the pinned chain; a missing rung is nobody', () => {
    expect(peopleOfLevel(policy, 'leadership')).toEqual(['lead-sun']);
    expect(peopleOfLevel(policy, 'working_group')).toEqual([]);
  });
});

describe('leadershipSecondNoticeAfterMs', () => {
  it('is 40 hours for the 48-hour limit every major rule pins today', () => {
    const major = resolveSla({ source: 'repair', severity: 'major' }).rule;
    expect(major.leadershipNotice).toEqual({ unit: 'hours', amount: 48 });
    expect(leadershipSecondNoticeAfterMs({ leadershipNotice: major.leadershipNotice })).toBe(40 * HOUR);
  });

  it('falls back to 48 hours without a limit or with one in working days', () => {
    expect(DEFAULT_LEADERSHIP_NOTICE_MS).toBe(48 * HOUR);
    expect(leadershipSecondNoticeAfterMs({})).toBe(40 * HOUR);
    expect(leadershipSecondNoticeAfterMs({ leadershipNotice: { unit: 'working_days', amount: 2 } })).toBe(
      40 * HOUR,
    );
  });

  it('follows the pinned limit: 8 hours before it, or at five sixths of a short one', () => {
    expect(leadershipSecondNoticeAfterMs({ leadershipNotice: { unit: 'hours', amount: 72 } })).toBe(
      64 * HOUR,
    );
    expect(leadershipSecondNoticeAfterMs({ leadershipNotice: { unit: 'hours', amount: 24 } })).toBe(
      20 * HOUR,
    );
    expect(leadershipSecondNoticeAfterMs({ leadershipNotice: { unit: 'minutes', amount: 1 } })).toBe(50_000);
  });
});
