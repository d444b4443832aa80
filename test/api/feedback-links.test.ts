import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackActivities } from '../../activities/feedback.ts';
import { consumeLink, issueActionUrl, settleLink, type LinkDeps } from '../../store/links.ts';
import { checkLink } from '../../store/links.ts';
import { getDigest, saveDigests, weekMarks } from '../../store/digests.ts';
import { createSession } from '../../store/sessions.ts';
import type { DepartmentDigest } from '../../domain/digest.ts';
import { weeklyMarksSchema } from '../../domain/weekly-marks.ts';
import { putCases } from '../support/feedback-harness.ts';
import { uniqueCaseNumber, uniqueId } from '../support/stack.ts';
import { at, view } from '../support/views.ts';
import { call, formFields, outcomeOf, postForm, startApiStack, type ApiStack } from './harness.ts';

// 2013-W15 (Monday 2013-04-08, Shanghai) and the zero report night 2013-04-08 belong to this file.
const WEEK = '2013-W15';
const MON = '2013-04-08T02:00:00.000Z';
let s: ApiStack;
let links: LinkDeps;
// The case page takes ids in the counter's format only.
const ids = { clean: uniqueId('FLc'), gone: uniqueCaseNumber(), noise: uniqueId('FLn') };
const A = (roomId: string) => ({ buildingId: 'bldg-a', floorId: 'a-f1', roomId });

const pathOf = async (input: Parameters<typeof issueActionUrl>[1]) =>
  new URL(await issueActionUrl({ ...links, publicBaseUrl: s.activityDeps.publicBaseUrl }, input)).pathname;

beforeAll(async () => {
  s = await startApiStack();
  links = { ddb: s.activityDeps.ddb, tables: s.activityDeps.tables, keys: s.activityDeps.signingKeys };
  const gone = view({
    caseId: ids.gone,
    openedAt: at(MON, 1),
    location: A('A102'),
    source: 'complaint',
    stage: 'analysing',
    responsibleId: 'staff-lee',
  });
  await putCases(s.activityDeps, [
    view({
      caseId: ids.clean,
      openedAt: MON,
      location: A('A101'),
      source: 'grid_report',
      category: 'cleanliness',
      responsibleId: 'staff-lee',
      closedAt: at(MON, 20),
    }),
    gone,
    view({
      caseId: ids.noise,
      openedAt: at(MON, 2),
      location: A('A103'),
      source: 'complaint',
      stage: 'analysing',
      responsibleId: 'staff-lee',
    }),
  ]);
  await createFeedbackActivities(s.activityDeps).buildWeeklyFeedback({
    week: WEEK,
    timeZone: 'Asia/Shanghai',
    workflowId: 'feedback-links-test',
    lookbackDays: 30,
  });
  // Withdrawn after the department's mail went out.
  await putCases(s.activityDeps, [
    { ...gone, stage: 'withdrawn', withdrawal: { at: at(MON, 30), by: 'sup-wang', reason: '重复' } },
  ]);
});
afterAll(async () => {
  await s?.stop();
});

const followUpPath = async (caseId: string) => {
  const d = (await getDigest<DepartmentDigest>(links, WEEK, 'department', 'cs'))!.digest;
  return pathOf({
    caseId: d.id,
    step: 'dept_followup',
    round: d.items.findIndex((i) => i.caseId === caseId) + 1,
    recipientId: 'dept-cs',
    action: caseId,
  });
};

describe('the weekly acknowledgement page', () => {
  it('is in its English reader’s language first, the counts and cases each whole in their language', async () => {
    const path = await pathOf({
      caseId: `${WEEK}:staff:staff-lee`,
      step: 'weekly_ack',
      round: 0,
      recipientId: 'staff-lee',
      action: 'acknowledge',
    });
    const html = await (await s.app.request(path)).text();
    expect(html).toContain('opened: 3 · closed: 1 · withdrawn: 0');
    expect(html.indexOf('opened: 3')).toBeLessThan(html.indexOf('新开案件：3 · 已结案：1'));
    expect(html).not.toContain('新开案件 opened');
    expect(html).toContain(`${ids.clean} case ${ids.clean} (Dormitory A, A101)`);
    expect(html).not.toContain('bldg-a');
  });
});

