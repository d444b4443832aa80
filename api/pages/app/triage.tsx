import { mergeCommentText } from '../../../domain/merge-comment.ts';
import { repeatedParams } from '../../repeated-params.ts';
import { formOr400 } from '../../form-body.ts';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { CaseView } from '../../../domain/case-model.ts';
import type { Directory } from '../../../domain/directory.ts';
import { reportCaseTitle, reportKindInfo, type ReportKind } from '../../../domain/intake.ts';
import { personChoiceLabels } from '../../../domain/person-option.ts';
import { placeNameOf } from '../../../domain/place-name.ts';
import { reporterLanguage } from '../../../domain/reporter-notice.ts';
import { severities } from '../../../domain/sla.ts';
import { textFlaw, textFlawMessage } from '../../../domain/safe-text.ts';
import { inLang, splitBilingual, type Bilingual, type Lang } from '../../../domain/text.ts';
import { caseTitleIn } from '../../../domain/case-title.ts';
import { enCount } from '../../../domain/english-count.ts';
import { openCasesIn } from '../../../store/open-cases.ts';
import {
  claimTriage,
  getReport,
  isReportId,
  recordTriage,
  releaseTriage,
  ReportAlreadyTriagedError,
  triageClaimHolder,
  type DecidingReport,
  type Report,
} from '../../../store/reports.ts';
import { evidenceTypesIn, evidenceUrl, parseEvidenceRef } from '../../../store/evidence.ts';
import { addCommentUpdate } from '../../../workflows/rectification-case/messages.ts';
import { caseOfKey, openNewCase } from '../../case-service.ts';
import { directoryOrFail, readCase } from '../../reads.ts';
import type { AppDeps } from '../../deps.ts';
import { triageBuildings } from '../../middleware/access.ts';
import { csrfProtect, requireViewer, sessionMiddleware, type WebEnv } from '../../middleware/session.ts';
import { ProblemError, problemTypes, toProblem } from '../../middleware/problems.ts';
import { notifyReporter, stopTriageChase } from '../../report-notices.ts';
import { formatTime, severityLabels, type FieldErrors, type FlashMessage } from '../ui.tsx';
import { ErrorSummary, parseQuery, refusedPage } from './dashboard-common.tsx';
import { duplicateChecks, mergeTargets, SCANNED_LINE, type MergeTargets } from './triage-duplicates.ts';
import { page, type WebContext } from './web-kit.tsx';
import {
  filtersByContent,
  pageLinks,
  QueueFilters,
  queueFilterIds,
  queueQueryLabels,
  queueHref,
  queueQuerySchema,
  readQueue,
  TRIAGE_PAGE_SIZE,
  viewFromForm,
  ViewFields,
  waitingLine,
  type QueueView,
} from './triage-queue.tsx';

export { TRIAGE_PAGE_SIZE };

/**
 * The triage queue: reports made by scanning a code wait here for the place's
 * supervisors (and the building's level-1 grid members). Each becomes a case,
 * joins an open case about the same problem, or is rejected with a reason the
 * reporter reads.
 */

const t = (lang: Lang, text: Bilingual) => inLang(text, lang);

/** A report someone else decided first, or the person deciding it still (their claim live). */
type Handled = { report: Report } | { holder: string };

/** How many quarter-seconds a lost decision waits for the winner's to be recorded. */
const HANDLED_POLLS = 20;

/** What became of the report just decided, as its own record says: the query names the report, never the outcome. */
function Decided(props: { lang: Lang; report: Report }) {
  const { lang, report } = props;
  const en = lang === 'en';
  const caseLink = report.caseId ? <a href={`/app/cases/${report.caseId}`}>{report.caseId}</a> : null;
  const text =
    report.status === 'case' ? (
      en ? (
        <>
          Case {caseLink} opened from report {report.reportId}
        </>
      ) : (
        <>
          已立案 {caseLink}（报告 {report.reportId}）
        </>
      )
    ) : report.status === 'merged' ? (
      en ? (
        <>
          Report {report.reportId} merged into case {caseLink}
        </>
      ) : (
        <>
          报告 {report.reportId} 已并入案件 {caseLink}
        </>
      )
    ) : en ? (
      <>Report {report.reportId} rejected</>
    ) : (
      <>报告 {report.reportId} 已不予受理</>
    );
  return (
    <div class="flash ok" role="status" data-decided={report.status}>
      {text}
    </div>
  );
}

const reason = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((s) => textFlaw(s) === null);

/** What to fix, by the form's field, as the card's controls read. */
const decisionFields: Record<string, Bilingual> = {
  action: {
    zh: '请选择处理方式（立案、并入或不受理）',
    en: 'choose what to do: open a case, merge or reject',
  },
  assigneeId: { zh: '请选择处理人', en: 'choose who handles it' },
  severity: { zh: '请选择严重程度', en: 'choose the severity' },
  caseId: {
    zh: '请填写要并入的案件编号，如 ZG-2026-000123',
    en: 'give the number of the case to merge into, such as ZG-2026-000123',
  },
};

const decisionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('case'),
    assigneeId: z.string().min(1).max(64),
    severity: z.enum(severities),
  }),
  z.object({
    action: z.literal('merge'),
    caseId: z.string().regex(/^ZG-\d{4}-\d{6}$/),
    reason: reason.optional(),
  }),
  z.object({ action: z.literal('reject'), reason }),
]);

