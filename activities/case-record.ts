import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseView } from '../domain/case-model.ts';

/**
 * The case record: the queryable projection of a case that the API lists
 * from. Index attributes sit beside the full view (kept as JSON so a view of
 * any shape fits one attribute and reads back exactly).
 */
export function caseRecordItem(view: CaseView): Record<string, AttributeValue> {
  const openDeadline = view.deadlines.find((d) => !d.closedAt);
  return marshall(
    {
      caseId: view.caseId,
      listPk: 'CASE',
      buildingId: view.location.buildingId,
      // Both people on a case: a staff member's own list is the two indexes merged.
      assigneeId: view.assigneeId,
      responsibleId: view.responsibleId,
      stage: view.stage,
      severity: view.severity,
      source: view.source,
      openedSort: `${view.openedAt}#${view.caseId}`,
      version: view.version,
      view: JSON.stringify(view),
      ...(view.overdue && openDeadline
        ? { overdueFlag: 'Y', dueSort: `${openDeadline.due}#${view.caseId}` }
        : {}),
    },
    { removeUndefinedValues: true },
  );
}

export function viewFromItem(item: Record<string, AttributeValue>): CaseView {
  const raw = unmarshall(item) as { view: string };
  return JSON.parse(raw.view) as CaseView;
}
