// Workflows for test/api/case-unanswering.test.ts, second version: the same case type whose code
// now does something else first, so a case started under the first version no longer replays
// (a nondeterminism error, as after a workflow change shipped without patched()).
import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';

const caseView = defineQuery<{ caseId: string }>('caseView');
const { nothing } = proxyActivities<{ nothing(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function rectificationCaseV2(): Promise<void> {
  setHandler(caseView, () => ({ caseId: 'answered' }));
  await nothing();
}

export { rectificationCase, somethingElse } from './unanswering-case-a.ts';