const DECISION_FIELDS = ['assigneeId', 'severity', 'caseId', 'reason'] as const;
type DecisionField = (typeof DECISION_FIELDS)[number];
const isDecisionField = (k: string): k is DecisionField => (DECISION_FIELDS as readonly string[]).includes(k);

/** A card's control of each field, `<report id>-<suffix>`: where a refusal's summary leads. */
const controlSuffix: Record<DecisionField, string> = {
  assigneeId: 'assignee',
  severity: 'severity',
  caseId: 'case',
  reason: 'reason',
};

/** A card's fields as they were sent, for the card shown again with its refusal. */
type Typed = Partial<Record<DecisionField, string>>;
const typedOf = (form: Record<string, unknown>): Typed =>
  Object.fromEntries(DECISION_FIELDS.flatMap((k) => (typeof form[k] === 'string' ? [[k, form[k]]] : [])));

/**
 * Why a report may not merge into this case, or null. The issue's rule: an open case at the same
 * place and of the same kind. The same place is the same building, and where the report names a
 * floor or a room, that floor or room too (a case about the whole building does not take a report
 * about one room: the room's problem may be another one); the same kind is the category the
 * report's kind opens a case under. The same test as the cards' merge choices (isMergeTarget).
 */
async function mergeRefusal(
  deps: AppDeps,
  dir: Directory,
  report: Report,
  caseId: string,
): Promise<{ text: Bilingual; status: 404 | 409 | 422 } | null> {
  let view: CaseView;
  try {
    view = (await readCase(deps, caseId)).view;
  } catch (err) {
    if (err instanceof ProblemError && problemTypes[err.type].status === 404)
      return {
        text: { zh: `没有案件 ${caseId}，无法并入`, en: `there is no case ${caseId} to merge into` },
        status: 404,
      };
    throw err;
  }
  if (['closed', 'withdrawn'].includes(view.stage))
    return {
      text: {
        zh: `案件 ${caseId} 已结束，不能再并入报告；请立案或不予受理`,
        en: `case ${caseId} has ended and takes no more reports; open a case or reject the report`,
      },
      status: 409,
    };
  const r = report.location;
  const v = view.location;
  const samePlace =
    v.buildingId === r.buildingId &&
    (!r.floorId || v.floorId === r.floorId) &&
    (!r.roomId || v.roomId === r.roomId);
  if (!samePlace) {
    const where = placeNameOf(dir, r);
    return {
      text: {
        zh: `案件 ${caseId} 不在这份报告的地点（${where.zh}），只能并入同一地点的案件`,
        en: `case ${caseId} is not at this report's place (${where.en}); a report merges only into a case at the same place`,
      },
      status: 422,
    };
  }
  const info = reportKindInfo[report.kind as ReportKind];
  if ((view.category ?? view.source) !== info.category)
    return {
      text: {
        zh: `案件 ${caseId} 不是${info.label.zh}类问题，只能并入同一类别的案件`,
        en: `case ${caseId} is not a ${info.label.en.toLowerCase()} case; a report merges only into a case of its own kind`,
      },
      status: 422,
    };
  return null;
}

/** Why this person cannot be assigned a case from triage, or null: a staff member of the directory. */
function assigneeRefusal(dir: Directory, personId: string): { text: Bilingual; status: 422 } | null {
  const person = dir.people.find((p) => p.id === personId);
  if (person?.roles.includes('staff')) return null;
  return {
    text: person
      ? {
          zh: `${person.name}（${person.id}）不是员工，不能被指派处理案件；请选择一位员工`,
          en: `${person.name} (${person.id}) is not a staff member and cannot be assigned a case; choose a staff member`,
        }
      : {
          zh: `校园名录中没有 ${personId}；请从列表中选择一位员工`,
          en: `${personId} is not in the campus directory; choose a staff member from the list`,
        },
    status: 422,
  };
}

const caseOption = (v: CaseView, typed: string | undefined, lang: Lang) => (
  <option value={v.caseId} selected={typed === v.caseId}>
    {v.caseId} · {caseTitleIn(v.title, lang)}
  </option>
);

/**
 * A card's choice of an open case to merge into: the likely duplicates (the same room and kind
 * within a day, or the same problem in the same words) first, under a heading saying what was
 * checked, and the other open cases at the place and of the kind, which the report may merge into
 * all the same, apart from them. With no likely duplicate those others are folded away, under a
 * summary that says what they were checked for, not that none is the same problem.
 */
