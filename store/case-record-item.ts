import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseView } from '../domain/case-model.ts';
import { caseListKey } from './keys.ts';

/** The audit chain's last entry as the case record remembers it (written in the same transaction). */
export interface RecordedHead {
  seq: number;
  hash: string;
}

/**
 * The case record: the queryable projection of a case that the API lists
 * from. Index attributes sit beside the full view (kept as JSON so a view of
 * any shape fits one attribute and reads back exactly). `head` is the audit
 * entry written in the same transaction: verify compares the trail's last
 * entry with it, so a cut or extended tail shows before the next anchor.
 */
export function caseRecordItem(view: CaseView, head?: RecordedHead): Record<string, AttributeValue> {
  const openDeadline = view.deadlines.find((d) => !d.closedAt);
  return marshall(
    {
      caseId: view.caseId,
      listPk: caseListKey.allCases,
      buildingId: view.location.buildingId,
      // Both people on a case: a staff member's own list is the two indexes merged.
      assigneeId: view.assigneeId,
      responsibleId: view.responsibleId,
      stage: view.stage,
      severity: view.severity,
      source: view.source,
      openedSort: caseListKey.openedSort(view.openedAt, view.caseId),
      version: view.version,
      view: JSON.stringify(view),
      ...(view.overdue && openDeadline
        ? { overdueFlag: caseListKey.overdue, dueSort: caseListKey.dueSort(openDeadline.due, view.caseId) }
        : {}),
      ...(head ? { auditHeadSeq: head.seq, auditHeadHash: head.hash } : {}),
    },
    { removeUndefinedValues: true },
  );
}

export function viewFromItem(item: Record<string, AttributeValue>): CaseView {
  const raw = unmarshall(item) as { view: string };
  return JSON.parse(raw.view) as CaseView;
}

/** The recorded audit head of a stored record, or null when it predates heads (or is malformed). */
export function recordedHeadFromItem(item: Record<string, AttributeValue>): RecordedHead | null {
  const raw = unmarshall(item) as { auditHeadSeq?: unknown; auditHeadHash?: unknown };
  if (raw.auditHeadSeq === undefined && raw.auditHeadHash === undefined) return null;
  // Half a head, or one of the wrong type, was not written by appendAudit: compare it anyway so it fails.
  return { seq: Number(raw.auditHeadSeq), hash: String(raw.auditHeadHash) };
}
