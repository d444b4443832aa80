import type { CaseView } from '../domain/case-model.ts';
import { caseViewQuery, type StepAck } from '../workflows/rectification-case/messages.ts';

/** What reading a case's view needs of its workflow handle. */
interface CaseHandle {
  query(def: typeof caseViewQuery): Promise<CaseView>;
}

/**
 * The case's view after a step: a step answers a small acknowledgement (its history keeps no
 * copy of the view), so the view is asked of the case; a case opened before the lean-case patch
 * answers with the whole view, which is taken as it is.
 */
export async function viewAfterStep(
  handle: CaseHandle,
  answer: Promise<StepAck> | StepAck,
): Promise<CaseView> {
  const a = await answer;
  if (isWholeView(a)) return a;
  return handle.query(caseViewQuery);
}

function isWholeView(a: StepAck | CaseView): a is CaseView {
  return Array.isArray((a as Partial<CaseView>).timeline);
}
