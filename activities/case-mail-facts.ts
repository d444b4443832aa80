import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CaseView } from '../domain/case-model.ts';
import type { Directory } from '../domain/directory.ts';
import { openPause, pauseHolds, pauseReasonLabels } from '../domain/case-clocks.ts';
import { clockNotes, type CaseClockNote } from '../domain/case-clock-lines.ts';
import {
  clockLineKinds,
  type CaseMoveNames,
  type CasePauseNote,
  type EmailKind,
  type StageDueNote,
} from '../domain/email-content.ts';
import { placeNameOf } from '../domain/place-name.ts';
import type { Source } from '../domain/sla.ts';
import type { Bilingual } from '../domain/text.ts';
import type { TableNames } from '../store/clients.ts';
import { getCaseRecord } from '../store/case-records.ts';
import { caseMoves, type CaseMove } from '../store/case-moves.ts';
import { loadDeparted } from '../store/directory-versions.ts';

/** What a case mail says that the workflow's request does not carry, read from the case's record. */
export interface CaseMailFacts {
  place?: Bilingual | undefined;
  assigneeName?: string | undefined;
  move?: CaseMoveNames | undefined;
  actorName?: string | undefined;
  openedText?: string | undefined;
  planRevised?: boolean | undefined;
  pause?: CasePauseNote | undefined;
  stageDue?: StageDueNote | undefined;
  /** Where the case came from: a complaint's assignment offers no arrival on site to record. */
  source?: Source | undefined;
  /** The case's clocks not met yet, for the staff mails that restate them (`clockLineKinds`). */
  clocks?: CaseClockNote[] | undefined;
}

/**
 * Kinds that say more than the request carries: a reporter's mail its place, an escalation whom to
 * chase, a taken-off mail to whom it went, the leadership notice where, since when and who has it.
 */
const needsRecord: ReadonlySet<EmailKind> = new Set([
  'result_and_survey',
  'escalation',
  'taken_off',
  'leadership_notice',
]);

