// Workflows for test/api/case-unanswering.test.ts, first version: a "case" under the case
// workflow's type name that answers its view, a case whose every workflow task fails, and a
// workflow of another kind under a case number.
import { condition, defineQuery, setHandler, sleep } from '@temporalio/workflow';

const caseView = defineQuery<{ caseId: string }>('caseView');

/** A case that answers, until its code changes under it (unanswering-case-b.ts). */
export async function rectificationCaseV2(): Promise<void> {
  setHandler(caseView, () => ({ caseId: 'answered' }));
  await sleep(86_400_000);
}

/** A case stuck on a failing workflow task. */
export async function rectificationCase(): Promise<void> {
  await Promise.resolve();
  throw new Error('stuck: this workflow task fails every time');
}

/** Not a case: it answers no case query. */
export async function somethingElse(): Promise<void> {
  await condition(() => false);
}
