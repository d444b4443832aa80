import { describe, expect, it } from 'vitest';
import {
  CASE_BUDGETS,
  DEFAULT_MAX_FAILED_REVIEWS,
  DYNAMODB_ITEM_LIMIT_BYTES,
  LEGACY_BUDGETS,
  TEXT_KEPT_FOR_STEPS,
  budgetLabels,
  budgetNames,
  budgetUsage,
  caseTextLength,
  checkBudgets,
  checkOpeningBudget,
  type BudgetName,
  type BudgetedChange,
} from '../../domain/case-budgets.ts';
import { MAX_PAUSES } from '../../domain/case-clocks.ts';
import { checkHandling } from '../../domain/case-handling.ts';
import {
  MAX_COMMENTS,
  MAX_COMMENT_LENGTH,
  checkStep,
  type CasePolicy,
  type CaseView,
  type TimelineEntry,
} from '../../domain/case-model.ts';
import { DEFAULT_MAX_FAILED_REVIEWS as POLICY_DEFAULT } from '../../domain/case-policy.ts';
import type { CaseAction } from '../../domain/case-action.ts';

const at = '2026-11-02T01:00:00.000Z';
const entry = (action: CaseAction): TimelineEntry => ({
  at,
  actorId: 'staff-zhou',
  action,
  stage: 'follow_up',
  round: 1,
});
const view = (over: Partial<CaseView> = {}): CaseView =>
  ({
    caseId: 'ZG-2026-000001',
    title: '',
    description: '',
    stage: 'analysing',
    round: 1,
    location: { buildingId: 'bldg-a' },
    assigneeId: 'staff-zhou',
    responsibleId: 'staff-zhou',
    signOffs: [],
    rectifications: [],
    reviews: [],
    adjudications: [],
    comments: [],
    timeline: [],
    pauses: [],
    ...over,
  }) as Partial<CaseView> as CaseView;
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const comment = (text = 't') => ({ text, by: 'staff-zhou', at });
const rect = (evidence: number, summary = 's') => ({
  round: 1,
  summary,
  evidence: times(evidence, () => 'e'),
  by: 'x',
  at,
});
const review = (passed: boolean) => ({ round: 1, passed, notes: '', by: 'sup-wang', at });
const dispute = { decision: 'dispute' as const, reason: 'r', by: 'staff-zhou', at, round: 1 };
const pause = {
  n: 1,
  reason: 'student_absent' as const,
  note: '',
  requestedBy: 'x',
  requestedAt: at,
  state: 'ended' as const,
};

/** For each counted budget: a case holding `n` of it, and the change that adds one more. */
const counted: Record<
  Exclude<BudgetName, 'text' | 'commentLength'>,
  { at: (n: number) => CaseView; add: BudgetedChange; full: number }
> = {
  comments: {
    at: (n) => view({ comments: times(n, () => comment()) }),
    add: { comment: 'x' },
    full: CASE_BUDGETS.comments,
  },
  evidence: {
    at: (n) => view({ rectifications: [rect(n)] }),
    add: { evidence: 1 },
    full: CASE_BUDGETS.evidence,
  },
  // A failed review needs a further review: the last review the budget allows may not fail.
  reviewRounds: {
    at: (n) => view({ reviews: times(n, () => review(false)) }),
    add: { failedReview: true },
    full: CASE_BUDGETS.reviewRounds - 1,
  },
  // A reopening survey needs a further survey: the last survey the budget allows may not reopen.
  surveyRounds: {
    at: (n) => view({ timeline: times(n, () => entry('follow_up_low_score')) }),
    add: { reopen: true },
    full: CASE_BUDGETS.surveyRounds - 1,
  },
  disputes: {
    at: (n) => view({ signOffs: times(n, () => dispute) }),
    add: { dispute: true },
    full: CASE_BUDGETS.disputes,
  },
  reassignments: {
    at: (n) => view({ timeline: times(n, (i) => entry(i % 2 ? 'reassigned' : 'handed_over')) }),
    add: { reassignment: true },
    full: CASE_BUDGETS.reassignments,
  },
  pauses: {
    at: (n) => view({ pauses: times(n, () => pause) }),
    add: { pause: true },
    full: CASE_BUDGETS.pauses,
  },
};

