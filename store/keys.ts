/**
 * Every key Rectify writes, spelled once. The ops table holds many kinds of
 * record side by side under one `pk`/`sk` pair, told apart by the prefix of
 * `pk`; the cases and audit tables have a few fixed values of their own.
 * Store modules build keys only through these functions, so a prefix cannot
 * be misspelled in one of them, and a grep for a prefix finds its one owner.
 *
 * These strings are the stored format: existing rows are read by them, so
 * changing one is a data migration, not a rename.
 *
 *   pk                                                sk                         record (owner)
 *   COUNTER#ZG-<year>                                 -                          case number counter (counters.ts)
 *   IDEMP#<scope>#<key>                               -                          idempotency claim (idempotency.ts)
 *   LINK#<tid>                                        -                          one signed link (links.ts)
 *   LINKHEAD#<caseId>#<step>#<round>#<recipientId>    -                          the live link of a slot (links.ts)
 *   OUTBOX#<scope>                                    <key>                      one email, sent at most once (outbox.ts)
 *   MAILSENT#<ref>                                    -                          SES's word that an outbox email went (mail-ledger.ts)
 *   AUDITSTEP#<caseId>                                <stepId>                   a step appended to a chain (audit-chain.ts)
 *   AUDITANCHOR#<anchorId>                            heads#<000001>             a chunk of an anchor's heads (anchors.ts)
 *   DIGEST#<week>                                     <kind>#<id>                a weekly digest as sent (digests.ts)
 *   DIGEST#<week>                                     ack#<personId>             an acknowledgement (digests.ts)
 *   DIGEST#<week>                                     handled#<deptId>#<caseId>  a follow-up marked handled (digests.ts)
 *   KPITALLY#<buildingId|*>                           <week>                     a week's KPI tally (digests.ts)
 *   REPORT#<reportId>                                 -                          a scanned-code report (reports.ts)
 *   REPORTQ#<buildingId>                              <receivedAt>#<reportId>    a building's triage queue (reports.ts)
 *   REPORTTRACK#<tokenHash>                           -                          a tracking link's token (reports.ts)
 *   REPORTSUBMIT#<keyHash>                            -                          a report form's submission key (reports.ts)
 *   RATE#<scope>                                      <window>                   an abuse-limit counter (reports.ts)
 *   CASEREPORTS#<caseId>                              <reportId>                 a report a case was opened from or took in (reports.ts)
 *   CALENDAR                                          v#<000001>                 a saved version of the calendar file (calendar-versions.ts)
 *   AUDITJOB#<jobId>                                  -                          a long audit read run as a job (audit-jobs.ts)
 *   AUDITJOBSLOTS#<pool>                              -                          running jobs, in total and per person (audit-jobs.ts)
 *   DUTYOCC#<occurrenceId>                            -                          a duty's occurrence (duties.ts)
 *   DUTIES#<buildingId>                               <dueDate>#<occurrenceId>   the same, by building and due date (duties.ts)
 *   DUTYCASE#<occurrenceId>                           -                          the case a missed duty opened, claimed once (duties.ts)
 *   INSPROUND#<roundId>                               -                          an inspection round (inspections.ts)
 *   INSPECTIONS#<buildingId>                          <from>#<kind>              the same, by building and period (inspections.ts)
 *   INSPCASE#<roundId>                                <itemId>                   the case a failed item opened, claimed once (inspections.ts)
 *   EVIDENCE#<evidenceId>                             -                          an evidence file's record (evidence.ts)
 *   EVIDENCEUPLOADS#<owner>                           -                          how many uploads a case, report or round has taken (evidence.ts)
 *   SESSION#<hash of the cookie>                      -                          a web session (sessions.ts)
 *   LOGINLINK#<hash of the token>                     -                          a one-time sign-in link (sessions.ts)
 *   OIDCREQ#<hash of the cookie>                      -                          a sign-in sent to the identity provider (sessions.ts)
 *   IMPORTPREVIEW#<previewId>                         head | part#<000001>       a previewed directory import, kept to apply (import-previews.ts)
 *   REVIEWWIN#<queue>#<personId>                      -                          a person's current review-mail window (review-digests.ts)
 *   REVIEWDIGEST#<queue>#<personId>#<windowId>        -                          the cases a window's digest gathers (review-digests.ts)
 *   REVIEWROUTE#<caseId>#<outboxKey>                  -                          a review mail sent at once or gathered, decided once (review-digests.ts)
 *   STRANDEDLOOK#<version>                            -                          who tells a directory version's stranded cases, for a few minutes (stranded-looks.ts)
 */