function MergeChoice(props: {
  lang: Lang;
  csrf: string;
  reportId: string;
  view: QueueView;
  merge: MergeTargets;
  /** What the likely duplicates were picked by (duplicateChecks). */
  checks: { likely: Bilingual; none: Bilingual };
  typed: string | undefined;
  marked: { 'aria-invalid'?: 'true'; 'aria-describedby'?: string };
  /** A merge of this card was refused: the choice is shown unfolded, where the summary leads. */
  refused: boolean;
}) {
  const { lang, reportId: id } = props;
  const { likely, others } = props.merge;
  if (likely.length + others.length === 0) return null;
  const othersLabel: Bilingual = { zh: '此处其他未结案件', en: 'Other open cases here' };
  const form = (heading: Child) => (
    <form method="post" action={`/app/triage/${id}`} class="stack">
      <input type="hidden" name="_csrf" value={props.csrf} />
      <ViewFields view={props.view} />
      <input type="hidden" name="action" value="merge" />
      {heading}
      <label for={`${id}-case`}>{t(lang, { zh: '案件', en: 'Case' })}</label>
      <select id={`${id}-case`} name="caseId" {...props.marked}>
        {likely.length > 0 && others.length > 0 ? (
          <>
            <optgroup
              label={t(lang, {
                zh: `可能重复（${props.checks.likely.zh}）`,
                en: `Likely duplicates (${props.checks.likely.en})`,
              })}
              data-likely-duplicates
            >
              {likely.map((v) => caseOption(v, props.typed, lang))}
            </optgroup>
            <optgroup label={t(lang, othersLabel)} data-other-open-cases>
              {others.map((v) => caseOption(v, props.typed, lang))}
            </optgroup>
          </>
        ) : (
          [...likely, ...others].map((v) => caseOption(v, props.typed, lang))
        )}
      </select>
      <div class="actions">
        <button type="submit">{t(lang, { zh: '并入', en: 'Merge' })}</button>
      </div>
    </form>
  );
  // With the others beside them, the groups of the list say which cases are the likely ones.
  if (likely.length > 0)
    return form(
      <h3>
        {others.length > 0
          ? t(lang, { zh: '并入已有案件', en: 'Merge into an open case' })
          : t(lang, {
              zh: `并入已有案件（可能重复：${props.checks.likely.zh}）`,
              en: `Merge into an open case (likely duplicates: ${props.checks.likely.en})`,
            })}
      </h3>,
    );
  const open = props.refused || (props.typed !== undefined && others.some((v) => v.caseId === props.typed));
  return (
    <details class="stack" data-other-open-cases open={open}>
      <summary>
        {t(lang, {
          zh: `并入此处其他未结案件（${others.length} 件；${props.checks.none.zh}）`,
          en: `Merge into another open case here (${others.length}; ${props.checks.none.en})`,
        })}
      </summary>
      {form(null)}
    </details>
  );
}

/** How many photos a report came with, as a count reads in each language (照片 1 张, 1 photo, 2 photos). */
const photoCount = (n: number): Bilingual => ({
  zh: `照片 ${n} 张`,
  en: enCount(n, 'photo'),
});

function ReportCard(props: {
  lang: Lang;
  csrf: string;
  report: Report;
  dir: Directory;
  merge: MergeTargets;
  error?: Bilingual | undefined;
  /** The control the refusal is about, marked invalid and described by the card's message. */
  errorField?: DecisionField | undefined;
  /** What was chosen or typed on the card before a refusal, shown again. */
  typed?: Typed | undefined;
  /** The view (page and filters) the card is on, so a decision goes back to it. */
  view: QueueView;
  /** The campus time zone (CAMPUS_TZ) the card's time is told in. */
  tz: string;
  /** The stored type of the report's files, by evidence id: a PDF is a link, not a broken image. */
  types: ReadonlyMap<string, string>;
}) {
  const { lang, report, dir } = props;
  const place = placeNameOf(dir, report.location);
  const info = reportKindInfo[report.kind as ReportKind];
  const building = dir.buildings.find((b) => b.id === report.location.buildingId);
  const staff = dir.people.filter((p) => p.roles.includes('staff'));
  const staffLabels = personChoiceLabels(staff, lang, dir.departments);
  const id = report.reportId;
  const typed = props.typed ?? {};
  const errorId = `${id}-error`;
  const marked = (f: DecisionField) =>
    props.error && props.errorField === f
      ? { 'aria-invalid': 'true' as const, 'aria-describedby': errorId }
      : {};
  return (
    <article class="card" id={id} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>
        {t(lang, info.label)} · {t(lang, place)}
      </h2>
      {/* The page's summary is the alert and leads here; this says it beside the card's forms. */}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {t(lang, props.error)}
        </p>
      ) : null}
      <p>{report.description}</p>
      <p class="muted">
        {report.reportId} · {/* As every other page tells a time: YYYY-MM-DD HH:mm on the campus clock. */}
        <time datetime={report.receivedAt}>{formatTime(report.receivedAt, props.tz)}</time>
        {report.evidence.length ? ` · ${t(lang, photoCount(report.evidence.length))}` : ''}
        {report.name ? ` · ${report.name}` : ''}
      </p>
      <div class="thumbs">
        {report.evidence.map((ref) => {
          const evidenceId = parseEvidenceRef(ref)?.evidenceId;
          // A report's photos belong to no case yet: they open through the triage page's own check.
          const href = `/app/triage/${id}/photos/${evidenceId}`;
          const type = evidenceId ? props.types.get(evidenceId) : undefined;
          if (evidenceId && type && !type.startsWith('image/'))
            return (
              <a href={href} class="file" data-evidence-file={type}>
                {t(lang, { zh: '附件', en: 'Attachment' })} · {type === 'application/pdf' ? 'PDF' : type}
              </a>
            );
          return evidenceId ? (
            <a href={href}>
              <img
                src={href}
                alt={t(lang, { zh: '报告照片', en: 'Reported photo' })}
                width={96}
                height={96}
              />
            </a>
          ) : null;
        })}
      </div>
      <form method="post" action={`/app/triage/${id}`} class="stack">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <ViewFields view={props.view} />
        <input type="hidden" name="action" value="case" />
        <h3>{t(lang, { zh: '立案', en: 'Open a case' })}</h3>
        <label for={`${id}-assignee`}>{t(lang, { zh: '指派给', en: 'Assign to' })}</label>
        {/* Nobody until the supervisor chooses: a quick tap on 立案 must not hand it to whoever sorts first. */}
        <select id={`${id}-assignee`} name="assigneeId" required {...marked('assigneeId')}>
          <option value="" selected={!typed.assigneeId}>
            {t(lang, { zh: '请选择处理人', en: 'Choose who handles it' })}
          </option>
          {staff.map((p) => (
            <option value={p.id} selected={typed.assigneeId === p.id}>
              {staffLabels.get(p.id)}
            </option>
          ))}
        </select>
        <label for={`${id}-severity`}>{t(lang, { zh: '紧急程度', en: 'Severity' })}</label>
        <select id={`${id}-severity`} name="severity" {...marked('severity')}>
          {severities.map((s) => (
            <option value={s} selected={s === (typed.severity ?? info.severity)}>
              {t(lang, severityLabels[s])}
            </option>
          ))}
        </select>
        <div class="actions">
          <button type="submit">{t(lang, { zh: '立案', en: 'Open case' })}</button>
        </div>
      </form>
      <MergeChoice
        lang={lang}
        csrf={props.csrf}
        reportId={id}
        view={props.view}
        merge={props.merge}
        checks={duplicateChecks(report)}
        typed={typed.caseId}
        marked={marked('caseId')}
        refused={props.error !== undefined && props.errorField === 'caseId'}
      />
      <form method="post" action={`/app/triage/${id}`} class="stack">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <ViewFields view={props.view} />
        <input type="hidden" name="action" value="reject" />
        <h3>{t(lang, { zh: '不予受理', en: 'Reject' })}</h3>
        <label for={`${id}-reason`}>
          {t(lang, { zh: '原因（报告人可见）', en: 'Reason (the reporter reads it)' })}
        </label>
        <input
          id={`${id}-reason`}
          name="reason"
          required
          maxlength={500}
          value={typed.reason ?? ''}
          {...marked('reason')}
        />
        <div class="actions">
          <button type="submit" class="secondary">
            {t(lang, { zh: '不予受理', en: 'Reject' })}
          </button>
        </div>
      </form>
      {building ? null : <p class="muted">{report.location.buildingId}</p>}
    </article>
  );
}

