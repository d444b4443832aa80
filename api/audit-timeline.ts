import { readMergeComment } from '../domain/merge-comment.ts';
import { caseActionLabel, isCaseAction } from '../domain/case-action.ts';
import { localDateTime, type Duration } from '../domain/calendar.ts';
import { clockIds, clockLabel, pauseReasonLabels, type ClockId } from '../domain/case-clocks.ts';
import type { EmailKind } from '../domain/email-content.ts';
import { caseCitation } from '../domain/case-citation.ts';
import { categoryLabel } from '../domain/intake.ts';
import { leftNameIn } from '../domain/departed-name.ts';
import { stageLabels, stageStatusLabels } from '../domain/stage-labels.ts';
import { placeNameOf, unlistedPlaceName } from '../domain/place-name.ts';
import { severityLabels, sourceLabels } from './pages/ui.tsx';
import { updateActions } from '../workflows/rectification-case/messages.ts';
import type { Bilingual } from '../domain/text.ts';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
// CommonJS package: Node's ESM loader exposes only its default export.
import type { temporal as proto } from '@temporalio/proto';
import protoPkg from '@temporalio/proto';

const { temporal } = protoPkg;
import type { AuditEntry } from '../domain/hash-chain.ts';
import type { Directory, EscalationLevel, Location, Person } from '../domain/directory.ts';
import type { Lang } from '../domain/text.ts';

/**
 * Pure presentation of an audit trail and of a workflow's event history for
 * people: who, when, what, in the caller's language. No I/O here.
 */

type Text = Bilingual;

// Entries in the audit table that are not the case's own actions.
const otherActionLabels: Record<string, Text> = {
  email_sent: { zh: '发送邮件', en: 'Email sent' },
  anchored: { zh: '审计锚定', en: 'Audit anchor' },
};
const actionLabel = (action: string): Text | undefined =>
  isCaseAction(action) ? caseActionLabel(action) : otherActionLabels[action];

const pick = (t: Text, lang: Lang) => (lang === 'en' ? t.en : t.zh);

/** A triage merge, recorded as a comment (domain/merge-comment.ts), reads as what happened. */
const mergeLabel: Text = { zh: '并入扫码报告', en: 'Scanned report merged' };

export interface TimelineItem {
  seq: number;
  at: string;
  /** `at` on the campus wall clock, e.g. 2026-03-02 14:05 (Asia/Shanghai). */
  when: string;
  actor: { id: string; name: string; role?: string | undefined; via?: string | undefined };
  action: string;
  what: string;
  detail: string;
  /** The stored payload (or the hash of a large one that was kept elsewhere). */
  payload: unknown;
  hash: string;
}

export interface Names {
  person(id: string): Person | undefined;
  /** The last name of someone the directory in force no longer has (store/directory-versions.ts). */
  departed?(id: string): string | undefined;
  /**
   * The reader may not have the reporter's contact (api/reporter-privacy.ts): a reporter known
   * by their email is named by the role alone.
   */
  withholdReporterContact?: boolean | undefined;
}

export function formatWhen(iso: string, tz: string): string {
  return `${localDateTime(iso, tz)} (${tz})`;
}

function nameOf(id: string, names: Names, lang: Lang): string {
  if (id === 'system') return lang === 'en' ? 'Rectify (system)' : 'Rectify 系统';
  if (id.startsWith('reporter:')) {
    const tail = id.slice(9);
    if (names.withholdReporterContact && tail.includes('@')) return lang === 'en' ? 'the reporter' : '报告人';
    return lang === 'en' ? `reporter ${tail}` : `报告人 ${tail}`;
  }
  const left = names.person(id) ? undefined : names.departed?.(id);
  return names.person(id)?.name ?? (left === undefined ? id : leftNameIn(left, lang));
}

/**
 * A stored value as plain text: objects as `key: value` pairs, never JSON, since the timeline
 * is read by campus staff; an unknown entry kind or a field this file does not name still reads.
 */
