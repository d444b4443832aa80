import type { CaseView, StepRefusal } from './case-model.ts';
import { characterCount } from './characters.ts';
import type { Bilingual } from './text.ts';

/**
 * How big one case may grow. Every step that adds to a case is checked against these
 * budgets by the running case's update validator, so the case record (the whole view as
 * JSON in one DynamoDB item, at most 400 KB) and the workflow's history stay bounded
 * whatever people type or however often a loop goes round.
 */
export const budgetNames = [
  'text',
  'comments',
  'commentLength',
  'evidence',
  'reviewRounds',
  'surveyRounds',
  'disputes',
  'reassignments',
  'pauses',
] as const;
export type BudgetName = (typeof budgetNames)[number];
export type CaseBudgets = Readonly<Record<BudgetName, number>>;

/**
 * The budgets of a case opened since the `case-budgets` patch. `text` is the sum of the
 * lengths (UTF-16 units) of everything people typed into the case. Stored as JSON a unit
 * takes at most 3 bytes (the API refuses control characters, the only ones JSON escapes
 * longer), so 32,000 units are at most 96 KB; with every other budget at its limit the
 * record's structure (timeline, deadlines, notices, signatures) stays well under the rest
 * of the 400 KB (test/unit/case-budgets.test.ts builds that case and measures it).
 * `commentLength` is counted in characters (code points), as the comment form states it: it
 * bounds what a person reads, and `text` already bounds the bytes.
 */
export const CASE_BUDGETS: CaseBudgets = {
  text: 32_000,
  comments: 100,
  commentLength: 500,
  evidence: 60,
  reviewRounds: 6,
  surveyRounds: 3,
  disputes: 3,
  reassignments: 10,
  pauses: 5,
};

/** What cases opened before the patch kept: only the comment and pause caps they always had. */
export const LEGACY_BUDGETS: CaseBudgets = {
  text: Number.POSITIVE_INFINITY,
  comments: 100,
  commentLength: 500,
  evidence: Number.POSITIVE_INFINITY,
  reviewRounds: Number.POSITIVE_INFINITY,
  surveyRounds: Number.POSITIVE_INFINITY,
  disputes: Number.POSITIVE_INFINITY,
  reassignments: Number.POSITIVE_INFINITY,
  pauses: 5,
};

/**
 * The part of the text budget comments may not fill: anyone who may read a case may comment on
 * it, and a case whose text budget comments had filled could take no rectification report or
 * review notes any more, its required steps refused for good.
 */
export const TEXT_KEPT_FOR_STEPS = 2_000;

/** The failed reviews after which the working group is told (the policy pins it per case). */
export const DEFAULT_MAX_FAILED_REVIEWS = 3;

/** The largest stored case record DynamoDB takes (its item limit). */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

export const budgetLabels: Readonly<Record<BudgetName, Bilingual>> = {
  text: { zh: '案件总字数', en: 'total text' },
  comments: { zh: '评论条数', en: 'comments' },
  commentLength: { zh: '单条评论字数', en: 'comment length' },
  evidence: { zh: '证据数量', en: 'evidence items' },
  reviewRounds: { zh: '复查轮次', en: 'review rounds' },
  surveyRounds: { zh: '回访轮次', en: 'survey rounds' },
  disputes: { zh: '异议次数', en: 'disputes' },
  reassignments: { zh: '改派与移交次数', en: 'reassignments and hand-overs' },
  pauses: { zh: '暂停次数', en: 'pauses' },
};

/** A step refused because the case would go over one of its budgets. */
export interface BudgetRefusal extends StepRefusal {
  budget: BudgetName;
  limit: number;
  text: Bilingual;
}

export const isBudgetRefusal = (r: StepRefusal): r is BudgetRefusal => 'budget' in r;

const COUNTED_ACTIONS = {
  surveyRounds: ['follow_up_low_score', 'follow_up_rated'],
  reassignments: ['reassigned', 'handed_over'],
} as const;

const len = (s: string | undefined): number => (s ? s.length : 0);
const sum = (xs: readonly (string | undefined)[]): number => xs.reduce((n, s) => n + len(s), 0);

/** Everything people typed into the case, in UTF-16 units (what the text budget counts). */
export function caseTextLength(view: CaseView): number {
  const rc = view.rootCause;
  return (
    len(view.title) +
    len(view.description) +
    len(view.reporter?.name) +
    len(view.reporter?.email) +
    (rc ? sum(rc.causes) + sum(rc.whys ?? []) + len(rc.plan) : 0) +
    sum(view.signOffs.map((s) => s.reason)) +
    view.rectifications.reduce((n, r) => n + len(r.summary) + sum(r.evidence), 0) +
    sum(view.reviews.map((r) => r.notes)) +
    sum(view.adjudications.map((a) => a.notes)) +
    len(view.followUp?.comment) +
    len(view.withdrawal?.reason) +
    sum(view.comments.map((c) => c.text)) +
    (view.pauses ?? []).reduce((n, p) => n + len(p.note) + len(p.decisionNotes), 0)
  );
}

