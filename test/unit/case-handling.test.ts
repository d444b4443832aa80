import { describe, expect, it } from 'vitest';
import type { CaseClock, PauseRecord } from '../../domain/case-clocks.ts';
import { checkHandling, type HandlingStep } from '../../domain/case-handling.ts';
import { MAX_COMMENTS, type Actor, type CasePolicy, type CaseView } from '../../domain/case-model.ts';
import type { Role } from '../../domain/directory.ts';

const policy = { supervisorIds: ['sup-wang'] } as Pick<CasePolicy, 'supervisorIds'> as CasePolicy;
const arrival = { id: 'on_site_arrival', metBy: ['arrived'] } as Partial<CaseClock> as CaseClock;
const view = (over: Partial<CaseView> = {}): CaseView =>
  ({
    stage: 'analysing',
    round: 1,
    location: { buildingId: 'bldg-a' },
    assigneeId: 'staff-zhou',
    responsibleId: 'staff-zhou',
    comments: [],
    timeline: [],
    clocks: [arrival],
    pauses: [],
    rectifications: [],
    ...over,
  }) as Partial<CaseView> as CaseView;
const who = (id: string, ...roles: Role[]): Actor => ({ id, roles, via: 'api' });
const staff = who('staff-zhou', 'staff');
const colleague = who('staff-li', 'staff');
const sup = who('sup-wang', 'supervisor');
const auditor = who('aud-1', 'auditor');
const pause = (state: PauseRecord['state']): PauseRecord => ({
  n: 1,
  reason: 'student_absent',
  note: '',
  requestedBy: 'staff-zhou',
  requestedAt: '2026-11-02T01:00:00.000Z',
  state,
});
const kind = (step: HandlingStep, a: Actor, v: CaseView, input = {}) =>
  checkHandling(step, a, v, policy, input)?.kind ?? null;