function plain(v: unknown, lang: Lang): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  const sep = lang === 'en' ? ', ' : '，';
  if (Array.isArray(v)) return v.map((x) => plain(x, lang)).join(lang === 'en' ? ', ' : '、');
  if (typeof v === 'object') {
    const pairs = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null && x !== '')
      .map(([k, x]) => {
        const text = plain(x, lang);
        return typeof x === 'object' && !Array.isArray(x) ? `${k}: (${text})` : `${k}: ${text}`;
      });
    return pairs.join(sep);
  }
  return '';
}

/**
 * Clauses joined with "；" (English "; "), except after one whose text already ends a sentence
 * ("今天更换灯管。"): "。；" doubles the punctuation, so a space (English) or nothing (Chinese) follows it.
 */
function clauses(parts: readonly string[], lang: 'zh' | 'en'): string {
  return parts
    .map((part, i) => {
      if (i === parts.length - 1) return part;
      if (/[。！？；.!?;]$/u.test(part.trimEnd()))
        return lang === 'en' ? `${part.trimEnd()} ` : part.trimEnd();
      return `${part}${lang === 'en' ? '; ' : '；'}`;
    })
    .join('');
}

const str = (v: unknown): string => plain(v, 'en');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isClockId = (v: unknown): v is ClockId =>
  typeof v === 'string' && (clockIds as readonly string[]).includes(v);
const labelIn = <K extends string>(labels: Readonly<Record<K, Text>>, v: unknown): Text | undefined =>
  typeof v === 'string' && Object.hasOwn(labels, v) ? labels[v as K] : undefined;

/** Every email the case workflow sends, named as its reader's timeline says it was sent. */
const emailKindLabels = {
  assigned: { zh: '指派通知', en: 'Assignment notice' },
  signoff_request: { zh: '签字请求', en: 'Sign-off request' },
  adjudication_request: { zh: '裁定请求', en: 'Adjudication request' },
  adjudicated: { zh: '裁定结果通知', en: 'Adjudication result' },
  review_request: { zh: '复查请求', en: 'Review request' },
  review_failed: { zh: '复查不合格通知', en: 'Failed review notice' },
  review_escalation: { zh: '多次复查不合格上报', en: 'Repeated failed reviews escalated' },
  result_and_survey: { zh: '处理结果与评价邀请', en: 'Result and rating request' },
  reopened: { zh: '重新复查通知', en: 'Reopened for review' },
  reminder: { zh: '到期提醒', en: 'Reminder' },
  escalation: { zh: '超时上报通知', en: 'Overdue escalation' },
  leadership_notice: { zh: '重大问题报告', en: 'Major problem notice' },
  effect_stuck: { zh: '自动操作失败通知', en: 'Failed automatic step notice' },
  pause_request: { zh: '暂停申请', en: 'Pause request' },
  pause_approved: { zh: '暂停批准通知', en: 'Pause approved notice' },
  pause_rejected: { zh: '暂停驳回通知', en: 'Pause rejected notice' },
  pause_ended: { zh: '暂停结束通知', en: 'Pause ended notice' },
  taken_off: { zh: '案件转出通知', en: 'Case moved notice' },
  reopened_assignee: { zh: '重新复查通知（经办人）', en: 'Reopened for review (assignee)' },
  handed_over: { zh: '案件移交通知', en: 'Case handed over notice' },
  signed_off_assignee: { zh: '签字确认后整改通知', en: 'Signed off, rectify notice' },
} as const satisfies Record<EmailKind, Text>;

/** A recounted due whose estimate flag flipped (deadline_recounted). */
const noLongerEstimate: Text = { zh: '不再是估算', en: 'no longer an estimate' };
const nowEstimate: Text = { zh: '改为估算', en: 'now an estimate' };
const dueStands: Text = { zh: '截止时间不变', en: 'the due stands' };

/** The rungs of the escalation ladder (domain/directory.ts), bottom up. */
const escalationLevelLabels = {
  grid_l3: { zh: '三级网格员', en: 'level-3 grid members' },
  grid_l2: { zh: '楼层二级网格员', en: 'level-2 (floor) grid members' },
  grid_l1: { zh: '楼栋一级网格员', en: 'level-1 (building) grid members' },
  working_group: { zh: '网格化管理工作小组', en: 'the grid working group' },
  leadership: { zh: '校领导', en: 'school leadership' },
} as const satisfies Record<EscalationLevel['level'], Text>;