type Counted = Exclude<BudgetName, 'commentLength'>;
const countActions = (view: CaseView, actions: readonly string[]) =>
  view.timeline.filter((e) => actions.includes(e.action)).length;

// One function per budget, so a check reads only what it needs.
const usageOf: Readonly<Record<Counted, (view: CaseView) => number>> = {
  text: caseTextLength,
  comments: (v) => v.comments.length,
  evidence: (v) => v.rectifications.reduce((n, r) => n + r.evidence.length, 0),
  reviewRounds: (v) => v.reviews.length,
  surveyRounds: (v) => countActions(v, COUNTED_ACTIONS.surveyRounds),
  disputes: (v) => v.signOffs.filter((s) => s.decision === 'dispute').length,
  reassignments: (v) => countActions(v, COUNTED_ACTIONS.reassignments),
  pauses: (v) => (v.pauses ?? []).length,
};

/** How much of each counted budget a case has used. */
export function budgetUsage(view: CaseView): Record<Counted, number> {
  const out = {} as Record<Counted, number>;
  for (const b of Object.keys(usageOf) as Counted[]) out[b] = usageOf[b](view);
  return out;
}

/** What a step would add to the case, as far as its budgets are concerned. */
export interface BudgetedChange {
  /** The texts the step adds (all of them counted against the text budget). */
  texts?: readonly (string | undefined)[];
  /** A comment's text: counted as a comment and against the comment length too. */
  comment?: string;
  evidence?: number;
  /** A failed review: the case needs another round of rectification and review. */
  failedReview?: boolean;
  /** A low survey score: the case goes back to review and asks the reporter again. */
  reopen?: boolean;
  dispute?: boolean;
  reassignment?: boolean;
  pause?: boolean;
}

// Thousands separated by hand: the same text wherever it runs (workflow sandbox, API, tests).
const fmt = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The refusal that names `budget`, in both languages; counts are 409, a text too long is 422. */
export function budgetRefusal(budget: BudgetName, limit: number, why: Bilingual): BudgetRefusal {
  const label = budgetLabels[budget];
  const text = {
    zh: `超出本案的「${label.zh}」上限（${fmt(limit)}）：${why.zh}`,
    en: `over this case's ${label.en} budget (${fmt(limit)}): ${why.en}`,
  };
  return {
    kind: budget === 'text' || budget === 'commentLength' ? 'invalid' : 'conflict',
    // The message keeps the form the workflow's other refusals have, "English / 中文".
    message: `${text.en} / ${text.zh}`,
    budget,
    limit,
    text,
  };
}

/**
 * The first budget `change` would take the case over, or null when it fits. Pure and
 * synchronous: the running case's update validators ask it with the budgets the case
 * pinned when it opened.
 */
