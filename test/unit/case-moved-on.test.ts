import { describe, expect, it } from 'vitest';
import type { CaseAction } from '../../domain/case-action.ts';
import type { CaseClock } from '../../domain/case-clocks.ts';
import type { Stage, TimelineEntry } from '../../domain/case-model.ts';
import { lastMove, movedOnText, notOvertaken } from '../../domain/case-moved-on.ts';

const entry = (
  action: CaseAction,
  actorId: string,
  stage: Stage,
  at = '2026-12-07T10:00:00Z',
): TimelineEntry => ({
  at,
  actorId,
  action,
  stage,
  round: 1,
});

describe('what moved a case on', () => {
  it('a passed review that closed the case at once: the reviewer, not the system’s closing', () => {
    const timeline = [
      entry('rectification_reported', 'staff-zhou', 'reviewing'),
      entry('review_passed', 'sup-wang', 'closed'),
      entry('closed', 'system', 'closed'),
    ];
    expect(lastMove({ timeline })).toMatchObject({ action: 'review_passed', actorId: 'sup-wang' });
  });

  it('a follow-up left unrated: the system’s closing, a stage after the review', () => {
    const timeline = [
      entry('review_passed', 'sup-wang', 'follow_up'),
      entry('closed_unrated', 'system', 'closed'),
    ];
    expect(lastMove({ timeline })).toMatchObject({ action: 'closed_unrated', actorId: 'system' });
  });

  it('reminders, deadlines and comments after a step are not what moved it', () => {
    const timeline = [
      entry('withdrawn', 'sup-wang', 'withdrawn'),
      entry('commented', 'staff-zhou', 'withdrawn'),
      entry('deadline_set', 'system', 'withdrawn'),
    ];
    expect(lastMove({ timeline })).toMatchObject({ action: 'withdrawn' });
    expect(lastMove({ timeline: [] })).toBeNull();
  });

  it('reads in both languages, with or without whom to name', () => {
    const move = { action: 'review_passed' as const };
    expect(
      movedOnText({ stage: 'follow_up' }, move, { zh: '王建国', en: 'Wang Jianguo' }, '2026-12-07 18:49'),
    ).toEqual({
      zh: '案件已由王建国于 2026-12-07 18:49 复查通过，现为「回访」',
      en: 'The case was already reviewed and passed by Wang Jianguo at 2026-12-07 18:49; it is now at “Follow-up”',
    });
    expect(movedOnText({ stage: 'closed' }, { action: 'closed_unrated' }, null, '2026-12-08 09:00')).toEqual({
      zh: '案件已于 2026-12-08 09:00 回访未评价而结案，现为「已结案」',
      en: 'The case was already closed without a follow-up rating at 2026-12-08 09:00; it is now at “Closed”',
    });
    // A step with no phrase of its own reads by its label.
    expect(movedOnText({ stage: 'rectifying' }, { action: 'arrived' }, null, 't').zh).toContain(
      '执行「维修人员到场」',
    );
  });
});

describe('a form no one overtook: the refusal keeps its own words', () => {
  const clock = (metBy: CaseClock['metBy']): CaseClock => ({
    id: 'on_site_arrival',
    label: { zh: '到场', en: 'On site' },
    seed: '000',
    limit: { unit: 'hours', amount: 2 },
    metBy,
    startedAt: '2026-12-07T10:00:00Z',
    due: '2026-12-07T12:00:00Z',
    approximate: false,
  });
  const opened = [entry('detected', 'sup-wang', 'analysing')];
  const repair = { timeline: opened, source: 'repair' as const, clocks: [clock(['arrived'])] };

  it('an arrival on a complaint, which never has one, though its clock lists arrival', () => {
    const complaint = {
      ...repair,
      source: 'complaint' as const,
      clocks: [clock(['arrived', 'root_cause_submitted'])],
    };
    expect(notOvertaken('arrived', complaint)).toBe(true);
    // A repair's arrival refused now was overtaken (recorded before, the repair reported).
    expect(notOvertaken('arrived', repair)).toBe(false);
  });

  it('a step a case opened without the clocks it needs never offered', () => {
    expect(notOvertaken('arrived', { ...repair, clocks: [clock(['rectification_reported'])] })).toBe(true);
    expect(notOvertaken('request_pause', { ...repair, clocks: undefined })).toBe(true);
    expect(notOvertaken('request_pause', repair)).toBe(false);
  });

  it('a stage’s form before the case reached that stage; after, it was overtaken', () => {
    expect(notOvertaken('review', repair)).toBe(true);
    const reviewed = [...opened, entry('rectification_reported', 'staff-zhou', 'reviewing')];
    expect(notOvertaken('review', { ...repair, timeline: reviewed })).toBe(false);
    // Steps of any stage (a comment, a withdrawal) are told by what moved the case on.
    expect(notOvertaken('comment', repair)).toBe(false);
  });
});