const durationUnits = {
  minutes: { zh: '分钟', en: 'minutes' },
  hours: { zh: '小时', en: 'hours' },
  days: { zh: '天', en: 'days' },
  working_days: { zh: '个工作日', en: 'working days' },
} as const satisfies Record<Duration['unit'], Text>;

/** One audit entry as a person reads it; `dir` names the case's place (ids without it). */
export function describeEntry(
  entry: AuditEntry,
  lang: Lang,
  names: Names,
  tz: string,
  dir?: Directory,
): TimelineItem {
  const stored = entry.payload as
    { payload?: unknown; payloadHash?: string; payloadBytes?: number } | undefined;
  const p = (stored?.payload ?? {}) as Record<string, unknown>;
  const en = lang === 'en';
  const text = (v: unknown) => plain(v, lang);
  const who = (v: unknown) => nameOf(str(v), names, lang);
  const whoList = (v: unknown) =>
    list(v)
      .map(who)
      .join(en ? ', ' : '、');
  const named = <K extends string>(labels: Readonly<Record<K, Text>>, v: unknown) => {
    const t = labelIn(labels, v);
    return t ? pick(t, lang) : text(v);
  };
  const stage = (v: unknown) => named(stageStatusLabels, v);
  const due = (v: unknown) => (typeof v === 'string' && v ? formatWhen(v, tz) : '');
  const span = (v: unknown) => {
    const d = v as Partial<Duration> | undefined;
    const unit = labelIn(durationUnits, d?.unit);
    if (!unit || typeof d?.amount !== 'number') return text(v);
    return en ? `${d.amount} ${unit.en}` : `${d.amount} ${unit.zh}`;
  };
  // What a stuck effect was: a mail by its kind, a record by the action it wrote.
  const effectWhat = (kind: unknown, what: unknown) => {
    const action = typeof what === 'string' ? actionLabel(what) : undefined;
    const name = kind === 'email' ? named(emailKindLabels, what) : action ? pick(action, lang) : text(what);
    if (en) return `${kind === 'email' ? 'email' : 'record'} "${name}"`;
    return `${kind === 'email' ? '邮件' : '记录'}「${name}」`;
  };
  const then = (rest: string) => (rest ? (en ? `: ${rest}` : `：${rest}`) : '');
  const notes = (v: unknown) => (v ? (en ? `; notes: ${text(v)}` : `；意见：${text(v)}`) : '');
  let detail: string;
  // The action's own label, unless the entry is one an action records under another's name.
  let what: string | undefined;
  switch (entry.action) {
    case 'detected': {
      const loc = (p.location ?? {}) as Partial<Location>;
      const at = loc.buildingId ? { ...loc, buildingId: loc.buildingId } : undefined;
      const where = at && (dir ? placeNameOf(dir, at) : unlistedPlaceName(at));
      const category = typeof p.category === 'string' ? p.category : '';
      // A cited 6T item by its name ("安全 3 消防隐患"), as the case page's summary names it, not its id.
      const categoryText = caseCitation({ category })?.label ??
        categoryLabel(category) ?? { zh: category, en: category };
      const source = labelIn(sourceLabels, p.source);
      // A repair's source and category are both 报修: say it once.
      const kind = [source, categoryText]
        .filter((t): t is Text => t !== undefined && pick(t, lang) !== '')
        .map((t) => pick(t, lang))
        .filter((t, i, all) => all.indexOf(t) === i);
      detail = [kind.join(' / '), named(severityLabels, p.severity), where ? pick(where, lang) : '']
        .filter(Boolean)
        .join(' · ');
      break;
    }
    case 'assigned':
      detail = en
        ? `to ${who(p.assigneeId)}, due ${due(p.due)}`
        : `负责人 ${who(p.assigneeId)}，时限 ${due(p.due)}`;
      break;
    case 'root_cause_submitted':
      detail = en
        ? clauses(
            [
              `causes: ${clauses(list(p.causes).map(text), 'en')}`,
              `plan: ${text(p.plan)}`,
              `responsible: ${who(p.responsibleId)}`,
            ],
            'en',
          )
        : clauses(
            [
              `原因：${clauses(list(p.causes).map(text), 'zh')}`,
              `方案：${text(p.plan)}`,
              `责任人：${who(p.responsibleId)}`,
            ],
            'zh',
          );
      break;
    case 'signed_off':
      detail = en ? 'confirmed the finding and the plan' : '确认问题认定与整改方案';
      break;
    case 'disputed':
    case 'withdrawn':
      detail = text(p.reason);
      break;
    case 'adjudicated':
      detail = `${p.decision === 'revise' ? (en ? 'revise the analysis' : '重新分析') : en ? 'proceed to rectification' : '继续整改'}${then(text(p.notes))}`;
      break;
    case 'rectification_reported':
      detail = `${text(p.summary)} (${en ? 'evidence' : '证据'} ${list(p.evidence).length})`;
      break;
    case 'review_passed':
      detail = text(p.notes);
      break;
    case 'review_failed': {
      const n = typeof p.failedReviews === 'number' ? p.failedReviews : undefined;
      const count = n === undefined ? '' : en ? `failed review #${n}` : `第 ${n} 次不合格`;
      detail = [count, text(p.notes)].filter(Boolean).join(en ? ': ' : '：');
      break;
    }
    case 'review_escalated':
      detail = en
        ? `failed ${text(p.failedReviews)} reviews, reported to ${whoList(p.to)}`
        : `复查 ${text(p.failedReviews)} 次不合格，上报 ${whoList(p.to)}`;
      break;
    case 'follow_up_rated':
    case 'follow_up_low_score':
      detail = `${en ? 'score' : '评分'} ${text(p.score)}${p.comment ? ` · ${text(p.comment)}` : ''}`;
      break;
    case 'commented': {
      const merged = typeof p.text === 'string' ? readMergeComment(p.text) : undefined;
      detail = merged ? `${merged.reportId}${en ? ': ' : '：'}${merged.description}` : text(p.text);
      if (merged) what = pick(mergeLabel, lang);
      break;
    }
    case 'deadline_set':
      detail = `${stage(p.stage)} · ${due(p.due)}`;
      break;
    case 'deadline_recounted': {
      // The stage's deadline and each clock the change touched: from its old due to its new one,
      // or (since the recount-records-unmoved patch) the due that stood, and whether it is still
      // an estimate. An entry naming neither says every due stood.
      const change = (label: string, m: Record<string, unknown>) => {
        const flipped = typeof m.previousApproximate === 'boolean' && typeof m.approximate === 'boolean';
        const flag = !flipped ? undefined : m.approximate ? nowEstimate : noLongerEstimate;
        if (m.previousDue !== undefined) {
          const move = `${label} · ${due(m.previousDue)} → ${due(m.due)}`;
          return flag ? `${move}${en ? ', ' : '，'}${pick(flag, lang)}` : move;
        }
        const stood = pick(
          flag ? { zh: `截止时间${flag.zh}`, en: `the due is ${flag.en}` } : dueStands,
          lang,
        );
        return `${label} · ${stood}${en ? ': ' : '：'}${due(m.due)}`;
      };
      const moves = [
        ...(p.stage ? [change(stage(p.stage), p)] : []),
        ...list(p.clocks).map((c) => {
          const m = (c ?? {}) as Record<string, unknown>;
          return change(isClockId(m.id) ? pick(clockLabel(m.id), lang) : text(m.id), m);
        }),
      ];
      if (moves.length === 0)
        detail = en
          ? `every due stands, counted with calendar version ${text(p.calendar)}`
          : `各时限不变，按校历第 ${text(p.calendar)} 版计算`;
      else
        detail = en
          ? `${moves.join('; ')} (calendar version ${text(p.calendar)})`
          : `${moves.join('；')}（校历第 ${text(p.calendar)} 版）`;
      break;
    }
    case 'deadline_breached':
      detail = `${stage(p.stage)} · ${en ? 'due' : '时限'} ${due(p.due)}`;
      break;
    case 'reminder_sent':
      detail = p.stage ? `${stage(p.stage)}${then(whoList(p.to))}` : whoList(p.to);
      break;
    case 'leadership_notified':
      detail = p.notice
        ? en
          ? `notice ${text(p.notice)}: ${whoList(p.to)}`
          : `第 ${text(p.notice)} 次报告：${whoList(p.to)}`
        : whoList(p.to);
      break;
    case 'escalated': {
      const level = named(escalationLevelLabels, p.level);
      // The stage as a noun: "原因分析超时" / "analysis overdue".
      const late = p.stage ? `${named(stageLabels, p.stage)}${en ? ' overdue, ' : '超时，'}` : '';
      detail = en
        ? `${late}escalated to ${level}: ${whoList(p.to)}`
        : `${late}上报${level}：${whoList(p.to)}`;
      break;
    }
    case 'arrived':
      detail = text(p.note);
      break;
    case 'pause_requested':
      detail = `${named(pauseReasonLabels, p.reason)}${then(text(p.note))}`;
      break;
    case 'pause_approved': {
      const ends = p.endsBy
        ? en
          ? `, ends by ${due(p.endsBy)} at the latest`
          : `，最迟 ${due(p.endsBy)} 结束`
        : '';
      detail = `#${text(p.n)}${ends}${notes(p.notes)}`;
      break;
    }
    case 'pause_rejected':
      detail = `#${text(p.n)}${notes(p.notes)}`;
      break;
    case 'pause_ended': {
      const how =
        p.how === 'expired'
          ? en
            ? 'ran out'
            : '到期自动结束'
          : p.how === 'reported' && p.undecided === true
            ? en
              ? 'request closed by the repair report before anyone decided it'
              : '维修已上报，未审批的暂停申请随之撤销'
            : p.how === 'reported'
              ? en
                ? 'ended by the repair report'
                : '维修已上报，暂停随之结束'
              : en
                ? 'resumed'
                : '恢复';
      const moved = p.due ? (en ? `; deadline moved to ${due(p.due)}` : `；时限顺延至 ${due(p.due)}`) : '';
      detail = `#${text(p.n)} ${how}${moved}`;
      break;
    }
    case 'reassigned':
    case 'handed_over': {
      const reason = p.reason ? (en ? `; reason: ${text(p.reason)}` : `；理由：${text(p.reason)}`) : '';
      detail = en
        ? `from ${who(p.from)} to ${who(p.to)}${reason}`
        : `由 ${who(p.from)} ${entry.action === 'reassigned' ? '改派给' : '移交给'} ${who(p.to)}${reason}`;
      break;
    }
    case 'effect_failed':
      detail = en
        ? `${effectWhat(p.kind, p.what)} (${text(p.reason)})${then(text(p.message))}`
        : `${effectWhat(p.kind, p.what)}（${text(p.reason)}）${then(text(p.message))}`;
      break;
    case 'effect_retried':
    case 'effect_dismissed':
      detail = en ? `failed step ${text(p.effectId)}` : `失败的操作 ${text(p.effectId)}`;
      break;
    case 'email_sent':
      detail = en
        ? `${named(emailKindLabels, p.kind)} to ${who(p.to)}`
        : `${named(emailKindLabels, p.kind)}，发给 ${who(p.to)}`;
      break;
    case 'closed':
      detail =
        p.outcome === 'no_reporter'
          ? en
            ? 'no reporter to rate it: closed on the passed review'
            : '无报告人回访，复查合格即结案'
          : p.outcome === 'reporter_involved'
            ? en
              ? 'the reporter opened or handles this case and may not rate it: closed on the passed review'
              : '报告人是本案的开案人或处理人，不能评价，复查合格即结案'
            : text(p.outcome);
      break;
    case 'closed_unrated':
      detail = p.after ? (en ? `no rating within ${span(p.after)}` : `${span(p.after)}内未评价`) : '';
      break;
    default:
      detail = stored?.payload === undefined ? '' : text(stored.payload).slice(0, 300);
  }
  // A link signed while someone else was signed in on that browser: the audit reader must see who.
  const sessionPersonId = (p.signature as { sessionPersonId?: unknown } | undefined)?.sessionPersonId;
  if (typeof sessionPersonId === 'string' && sessionPersonId) {
    const signedIn = en
      ? `(signed in in the browser: ${who(sessionPersonId)})`
      : `（浏览器登录者：${who(sessionPersonId)}）`;
    detail = detail ? `${detail}${en ? ' ' : ''}${signedIn}` : signedIn;
  }
  if (stored?.payloadHash) {
    detail = en
      ? `payload of ${stored.payloadBytes} bytes kept elsewhere, sha256 ${stored.payloadHash}`
      : `内容 ${stored.payloadBytes} 字节另存，sha256 ${stored.payloadHash}`;
  }
  const actor = entry.actor as { id: string; role?: string; via?: string };
  const label = actionLabel(entry.action);
  return {
    seq: entry.seq,
    at: entry.at,
    when: formatWhen(entry.at, tz),
    actor: { id: actor.id, name: nameOf(actor.id, names, lang), role: actor.role, via: actor.via },
    action: entry.action,
    what: what ?? (label ? pick(label, lang) : entry.action),
    detail,
    payload: entry.payload,
    hash: entry.hash,
  };
}