/** An instant on the campus wall clock, as the mail activity writes a deadline. */
export function campusTime(iso: string, tz: string): string {
  const text = new Intl.DateTimeFormat('zh-CN', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
  return `${text} (${tz})`;
}

/**
 * Whether the plan a sign-off request asks for was revised after a dispute: the latest
 * adjudication sent the case back to analysis, so the plan now waiting is the new one.
 */
const planRevised = (view: CaseView): boolean => view.adjudications.at(-1)?.decision === 'revise';

/** Kinds that name whose act they report: who disputed or signed the plan, who asked for the pause. */
const actedKinds: ReadonlySet<EmailKind> = new Set([
  'adjudication_request',
  'pause_request',
  'signed_off_assignee',
]);

/**
 * Who did what the mail reports, as the case record has it: the dispute or sign-off of the mail's
 * round, the pause its key numbers ('p2'). None when the record does not have it yet: the mail then names no one.
 */
function actorOf(view: CaseView, req: FactsRequest): string | undefined {
  if (req.kind === 'adjudication_request')
    return view.signOffs.findLast((x) => x.decision === 'dispute' && x.round === req.round)?.by;
  if (req.kind === 'signed_off_assignee')
    return view.signOffs.findLast((x) => x.decision === 'confirm' && x.round === req.round)?.by;
  return pauseOf(view, req)?.requestedBy;
}

/** The pause a pause mail's key numbers ('p2', after any lineage prefix). */
const pauseOf = (view: CaseView, req: FactsRequest) => {
  const n = Number(/(?:^|\.)p(\d+)$/.exec(req.key ?? '')?.[1]);
  return view.pauses?.find((x) => x.n === n);
};

/** Kinds that restate the stage's deadline from the record: a pause decision's. */
const decisionKinds: ReadonlySet<EmailKind> = new Set(['pause_approved', 'pause_rejected']);

/**
 * The deadline of the stage the mail was written in, as the record has it now: the workflow
 * gives an approval's mail the pause's end as its due, and a rejection's none in older cases.
 * None once that stage is over (a mail sent late): its deadline is nobody's to meet any more.
 */
function stageDueOf(view: CaseView, req: FactsRequest, timeZone: string): StageDueNote | undefined {
  const d = view.deadlines.findLast((x) => x.stage === req.stage && x.round === req.round && !x.closedAt);
  if (!d || (d.state !== 'pending' && d.state !== 'breached')) return undefined;
  const p = req.kind === 'pause_approved' ? pauseOf(view, req) : undefined;
  return {
    stage: d.stage,
    dueText: campusTime(d.due, timeZone),
    passed: d.state === 'breached',
    held: p?.state === 'approved' && pauseHolds(p, d),
  };
}

/** Kinds a take-over is mailed as to the new holder (the step now theirs). */
const takeOverKinds: ReadonlySet<EmailKind> = new Set(['assigned', 'signoff_request']);

/** A take-over mail's key: how the case moved and the timeline's length, after any lineage prefix ('e1.'). */
const takeOverKey = /(?:^|\.)(reassigned|handed_over)\d+$/;
/** The supervisors' hand-over notice's key: the timeline's length at the hand-over ('e3.handed-over-notice7'). */
const handOverNoticeKey = /(?:^|\.)handed-over-notice\d+$/;

interface FactsRequest {
  caseId: string;
  kind: EmailKind;
  stage?: string | undefined;
  round?: number | undefined;
  key?: string | undefined;
  to?: { personIds?: string[] | undefined } | undefined;
  /** The hand-over a supervisors' notice is about, when the caller has read it (`handOverNoticeMove`). */
  handOver?: CaseMove | undefined;
}

/** Whether a kind says anything the case's record holds (then it is read once for the mail). */
const readsRecord = (kind: EmailKind): boolean =>
  decisionKinds.has(kind) ||
  takeOverKinds.has(kind) ||
  actedKinds.has(kind) ||
  needsRecord.has(kind) ||
  clockLineKinds.has(kind);

/**
 * The case's place and assignee's name as of its last recorded step, for the kinds that name
 * them; nothing for a case with no record yet or a place or person the directory no longer has.
 * A take-over's mail also names who moved the case and from whom; a staff mail asking for the
 * case's next step states the clocks the case has still to meet, as of `nowMs` (the mail's writing).
 * The record is read once, whatever the mail needs of it.
 */
export async function caseMailFacts(
  deps: { ddb: DynamoDBClient; tables: TableNames; timeZone: string },
  dir: Directory | null,
  req: FactsRequest,
  nowMs: number = Date.now(),
): Promise<CaseMailFacts> {
  const record = readsRecord(req.kind) ? await getCaseRecord(deps.ddb, deps.tables, req.caseId) : null;
  const clocks =
    record && clockLineKinds.has(req.kind)
      ? clockNotes(record, nowMs, (iso) => campusTime(iso, deps.timeZone))
      : [];
  const clockFact = clocks.length > 0 ? { clocks } : {};
  if (decisionKinds.has(req.kind)) {
    const stageDue = record ? stageDueOf(record, req, deps.timeZone) : undefined;
    return stageDue ? { stageDue } : {};
  }
  const takeOver = takeOverKinds.has(req.kind) && takeOverKey.test(req.key ?? '');
  // The record serves them all: a second sign-off request (after an adjudication sent the plan
  // back) says so, taken over or not; a take-over says the pause its new holder inherits; an
  // assignment offers the arrival link only where the case's source has an arrival to record.
  const told = req.kind === 'signoff_request' || req.kind === 'assigned' || takeOver;
  const pause = takeOver && record ? pauseNoteOf(record, deps.timeZone) : undefined;
  const revisedFact = {
    ...(req.kind === 'signoff_request' && record && planRevised(record) ? { planRevised: true } : {}),
    ...(pause ? { pause } : {}),
    ...(told && record ? { source: record.source } : {}),
    // An assignment says where to go, named as the case page and the timeline name it.
    ...(req.kind === 'assigned' && record && dir ? { place: placeNameOf(dir, record.location) } : {}),
    ...clockFact,
  };
  if (!dir) return revisedFact;
  if (req.kind === 'handed_over') return handOverNotice(deps, dir, req);
  if (takeOverKinds.has(req.kind)) {
    const move = await takeOverMove(deps, dir, req);
    return move ? { move, ...revisedFact } : revisedFact;
  }
  if (actedKinds.has(req.kind)) {
    const id = record ? actorOf(record, req) : undefined;
    const actorName = id ? dir.people.find((p) => p.id === id)?.name : undefined;
    return { ...(actorName ? { actorName } : {}), ...clockFact };
  }
  if (!needsRecord.has(req.kind) || !record) return clockFact;
  return {
    place: placeNameOf(dir, record.location),
    assigneeName: dir.people.find((p) => p.id === record.assigneeId)?.name,
    ...(req.kind === 'leadership_notice' ? { openedText: campusTime(record.openedAt, deps.timeZone) } : {}),
    ...clockFact,
  };
}

/**
 * The move a take-over mail is about, by names: the workflow keys such a mail by how the case
 * moved ('reassigned7', 'handed_over3') but does not say who moved it or from whom; the audit
 * trail's latest such move to the mail's recipient does.
 */
async function takeOverMove(
  deps: { ddb: DynamoDBClient; tables: TableNames },
  dir: Directory,
  req: FactsRequest,
): Promise<CaseMoveNames | undefined> {
  const how = takeOverKey.exec(req.key ?? '')?.[1];
  if (!how) return undefined;
  const to = new Set(req.to?.personIds ?? []);
  const moves = await caseMoves(deps.ddb, deps.tables, req.caseId);
  const move = moves.findLast((m) => m.how === how && to.has(m.toId));
  return move ? await moveNames(deps, dir, move) : undefined;
}

/**
 * The hand-over a supervisors' notice is about: the latest in the audit trail (the notice goes out
 * with the hand-over's own record). None for any other mail.
 */
export async function handOverNoticeMove(
  deps: { ddb: DynamoDBClient; tables: TableNames },
  req: Pick<FactsRequest, 'caseId' | 'kind' | 'key'>,
): Promise<CaseMove | undefined> {
  if (req.kind !== 'handed_over' || !handOverNoticeKey.test(req.key ?? '')) return undefined;
  const moves = await caseMoves(deps.ddb, deps.tables, req.caseId);
  return moves.findLast((m) => m.how === 'handed_over');
}

/**
 * Who handed the case to whom, for the supervisors' notice of a hand-over: the latest hand-over
 * in the audit trail (the notice goes out with the hand-over's own record).
 */
async function handOverNotice(
  deps: { ddb: DynamoDBClient; tables: TableNames },
  dir: Directory,
  req: FactsRequest,
): Promise<CaseMailFacts> {
  const move = req.handOver ?? (await handOverNoticeMove(deps, req));
  if (!move) return {};
  const assigneeName = dir.people.find((p) => p.id === move.toId)?.name;
  return { move: await moveNames(deps, dir, move), ...(assigneeName ? { assigneeName } : {}) };
}

/** A move's mover and holder before by name, someone who left the directory by their last name. */
async function moveNames(
  deps: { ddb: DynamoDBClient; tables: TableNames },
  dir: Directory,
  move: CaseMove,
): Promise<CaseMoveNames> {
  // Someone who left the directory (a leaver's cases are what gets reassigned) by their last name.
  const inForce = (id: string) => dir.people.find((p) => p.id === id)?.name;
  const departed =
    inForce(move.byId) === undefined || inForce(move.fromId) === undefined
      ? await loadDeparted(deps.ddb, deps.tables, dir)
      : undefined;
  const name = (id: string) => {
    const now = inForce(id);
    if (now !== undefined) return { name: now, left: false };
    const last = departed?.people.get(id);
    return last === undefined ? { name: id, left: false } : { name: last, left: true };
  };
  const by = name(move.byId);
  const from = name(move.fromId);
  return {
    how: move.how,
    byName: by.name,
    fromName: from.name,
    ...(by.left ? { byLeft: true } : {}),
    ...(from.left ? { fromLeft: true } : {}),
  };
}

/** The pause holding the case, or asked for, as a take-over mail tells its new holder. */
export function pauseNoteOf(view: Pick<CaseView, 'pauses'>, timeZone: string): CasePauseNote | undefined {
  const p = openPause(view.pauses);
  if (!p || (p.state !== 'requested' && p.state !== 'approved')) return undefined;
  return {
    state: p.state,
    reason: pauseReasonLabels[p.reason],
    ...(p.note ? { note: p.note } : {}),
    ...(p.state === 'approved' && p.endsBy ? { endsByText: campusTime(p.endsBy, timeZone) } : {}),
    movesDue: p.holdsStage === true,
  };
}
