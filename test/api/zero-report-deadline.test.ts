import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../api/pages/ui.tsx';
import { gridCells } from '../../domain/zero-report.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { createSession } from '../../store/sessions.ts';
import { saveNight } from '../../store/zero-reports.ts';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

/**
 * The report page's deadline as a grid member reads it before the close, in the late hour after
 * it, and once the night takes nothing more: one deadline at a time, never "report before 22:40"
 * beside "closed (23:40)". And the board's refusal for a role that may not read it names the
 * roles that may once. Nights stored as the run stores them, in own tables, at times around now.
 */
const tables = ownTables(uniqueId('zero-deadline'));
let s: ApiStack;
const MIN = 60_000;

beforeAll(async () => {
  const aws = testDeps(testEnv(tables));
  await ensureTables(aws.ddb, aws.tables);
  s = await startApiStack({}, tables);
});
afterAll(async () => {
  await s?.stop();
});

/** A night whose close and last acceptance are `close` and `until` minutes from now (its run: `workflowId`, none by default). */
async function night(date: string, close: number, until: number, workflowId = uniqueId('zero-night')) {
  const now = Date.now();
  const closeAt = new Date(now + close * MIN).toISOString();
  const acceptUntil = new Date(now + until * MIN).toISOString();
  await saveNight(
    { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables },
    {
      night: date,
      workflowId,
      openedAt: new Date(now - 3 * 60 * MIN).toISOString(),
      closeAt,
      acceptUntil,
      cells: gridCells(s.dir),
    },
  );
  return {
    close: formatTime(closeAt, s.deps.env.CAMPUS_TZ),
    until: formatTime(acceptUntil, s.deps.env.CAMPUS_TZ),
  };
}

async function reportPage(date: string, query = '') {
  const session = await createSession(s.deps.aws, { personId: 'grid-a1c1', via: 'link' });
  const res = await s.app.request(`/zero-report/${date}/report${query}`, {
    headers: { cookie: `rectify_session=${session.id}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function boardPage(date: string) {
  const session = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
  const res = await s.app.request(`/zero-report/${date}`, {
    headers: { cookie: `rectify_session=${session.id}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe('the board before and after the close', () => {
  it('waits for silent cells until the close (no red "missing"), then marks them missing and says so', async () => {
    const before = await night('2071-04-01', 60, 120);
    const open = await boardPage('2071-04-01');
    expect(open).toContain(`上报中：${before.close} 截止`);
    expect(open).toContain('尚未上报');
    expect(open).not.toContain('badge overdue');
    // The count line says the same as the badges: not yet, not missing.
    expect(open).toMatch(/尚未上报 \d+；/);
    expect(open).not.toMatch(/未报 \d+；/);
    const after = await night('2071-04-02', -10, 50);
    const closed = await boardPage('2071-04-02');
    expect(closed).toContain(`已于 ${after.close} 截止`);
    expect(closed).toContain('badge overdue');
    expect(closed).not.toContain('尚未上报');
    expect(closed).toMatch(/，未报 \d+；/);
  });
});

describe('the report page’s deadline', () => {
  it('before the close: report before the close, the form, nothing said closed', async () => {
    const t = await night('2071-03-01', 60, 120);
    const html = await reportPage('2071-03-01');
    expect(html).toContain(`请在 ${t.close} 前上报本网格的晚归、未归情况`);
    expect(html).toContain('无晚归、未归 — 一键上报');
    expect(html).not.toContain(t.until);
    expect(html).not.toContain('截止（');
  });

  it('after the close, before the last acceptance: the deadline passed, still taken until when, the form', async () => {
    const t = await night('2071-03-02', -10, 50);
    const html = await reportPage('2071-03-02');
    expect(html).toContain(
      `上报截止时间 ${t.close} 已过，未上报的网格已报告上级。${t.until} 前仍可补报或更正`,
    );
    expect(html).not.toContain(`请在 ${t.close} 前上报`);
    expect(html).toContain('无晚归、未归 — 一键上报');
    const en = await reportPage('2071-03-02', '?lang=en');
    expect(en).toContain(`The deadline, ${t.close}, has passed`);
    // A language the app does not have is the reader's own, not a 400 page.
    expect(await reportPage('2071-03-02', '?lang=xx')).toContain(`上报截止时间 ${t.close} 已过`);
  });

  it('once over: one message saying it takes nothing more, which time was which, no “report before”, no form', async () => {
    const t = await night('2071-03-03', -120, -60);
    const html = await reportPage('2071-03-03');
    expect(html).toContain('2071-03-03 晚的零报告已结束，不再接收上报。');
    expect(html).toContain(`上报截止时间为 ${t.close}，逾时补报至 ${t.until} 为止。`);
    expect(html).not.toContain('请在');
    expect(html).not.toContain('一键上报');
    expect(html).not.toContain('name="kind"');
  });

  it('a night whose run has finished is over, however much of its late window the clock says is left', async () => {
    // A run that asks, closes and finishes at once (a night long past, no late window): its record
    // is then put back with a late window still open, as when an operator ended the run early.
    const run = await s.deps.temporal.workflow.start(zeroReportNight, {
      taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
      workflowId: uniqueId('zero-night-done'),
      args: [{ night: '2019-05-05', config: { lateMinutes: 0 } }],
    });
    expect(await run.result()).toMatchObject({ phase: 'done' });
    const t = await night('2071-03-05', -10, 50, run.workflowId);
    const html = await reportPage('2071-03-05');
    expect(html).toContain('2071-03-05 晚的零报告已结束，不再接收上报。');
    expect(html).toContain(`上报截止时间为 ${t.close}，逾时补报至 ${t.until} 为止。`);
    expect(html).not.toContain('仍可补报');
    expect(html).not.toContain('一键上报');
  });
});

describe('the board, refused', () => {
  it('names the roles that may read it once, all of them (admins and auditors too)', async () => {
    await night('2071-03-04', 60, 120);
    const res = await call(s.app, 'GET', '/zero-report/2071-03-04', { as: 'staff-zhou' });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('看板供网格员、主管、工作小组、校领导、管理员、院系联系人、审计人员查看');
    // One list of readers: no second, shorter one before it.
    expect(text.match(/看板供/g)).toHaveLength(1);
    const en = await call(s.app, 'GET', '/api/zero-reports/2071-03-04', {
      as: 'staff-lee',
      headers: { 'accept-language': 'en' },
    });
    expect(en.status).toBe(403);
    const detail = ((await en.json()) as { detail: string }).detail;
    expect(detail.match(/grid member/g)).toHaveLength(1);
    expect(detail).toContain('admin');
    expect(detail).toContain('auditor');
  });
});
