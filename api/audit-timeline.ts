import { caseActionLabel, isCaseAction } from '../domain/case-action.ts';
import type { Stage } from '../domain/case-model.ts';
import { stageStatusLabels } from '../domain/stage-labels.ts';
import { updateActions } from '../workflows/rectification-case/messages.ts';
import type { Bilingual } from '../domain/text.ts';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
// CommonJS package: Node's ESM loader exposes only its default export.
import type { temporal as proto } from '@temporalio/proto';
import protoPkg from '@temporalio/proto';

const { temporal } = protoPkg;
import type { AuditEntry } from '../domain/hash-chain.ts';
import type { Person } from '../domain/directory.ts';
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
}

export function formatWhen(iso: string, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} (${tz})`;
}

function nameOf(id: string, names: Names, lang: Lang): string {
  if (id === 'system') return lang === 'en' ? 'Rectify (system)' : 'Rectify 系统';
  if (id.startsWith('reporter:')) return lang === 'en' ? `reporter ${id.slice(9)}` : `报告人 ${id.slice(9)}`;
  return names.person(id)?.name ?? id;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** One audit entry as a person reads it. */
export function describeEntry(entry: AuditEntry, lang: Lang, names: Names, tz: string): TimelineItem {
  const stored = entry.payload as
    { payload?: unknown; payloadHash?: string; payloadBytes?: number } | undefined;
  const p = (stored?.payload ?? {}) as Record<string, unknown>;
  const en = lang === 'en';
  const who = (v: unknown) => nameOf(str(v), names, lang);
  const whoList = (v: unknown) =>
    list(v)
      .map(who)
      .join(en ? ', ' : '、');
  const stage = (v: unknown) => {
    const t = stageStatusLabels[str(v) as Stage] as Text | undefined;
    return t ? pick(t, lang) : str(v);
  };
  const due = (v: unknown) => (typeof v === 'string' && v ? formatWhen(v, tz) : '');
  let detail: string;
  switch (entry.action) {
    case 'detected': {
      const loc = (p.location ?? {}) as Record<string, unknown>;
      detail = `${str(p.source)} / ${str(p.severity)} · ${[loc.buildingId, loc.floorId, loc.roomId].filter(Boolean).join(' ')}`;
      break;
    }
    case 'assigned':
      detail = en
        ? `to ${who(p.assigneeId)}, due ${due(p.due)}`
        : `负责人 ${who(p.assigneeId)}，时限 ${due(p.due)}`;
      break;
    case 'root_cause_submitted':
      detail = en
        ? `causes: ${list(p.causes).map(str).join('; ')}; plan: ${str(p.plan)}; responsible: ${who(p.responsibleId)}`
        : `原因：${list(p.causes).map(str).join('；')}；方案：${str(p.plan)}；责任人：${who(p.responsibleId)}`;
      break;
    case 'signed_off':
    case 'disputed':
    case 'withdrawn':
      detail = str(p.reason);
      break;
    case 'adjudicated':
      detail = `${p.decision === 'revise' ? (en ? 'revise the analysis' : '重新分析') : en ? 'proceed to rectification' : '继续整改'}: ${str(p.notes)}`;
      break;
    case 'rectification_reported':
      detail = `${str(p.summary)} (${en ? 'evidence' : '证据'} ${list(p.evidence).length})`;
      break;
    case 'review_passed':
    case 'review_failed':
      detail = str(p.notes);
      break;
    case 'follow_up_rated':
    case 'follow_up_low_score':
      detail = `${en ? 'score' : '评分'} ${str(p.score)}${p.comment ? ` · ${str(p.comment)}` : ''}`;
      break;
    case 'commented':
      detail = str(p.text);
      break;
    case 'deadline_set':
      detail = `${stage(p.stage)} · ${due(p.due)}`;
      break;
    case 'deadline_breached':
      detail = `${stage(p.stage)} · ${en ? 'due' : '时限'} ${due(p.due)}`;
      break;
    case 'reminder_sent':
    case 'leadership_notified':
    case 'review_escalated':
      detail = whoList(p.to);
      break;
    case 'escalated':
      detail = `${str(p.level)} → ${whoList(p.to)}`;
      break;
    case 'pause_ended': {
      const how = p.how === 'expired' ? (en ? 'ran out' : '到期自动结束') : en ? 'resumed' : '恢复';
      const moved = p.due ? (en ? `; deadline moved to ${due(p.due)}` : `；时限顺延至 ${due(p.due)}`) : '';
      detail = `#${str(p.n)} ${how}${moved}`;
      break;
    }
    case 'email_sent':
      detail = `${str(p.kind)} → ${who(p.to)}`;
      break;
    case 'closed':
    case 'closed_unrated':
      detail = str(p.outcome ?? p.after);
      break;
    default:
      detail = stored?.payload === undefined ? '' : JSON.stringify(stored.payload).slice(0, 300);
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
    what: label ? pick(label, lang) : entry.action,
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