/** Which audit actions each case update records: the workflow's own table. */
export { updateActions };

type HistoryEvent = proto.api.history.v1.IHistoryEvent;
type History = proto.api.history.v1.IHistory;

export interface HistoryEventSummary {
  id: number;
  time: string | null;
  type: string;
  detail: string;
}

export interface RecordedStep {
  eventId: number;
  /** The activity that wrote it: `recordStep`, or `applyTransition` with the rest of its transition. */
  activity: string;
  stepId: string;
  action: string;
  actorId: string;
  at: string;
  /** The audit entry this step wrote (from the step's idempotency row), null if none was written. */
  auditSeq: number | null;
}

export interface UpdateSummary {
  eventId: number;
  updateId: string;
  name: string;
  acceptedAt: string | null;
  actorId: string | null;
  outcome: 'completed' | 'failed' | 'pending';
  /** The audit step the update recorded, null when one was expected and none followed. */
  recorded: RecordedStep | null;
}

export interface HistorySummary {
  eventCount: number;
  /** Every event but workflow-task bookkeeping, oldest first. */
  events: HistoryEventSummary[];
  /** Every accepted update with the audit step it recorded. */
  updates: UpdateSummary[];
  /** Every audit step the workflow scheduled (recordStep and applyTransition activities), in order. */
  steps: RecordedStep[];
}