export interface OpsKey {
  pk: string;
  sk: string;
}

/** The sort key of a record kind that has one row per partition. */
const ONLY = '-';

const prefix = {
  counter: 'COUNTER#',
  idempotency: 'IDEMP#',
  link: 'LINK#',
  linkHead: 'LINKHEAD#',
  outbox: 'OUTBOX#',
  mailSent: 'MAILSENT#',
  auditStep: 'AUDITSTEP#',
  anchorChunks: 'AUDITANCHOR#',
  digestWeek: 'DIGEST#',
  kpiTally: 'KPITALLY#',
  report: 'REPORT#',
  reportQueue: 'REPORTQ#',
  reportTrack: 'REPORTTRACK#',
  reportSubmission: 'REPORTSUBMIT#',
  rate: 'RATE#',
  caseReports: 'CASEREPORTS#',
  calendar: 'CALENDAR',
  auditJob: 'AUDITJOB#',
  auditJobSlots: 'AUDITJOBSLOTS#',
  dutyOccurrence: 'DUTYOCC#',
  dutyList: 'DUTIES#',
  dutyCase: 'DUTYCASE#',
  inspectionRound: 'INSPROUND#',
  inspectionList: 'INSPECTIONS#',
  inspectionCase: 'INSPCASE#',
  evidence: 'EVIDENCE#',
  evidenceUploads: 'EVIDENCEUPLOADS#',
  session: 'SESSION#',
  loginLink: 'LOGINLINK#',
  oidcRequest: 'OIDCREQ#',
  importPreview: 'IMPORTPREVIEW#',
  reviewWindow: 'REVIEWWIN#',
  reviewDigest: 'REVIEWDIGEST#',
  reviewRoute: 'REVIEWROUTE#',
  strandedLook: 'STRANDEDLOOK#',
} as const;

/** The partition (`pk`) of record kinds read as a whole partition. */
export const opsPartition = {
  outbox: (scope: string) => `${prefix.outbox}${scope}`,
  auditSteps: (caseId: string) => `${prefix.auditStep}${caseId}`,
  anchorChunks: (anchorId: string) => `${prefix.anchorChunks}${anchorId}`,
  digestWeek: (week: string) => `${prefix.digestWeek}${week}`,
  reportQueue: (buildingId: string) => `${prefix.reportQueue}${buildingId}`,
  caseReports: (caseId: string) => `${prefix.caseReports}${caseId}`,
  calendarVersions: prefix.calendar,
  dutyList: (buildingId: string) => `${prefix.dutyList}${buildingId}`,
  inspectionList: (buildingId: string) => `${prefix.inspectionList}${buildingId}`,
  importPreview: (previewId: string) => `${prefix.importPreview}${previewId}`,
} as const;

/** Sort-key prefixes within a week's digest partition. */
export const digestSortPrefix = {
  kind: (kind: string) => `${kind}#`,
  ack: 'ack#',
  handled: 'handled#',
} as const;

/** The sort key of an anchor's n-th chunk of heads (zero-padded so chunks sort in order). */
export const anchorChunkSk = (n: number) => `heads#${String(n).padStart(6, '0')}`;