/**
 * The reports someone has decided and whose decision is still being carried out (a case opening,
 * a merge going in): not waiting, so neither a card nor in the count, but not gone either.
 */
function BeingDecided(props: { lang: Lang; dir: Directory; deciding: DecidingReport[]; viewerId: string }) {
  const { lang, dir, deciding } = props;
  if (deciding.length === 0) return null;
  const who = (id: string): string => {
    if (id === props.viewerId) return t(lang, { zh: '您', en: 'you' });
    return dir.people.find((p) => p.id === id)?.name ?? id;
  };
  return (
    <section class="card" aria-labelledby="deciding-h" data-deciding={String(deciding.length)}>
      <h2 id="deciding-h">
        {t(lang, { zh: `处理中（${deciding.length}）`, en: `Being decided (${deciding.length})` })}
      </h2>
      <p class="muted">
        {t(lang, {
          zh: '已有人提交处理、尚未完成的报告，无需再分派；完成后即从这里移除。',
          en: 'Someone has decided these and the decision is still being carried out; they need no triage, and leave this list once it is done.',
        })}
      </p>
      <ul>
        {deciding.map(({ report, by }) => (
          <li id={report.reportId} data-deciding-report={report.reportId}>
            {t(lang, reportKindInfo[report.kind as ReportKind].label)} ·{' '}
            {t(lang, placeNameOf(dir, report.location))} · {report.reportId} ·{' '}
            {t(lang, { zh: `正由${who(by)}处理`, en: `being decided by ${who(by)}` })}
          </li>
        ))}
      </ul>
    </section>
  );
}

const TRIAGE_RULE: Bilingual = {
  zh: '只有地点的主管、楼栋一级网格员、工作小组和管理员可以分派报告',
  en: "only the place's supervisors, the building's level-1 grid members, the working group and admins triage reports",
};

const noSuchReport = () =>
  new ProblemError('not_found', { zh: '没有这份报告', en: 'there is no such report' });

/** The idempotency key a triage decision opens its case under (scoped, as every key, to its person). */
export const triageKey = (reportId: string) => `triage:${reportId}`;

