import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zeroNightQuery } from '../../workflows/zero-report/messages.ts';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import {
  actionPath,
  formFields,
  outcomeOf,
  postForm,
  startApiStackOn,
  waitForEmail,
  type ApiStack,
} from './harness.ts';

/**
 * The one-click "none" link used in the late hour, after the close escalated the silent cells:
 * the grid member is told it came late and that those told of the silence have heard, not a
 * bare "done"; the counsellor hears of it. A night long past whose late hour reaches past now.
 */
const tables = ownTables(uniqueId('zero-late-link'));
const NIGHT = `2001-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
let s: ApiStack;
let night: WorkflowHandle<typeof zeroReportNight>;

beforeAll(async () => {
  s = await startApiStackOn(tables);
  // Closed at 22:40 of that night; late reports taken until two hours from now.
  const closeAt = Date.parse(`${NIGHT}T22:40:00+08:00`);
  const lateMinutes = Math.ceil((Date.now() + 2 * 3_600_000 - closeAt) / 60_000);
  night = await s.deps.temporal.workflow.start(zeroReportNight, {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId('zero-late-night'),
    args: [{ night: NIGHT, config: { lateMinutes } }],
  });
  for (let i = 0; i < 300 && (await night.query(zeroNightQuery)).escalations.length === 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect((await night.query(zeroNightQuery)).phase).toBe('closed');
});
afterAll(async () => {
  await night?.terminate('test over').catch(() => undefined);
  await s?.stop();
});

describe('the "none" link in the late hour', () => {
  it('says the report came after the close and that the level above has been told', async () => {
    const to = s.dir.people.find((p) => p.id === 'grid-a1c1')?.email ?? '';
    const link = actionPath(
      await waitForEmail((e) => e.subject.includes(`【零报告】${NIGHT}`) && e.to.includes(to)),
    );
    const page = await s.app.request(link);
    expect(page.status).toBe(200);
    const done = await postForm(s.app, link, formFields(await page.text()));
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(outcomeOf(html)).toBe('done');
    expect(html).toContain('已补报');
    expect(html).toContain('Reported late');
    const report = (await night.query(zeroNightQuery)).reports.find((r) => r.cellId === 'L3:a-f1-c1');
    expect(report).toMatchObject({ none: true, afterClose: true, via: 'link' });
    // The counsellor of the students living there hears that the silent cell reported.
    const counsellor = s.dir.people.find((p) => p.id === 'dept-cs')?.email ?? '';
    const notice = await waitForEmail(
      (e) => e.subject.includes(`【零报告补报】${NIGHT}`) && e.to.includes(counsellor),
    );
    expect(notice.text).toContain('贵院系学生中无');
  });
});