/** The full key of each kind of ops-table record. */
export const opsKey = {
  caseNumberCounter: (year: number): OpsKey => ({ pk: `${prefix.counter}ZG-${year}`, sk: ONLY }),
  idempotency: (scope: string, key: string): OpsKey => ({
    pk: `${prefix.idempotency}${scope}#${key}`,
    sk: ONLY,
  }),
  /** Beside a key's claim: who is taking a case number for it right now. */
  idempotencyReservation: (scope: string, key: string): OpsKey => ({
    pk: `${prefix.idempotency}${scope}#${key}`,
    sk: 'reservation',
  }),
  link: (tid: string): OpsKey => ({ pk: `${prefix.link}${tid}`, sk: ONLY }),
  linkHead: (c: { caseId: string; step: string; round: number; recipientId: string }): OpsKey => ({
    pk: `${prefix.linkHead}${c.caseId}#${c.step}#${c.round}#${c.recipientId}`,
    sk: ONLY,
  }),
  outbox: (scope: string, key: string): OpsKey => ({ pk: opsPartition.outbox(scope), sk: key }),
  mailSent: (ref: string): OpsKey => ({ pk: `${prefix.mailSent}${ref}`, sk: ONLY }),
  auditStep: (caseId: string, stepId: string): OpsKey => ({
    pk: opsPartition.auditSteps(caseId),
    sk: stepId,
  }),
  anchorChunk: (anchorId: string, n: number): OpsKey => ({
    pk: opsPartition.anchorChunks(anchorId),
    sk: anchorChunkSk(n),
  }),
  digest: (week: string, kind: string, id: string): OpsKey => ({
    pk: opsPartition.digestWeek(week),
    sk: `${digestSortPrefix.kind(kind)}${id}`,
  }),
  digestAck: (week: string, personId: string): OpsKey => ({
    pk: opsPartition.digestWeek(week),
    sk: `${digestSortPrefix.ack}${personId}`,
  }),
  digestHandled: (week: string, departmentId: string, caseId: string): OpsKey => ({
    pk: opsPartition.digestWeek(week),
    sk: `${digestSortPrefix.handled}${departmentId}#${caseId}`,
  }),
  /** A building's tally, or the whole campus's (`*`) when no building is given. */
  kpiTally: (buildingId: string | undefined, week: string): OpsKey => ({
    pk: `${prefix.kpiTally}${buildingId ?? '*'}`,
    sk: week,
  }),
  report: (reportId: string): OpsKey => ({ pk: `${prefix.report}${reportId}`, sk: ONLY }),
  reportQueue: (buildingId: string, receivedAt: string, reportId: string): OpsKey => ({
    pk: opsPartition.reportQueue(buildingId),
    sk: `${receivedAt}#${reportId}`,
  }),
  reportTrack: (tokenHash: string): OpsKey => ({ pk: `${prefix.reportTrack}${tokenHash}`, sk: ONLY }),
  reportSubmission: (keyHash: string): OpsKey => ({ pk: `${prefix.reportSubmission}${keyHash}`, sk: ONLY }),
  rate: (scope: string, window: number): OpsKey => ({ pk: `${prefix.rate}${scope}`, sk: String(window) }),
  caseReport: (caseId: string, reportId: string): OpsKey => ({
    pk: opsPartition.caseReports(caseId),
    sk: reportId,
  }),
  /** The n-th saved calendar version (zero-padded so versions sort in order). */
  calendarVersion: (n: number): OpsKey => ({
    pk: opsPartition.calendarVersions,
    sk: `v#${String(n).padStart(6, '0')}`,
  }),
  auditJob: (jobId: string): OpsKey => ({ pk: `${prefix.auditJob}${jobId}`, sk: ONLY }),
  auditJobSlots: (pool: string): OpsKey => ({ pk: `${prefix.auditJobSlots}${pool}`, sk: ONLY }),
  dutyOccurrence: (occurrenceId: string): OpsKey => ({
    pk: `${prefix.dutyOccurrence}${occurrenceId}`,
    sk: ONLY,
  }),
  dutyListEntry: (buildingId: string, dueDate: string, occurrenceId: string): OpsKey => ({
    pk: opsPartition.dutyList(buildingId),
    sk: `${dueDate}#${occurrenceId}`,
  }),
  dutyCase: (occurrenceId: string): OpsKey => ({ pk: `${prefix.dutyCase}${occurrenceId}`, sk: ONLY }),
  inspectionRound: (roundId: string): OpsKey => ({ pk: `${prefix.inspectionRound}${roundId}`, sk: ONLY }),
  inspectionListEntry: (buildingId: string, from: string, kind: string): OpsKey => ({
    pk: opsPartition.inspectionList(buildingId),
    sk: `${from}#${kind}`,
  }),
  inspectionCase: (roundId: string, itemId: string): OpsKey => ({
    pk: `${prefix.inspectionCase}${roundId}`,
    sk: itemId,
  }),
  evidence: (evidenceId: string): OpsKey => ({ pk: `${prefix.evidence}${evidenceId}`, sk: ONLY }),
  evidenceUploads: (owner: string): OpsKey => ({ pk: `${prefix.evidenceUploads}${owner}`, sk: ONLY }),
  /** Secret-bearing records are keyed by the secret's hash, never the secret. */
  session: (hash: string): OpsKey => ({ pk: `${prefix.session}${hash}`, sk: ONLY }),
  loginLink: (hash: string): OpsKey => ({ pk: `${prefix.loginLink}${hash}`, sk: ONLY }),
  oidcRequest: (hash: string): OpsKey => ({ pk: `${prefix.oidcRequest}${hash}`, sk: ONLY }),
  reviewWindow: (queue: string, personId: string): OpsKey => ({
    pk: `${prefix.reviewWindow}${queue}#${personId}`,
    sk: ONLY,
  }),
  reviewDigest: (queue: string, personId: string, windowId: string): OpsKey => ({
    pk: `${prefix.reviewDigest}${queue}#${personId}#${windowId}`,
    sk: ONLY,
  }),
  reviewRoute: (caseId: string, outboxKey: string): OpsKey => ({
    pk: `${prefix.reviewRoute}${caseId}#${outboxKey}`,
    sk: ONLY,
  }),
  strandedLook: (version: number): OpsKey => ({ pk: `${prefix.strandedLook}${version}`, sk: ONLY }),
  importPreviewHead: (previewId: string): OpsKey => ({
    pk: opsPartition.importPreview(previewId),
    sk: 'head',
  }),
  /** The n-th piece of a previewed import's directory (zero-padded so pieces sort in order). */
  importPreviewPart: (previewId: string, n: number): OpsKey => ({
    pk: opsPartition.importPreview(previewId),
    sk: `part#${String(n).padStart(6, '0')}`,
  }),
} as const;