describe('case budgets', () => {
  it('fold in the caps that were spread over the domain', () => {
    expect(MAX_COMMENTS).toBe(CASE_BUDGETS.comments);
    expect(MAX_COMMENT_LENGTH).toBe(CASE_BUDGETS.commentLength);
    expect(MAX_PAUSES).toBe(CASE_BUDGETS.pauses);
    expect(POLICY_DEFAULT).toBe(DEFAULT_MAX_FAILED_REVIEWS);
    // Failed reviews escalate before the review-round budget refuses another round.
    expect(DEFAULT_MAX_FAILED_REVIEWS).toBeLessThan(CASE_BUDGETS.reviewRounds - 1);
  });

  it('every budget has a label in both languages, and legacy cases keep their old caps only', () => {
    for (const b of budgetNames) {
      expect(budgetLabels[b].zh).toMatch(/[\u4e00-\u9fff]/u);
      expect(budgetLabels[b].en).toMatch(/[a-z]/);
      expect(CASE_BUDGETS[b]).toBeGreaterThan(0);
      expect(Number.isFinite(CASE_BUDGETS[b])).toBe(true);
    }
    expect(LEGACY_BUDGETS.comments).toBe(100);
    expect(LEGACY_BUDGETS.commentLength).toBe(500);
    expect(LEGACY_BUDGETS.pauses).toBe(5);
    for (const b of [
      'text',
      'evidence',
      'reviewRounds',
      'surveyRounds',
      'disputes',
      'reassignments',
    ] as const)
      expect(LEGACY_BUDGETS[b]).toBe(Number.POSITIVE_INFINITY);
  });

  for (const [name, c] of Object.entries(counted)) {
    it(`${name}: takes the case to its limit, then refuses naming the budget (409)`, () => {
      expect(budgetUsage(c.at(c.full - 1))[name as keyof typeof counted]).toBe(c.full - 1);
      expect(checkBudgets(CASE_BUDGETS, c.at(c.full - 1), c.add)).toBeNull();
      const r = checkBudgets(CASE_BUDGETS, c.at(c.full), c.add);
      expect(r).toMatchObject({ kind: 'conflict', budget: name, limit: CASE_BUDGETS[name as BudgetName] });
      const label = budgetLabels[name as BudgetName];
      expect(r?.text.zh).toContain(label.zh);
      expect(r?.text.en).toContain(label.en);
      expect(r?.message).toBe(`${r?.text.en} / ${r?.text.zh}`);
      // Cases opened before the budgets: only comments and pauses were ever capped.
      const legacy = checkBudgets(LEGACY_BUDGETS, c.at(c.full), c.add);
      if (name === 'comments' || name === 'pauses') expect(legacy?.budget).toBe(name);
      else expect(legacy).toBeNull();
    });
  }

  it('a change that adds none of a counted thing is never refused by that budget', () => {
    for (const c of Object.values(counted)) expect(checkBudgets(CASE_BUDGETS, c.at(c.full), {})).toBeNull();
    // A passing review and a good score are never refused by the round budgets.
    const full = view({ reviews: times(CASE_BUDGETS.reviewRounds, () => review(false)) });
    expect(checkBudgets(CASE_BUDGETS, full, { failedReview: false, texts: [''] })).toBeNull();
    expect(checkBudgets(CASE_BUDGETS, full, { reopen: false })).toBeNull();
  });

  it('a reopening survey also needs a review round left', () => {
    const reviewed = view({ reviews: times(CASE_BUDGETS.reviewRounds, () => review(true)) });
    expect(checkBudgets(CASE_BUDGETS, reviewed, { reopen: true })?.budget).toBe('reviewRounds');
    const oneLeft = view({ reviews: times(CASE_BUDGETS.reviewRounds - 1, () => review(true)) });
    expect(checkBudgets(CASE_BUDGETS, oneLeft, { reopen: true })).toBeNull();
  });

  it('a comment is refused when it is too long (422), before the count', () => {
    const full = counted.comments.at(CASE_BUDGETS.comments);
    const long = 'x'.repeat(CASE_BUDGETS.commentLength + 1);
    expect(
      checkBudgets(CASE_BUDGETS, view(), { comment: 'x'.repeat(CASE_BUDGETS.commentLength) }),
    ).toBeNull();
    expect(checkBudgets(CASE_BUDGETS, view(), { comment: long })).toMatchObject({
      kind: 'invalid',
      budget: 'commentLength',
    });
    expect(checkBudgets(CASE_BUDGETS, full, { comment: long })?.budget).toBe('commentLength');
    expect(checkBudgets(LEGACY_BUDGETS, view(), { comment: long })?.budget).toBe('commentLength');
  });

  it('a comment’s length is counted in characters: an emoji or 𠀀 (two UTF-16 units) counts once', () => {
    const n = CASE_BUDGETS.commentLength;
    for (const wide of ['👍', '𠀀']) {
      expect(checkBudgets(CASE_BUDGETS, view(), { comment: wide.repeat(n) })).toBeNull();
      expect(checkBudgets(LEGACY_BUDGETS, view(), { comment: wide.repeat(n) })).toBeNull();
      const over = checkBudgets(CASE_BUDGETS, view(), { comment: wide.repeat(n + 1) });
      expect(over?.budget).toBe('commentLength');
      expect(over?.text).toEqual({
        zh: `超出本案的「单条评论字数」上限（${n}）：这条评论有 ${n + 1} 个字符，请缩短`,
        en: `over this case's comment length budget (${n}): this comment has ${n + 1} characters; shorten it`,
      });
    }
  });

  it('counts every text people type into the case', () => {
    const v = view({
      title: 'ab',
      description: 'cde',
      reporter: { name: 'f', email: 'g@h' },
      rootCause: { causes: ['ij', 'k'], whys: ['l'], plan: 'mn', responsibleId: 'x', by: 'x', at },
      signOffs: [dispute, { decision: 'confirm', by: 'x', at, round: 1 }],
      rectifications: [rect(2, 'opq')],
      reviews: [{ ...review(false), notes: 'rs' }],
      adjudications: [{ decision: 'revise', notes: 'tuv', by: 'x', at }],
      followUp: { score: 2, comment: 'w', at, outcome: 'reopened' },
      withdrawal: { reason: 'xy', by: 'x', at },
      comments: [comment('z'), comment('12')],
      pauses: [{ ...pause, note: '345', decisionNotes: '6' }],
    });
    // 2+3+1+3 + (2+1+1+2) + 1 + (3+2) + 2 + 3 + 1 + 2 + (1+2) + (3+1)
    expect(caseTextLength(v)).toBe(9 + 6 + 1 + 5 + 2 + 3 + 1 + 2 + 3 + 4);
    expect(caseTextLength(view())).toBe(0);
    expect(
      caseTextLength(view({ rootCause: { causes: ['a'], plan: 'b', responsibleId: 'x', by: 'x', at } })),
    ).toBe(2);
  });

  it('text: refuses the step that would go over (422), counting what it adds', () => {
    const half = view({ description: 'x'.repeat(CASE_BUDGETS.text - 10) });
    expect(checkBudgets(CASE_BUDGETS, half, { texts: ['0123456789'] })).toBeNull();
    expect(checkBudgets(CASE_BUDGETS, half, { texts: ['0123456789', undefined] })).toBeNull();
    const r = checkBudgets(CASE_BUDGETS, half, { texts: ['01234', '56789', '!'] });
    expect(r).toMatchObject({ kind: 'invalid', budget: 'text', limit: CASE_BUDGETS.text });
    expect(r?.text.en).toContain('31,990');
    expect(r?.text.zh).toContain('案件总字数');
    // A comment's text counts too.
    expect(checkBudgets(CASE_BUDGETS, half, { comment: 'x'.repeat(11) })?.budget).toBe('text');
    expect(checkBudgets(LEGACY_BUDGETS, half, { texts: ['x'.repeat(100_000)] })).toBeNull();
  });

  it('comments may not fill the text the required steps still need', () => {
    const room = CASE_BUDGETS.text - TEXT_KEPT_FOR_STEPS;
    const nearly = view({ description: 'x'.repeat(room - 5) });
    expect(checkBudgets(CASE_BUDGETS, nearly, { comment: '12345' })).toBeNull();
    const r = checkBudgets(CASE_BUDGETS, nearly, { comment: '123456' });
    expect(r).toMatchObject({ kind: 'invalid', budget: 'text', limit: CASE_BUDGETS.text });
    expect(r?.text.en).toContain(`comments may fill it only to ${room.toLocaleString('en-US')}`);
    expect(r?.text.zh).toContain('其余留给整改和复查等必需步骤');
    // The steps a case needs may still use what comments may not.
    expect(checkBudgets(CASE_BUDGETS, nearly, { texts: ['x'.repeat(TEXT_KEPT_FOR_STEPS)] })).toBeNull();
    expect(checkBudgets(LEGACY_BUDGETS, nearly, { comment: '123456' })).toBeNull();
  });

  it('a review may not fail when the next repair report could attach no evidence', () => {
    const full = view({ rectifications: [rect(CASE_BUDGETS.evidence)] });
    const r = checkBudgets(CASE_BUDGETS, full, { failedReview: true, texts: ['仍漏水'] });
    expect(r).toMatchObject({ kind: 'conflict', budget: 'evidence', limit: CASE_BUDGETS.evidence });
    expect(r?.text.zh).toContain('下一轮整改无法再附证据');
    // Passing it is still possible, and one item of room is enough to go round again.
    expect(checkBudgets(CASE_BUDGETS, full, { failedReview: false, texts: ['好'] })).toBeNull();
    const oneLeft = view({ rectifications: [rect(CASE_BUDGETS.evidence - 1)] });
    expect(checkBudgets(CASE_BUDGETS, oneLeft, { failedReview: true, texts: ['仍漏水'] })).toBeNull();
    expect(checkBudgets(LEGACY_BUDGETS, full, { failedReview: true, texts: ['仍漏水'] })).toBeNull();
  });

  it('a new case is refused when its opening text alone is over the text budget', () => {
    const c = { title: 't', description: 'x'.repeat(CASE_BUDGETS.text - 1) };
    expect(checkOpeningBudget(CASE_BUDGETS, c)).toBeNull();
    expect(checkOpeningBudget(CASE_BUDGETS, { ...c, reporter: { name: 'n', email: '' } })?.budget).toBe(
      'text',
    );
  });

  it('checkStep and checkHandling name the budget for the caps every case has had', () => {
    const policy = { supervisorIds: ['sup-wang'] } as Pick<CasePolicy, 'supervisorIds'> as CasePolicy;
    const staff = { id: 'staff-zhou', roles: ['staff' as const] };
    const full = view({ comments: times(MAX_COMMENTS, () => comment()) });
    expect(checkStep('comment', staff, full, policy)).toMatchObject({ kind: 'conflict', budget: 'comments' });
    expect(checkStep('comment', staff, view(), policy)).toBeNull();
    const paused = view({ clocks: [], pauses: times(MAX_PAUSES, () => pause) });
    expect(checkHandling('request_pause', staff, paused, policy, { reason: 'student_absent' })).toMatchObject(
      {
        kind: 'conflict',
        budget: 'pauses',
      },
    );
  });

  it('a case at every budget, typed in the widest characters, stays within the DynamoDB item limit', () => {
    // 3 bytes of UTF-8 per unit, the most any character the API accepts takes in the record's JSON.
    const wide = (n: number) => '整'.repeat(n);
    const ids = times(6, (i) => `person-with-a-long-id-${i}`);
    const perComment = Math.floor(CASE_BUDGETS.text / 2 / CASE_BUDGETS.comments);
    const evidenceEach = Math.floor(CASE_BUDGETS.text / 4 / CASE_BUDGETS.evidence);
    const rounds = CASE_BUDGETS.reviewRounds;
    const b = CASE_BUDGETS;
    const passes = (b.disputes + 1) * 2 + b.disputes + b.reviewRounds * 2 + b.surveyRounds;
    const v = view({
      title: wide(200),
      description: wide(CASE_BUDGETS.text / 4 - 200),
      comments: times(CASE_BUDGETS.comments, () => ({ text: wide(perComment), by: ids[0] ?? '', at })),
      rectifications: times(rounds, (i) => ({
        round: i + 1,
        summary: 'x',
        evidence: times(CASE_BUDGETS.evidence / rounds, () => wide(evidenceEach)),
        by: ids[1] ?? '',
        at,
      })),
      reviews: times(rounds, (i) => ({ round: i + 1, passed: false, notes: 'n', by: ids[2] ?? '', at })),
      signOffs: times(CASE_BUDGETS.disputes + 1, () => ({
        ...dispute,
        signature: {
          tokenId: 'x'.repeat(40),
          ip: '2001:0db8:0000:0000:0000:ff00:0042:8329',
          userAgent: 'u'.repeat(512),
          textHash: 'h'.repeat(64),
        },
      })),
      pauses: times(CASE_BUDGETS.pauses, (i) => ({
        ...pause,
        n: i + 1,
        decidedBy: ids[3],
        decidedAt: at,
        endsBy: at,
        endedAt: at,
        endedHow: 'resumed',
      })),
      // Every stage pass the budgets allow (analysis and sign-off once per dispute and once more,
      // each adjudication, rectification and review per round, each survey), each with a
      // deadline, three reminders and an escalation to each of five rungs of six people.
      deadlines: times(passes, (i) => ({
        stage: 'rectifying',
        round: i,
        startedAt: at,
        due: at,
        approximate: true,
        note: { zh: wide(60), en: 'x'.repeat(120) },
        calendarVersion: '2026-v1',
        state: 'breached',
        closedAt: at,
        breachedAt: at,
      })),
      notices: times(passes * 8, (i) => ({
        kind: 'escalation',
        stage: 'rectifying',
        round: i,
        at,
        level: 'working_group',
        to: ids,
      })),
      timeline: times(600, () => entry('commented')),
    });
    expect(caseTextLength(v)).toBeLessThanOrEqual(CASE_BUDGETS.text);
    expect(caseTextLength(v)).toBeGreaterThan(CASE_BUDGETS.text * 0.95);
    // The record: the view as JSON plus a few short index attributes.
    const bytes = Buffer.byteLength(JSON.stringify(v), 'utf8') + 1024;
    // A quarter of the item left over for what this does not model (clocks, stuck effects).
    expect(bytes).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES * 0.75);
  });
});
