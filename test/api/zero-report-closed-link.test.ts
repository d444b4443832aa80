import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { actionPath, postForm, startApiStackOn, waitForEmail, type ApiStack } from './harness.ts';

/**
 * The one-click "none" link of a night that no longer takes reports (its late window over): its
 * page says the night is over, as the report page does, and offers no button to sign. Over the
 * real stack; a night long past with no late window, so its run asks, closes and finishes at once.
 */
const tables = ownTables(uniqueId('zero-closed'));
const NIGHT = `20${10 + Math.floor(Math.random() * 15)}-11-0${1 + Math.floor(Math.random() * 9)}`;
let s: ApiStack;

beforeAll(async () => {
  s = await startApiStackOn(tables);
  const run = await s.deps.temporal.workflow.start(zeroReportNight, {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId('zero-closed-night'),
    args: [{ night: NIGHT, config: { lateMinutes: 0 } }],
  });
  expect(await run.result()).toMatchObject({ phase: 'done', night: NIGHT });
});
afterAll(async () => {
  await s?.stop();
});

async function noneLink(personId: string): Promise<string> {
  const to = s.dir.people.find((p) => p.id === personId)?.email ?? '';
  return actionPath(await waitForEmail((e) => e.subject.includes(`【零报告】${NIGHT}`) && e.to.includes(to)));
}

describe('the "none" link of a night that is over', () => {
  it('says at GET that the night takes no more reports, with no button to sign', async () => {
    const link = await noneLink('grid-a1c1');
    const page = await s.app.request(link);
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(html).toContain(`${NIGHT} 晚的零报告已结束，不再接收上报。`);
    expect(html).toContain('当晚未上报');
    expect(html).toContain(`The zero report of ${NIGHT} is over and takes no more reports.`);
    expect(html).not.toContain('签字提交');
    expect(html).not.toContain('本人报告');
    expect(html).not.toMatch(/<form/);
    // A form posted anyway (a page kept open from before) gets the same page, and nothing is taken.
    const res = await postForm(s.app, link, { csrf: 'x', textHash: 'y' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('不再接收上报');
  });
});