export function checkBudgets(
  budgets: CaseBudgets,
  view: CaseView,
  change: BudgetedChange,
): BudgetRefusal | null {
  const used = (b: Counted) => usageOf[b](view);
  if (change.comment !== undefined) {
    const characters = characterCount(change.comment);
    if (characters > budgets.commentLength)
      return budgetRefusal('commentLength', budgets.commentLength, {
        zh: `这条评论有 ${fmt(characters)} 个字符，请缩短`,
        en: `this comment has ${fmt(characters)} characters; shorten it`,
      });
    if (used('comments') + 1 > budgets.comments)
      return budgetRefusal('comments', budgets.comments, {
        zh: `本案已有 ${fmt(used('comments'))} 条评论；请把补充说明写进案件的下一步`,
        en: `this case already has ${fmt(used('comments'))} comments; add further notes to the case's next step`,
      });
  }
  if (change.evidence !== undefined && used('evidence') + change.evidence > budgets.evidence)
    return budgetRefusal('evidence', budgets.evidence, {
      zh: `本案已有 ${fmt(used('evidence'))} 项证据，本次又提交 ${fmt(change.evidence)} 项；请只附最能说明整改的证据`,
      en: `this case already has ${fmt(used('evidence'))} evidence items and this step adds ${fmt(change.evidence)}; attach only the evidence that shows the rectification`,
    });
  // A failed review needs one more review after it; a reopened case needs one more review too.
  if (change.failedReview && used('reviewRounds') + 2 > budgets.reviewRounds)
    return budgetRefusal('reviewRounds', budgets.reviewRounds, {
      zh: `本案已复查 ${fmt(used('reviewRounds'))} 次，不能再开一轮整改；请通过复查，或撤销本案另立新案`,
      en: `this case has been reviewed ${fmt(used('reviewRounds'))} times and may not go round again; pass the review, or withdraw the case and open a new one`,
    });
  if (change.reopen && used('reviewRounds') + 1 > budgets.reviewRounds)
    return budgetRefusal('reviewRounds', budgets.reviewRounds, {
      zh: `本案已复查 ${fmt(used('reviewRounds'))} 次，低分不能再次退回复查；如仍有问题，请联系楼栋主管另立新案`,
      en: `this case has been reviewed ${fmt(used('reviewRounds'))} times, so a low score cannot send it back again; if the problem remains, ask the building's supervisor to open a new case`,
    });
  // A reopened case asks the reporter again: this survey and the next must fit.
  if (change.reopen && used('surveyRounds') + 2 > budgets.surveyRounds)
    return budgetRefusal('surveyRounds', budgets.surveyRounds, {
      zh: `本案已回访 ${fmt(used('surveyRounds') + 1)} 次，低分不能再次退回；如仍有问题，请联系楼栋主管另立新案`,
      en: `this case has asked for a rating ${fmt(used('surveyRounds') + 1)} times, so a low score cannot send it back again; if the problem remains, ask the building's supervisor to open a new case`,
    });
  if (change.dispute && used('disputes') + 1 > budgets.disputes)
    return budgetRefusal('disputes', budgets.disputes, {
      zh: `本案已提出 ${fmt(used('disputes'))} 次异议；请确认签字，或请楼栋主管撤销本案`,
      en: `this case has been disputed ${fmt(used('disputes'))} times already; confirm it, or ask the building's supervisor to withdraw it`,
    });
  if (change.reassignment && used('reassignments') + 1 > budgets.reassignments)
    return budgetRefusal('reassignments', budgets.reassignments, {
      zh: `本案已改派或移交 ${fmt(used('reassignments'))} 次；请由当前被指派人处理，或撤销本案另立新案`,
      en: `this case has been reassigned or handed over ${fmt(used('reassignments'))} times; the current assignee handles it, or withdraw it and open a new one`,
    });
  if (change.pause && used('pauses') + 1 > budgets.pauses)
    return budgetRefusal('pauses', budgets.pauses, {
      zh: `本案已暂停 ${fmt(used('pauses'))} 次`,
      en: `this case has been paused ${fmt(used('pauses'))} times`,
    });
  const added = sum(change.texts ?? []) + len(change.comment);
  if (added > 0 && used('text') + added > budgets.text)
    return budgetRefusal('text', budgets.text, {
      zh: `本案已有 ${fmt(used('text'))} 个字符，本次又添加 ${fmt(added)} 个；请精简文字，长材料请作为证据文件上传`,
      en: `this case already holds ${fmt(used('text'))} characters and this step adds ${fmt(added)}; shorten the text, and upload long material as an evidence file`,
    });
  const forComments = budgets.text - TEXT_KEPT_FOR_STEPS;
  if (change.comment !== undefined && added > 0 && used('text') + added > forComments)
    return budgetRefusal('text', budgets.text, {
      zh: `本案已有 ${fmt(used('text'))} 个字符；评论最多用到 ${fmt(forComments)} 个，其余留给整改和复查等必需步骤；请把补充说明写进案件的下一步`,
      en: `this case already holds ${fmt(used('text'))} characters; comments may fill it only to ${fmt(forComments)}, the rest is kept for the rectification, review and other steps the case still needs; add further notes to the case's next step`,
    });
  // The next round's repair report needs at least one evidence item: a failed review that left
  // no room for one would leave a case nobody could report repaired.
  if (change.failedReview && used('evidence') >= budgets.evidence)
    return budgetRefusal('evidence', budgets.evidence, {
      zh: `本案已有 ${fmt(used('evidence'))} 项证据，下一轮整改无法再附证据；请通过复查，或撤销本案另立新案`,
      en: `this case already has ${fmt(used('evidence'))} evidence items, so another round's repair report could attach none; pass the review, or withdraw the case and open a new one`,
    });
  return null;
}

/** The refusal of a new case whose opening text alone would not fit the text budget. */
export function checkOpeningBudget(
  budgets: CaseBudgets,
  c: {
    title: string;
    description: string;
    reporter?: { name: string; email?: string | undefined } | undefined;
  },
): BudgetRefusal | null {
  const used = len(c.title) + len(c.description) + len(c.reporter?.name) + len(c.reporter?.email);
  if (used <= budgets.text) return null;
  return budgetRefusal('text', budgets.text, {
    zh: `新案件的标题和描述共有 ${fmt(used)} 个字符；请精简`,
    en: `the new case's title and description have ${fmt(used)} characters; shorten them`,
  });
}