describe('a department follow-up page', () => {
  it('takes what was done as an optional note, kept with the mark and shown on the weekly report', async () => {
    const path = await followUpPath(ids.noise);
    const page = await s.app.request(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('学生公寓A栋 A103');
    expect(html).toMatch(/<textarea id="field-comment" name="comment"/);
    expect(html).toContain('跟进情况（选填）');
    const done = await postForm(s.app, path, {
      ...formFields(html),
      choice: 'acknowledge',
      comment: '已与 A103 学生谈话，保证按时作息',
    });
    expect(done.status).toBe(200);
    const marks = await weekMarks(links, WEEK);
    expect(marks.handled).toEqual([
      expect.objectContaining({
        caseId: ids.noise,
        by: 'dept-cs',
        note: '已与 A103 学生谈话，保证按时作息',
      }),
    ]);
    const report = await call(s.app, 'GET', `/api/reports/weekly?week=${WEEK}&buildingId=bldg-a`, {
      as: 'wg-chen',
    });
    const feedback = weeklyMarksSchema.parse(((await report.json()) as { feedback?: unknown }).feedback);
    expect(feedback.followUps.find((f) => f.caseId === ids.noise)?.handled?.note).toBe(
      '已与 A103 学生谈话，保证按时作息',
    );
  });

  it('says when the case was withdrawn since, and that there is nothing to follow up; its page shows the mark', async () => {
    const path = await followUpPath(ids.gone);
    const html = await (await s.app.request(path)).text();
    expect(html).toMatch(/该案件已于 2013-04-09 16:00 撤销，无需跟进/);
    expect(html).toContain('was withdrawn on 2013-04-09 16:00');
    expect(html).toContain('知悉案件');
    const done = await postForm(s.app, path, {
      ...formFields(html),
      choice: 'acknowledge',
      comment: '重复报告，已知悉',
    });
    expect(done.status).toBe(200);
    // The case's own page shows the mark too.
    const session = await createSession(s.deps.aws, { personId: 'wg-chen', via: 'link' });
    const casePage = await (
      await s.app.request(`/app/cases/${ids.gone}`, { headers: { cookie: `rectify_session=${session.id}` } })
    ).text();
    expect(casePage).toMatch(
      new RegExp(
        `data-follow-up="${WEEK}">${WEEK} 计算机学院 · 已处理 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} · 计算机学院联络人 · 重复报告，已知悉`,
      ),
    );
  });
});

describe('a used zero report link', () => {
  it('sends the grid member to the night’s report page to correct it, not to a supervisor', async () => {
    const path = await pathOf({
      caseId: 'zero:2013-04-08:L3:bldg-a:a-f1:c1',
      step: 'zero_report',
      round: 0,
      recipientId: 'staff-zhou',
      action: 'none',
    });
    const check = await checkLink(links, path.split('/').at(-1) ?? '');
    if (!check.ok) throw new Error(check.reason);
    await consumeLink(links, check.claims.tid, { at: new Date().toISOString(), textHash: 'h' });
    await settleLink(links, check.claims.tid);
    const res = await s.app.request(path);
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(outcomeOf(html)).toBe('used');
    expect(html).toContain('/zero-report/2013-04-08/report');
    expect(html).toContain('自行更正');
    expect(html).not.toContain('请联系主管');
  });
});

describe('a week stored before departments were asked only about their students', () => {
  it('reminds and escalates none of its repairs', async () => {
    // 2013-W16 belongs to this file too: a department digest as stored before, a repair among its items.
    const week = '2013-W16';
    const item = (caseId: string, source: 'repair' | 'complaint') => ({
      caseId,
      title: caseId,
      place: 'bldg-a/a-f1/A101',
      stage: 'analysing' as const,
      source,
      ask: { zh: '请跟进', en: 'Please follow up' },
    });
    await saveDigests(
      links,
      [
        {
          kind: 'department',
          id: `${week}:department:cs`,
          week,
          departmentId: 'cs',
          name: { zh: '计算机学院', en: 'School of Computer Science' },
          contactIds: ['dept-cs'],
          items: [item('old-leak', 'repair'), item('old-noise', 'complaint')],
        },
      ],
      'feedback-links-old',
    );
    const status = await createFeedbackActivities(s.activityDeps).departmentFollowUpStatus({ week });
    expect(status).toEqual({ total: 1, open: 1, departmentsWithOpen: ['cs'] });
  });
});