/**
 * Outbox scopes: a case's emails are grouped under its id; the weekly feedback
 * and the morning brief under their week or day.
 */
export const outboxScope = {
  case: (caseId: string) => caseId,
  weekly: (week: string) => `WEEKLY#${week}`,
  daily: (date: string) => `DAILY#${date}`,
  /** The admins' daily warning that next year's official calendar is missing. */
  calendar: (date: string) => `CALENDAR#${date}`,
  /** A person's gathered review requests (review-digests.ts): one digest per window. */
  reviewDigest: (queue: string, personId: string) => `REVIEWDIGEST#${queue}#${personId}`,
} as const;

/**
 * Step ids written by activities themselves (the workflow's own steps carry
 * the ids the workflow chose): an email sent, an anchor sealed.
 */
export const auditStepId = {
  email: (outboxKey: string) => `email#${outboxKey}`,
  anchor: (anchorId: string) => `anchor#${anchorId}`,
} as const;

/**
 * The audit table's chain of anchors sits beside the case chains under this
 * id (`#` can't start a case number, so it never collides with one).
 */
export const ANCHOR_CHAIN_ID = '#anchors';

/** The cases table's list keys: every record shares one byOpened partition; sort keys end with the case id. */
export const caseListKey = {
  allCases: 'CASE',
  overdue: 'Y',
  openedSort: (openedAt: string, caseId: string) => `${openedAt}#${caseId}`,
  dueSort: (due: string, caseId: string) => `${due}#${caseId}`,
} as const;
