import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { auditJobWorkflowId } from '../../api/audit-jobs.ts';
import type { AuditJobStatus } from '../../api/routes/audit-jobs.ts';
import type { CaseExport } from '../../audit/export.ts';
import type { VerifyEvent } from '../../audit/verify.ts';
import { createSession } from '../../store/sessions.ts';
import { createAuditJob, getAuditJob, getSlots, newAuditJobId } from '../../store/audit-jobs.ts';
import { seedCase } from '../support/audit-fixtures.ts';
import { uniqueId } from '../support/stack.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

const start = (body: unknown, as = 'audit-he', app: Hono = stack.app) =>
  call(app, 'POST', '/api/audit/jobs', { as, body });

async function finished(pollUrl: string, as = 'audit-he'): Promise<AuditJobStatus> {
  for (let i = 0; i < 600; i++) {
    const job = (await (await call(stack.app, 'GET', pollUrl, { as })).json()) as AuditJobStatus;
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${pollUrl} did not finish within a minute`);
}

/** Follows the download redirect to the object store, as a browser does (without the bearer token). */
async function download(
  job: AuditJobStatus,
  as = 'audit-he',
): Promise<{ text: string; type: string | null }> {
  const res = await call(stack.app, 'GET', job.downloadUrl!, { as });
  expect(res.status).toBe(303);
  const file = await fetch(res.headers.get('location')!);
  expect(file.status).toBe(200);
  expect(file.headers.get('content-disposition')).toContain(encodeURIComponent(job.fileName!));
  return { text: await file.text(), type: file.headers.get('content-type') };
}

describe('long audit reads as jobs: start, poll, download', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = uniqueId('ZG-JOB');
    await seedCase(stack.activityDeps, caseId, 3, { openedAt: '2021-03-04T02:00:00.000Z' });
  });

  it('a case export: 202 with a poll URL, then the same trail as the direct export, from the object store', async () => {
    const res = await start({ kind: 'case_export', caseId, format: 'json' });
    expect(res.status).toBe(202);
    const started = (await res.json()) as AuditJobStatus;
    expect(started).toMatchObject({
      kind: 'case_export',
      status: 'queued',
      progress: { done: 0, total: null },
    });
    expect(started.jobId).toMatch(/^job_/);
    expect(res.headers.get('location')).toBe(started.pollUrl);

    const job = await finished(started.pollUrl);
    expect(job).toMatchObject({ status: 'done', summary: { entries: 3, ok: true } });
    const { text, type } = await download(job);
    expect(type).toMatch(/^application\/json/);
    const fromJob = JSON.parse(text) as CaseExport;
    const direct = (await (
      await call(stack.app, 'GET', `/api/cases/${caseId}/export?format=json`, { as: 'audit-he' })
    ).json()) as CaseExport;
    expect(fromJob.trail).toEqual(direct.trail);
    expect(fromJob.trail.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(job.bytes).toBe(Buffer.byteLength(text));
  });

  it('a full verification: progress up to every case, its counts on the job, the NDJSON lines in the file', async () => {
    const res = await start({ kind: 'verify', progressEvery: 5 });
    expect(res.status).toBe(202);
    const job = await finished(((await res.json()) as AuditJobStatus).pollUrl);
    expect(job.status).toBe('done');
    expect(job.progress.total).toBeGreaterThanOrEqual(1);
    expect(job.progress.done).toBe(job.progress.total);
    expect(job.summary).toMatchObject({ checked: job.progress.total });
    const lines = (await download(job)).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as VerifyEvent);
    expect(lines[0]?.type).toBe('start');
    const last = lines.at(-1)!;
    expect(last.type).toBe('summary');
    if (last.type === 'summary') expect(last.checked).toBe(job.summary?.['checked']);
  });

  it('a period export as CSV: the file holds the period’s case, named for the period', async () => {
    const res = await start({ kind: 'period_export', from: '2021-03-04', to: '2021-03-04', format: 'csv' });
    expect(res.status).toBe(202);
    const job = await finished(((await res.json()) as AuditJobStatus).pollUrl);
    expect(job).toMatchObject({ status: 'done', fileName: 'audit-2021-03-04-2021-03-04.csv' });
    const { text, type } = await download(job);
    expect(type).toMatch(/^text\/csv/);
    expect(text.split('\n').filter((l) => l.includes(caseId))).toHaveLength(3);
    // Each entry's time on the campus clock too, beside the UTC `at`.
    expect(text.split('\r\n')[0]).toMatch(/,at_local \(Asia\/Shanghai\)$/);
  });

  it('a job is its starter’s: another auditor gets 404, a non-reader 403', async () => {
    const started = (await (await start({ kind: 'case_export', caseId })).json()) as AuditJobStatus;
    expect((await call(stack.app, 'GET', started.pollUrl, { as: 'admin-xu' })).status).toBe(404);
    expect((await call(stack.app, 'GET', `${started.pollUrl}/download`, { as: 'admin-xu' })).status).toBe(
      404,
    );
    expect((await call(stack.app, 'GET', started.pollUrl, { as: 'staff-zhou' })).status).toBe(403);
    expect((await start({ kind: 'verify' }, 'staff-zhou')).status).toBe(403);
    await finished(started.pollUrl);
  });

  it('bad requests name the field; an unknown case is 404; a download before the end is 409', async () => {
    const bad = await start({ kind: 'period_export', from: '2021-13-01', to: '2021-03-04' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('from');
    const reversed = await start({ kind: 'period_export', from: '2021-03-05', to: '2021-03-01' });
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('from');
    const kind = await start({ kind: 'everything' });
    expect(kind.status).toBe(400);
    expect(JSON.stringify(await kind.json())).toContain('kind');
    expect((await start({ kind: 'case_export', caseId: 'ZG-2019-999999' })).status).toBe(404);
  });

  it('a missing or unknown kind, missing dates and a malformed case number are told what to send, in both languages', async () => {
    type Problem = { errors: { field: string; message: string }[] };
    const kinds = await start({});
    expect(kinds.status).toBe(400);
    expect(((await kinds.json()) as Problem).errors).toEqual([
      {
        field: 'kind',
        message: '须为 verify（校验全部链）、period_export（导出一段时间）或 case_export（导出一个案件）之一',
      },
    ]);
    const en = await call(stack.app, 'POST', '/api/audit/jobs', {
      as: 'audit-he',
      body: { kind: 'everything' },
      headers: { 'accept-language': 'en' },
    });
    expect(((await en.json()) as Problem).errors).toEqual([
      {
        field: 'kind',
        message:
          'must be one of verify (check every chain), period_export (export a period) or case_export (export one case)',
      },
    ]);
    const undated = await start({ kind: 'period_export' });
    expect(undated.status).toBe(400);
    const dates = ((await undated.json()) as Problem).errors;
    expect(dates.map((e) => e.field).sort()).toEqual(['from', 'to']);
    for (const e of dates) expect(e.message).toMatch(/^必填：须为日期 YYYY-MM-DD.*如 2026-12-01/);
    const badCase = await start({ kind: 'case_export', caseId: '-x' });
    expect(((await badCase.json()) as Problem).errors).toEqual([
      { field: 'caseId', message: '须为案件编号，如 ZG-2026-000001' },
    ]);
  });

  it('a malformed job id is a 400 that names the field and does not echo it; a well-formed unknown one is 404', async () => {
    for (const path of [
      '/api/audit/jobs/%00',
      '/api/audit/jobs/..%2F..%2Fx/download',
      '/api/audit/jobs/job_short',
    ]) {
      const res = await call(stack.app, 'GET', path, { as: 'audit-he' });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({
        errors: [{ field: 'jobId', message: expect.stringContaining('job_3q2Xv9LmPa0bC7dE') as unknown }],
      });
      expect(text).not.toContain('../');
      expect(text).not.toContain('\\u0000');
    }
    const unknown = `/api/audit/jobs/${newAuditJobId()}`;
    expect((await call(stack.app, 'GET', unknown, { as: 'audit-he' })).status).toBe(404);
    expect((await call(stack.app, 'GET', `${unknown}/download`, { as: 'audit-he' })).status).toBe(404);
  });
});

describe('a job that cannot succeed', () => {
  it('ends failed with the reason, without retrying for ever, and gives its slot back', async () => {
    const pool = stack.deps.env.TEMPORAL_TASK_QUEUE;
    const ownerId = 'wg-chen';
    const before = await getSlots(stack.deps.aws, pool, ownerId);
    // The case vanished between the start and the run: nothing to export, which no retry changes.
    const job = await createAuditJob(
      stack.deps.aws,
      {
        jobId: newAuditJobId(),
        pool,
        ownerId,
        kind: 'case_export',
        params: { caseId: 'ZG-2019-424242', format: 'json' },
      },
      { total: 100, perPerson: 100 },
    );
    expect((await getSlots(stack.deps.aws, pool, ownerId)).mine).toBe(before.mine + 1);
    const handle = await stack.deps.temporal.workflow.start('auditJob', {
      taskQueue: pool,
      workflowId: auditJobWorkflowId(job.jobId),
      args: [{ jobId: job.jobId }],
    });
    await handle.result();
    const ended = await getAuditJob(stack.deps.aws, job.jobId);
    expect(ended).toMatchObject({ status: 'failed', error: 'there is no record or audit trail to export' });
    expect((await getSlots(stack.deps.aws, pool, ownerId)).mine).toBe(before.mine);
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).length;
    // One attempt of the read (non-retryable), one of recording the failure.
    expect(attempts).toBe(2);
  });
});

describe('the auditor’s page runs the long reads as jobs', () => {
  const web = async (personId: string) => {
    const session = await createSession(stack.deps.aws, { personId, via: 'link' });
    const cookie = `rectify_session=${session.id}`;
    return {
      get: (path: string) => stack.app.request(path, { headers: { cookie } }),
      post: (path: string, fields: Record<string, string>) =>
        stack.app.request(path, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...fields, _csrf: session.csrfToken }),
        }),
    };
  };

  it('a job page for a malformed id says there is no such job, without echoing the id', async () => {
    const who = await web('audit-he');
    for (const bad of ['%00', '..%2F..%2Fx', 'job_%3Cscript%3E']) {
      const res = await who.get(`/app/audit/jobs/${bad}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('没有您的该审计任务');
      expect(html).not.toMatch(/\.\.\/\.\.\/x|<script>/);
      expect(html).not.toContain('\u0000');
    }
  });

  it('the audit page posts its forms to the job route', async () => {
    const html = await (await (await web('audit-he')).get('/app/audit')).text();
    expect(html.match(/<form method="post" action="\/app\/audit\/jobs"/g)).toHaveLength(2);
    expect(html).toContain('name="kind" value="verify"');
    expect(html).toContain('name="kind" value="period_export"');
  });

  it('verify all: 303 to the job’s page, which refreshes while it runs, then shows the result and the download', async () => {
    const me = await web('audit-he');
    const res = await me.post('/app/audit/jobs', { kind: 'verify' });
    expect(res.status).toBe(303);
    const href = res.headers.get('location')!;
    expect(href).toMatch(/^\/app\/audit\/jobs\/job_/);
    let html = '';
    for (let i = 0; i < 600; i++) {
      html = await (await me.get(href)).text();
      if (/data-job-status="(done|failed)"/.test(html)) break;
      expect(html).toContain('http-equiv="refresh"');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(html).toContain('data-job-status="done"');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toMatch(/data-verify-all="(ok|broken)"/);
    // Times read in campus time as elsewhere on the page (the latest anchor's was raw ISO).
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
    const download = await me.get(`${href}/download`);
    expect(download.status).toBe(303);
    expect((await fetch(download.headers.get('location')!)).status).toBe(200);
    // Someone else's job is not theirs to see.
    expect((await (await web('admin-xu')).get(href)).status).toBe(404);
  });

  it('a period export form with the dates reversed is refused on the page, naming the field', async () => {
    const res = await (
      await web('audit-he')
    ).post('/app/audit/jobs', { kind: 'period_export', from: '2021-03-05', to: '2021-03-01', format: 'csv' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('开始日期须不晚于结束日期');
    // A kind the page does not offer: said in the page's words, not zod's English.
    const odd = await (await web('audit-he')).post('/app/audit/jobs', { kind: 'nope' });
    expect(odd.status).toBe(400);
    const oddPage = await odd.text();
    expect(oddPage).toContain('请选择任务');
    expect(oddPage).not.toContain('Invalid discriminator');
  });
});

describe('bounded concurrency', () => {
  // A task queue no worker polls: the jobs stay queued and keep their slots.
  let idle: Hono;
  const started: string[] = [];
  beforeAll(() => {
    idle = createApp({ ...stack.deps, env: { ...stack.deps.env, TEMPORAL_TASK_QUEUE: uniqueId('idle-tq') } });
  });
  afterAll(async () => {
    await Promise.allSettled(
      started.map((id) =>
        stack.deps.temporal.workflow.getHandle(auditJobWorkflowId(id)).terminate('test over'),
      ),
    );
  });
  const startIdle = async (as: string) => {
    const res = await start({ kind: 'verify' }, as, idle);
    if (res.status === 202) started.push(((await res.clone().json()) as AuditJobStatus).jobId);
    return res;
  };

  it('two per person and four in all; beyond either, 429 saying which limit', async () => {
    expect((await startIdle('audit-he')).status).toBe(202);
    expect((await startIdle('audit-he')).status).toBe(202);
    const mine = await startIdle('audit-he');
    expect(mine.status).toBe(429);
    expect(mine.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await mine.json()) as { detail: string }).detail).toMatch(/您已有 2 个审计任务在进行/);

    expect((await startIdle('admin-xu')).status).toBe(202);
    expect((await startIdle('wg-chen')).status).toBe(202);
    const all = await call(idle, 'POST', '/api/audit/jobs', {
      as: 'lead-huang',
      body: { kind: 'verify' },
      headers: { 'accept-language': 'en' },
    });
    expect(all.status).toBe(429);
    expect(((await all.json()) as { detail: string }).detail).toMatch(/4 audit jobs are running/);
    // The pool of the working queue is another one: jobs there still start.
    const other = await start({ kind: 'verify' }, 'lead-huang');
    expect(other.status).toBe(202);
    await finished(((await other.json()) as AuditJobStatus).pollUrl, 'lead-huang');
  });
});