export function triageRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('/triage', sessionMiddleware(deps), requireViewer, csrfProtect);
  app.use('/triage/*', sessionMiddleware(deps), requireViewer, csrfProtect);
  const title: Bilingual = { zh: '待分派的报告', en: 'Reports to triage' };

  /**
   * A refusal of a card's decision: its message, its status, the field it is about (when one of
   * the card's) and what the card had chosen.
   */
  type Refused = {
    reportId: string;
    text: Bilingual;
    status?: 400 | 404 | 409 | 422;
    field?: DecisionField | undefined;
    typed?: Typed;
    /** Someone else decided the report (or is deciding it): its card is not shown, the outcome is. */
    handled?: Handled;
  };

  /**
   * What became of a report someone else claimed first, waiting a few seconds for their decision
   * to be recorded (opening a case takes a moment): decided, still being decided by someone, or
   * (their decision failed and the claim was given back) open again.
   */
  const handledBy = async (reportId: string): Promise<Handled | null> => {
    for (let i = 0; ; i++) {
      const now = await getReport(deps.aws, reportId);
      if (!now) return null;
      if (now.status !== 'received') return { report: now };
      const holder = await triageClaimHolder(deps.aws, reportId);
      if (!holder) {
        // No claim: decided between the two reads, or given back (the decision failed).
        const again = await getReport(deps.aws, reportId);
        return again && again.status !== 'received' ? { report: again } : null;
      }
      if (i >= HANDLED_POLLS) return { holder };
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  /**
   * The page's summary for a decision that lost to another: who decided the report and how, with
   * the case it went to; nothing to correct, since nothing of this person's was wrong.
   */
  const handledFlash = (
    reportId: string,
    handled: Handled,
    dir: Directory,
    viewerId: string,
  ): FlashMessage => {
    const whoOf = (id: string | undefined): Bilingual => {
      if (id === viewerId) return { zh: '您', en: 'you' };
      const person = dir.people.find((p) => p.id === id);
      return person ? { zh: person.name, en: person.name } : { zh: id ?? '他人', en: id ?? 'someone else' };
    };
    const notApplied: Bilingual = {
      zh: '您这次的提交没有执行，这份报告无需再分派。',
      en: 'Your decision was not applied; the report needs nothing more.',
    };
    if ('holder' in handled) {
      const who = whoOf(handled.holder);
      return {
        kind: 'error',
        text: {
          zh: `报告 ${reportId} 正由${who.zh}处理（刚刚提交），您这次的提交没有执行。`,
          en: `Report ${reportId} is being decided by ${who.en} right now; your decision was not applied.`,
        },
        links: [
          {
            href: `/app/triage/${reportId}`,
            text: { zh: '稍后打开，查看处理结果', en: 'Open it shortly to see the outcome' },
          },
        ],
      };
    }
    const { report } = handled;
    const who = whoOf(report.triagedBy);
    const how: Bilingual =
      report.status === 'case'
        ? { zh: `已立案 ${report.caseId}`, en: `opened case ${report.caseId}` }
        : report.status === 'merged'
          ? { zh: `已并入案件 ${report.caseId}`, en: `merged it into case ${report.caseId}` }
          : {
              zh: `不予受理（原因：${report.reason ?? ''}）`,
              en: `rejected it (reason: ${report.reason ?? ''})`,
            };
    return {
      kind: 'error',
      text: {
        zh: `报告 ${reportId} 已由${who.zh}处理：${how.zh}。${notApplied.zh}`,
        en: `Report ${reportId} was already decided: ${who.en} ${how.en}. ${notApplied.en}`,
      },
      links: report.caseId
        ? [
            {
              href: `/app/cases/${encodeURIComponent(report.caseId)}`,
              text: { zh: `查看案件 ${report.caseId}`, en: `Open case ${report.caseId}` },
            },
          ]
        : undefined,
    };
  };

  /**
   * The page's summary of a refused decision, where the keyboard lands: on the queue it leads to
   * the control in error on the report's card (or to the card); a card that has left the queue
   * (someone else decided it) has only its message.
   */
  const refusalFlash = (r: Refused, card: { mergeable: number } | undefined): FlashMessage => {
    if (!card)
      return {
        kind: 'error',
        text: { zh: `${r.reportId}：${r.text.zh}`, en: `${r.reportId}: ${r.text.en}` },
      };
    // The merge choice is on the card only with open cases there to choose from.
    const field = r.field === 'caseId' && card.mergeable === 0 ? undefined : r.field;
    return {
      kind: 'error',
      text: {
        zh: `报告 ${r.reportId} 没有处理，请更正后重新提交：`,
        en: `Report ${r.reportId} was not decided; correct this and submit again:`,
      },
      links: [{ href: `#${r.reportId}${field ? `-${controlSuffix[field]}` : ''}`, text: r.text }],
    };
  };

  /** A query the queue cannot show: what to correct, linked to the filter form's controls, with the form. */
  const refusedQuery = async (c: WebContext, errors: FieldErrors) => {
    const lang = c.get('lang');
    const viewer = c.get('viewer')!;
    const dir = await directoryOrFail(deps);
    const buildings = triageBuildings(viewer, dir);
    if (buildings.length === 0) return refusedPage(c, title, TRIAGE_RULE);
    return page(
      c,
      title,
      <>
        <ErrorSummary errors={errors} lang={lang} ids={queueFilterIds(buildings)} />
        <QueueFilters
          lang={lang}
          dir={dir}
          buildings={buildings}
          view={viewFromForm(c.req.query(), buildings)}
          errors={errors}
        />
        <p>
          <a href="/app/triage">{t(lang, { zh: '回到第一页', en: 'First page' })}</a>
        </p>
      </>,
      { status: 400 },
    );
  };

  const render = async (c: WebContext, errorFor: Refused | undefined, view: QueueView) => {
    const lang = c.get('lang');
    const viewer = c.get('viewer')!;
    const dir = await directoryOrFail(deps);
    const buildings = triageBuildings(viewer, dir);
    if (buildings.length === 0) return refusedPage(c, title, TRIAGE_RULE);
    if (view.buildingId && !buildings.includes(view.buildingId))
      return refusedQuery(c, {
        buildingId: {
          zh: `楼栋：您不负责分派 ${view.buildingId} 的报告，请从列表中选择`,
          en: `Building: you do not triage reports of ${view.buildingId}; choose one from the list`,
        },
      });
    const [{ reports: queue, next, total, capped, matching, deciding }, decided] = await Promise.all([
      readQueue(deps, dir, buildings, view),
      view.decided ? getReport(deps.aws, view.decided) : null,
    ]);
    // The page's buildings' open cases, read once and matched to every card in memory.
    const [open, types] = await Promise.all([
      queue.length > 0
        ? openCasesIn(
            deps.aws.ddb,
            deps.aws.tables,
            queue.map((r) => r.location.buildingId),
          )
        : [],
      evidenceTypesIn(
        deps,
        queue.map((r) => r.evidence),
      ),
    ]);
    const merges = queue.map((r) => mergeTargets(open, r));
    const links = pageLinks(view, next);
    const narrowed = filtersByContent(view);
    const { decided: _decided, ...shown } = view;
    // A report someone else decided (or is deciding) shows no card: its forms could only fail.
    if (errorFor?.handled) {
      const gone = queue.findIndex((r) => r.reportId === errorFor.reportId);
      if (gone >= 0) {
        queue.splice(gone, 1);
        merges.splice(gone, 1);
      }
    }
    const refusedCard = errorFor ? queue.findIndex((r) => r.reportId === errorFor.reportId) : -1;
    return page(
      c,
      title,
      <>
        {/* Only a decided report of the person's own buildings: the link tells nobody else anything. */}
        {decided && decided.status !== 'received' && buildings.includes(decided.location.buildingId) && (
          <Decided lang={lang} report={decided} />
        )}
        <QueueFilters lang={lang} dir={dir} buildings={buildings} view={view} />
        {total > 0 && (
          <p
            class="muted"
            data-waiting={String(total)}
            data-matching={matching ? String(matching.count) : undefined}
          >
            {t(lang, waitingLine(total, matching))}
          </p>
        )}
        <BeingDecided lang={lang} dir={dir} deciding={deciding} viewerId={viewer.person.id} />
        {queue.length === 0 ? (
          <p role="status">
            {capped
              ? t(lang, {
                  zh: '这一页没有符合条件的报告，后面的页可能还有。',
                  en: 'No report on this page matches; later pages may hold some.',
                })
              : narrowed || view.buildingId
                ? t(lang, { zh: '没有符合条件的待分派报告。', en: 'No waiting report matches.' })
                : view.after
                  ? t(lang, { zh: '这一页已没有待分派的报告。', en: 'Nothing waits on this page any more.' })
                  : t(lang, { zh: '没有待分派的报告。', en: 'Nothing waits for triage.' })}
          </p>
        ) : (
          queue.map((r, i) => (
            <ReportCard
              lang={lang}
              csrf={c.get('csrfToken')}
              report={r}
              dir={dir}
              merge={merges[i] ?? { likely: [], others: [] }}
              error={errorFor?.reportId === r.reportId ? errorFor.text : undefined}
              errorField={errorFor?.reportId === r.reportId ? errorFor.field : undefined}
              typed={errorFor?.reportId === r.reportId ? errorFor.typed : undefined}
              view={shown}
              tz={deps.env.CAMPUS_TZ}
              types={types}
            />
          ))
        )}
        {(view.after || links.next) && (
          <nav class="actions" aria-label={t(lang, { zh: '分页', en: 'Pages' })}>
            {view.after && (
              <a class="button secondary" href={queueHref({ ...shown, after: undefined, back: undefined })}>
                {t(lang, { zh: '回到第一页', en: 'First page' })}
              </a>
            )}
            {links.previous && (
              <a class="button secondary" href={links.previous} rel="prev">
                {t(lang, { zh: '上一页', en: 'Previous page' })}
              </a>
            )}
            {links.next && (
              <a class="button secondary" href={links.next} rel="next">
                {t(lang, { zh: '下一页', en: 'Next page' })}
              </a>
            )}
          </nav>
        )}
      </>,
      {
        status: errorFor ? (errorFor.status ?? 400) : 200,
        flash: errorFor?.handled
          ? handledFlash(errorFor.reportId, errorFor.handled, dir, viewer.person.id)
          : errorFor
            ? refusalFlash(
                errorFor,
                refusedCard < 0
                  ? undefined
                  : {
                      mergeable:
                        (merges[refusedCard]?.likely.length ?? 0) + (merges[refusedCard]?.others.length ?? 0),
                    },
              )
            : undefined,
        // A refusal answers the POST to /app/triage/{report}: the page's address (the language
        // switch) is the queue's view it came from, which a GET opens.
        currentUrl: errorFor ? queueHref(shown) : undefined,
      },
    );
  };

  app.get('/triage', async (c) => {
    const q = parseQuery(c, queueQuerySchema, queueQueryLabels);
    if (!q.ok) return refusedQuery(c, q.errors);
    return render(c, undefined, q.value);
  });

  /**
   * A report's own address is where its card's forms post; opened (a reload of a refused
   * decision, the address bar, history), it is the queue at that report's card.
   */
  app.get('/triage/:reportId', async (c) => {
    const reportId = c.req.param('reportId');
    // A number that names no report (mistyped, read out over the phone) says so, not the queue.
    if (!isReportId(reportId) || !(await getReport(deps.aws, reportId))) throw noSuchReport();
    const q = queueQuerySchema.safeParse(c.req.query());
    const { decided: _decided, ...view } = q.success ? q.data : {};
    return c.redirect(queueHref(view, reportId), 303);
  });

  app.get('/triage/:reportId/photos/:evidenceId', async (c) => {
    const reportId = c.req.param('reportId');
    const report = isReportId(reportId) ? await getReport(deps.aws, reportId) : null;
    const wanted = c.req.param('evidenceId');
    if (!report || !report.evidence.some((ref) => parseEvidenceRef(ref)?.evidenceId === wanted))
      throw noSuchReport();
    if (!triageBuildings(c.get('viewer')!, await directoryOrFail(deps)).includes(report.location.buildingId))
      return refusedPage(c, title, {
        zh: '您不负责这个地点的报告',
        en: 'you do not triage reports of this place',
      });
    return c.redirect(await evidenceUrl(deps, wanted), 302);
  });

  /**
   * The case an earlier decision opened from the report, under its claimant's idempotency key:
   * anyone's, this person's own included (their earlier 立案 died before it was recorded).
   */
  const earlierCase = async (reportId: string, claimants: readonly string[]) => {
    for (const by of claimants) {
      try {
        const opened = await caseOfKey(deps, by, triageKey(reportId));
        if (opened) return { caseId: opened.view.caseId, by };
      } catch (err) {
        // A case that can never start (refused for good) is no case: it must not block the
        // report for everyone. Anything else (a service down) is the request's failure.
        if (!(err instanceof ProblemError)) throw err;
        console.warn(`[triage] ${reportId}: ${by}'s earlier case cannot be opened: ${err.message}`);
      }
    }
    return null;
  };

  app.post('/triage/:reportId', async (c) => {
    const lang = c.get('lang');
    const viewer = c.get('viewer')!;
    const reportId = c.req.param('reportId');
    const report = isReportId(reportId) ? await getReport(deps.aws, reportId) : null;
    // The app's page that says so, as for a case number that names no case (not the API's JSON 404).
    if (!report) throw noSuchReport();
    const dir = await directoryOrFail(deps);
    if (!triageBuildings(viewer, dir).includes(report.location.buildingId))
      return refusedPage(c, title, {
        zh: '您不负责这个地点的报告',
        en: 'you do not triage reports of this place',
      });
    // Every value of each field: one given twice (action=reject&action=case) is refused by name,
    // not decided by whichever value the parser keeps.
    const posted = await formOr400(c, { all: true });
    const form = Object.fromEntries(
      Object.entries(posted).map(([k, v]) => [k, Array.isArray(v) ? v.at(-1)! : v]),
    );
    // The view the decision was made on, to go back to (hidden fields of ours; anything else, the first page).
    const view = viewFromForm(form, triageBuildings(viewer, dir));
    const typed = typedOf(form);
    const twice = Object.entries(repeatedParams(posted, 'form')).find(
      ([name]) => name === 'action' || isDecisionField(name),
    );
    if (twice) {
      const [name, text] = twice;
      return render(c, { reportId, text, field: isDecisionField(name) ? name : undefined, typed }, view);
    }
    const parsed = decisionSchema.safeParse(form);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'action');
      // A reason is typed only on the reject form (a merge takes the suggested wording).
      const control =
        isDecisionField(field) && (field !== 'reason' || form.action === 'reject') ? field : undefined;
      const text =
        field === 'reason'
          ? (textFlaw(String(form.reason ?? '')) &&
              textFlawMessage[textFlaw(String(form.reason ?? ''))!]) || {
              zh: '请写明原因（最多 500 字）',
              en: 'give a reason (at most 500 characters)',
            }
          : (decisionFields[field] ?? decisionFields.action!);
      return render(c, { reportId, text, field: control, typed }, view);
    }
    const d = parsed.data;
    // Checked before the report is claimed: a refusal leaves it in the queue as it was.
    const refusal =
      d.action === 'case'
        ? assigneeRefusal(dir, d.assigneeId)
        : d.action === 'merge'
          ? await mergeRefusal(deps, dir, report, d.caseId)
          : null;
    if (refusal)
      return render(
        c,
        {
          reportId,
          text: refusal.text,
          status: refusal.status,
          field: d.action === 'case' ? 'assigneeId' : 'caseId',
          typed,
        },
        view,
      );
    const at = new Date().toISOString();
    /**
     * Another decision came first: the page says who made it and what it was (waiting a moment
     * for it), or, when it did not go through after all, shows the report again to decide.
     */
    const taken = async (decided?: Report) => {
      const handled = decided ? { report: decided } : await handledBy(reportId);
      if (handled) return render(c, { reportId, text: { zh: '', en: '' }, status: 409, handled }, view);
      return render(
        c,
        {
          reportId,
          text: {
            zh: '另一位人员刚才的处理没有完成，这份报告仍待分派；请确认后重新提交',
            en: 'someone else’s decision on this report just now did not go through; it still waits, so check it and send yours again',
          },
          status: 409,
          typed,
        },
        view,
      );
    };
    // Claimed first: of two people deciding at once only one opens a case, merges or rejects.
    const claim = await claimTriage(deps.aws, report.reportId, viewer.person.id);
    if (!claim) return taken();
    // Once the case is open the report is decided, recorded or not: the claim is not given back;
    // it runs out, and a retry, or the next person's claim (earlierCase), finds the same case.
    let acted = false;
    try {
      // A case an earlier decision opened from this report and never recorded (its process died,
      // its claim ran out): that is the report's case, whatever this decision would have been.
      const earlier = await earlierCase(report.reportId, [...claim.earlier, viewer.person.id]);
      if (earlier) {
        acted = true;
        const done = await recordTriage(deps.aws, report, {
          status: 'case',
          caseId: earlier.caseId,
          by: earlier.by,
          at,
        });
        await stopTriageChase(deps, done);
        await notifyReporter(deps, done, 'case');
        if (d.action === 'case') return c.redirect(queueHref({ ...view, decided: reportId }), 303);
        return render(
          c,
          {
            reportId,
            text: {
              zh: `这份报告此前已立案 ${earlier.caseId}（当时的分派未完成），现已登记为该案件`,
              en: `a case, ${earlier.caseId}, was already opened from this report by an earlier decision that did not finish; the report is now recorded with it`,
            },
            status: 409,
          },
          view,
        );
      }
      if (d.action === 'case') {
        const info = reportKindInfo[report.kind as ReportKind];
        const email =
          report.contact && z.email().safeParse(report.contact).success ? report.contact : undefined;
        const opened = await openNewCase(
          deps,
          viewer,
          {
            title: reportCaseTitle(info.label, report.description),
            description: [
              report.description,
              // The report's own time, not this request's: a retry sends the same body and replays.
              // On the campus clock, as every page shows a time.
              `${SCANNED_LINE} ${report.reportId}，${formatTime(report.receivedAt, deps.env.CAMPUS_TZ)}`,
              ...(report.evidence.length ? [`照片 / Photos: ${report.evidence.join(' ')}`] : []),
            ].join('\n'),
            source: info.source,
            severity: d.severity,
            category: info.category,
            location: report.location,
            assigneeId: d.assigneeId,
            // Always the report's reporter: one who left no email rates on the tracking page, so
            // the case waits in follow-up for them as for anyone (reporter:<report id>).
            reporter: {
              name: report.name || '扫码报告人',
              ...(email ? { email } : {}),
              // The case's mails and rating link speak to them as their report's notices do.
              language: reporterLanguage(
                email
                  ? dir.people.find((p) => p.email.toLowerCase() === email.toLowerCase())?.language
                  : undefined,
                report.language,
              ),
              reportId: report.reportId,
            },
          },
          triageKey(report.reportId),
          lang,
          // Clocks the standards start at the report (urgent repairs on site within 30 minutes) run from its time.
          { reportedAt: report.receivedAt },
        );
        acted = true;
        const done = await recordTriage(deps.aws, report, {
          status: 'case',
          caseId: opened.view.caseId,
          by: viewer.person.id,
          at,
        });
        await stopTriageChase(deps, done);
        await notifyReporter(deps, done, 'case');
      } else if (d.action === 'merge') {
        await deps.temporal.workflow.getHandle(d.caseId).executeUpdate(addCommentUpdate, {
          args: [
            {
              actor: viewer.actor,
              text: mergeCommentText(report.reportId, report.description),
            },
          ],
        });
        acted = true;
        const done = await recordTriage(deps.aws, report, {
          status: 'merged',
          caseId: d.caseId,
          reason: d.reason ?? `与案件 ${d.caseId} 为同一问题 / the same problem as case ${d.caseId}`,
          by: viewer.person.id,
          at,
        });
        await stopTriageChase(deps, done);
        await notifyReporter(deps, done, 'merged');
      } else {
        const done = await recordTriage(deps.aws, report, {
          status: 'rejected',
          reason: d.reason,
          by: viewer.person.id,
          at,
        });
        await stopTriageChase(deps, done);
        await notifyReporter(deps, done, 'rejected');
      }
    } catch (err) {
      if (err instanceof ReportAlreadyTriagedError) return taken(err.report);
      // Not decided after all: the report goes back to the queue for this person or another.
      if (!acted) await releaseTriage(deps.aws, report.reportId, claim);
      const problem = toProblem(err);
      if (problem) {
        const status = problemTypes[problem.type].status;
        return render(
          c,
          {
            reportId,
            text: typeof problem.detail === 'string' ? splitBilingual(problem.detail) : problem.detail,
            status: status === 404 || status === 409 || status === 422 ? status : 400,
          },
          view,
        );
      }
      throw err;
    }
    return c.redirect(queueHref({ ...view, decided: reportId }), 303);
  });

  return app;
}