const EventType = temporal.api.enums.v1.EventType;

function typeName(t: number | null | undefined): string {
  const raw = EventType[t ?? 0] ?? `EVENT_TYPE_${t}`;
  return raw
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase());
}

function timeOf(e: HistoryEvent): string | null {
  const ts = e.eventTime;
  if (!ts || ts.seconds === null || ts.seconds === undefined) return null;
  return new Date(Number(ts.seconds.toString()) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

// The default converter reads JSON payloads; anything encrypted by a codec stays opaque.
function decode(payloads: Payload[] | null | undefined, index = 0): unknown {
  const p = payloads?.[index];
  if (!p) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(p);
  } catch {
    return undefined;
  }
}

const num = (v: { toString(): string } | number | null | undefined) =>
  v === null || v === undefined ? 0 : Number(v.toString());

/**
 * Summarises a workflow's own event history: the events a person cares
 * about, every accepted update, and every audit step the workflow recorded
 * with the audit entry it wrote (`stepSeqs`: stepId → seq, from the audit
 * store's idempotency rows).
 */
export function summariseHistory(history: History, stepSeqs: ReadonlyMap<string, number>): HistorySummary {
  const events: HistoryEventSummary[] = [];
  const steps: RecordedStep[] = [];
  const updates: UpdateSummary[] = [];
  const activityNames = new Map<number, string>();
  const byUpdateId = new Map<string, UpdateSummary>();
  const all = history.events ?? [];
  for (const e of all) {
    const id = num(e.eventId);
    const type = typeName(e.eventType);
    if (type.startsWith('WorkflowTask')) continue;
    const time = timeOf(e);
    let detail = '';
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      detail = `${a.workflowType?.name ?? ''} on ${a.taskQueue?.name ?? ''}`;
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const name = a.activityType?.name ?? '';
      activityNames.set(id, name);
      const input = decode(a.input?.payloads) as Record<string, unknown> | undefined;
      const recorded = (record: Record<string, unknown>): RecordedStep => {
        const stepId = str(record.stepId);
        const step: RecordedStep = {
          eventId: id,
          activity: name,
          stepId,
          action: str(record.action),
          actorId: str((record.actor as { id?: unknown } | undefined)?.id),
          at: str(record.at),
          auditSeq: stepSeqs.get(stepId) ?? null,
        };
        steps.push(step);
        return step;
      };
      const said = (step: RecordedStep) =>
        `${step.action} by ${step.actorId} → audit seq ${step.auditSeq ?? '?'}`;
      if (name === 'recordStep' && input) {
        detail = `recordStep ${said(recorded(input))}`;
      } else if (name === 'applyTransition' && input) {
        // One transition's records, in order, then its mail (transition-effects patch).
        const records = Array.isArray(input.records) ? (input.records as Record<string, unknown>[]) : [];
        const mails = Array.isArray(input.mails) ? (input.mails as Record<string, unknown>[]) : [];
        const parts = records.map((r) => said(recorded(r)));
        if (mails.length > 0) parts.push(`mail ${mails.map((m) => str(m.kind)).join(', ')}`);
        detail = `applyTransition ${parts.join('; ')}`;
      } else if (name === 'sendCaseEmail' && input) {
        detail = `sendCaseEmail ${str(input.kind)}`;
      } else detail = name;
    } else if (e.activityTaskCompletedEventAttributes) {
      detail = activityNames.get(num(e.activityTaskCompletedEventAttributes.scheduledEventId)) ?? '';
    } else if (e.activityTaskFailedEventAttributes) {
      const a = e.activityTaskFailedEventAttributes;
      detail = `${activityNames.get(num(a.scheduledEventId)) ?? ''}: ${a.failure?.message ?? ''}`;
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const req = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const name = req?.input?.name ?? '';
      const arg = decode(req?.input?.args?.payloads) as { actor?: { id?: unknown } } | undefined;
      const actorId = arg?.actor?.id === undefined ? null : str(arg.actor.id);
      const u: UpdateSummary = {
        eventId: id,
        updateId: req?.meta?.updateId ?? '',
        name,
        acceptedAt: time,
        actorId,
        outcome: 'pending',
        recorded: null,
      };
      updates.push(u);
      byUpdateId.set(u.updateId, u);
      detail = `${name}${actorId ? ` by ${actorId}` : ''}`;
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const a = e.workflowExecutionUpdateCompletedEventAttributes;
      const u = byUpdateId.get(a.meta?.updateId ?? '');
      const failed = Boolean(a.outcome?.failure);
      if (u) u.outcome = failed ? 'failed' : 'completed';
      detail = `${u?.name ?? a.meta?.updateId ?? ''}: ${failed ? (a.outcome?.failure?.message ?? 'failed') : 'completed'}`;
    } else if (e.timerStartedEventAttributes) {
      detail = `${num(e.timerStartedEventAttributes.startToFireTimeout?.seconds)} s`;
    } else if (e.markerRecordedEventAttributes) {
      detail = e.markerRecordedEventAttributes.markerName ?? '';
    } else if (e.workflowExecutionFailedEventAttributes) {
      detail = e.workflowExecutionFailedEventAttributes.failure?.message ?? '';
    }
    events.push({ id, time, type, detail });
  }
  // Each update claims the first later audit step with one of its actions.
  const claimed = new Set<RecordedStep>();
  for (const u of updates) {
    const wanted = updateActions[u.name] ?? [];
    if (wanted.length === 0) continue;
    const step = steps.find(
      (s) => s.eventId > u.eventId && !claimed.has(s) && isCaseAction(s.action) && wanted.includes(s.action),
    );
    if (step) {
      claimed.add(step);
      u.recorded = step;
    }
  }
  return { eventCount: all.length, events, updates, steps };
}