describe('checkHandling', () => {
  it('auditors and finished cases take no handling step', () => {
    for (const step of [
      'arrived',
      'request_pause',
      'decide_pause',
      'end_pause',
      'reassign',
      'hand_over',
    ] as const) {
      expect(kind(step, auditor, view())).toBe('forbidden');
      expect(kind(step, sup, view({ stage: 'closed' }))).toBe('conflict');
    }
  });

  it('someone the case no longer involves is told about the step they tried, not about comments', () => {
    const gone = view({ assigneeId: 'staff-zhao', responsibleId: 'staff-zhao' });
    const message = (step: HandlingStep) => checkHandling(step, colleague, gone, policy)?.message ?? '';
    expect(message('arrived')).toContain('只有当前被指派人可以登记到场');
    expect(message('hand_over')).toContain('只有被指派人可以移交');
    for (const step of [
      'arrived',
      'request_pause',
      'decide_pause',
      'end_pause',
      'reassign',
      'hand_over',
    ] as const)
      expect(message(step)).not.toContain('评论');
  });

  it('a second arrival is told it was recorded before, not in words that read like a success', () => {
    const done = view({
      timeline: [
        { at: '2026-11-02T01:00:00.000Z', actorId: 'staff-zhou', action: 'arrived' },
      ] as CaseView['timeline'],
    });
    expect(checkHandling('arrived', staff, done, policy)?.message).toContain('此前已登记到场，无需重复登记');
  });

  it('arrival: the assignee or responsible, once, on a case with an on-site clock', () => {
    expect(kind('arrived', staff, view())).toBeNull();
    expect(kind('arrived', staff, view({ assigneeId: 'x', responsibleId: 'staff-zhou' }))).toBeNull();
    expect(kind('arrived', sup, view())).toBe('forbidden');
    expect(kind('arrived', colleague, view())).toBe('forbidden');
    expect(kind('arrived', staff, view({ clocks: [] }))).toBe('conflict');
    expect(kind('arrived', staff, view({ clocks: undefined }))).toBe('conflict');
    const done = view({
      timeline: [{ at: 'x', actorId: 'staff-zhou', action: 'arrived', stage: 'analysing', round: 1 }],
    });
    expect(kind('arrived', staff, done)).toBe('conflict');
  });

  it('no arrival on a complaint: it is answered by its analysis, not attended on site', () => {
    // A routine complaint's response clock lists the arrival beside the analysis.
    const response = {
      id: 'complaint_response',
      metBy: ['arrived', 'root_cause_submitted'],
    } as Partial<CaseClock> as CaseClock;
    const complaint = view({ source: 'complaint', clocks: [response] });
    const refusal = checkHandling('arrived', staff, complaint, policy);
    expect(refusal?.kind).toBe('conflict');
    expect(refusal?.message).toContain('投诉案件无需登记到场');
    expect(refusal?.message).toContain('a complaint is answered, not attended on site');
    expect(kind('arrived', staff, view({ source: 'repair' }))).toBeNull();
    // The complaint's other handling steps are as for any case.
    expect(kind('request_pause', staff, complaint, { reason: 'waiting_for_parts', note: '' })).toBeNull();
  });

  it('a full comment list does not stop the other steps', () => {
    const full = view({
      comments: Array.from({ length: MAX_COMMENTS }, () => ({ text: 't', by: 'b', at: 'a' })),
    });
    expect(kind('arrived', staff, full)).toBeNull();
  });

  it('pause request: the assignee, with a known reason, one at a time, at most five, on a clocked case', () => {
    const ok = { reason: 'waiting_for_parts', note: '' };
    expect(kind('request_pause', staff, view(), ok)).toBeNull();
    expect(kind('request_pause', sup, view(), ok)).toBe('forbidden');
    expect(kind('request_pause', staff, view(), { reason: 'lunch' })).toBe('invalid');
    expect(kind('request_pause', staff, view(), { ...ok, note: 'x'.repeat(501) })).toBe('invalid');
    expect(kind('request_pause', staff, view({ pauses: [pause('requested')] }), ok)).toBe('conflict');
    expect(kind('request_pause', staff, view({ pauses: [pause('approved')] }), ok)).toBe('conflict');
    expect(
      kind('request_pause', staff, view({ pauses: Array.from({ length: 5 }, () => pause('ended')) }), ok),
    ).toBe('conflict');
    expect(kind('request_pause', staff, view({ pauses: [pause('rejected')] }), ok)).toBeNull();
    expect(kind('request_pause', staff, view({ clocks: undefined }), ok)).toBe('conflict');
  });

  it('no arrival after the repair is reported: the report counted as the arrival', () => {
    const reported = view({
      stage: 'reviewing',
      rectifications: [
        { round: 1, summary: 'done', evidence: [], by: 'staff-zhou', at: '2026-11-02T02:00:00.000Z' },
      ],
    });
    const refusal = checkHandling('arrived', staff, reported, policy);
    expect(refusal?.kind).toBe('conflict');
    expect(refusal?.message).toContain('维修已上报');
    expect(kind('arrived', staff, view({ rectifications: [] }))).toBeNull();
  });

  it('no pause once the repair is reported: the review is the supervisors’ time', () => {
    const ok = { reason: 'waiting_for_parts', note: '' };
    for (const stage of ['analysing', 'awaiting_signoff', 'adjudicating', 'rectifying'] as const)
      expect(kind('request_pause', staff, view({ stage }), ok)).toBeNull();
    for (const stage of ['reviewing', 'follow_up'] as const)
      expect(kind('request_pause', staff, view({ stage }), ok)).toBe('conflict');
    // A request left from before the report may be rejected, not approved.
    const waiting = view({ stage: 'reviewing', pauses: [pause('requested')] });
    expect(kind('decide_pause', sup, waiting, { approve: true })).toBe('conflict');
    expect(kind('decide_pause', sup, waiting, { approve: false })).toBeNull();
    expect(kind('decide_pause', sup, view({ pauses: [pause('requested')] }), { approve: true })).toBeNull();
  });

  it('pause decision: a supervisor, only while one waits', () => {
    expect(kind('decide_pause', sup, view({ pauses: [pause('requested')] }))).toBeNull();
    expect(kind('decide_pause', staff, view({ pauses: [pause('requested')] }))).toBe('forbidden');
    expect(kind('decide_pause', sup, view({ pauses: [pause('approved')] }))).toBe('conflict');
    expect(kind('decide_pause', sup, view())).toBe('conflict');
    const newSup: Actor = { ...who('sup-li', 'supervisor'), supervises: ['bldg-a'] };
    expect(kind('decide_pause', newSup, view({ pauses: [pause('requested')] }))).toBeNull();
  });

  it('ending a pause: the assignee or a supervisor, only while one runs', () => {
    expect(kind('end_pause', staff, view({ pauses: [pause('approved')] }))).toBeNull();
    expect(kind('end_pause', sup, view({ pauses: [pause('approved')] }))).toBeNull();
    expect(kind('end_pause', colleague, view({ pauses: [pause('approved')] }))).toBe('forbidden');
    expect(kind('end_pause', staff, view({ pauses: [pause('requested')] }))).toBe('conflict');
  });

  it('reassignment by a supervisor, hand-over by the assignee, to someone else, with a reason', () => {
    const to = { toId: 'staff-li', note: '休假 on leave' };
    expect(kind('reassign', sup, view(), to)).toBeNull();
    expect(kind('reassign', staff, view(), to)).toBe('forbidden');
    expect(kind('hand_over', staff, view(), to)).toBeNull();
    expect(kind('hand_over', sup, view(), to)).toBe('forbidden');
    expect(kind('hand_over', staff, view({ assigneeId: 'x' }), to)).toBe('forbidden');
    expect(kind('reassign', sup, view(), { ...to, toId: 'staff-zhou' })).toBe('conflict');
    expect(kind('reassign', sup, view(), { ...to, toId: ' ' })).toBe('invalid');
    expect(kind('reassign', sup, view(), { ...to, note: '' })).toBe('invalid');
    expect(kind('hand_over', staff, view(), { ...to, note: 'x'.repeat(501) })).toBe('invalid');
  });
});
