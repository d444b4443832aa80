import { opensAsMergeRefusal, readMergeComment } from '../domain/merge-comment.ts';
import { z } from 'zod';
import { caseActions } from '../domain/case-action.ts';
import { clockIds, pauseReasonLabels, pauseReasons } from '../domain/case-clocks.ts';
import { budgetNames, CASE_BUDGETS } from '../domain/case-budgets.ts';
import { stages, type CaseView, type Reporter } from '../domain/case-model.ts';
import { languages, roles, type Building, type Person } from '../domain/directory.ts';
import { severities, sources, timedStages } from '../domain/sla.ts';
import { dateInRange, DATE_RANGE, refuseFlaws } from '../domain/safe-text.ts';

/**
 * The API's zod schemas: the one source of its request and response types,
 * of request validation and of the OpenAPI document (every schema registered
 * here becomes a component under its id). One file on purpose: the document's
 * components are these, and the compile-time checks at the end tie them to the
 * domain types.
 */
/**
 * A whole number from `min` to `max` in a query or form, refused in words a person can act on
 * (zod's own say "expected number, received NaN" or "期望 number >=1").
 */
export function wholeNumber(min: number, max: number) {
  const error = `须为 ${min} 到 ${max} 之间的整数 / must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/**
 * Named schemas (with an id: a component) and bounds the document states that zod's own checks
 * cannot (a `maxLength` counted in characters, as JSON Schema counts it; zod counts UTF-16 units).
 */
export const schemaRegistry = z.registry<{ id?: string; description?: string; maxLength?: number }>();
const named = <S extends z.ZodType>(id: string, schema: S, description?: string): S => {
  schemaRegistry.add(schema, description ? { id, description } : { id });
  return schema;
};

/**
 * Text a person typed, safe to store, hash, show and mail: well-formed Unicode, no control
 * characters or direction overrides, and (`singleLine`) no line break where it ends up in a
 * mail subject. Every request schema's free text goes through here.
 */
export const safeString = (opts: { singleLine?: boolean } = {}) => z.string().superRefine(refuseFlaws(opts));
const text = (max: number, opts: { singleLine?: boolean } = {}) =>
  z.string().trim().min(1).max(max).pipe(safeString(opts));
/** Dates and instants the API accepts (2000–2100): one schema for every date a request carries. */
const DATE_RANGE_MESSAGE = `须在 ${DATE_RANGE.min.slice(0, 4)} 至 ${DATE_RANGE.max.slice(0, 4)} 年之间，如 2026-03-02 / must fall in the years ${DATE_RANGE.min.slice(0, 4)} to ${DATE_RANGE.max.slice(0, 4)}, like 2026-03-02`;
export const boundedDate = z.iso.date().refine(dateInRange, DATE_RANGE_MESSAGE);
// What the union below accepts, in words: zod's own for a failed union are only "Invalid input".
const DATE_OR_INSTANT = {
  zh: '日期 YYYY-MM-DD，或带秒和时区的 ISO 8601 时刻（YYYY-MM-DDTHH:MM:SS 后接 Z 或 ±HH:MM），如 2026-12-01 或 2026-12-01T08:00:00+08:00',
  en: 'a date YYYY-MM-DD or an ISO 8601 instant with seconds and a time zone (YYYY-MM-DDTHH:MM:SS then Z or ±HH:MM), such as 2026-12-01 or 2026-12-01T08:00:00+08:00',
};
export const boundedDateOrInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: (issue) =>
      issue.input === undefined
        ? `必填：须为${DATE_OR_INSTANT.zh} / required: send ${DATE_OR_INSTANT.en}`
        : `须为${DATE_OR_INSTANT.zh} / must be ${DATE_OR_INSTANT.en}`,
  })
  .refine(dateInRange, DATE_RANGE_MESSAGE);
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
/** A directory id (ID_PATTERN) refused in words naming what it identifies; zod's own message shows the regex. */
const directoryId = (message: string) => z.string().regex(ID_PATTERN, message);
/** Any directory id, where the field could name a building, a floor or a person. */
export const idSchema = directoryId(
  '须为名录中的编号，如 bldg-a、a-f1 或 staff-zhou / must be an id from the directory, such as bldg-a, a-f1 or staff-zhou',
);
export const buildingIdSchema = directoryId(
  '须为名录中楼栋或区域的编号，如 bldg-a / must be the id of a building or area in the directory, such as bldg-a',
);
export const floorIdSchema = directoryId(
  '须为名录中楼层的编号，如 a-f1 / must be the id of a floor in the directory, such as a-f1',
);
export const staffIdSchema = directoryId(
  '须为名录中员工的编号，如 staff-zhou / must be a staff member’s id from the directory, such as staff-zhou',
);
/**
 * A case number as the counter issues it (activities/counters.ts: ZG-<year>-<6+ digits>). Only
 * these name case workflows, so /api/cases/{caseId} can't reach another workflow (a daily brief,
 * a schedule's run) and ask it a case query it doesn't have.
 */
const CASE_NUMBER_MESSAGE = '须为案件编号，如 ZG-2026-000001 / must be a case number such as ZG-2026-000001';
export const caseIdSchema = z.string().regex(/^ZG-\d{4}-\d{6,12}$/, CASE_NUMBER_MESSAGE);
/**
 * Any id a case record or audit trail can be stored under: the audit routes read stored rows
 * (and 404 without one), so they also accept ids of cases that were not numbered by the API.
 */
export const storedCaseIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, CASE_NUMBER_MESSAGE);
/** What `POST /api/cases` accepts as an Idempotency-Key header: the server checks this, the document shows it. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,200}$/);
const instant = z.string();
const bilingual = z.object({ zh: z.string(), en: z.string() });

export const locationSchema = named(
  'Location',
  z.strictObject({
    buildingId: buildingIdSchema,
    floorId: floorIdSchema.optional(),
    roomId: text(64, { singleLine: true }).optional(),
  }),
  'A place on campus: building (level-1 grid), optionally floor and room / 位置',
);

// --- requests -----------------------------------------------------------

export const newCaseSchema = named(
  'NewCase',
  z.strictObject({
    title: text(200, { singleLine: true }),
    description: text(5000),
    source: z.enum(sources),
    severity: z.enum(severities),
    category: text(64, { singleLine: true }).optional(),
    /** A 6T item the case cites (GET /api/standards); it becomes the case's category. */
    itemId: z
      .string()
      .regex(
        /^6t\.[a-z]+\.\d+$/,
        '须为 6T 条目编号，如 6t.safety.1（见 GET /api/standards） / must be a 6T item id such as 6t.safety.1 (see GET /api/standards)',
      )
      .optional(),
    location: locationSchema,
    assigneeId: staffIdSchema,
    reporter: z
      .strictObject({
        name: text(100, { singleLine: true }),
        email: z.email().max(254),
        language: z.enum(languages).optional(),
      })
      .optional(),
    /** When the problem was reported, if before now: the case-level clocks run from it (within the 30 days before the opening; checked on opening, a 400 naming the window). */
    reportedAt: z.iso
      .datetime({ offset: true })
      .refine(dateInRange, DATE_RANGE_MESSAGE)
      // One spelling of the instant from here on (UTC, milliseconds): clients send microseconds
      // (Python's isoformat) or offsets, and the case's clocks compare and plan from it.
      .transform((at) => new Date(at).toISOString())
      .optional(),
  }),
  'A problem found on campus, to open as a rectification case / 新建整改案件',
);

export const rootCauseSchema = named(
  'RootCause',
  z.strictObject({
    causes: z
      .array(text(1000))
      .min(1, '至少写一条根本原因 / give at least one root cause')
      .max(20, '根本原因最多 20 条 / at most 20 root causes'),
    responsibleId: z
      .string()
      .regex(
        ID_PATTERN,
        '请选择责任人（名录中的员工编号，如 staff-zhou） / choose the responsible staff member (a directory id such as staff-zhou)',
      ),
    plan: text(5000),
    whys: z.array(text(1000)).max(10).optional(),
  }),
  'Root-cause analysis: causes, the responsible staff member, the plan / 原因分析',
);

export const rectificationSchema = named(
  'Rectification',
  z.strictObject({
    summary: text(5000),
    evidence: z
      .array(text(2000))
      .min(
        1,
        '至少附一项证据（照片或记录编号） / give at least one piece of evidence (a photo or a record number)',
      )
      .max(50, '证据最多 50 项 / at most 50 pieces of evidence'),
  }),
  'What was done, with evidence references / 整改情况',
);

export const reviewSchema = named(
  'Review',
  z
    .strictObject({ passed: z.boolean(), notes: z.string().trim().max(5000).pipe(safeString()) })
    .refine((r) => r.passed || r.notes.length > 0, {
      path: ['notes'],
      error: 'notes are required when the review fails / 复查不通过时须填写说明',
    }),
  'Re-inspection result / 复查结果',
);

export const adjudicationSchema = named(
  'Adjudication',
  z.strictObject({ decision: z.enum(['revise', 'proceed']), notes: text(5000) }),
  'Decision on a disputed sign-off / 异议裁定',
);

export const withdrawSchema = named('Withdrawal', z.strictObject({ reason: text(2000) }), '撤销案件');
/**
 * A comment's length is the case's budget, in characters: the case refuses a longer one with a
 * 422 naming the budget (zod's max would count an emoji as two and refuse it as a 400 first).
 */
const commentText = z
  .string()
  .trim()
  .min(1)
  .pipe(safeString())
  .refine((t) => readMergeComment(t) === undefined, opensAsMergeRefusal);
schemaRegistry.add(commentText, { maxLength: CASE_BUDGETS.commentLength });
export const commentSchema = named('Comment', z.strictObject({ text: commentText }), '评论');
export const arrivedSchema = named(
  'Arrival',
  z.strictObject({ note: text(500).optional() }),
  'The technician is on site / 维修人员到场',
);
/** The reasons by their labels, each with the code an API caller sends: "等待配件（waiting_for_parts）". */
const pauseReasonChoices = (lang: 'zh' | 'en') =>
  pauseReasons
    .map((r) => (lang === 'zh' ? `${pauseReasonLabels[r].zh}（${r}）` : `${pauseReasonLabels[r].en} (${r})`))
    .join(lang === 'zh' ? '、' : ', ');
export const pauseRequestSchema = named(
  'PauseRequest',
  z.strictObject({
    reason: z.enum(pauseReasons, {
      error: `须从列表中选择暂停原因：${pauseReasonChoices('zh')} / choose a pause reason from the list: ${pauseReasonChoices('en')}`,
    }),
    note: z.string().trim().max(500).pipe(safeString()).default(''),
  }),
  'Ask to pause the case-level clocks and the stage deadline, with a reason / 申请暂停计时',
);
/**
 * A rejection says why: the technician's mail quotes it, and without one they are told only to
 * keep to the deadline. Checked here, for the API and the case page alike: the case's own
 * validator (workflows/) does not look at the notes.
 */
const PAUSE_REJECTION_NEEDS_REASON =
  '驳回暂停申请须填写理由，理由会发给申请人 / a rejection needs a reason (notes): it is mailed to whoever asked for the pause';
export const pauseDecisionSchema = named(
  'PauseDecision',
  z
    .strictObject({
      approve: z.boolean({ error: '请选择批准或驳回 / choose approve or reject (approve: true or false)' }),
      notes: z.string().trim().max(2000).pipe(safeString()).default(''),
    })
    .refine((d) => d.approve || d.notes.length > 0, { path: ['notes'], error: PAUSE_REJECTION_NEEDS_REASON }),
  'A supervisor approves or rejects a pause; a rejection needs a reason in notes / 审批暂停（驳回须填写理由）',
);
export const endPauseSchema = named('EndPause', z.strictObject({}), 'End a running pause / 结束暂停');
export const reassignSchema = named(
  'Reassignment',
  z.strictObject({
    assigneeId: staffIdSchema,
    reason: text(500),
  }),
  'Move the case to a colleague, with a reason / 改派或移交',
);

const lang = z.enum(['zh-CN', 'en']).optional();
const dateOrInstant = boundedDateOrInstant;

export const caseListQuerySchema = z.strictObject({
  stage: z.enum(stages).optional(),
  buildingId: buildingIdSchema.optional(),
  assigneeId: staffIdSchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  severity: z.enum(severities).optional(),
  source: z.enum(sources).optional(),
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  limit: wholeNumber(1, 100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
  lang,
});
export const langQuerySchema = z.strictObject({ lang });
export const peopleQuerySchema = z.strictObject({ role: z.enum(roles).optional(), lang });
export const caseIdParamSchema = z.object({ caseId: caseIdSchema });

// --- the form an action page posts ----------------------------------

// Browsers send empty inputs as '': treat them as absent.
const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max).pipe(safeString()).optional(),
  );

/** The form an action page posts back: which page it came from (csrf, textHash) and the person's choice. */
const aspectScore = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .regex(/^[1-5]$/)
    .transform(Number)
    .optional(),
);
export const actionFormSchema = z.object({
  csrf: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  textHash: z.string().regex(/^[0-9a-f]{64}$/),
  choice: z.enum(['confirm', 'dispute', 'revise', 'proceed', 'acknowledge']).optional(),
  reason: optionalText(2000),
  notes: optionalText(5000),
  score: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z.number().int().min(1).max(5).optional(),
  ),
  /** The rating page's three aspects (seed 004), a digit 1–5 each; the lowest is the case's score. */
  attitude: aspectScore,
  quality: aspectScore,
  cleanup: aspectScore,
  comment: optionalText(2000),
});
schemaRegistry.add(actionFormSchema, {
  id: 'ActionForm',
  description: 'The form posted from an action page / 一键操作表单',
});
export type ActionForm = z.output<typeof actionFormSchema>;

// --- responses ----------------------------------------------------------

export const problemSchema = named(
  'Problem',
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    /** The case budget a refused step would have gone over (domain/case-budgets.ts), and its limit. */
    budget: z.enum(budgetNames).optional(),
    limit: z.number().optional(),
  }),
  'RFC 9457 problem details, in the caller’s language / 错误说明',
);

const actorIdList = z.array(z.string());
const deadlineSchema = named(
  'Deadline',
  z.object({
    stage: z.enum(timedStages),
    round: z.number().int(),
    startedAt: instant,
    due: instant,
    approximate: z.boolean(),
    note: bilingual.optional(),
    calendarVersion: z.string(),
    state: z.enum(['pending', 'met', 'breached', 'cancelled']),
    closedAt: instant.optional(),
    breachedAt: instant.optional(),
    heldMs: z.number().int().nonnegative().optional(),
  }),
);
const signatureSchema = z.object({
  tokenId: z.string(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  textHash: z.string(),
  // Who was signed in on the browser that signed, when not the link's recipient: the audit's answer
  // to "who really signed", so a response must not drop it.
  sessionPersonId: z.string().optional(),
});

const citedItemSchema = named(
  'CitedItem',
  z.object({
    itemId: z.string(),
    dimension: z.string(),
    number: z.number().int(),
    dimensionName: bilingual,
    label: bilingual,
  }),
  'The 6T item (seed 000) a case cites: its dimension and number / 引用的“6T”标准条目',
);
/** An effect of a case that failed for good, waiting for an admin (retry or dismiss). */
export const stuckEffectSchema = z.object({
  id: z.string(),
  kind: z.enum(['email', 'record']),
  reason: z.string(),
  message: z.string(),
  at: instant,
  what: z.string(),
});
const duration = z.object({ unit: z.enum(['minutes', 'hours', 'days', 'working_days']), amount: z.number() });
const caseClockSchema = z.object({
  id: z.enum(clockIds),
  label: bilingual,
  seed: z.string(),
  limit: duration,
  metBy: z.array(z.enum(caseActions)),
  startedAt: instant,
  due: instant,
  approximate: z.boolean(),
  /** A working-day clock's working time, as the case's calendar counts it: what a pause holds of it. */
  working: z
    .object({
      timeZone: z.string(),
      hours: z.object({ from: z.string(), to: z.string() }),
      from: z.iso.date(),
      days: z.string().regex(/^[01]*$/),
    })
    .optional(),
});
const pauseRecordSchema = z.object({
  n: z.number().int(),
  reason: z.enum(pauseReasons),
  note: z.string(),
  requestedBy: z.string(),
  requestedAt: instant,
  state: z.enum(['requested', 'approved', 'rejected', 'ended']),
  decidedBy: z.string().optional(),
  decidedAt: instant.optional(),
  decisionNotes: z.string().optional(),
  endsBy: instant.optional(),
  endedAt: instant.optional(),
  endedHow: z.enum(['resumed', 'expired', 'closed', 'reported']).optional(),
  holdsStage: z.boolean().optional(),
  holdsInWorkingTime: z.boolean().optional(),
});
export const clockStatusSchema = named(
  'ClockStatus',
  z.object({
    id: z.enum(clockIds),
    label: bilingual,
    seed: z.string(),
    startedAt: instant,
    due: instant,
    plannedDue: instant,
    approximate: z.boolean(),
    pausedMs: z.number(),
    state: z.enum(['pending', 'met', 'breached', 'cancelled']),
    metAt: instant.optional(),
  }),
  'A case-level clock: pending, met or breached, its due moved on by approved pauses / 案件时限',
);

export const caseViewSchema = named(
  'CaseView',
  z.object({
    caseId: z.string(),
    title: z.string(),
    description: z.string(),
    source: z.enum(sources),
    severity: z.enum(severities),
    category: z.string().optional(),
    cited: citedItemSchema.optional(),
    location: z.object({
      buildingId: z.string(),
      floorId: z.string().optional(),
      roomId: z.string().optional(),
    }),
    assigneeId: z.string(),
    responsibleId: z.string(),
    reporter: z
      .object({
        name: z.string(),
        email: z.string().optional(),
        language: z.enum(languages).optional(),
        reportId: z.string().optional(),
      })
      .optional(),
    openedBy: z.string(),
    openedAt: instant,
    /** When the problem was reported, where earlier than the opening: the case clocks run from it. */
    reportedAt: instant.optional(),
    stage: z.enum(stages),
    round: z.number().int(),
    failedReviews: z.number().int(),
    overdue: z.boolean(),
    sla: z.object({
      version: z.string(),
      ruleId: z.string(),
      label: bilingual,
      calendarVersion: z.string().optional(),
    }),
    deadlines: z.array(deadlineSchema),
    notices: z.array(
      z.object({
        kind: z.enum(['reminder', 'escalation', 'leadership_notice', 'review_escalation']),
        stage: z.enum(stages),
        round: z.number().int(),
        at: instant,
        level: z.string().optional(),
        to: actorIdList,
      }),
    ),
    rootCause: z
      .object({
        causes: z.array(z.string()),
        responsibleId: z.string(),
        plan: z.string(),
        whys: z.array(z.string()).optional(),
        by: z.string(),
        at: instant,
      })
      .optional(),
    signOffs: z.array(
      z.object({
        decision: z.enum(['confirm', 'dispute']),
        reason: z.string().optional(),
        by: z.string(),
        at: instant,
        round: z.number().int(),
        signature: signatureSchema.optional(),
      }),
    ),
    rectifications: z.array(
      z.object({
        round: z.number().int(),
        summary: z.string(),
        evidence: z.array(z.string()),
        by: z.string(),
        at: instant,
      }),
    ),
    reviews: z.array(
      z.object({
        round: z.number().int(),
        passed: z.boolean(),
        notes: z.string(),
        by: z.string(),
        at: instant,
      }),
    ),
    adjudications: z.array(
      z.object({ decision: z.enum(['revise', 'proceed']), notes: z.string(), by: z.string(), at: instant }),
    ),
    followUp: z
      .object({
        score: z.number().optional(),
        comment: z.string().optional(),
        at: instant,
        outcome: z.enum(['rated', 'unrated', 'reopened']),
      })
      .optional(),
    withdrawal: z.object({ reason: z.string(), by: z.string(), at: instant }).optional(),
    comments: z.array(z.object({ text: z.string(), by: z.string(), at: instant })),
    timeline: z.array(
      z.object({
        at: instant,
        actorId: z.string(),
        action: z.string(),
        stage: z.enum(stages),
        round: z.number().int(),
        detail: z.string().optional(),
        score: z.number().int().min(1).max(5).optional(),
      }),
    ),
    closedAt: instant.optional(),
    stuck: z.array(stuckEffectSchema).optional(),
    clocks: z.array(caseClockSchema).optional(),
    pauses: z.array(pauseRecordSchema).optional(),
    /** Where each case-level clock stands at the time of the read (GET /api/cases/{caseId}). */
    clockStatus: z.array(clockStatusSchema).optional(),
    version: z.number().int(),
  }),
  'The whole case: stage, deadlines, notices, every step and the timeline / 案件全貌',
);

export const createdCaseSchema = named(
  'CreatedCase',
  z.object({ caseId: z.string(), stage: z.enum(stages), deadlines: z.array(deadlineSchema) }),
  'The case just opened, with its first deadline / 新建结果',
);

export const caseSummarySchema = named(
  'CaseSummary',
  z.object({
    caseId: z.string(),
    title: z.string(),
    source: z.enum(sources),
    severity: z.enum(severities),
    category: z.string().optional(),
    cited: citedItemSchema.optional(),
    location: caseViewSchema.shape.location,
    assigneeId: z.string(),
    responsibleId: z.string(),
    openedBy: z.string(),
    openedAt: instant,
    stage: z.enum(stages),
    round: z.number().int(),
    overdue: z.boolean(),
    due: instant.optional(),
    closedAt: instant.optional(),
    version: z.number().int(),
  }),
  'One line of a case list / 案件列表项',
);

export const caseListSchema = named(
  'CaseList',
  z.object({ items: z.array(caseSummarySchema), nextCursor: z.string().nullable() }),
  'A page of cases; pass nextCursor as `cursor` for the next page / 分页结果',
);

export const personSchema = named(
  'Person',
  z.object({
    id: z.string(),
    name: z.string(),
    /** Given only to readers who assign or oversee (supervisors, working group, leadership, auditors, admins). */
    email: z.string().optional(),
    roles: z.array(z.enum(roles)),
    language: z.enum(languages),
    staffKind: z.enum(['manager', 'duty', 'cleaner', 'repair']).optional(),
    departmentId: z.string().optional(),
  }),
);
export const peopleSchema = named('People', z.object({ items: z.array(personSchema) }));

export const buildingSchema = named(
  'Building',
  z.object({
    id: z.string(),
    name: bilingual,
    supervisorIds: z.array(z.string()),
    gridMemberIds: z.array(z.string()),
    floors: z.array(
      z.object({
        id: z.string(),
        name: bilingual,
        gridMemberIds: z.array(z.string()),
        clusters: z.array(
          z.object({ id: z.string(), gridMemberIds: z.array(z.string()), rooms: z.array(z.string()) }),
        ),
      }),
    ),
  }),
);
export const buildingsSchema = named('Buildings', z.object({ items: z.array(buildingSchema) }));

export const healthSchema = named(
  'Health',
  z.object({
    ok: z.boolean(),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
  }),
);

export const entryPointsSchema = named(
  'EntryPoints',
  z.object({
    app: z.string().describe('The web app / 网页应用'),
    login: z.string().describe('Sign in / 登录'),
    docs: z.string().describe('The API reference page / 接口参考'),
    openapi: z.string().describe('The OpenAPI document / OpenAPI 文档'),
    health: z.string().describe('Health / 健康检查'),
  }),
);

// The schemas must describe what the code really returns: these fail to compile if they drift.
type Assignable<T, U extends T> = U;
export type CaseViewMatches = Assignable<z.output<typeof caseViewSchema>, CaseView>;
export type PersonMatches = Assignable<z.output<typeof personSchema>, Person>;
export type BuildingMatches = Assignable<z.output<typeof buildingSchema>, Building>;

/** The API's body; triage also opens a case for a scanned-code reporter with no email (domain Reporter). */
export type NewCaseBody = Omit<z.output<typeof newCaseSchema>, 'reporter'> & {
  reporter?: Reporter | undefined;
};
export type CaseSummary = z.output<typeof caseSummarySchema>;
