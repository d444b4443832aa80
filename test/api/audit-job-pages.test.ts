import { describe, expect, it } from 'vitest';
import { createSession } from '../../store/sessions.ts';
import { createAuditJob, finishAuditJob, newAuditJobId } from '../../store/audit-jobs.ts';
import { uniqueId } from '../support/stack.ts';
import { useApiStack } from './harness.ts';

/**
 * The auditor's job forms on /app/audit when a job is refused (the audit page again, the form as
 * filled in, the fields named by their labels), the job route's own address opened by a GET, and
 * the job page saying it reloads itself while the job runs and not once it has ended.
 */
const s = useApiStack();

async function web(personId: string, lang?: 'en') {
  const session = await createSession(s.deps.aws, { personId, via: 'link' });
  const cookie = `rectify_session=${session.id}${lang ? `; rectify_lang=${lang}` : ''}`;
  return {
    get: (path: string) => s.app.request(path, { headers: { cookie } }),
    post: (path: string, fields: Record<string, string>) =>
      s.app.request(path, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, _csrf: session.csrfToken }),
      }),
  };
}

/** The period export form of a page, from its opening tag to its end. */
const exportForm = (html: string) => {
  const at = html.indexOf('name="kind" value="period_export"');
  expect(at).toBeGreaterThan(-1);
  return html.slice(html.lastIndexOf('<form', at), html.indexOf('</form>', at));
};

describe('the period export form, refused', () => {
  it('with the dates reversed: the audit page again, the dates and choices kept, the fields named by their labels', async () => {
    const building = s.dir.buildings[0]?.id ?? '';
    const res = await (
      await web('audit-he')
    ).post('/app/audit/jobs', {
      kind: 'period_export',
      from: '2021-03-05',
      to: '2021-03-01',
      building,
      format: 'json',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    const form = exportForm(html);
    expect(form).toContain('开始日期须不晚于结束日期');
    expect(form).toMatch(/name="from"[^>]*value="2021-03-05"/);
    expect(form).toMatch(/name="to"[^>]*value="2021-03-01"/);
    expect(form).toMatch(/name="from"[^>]*aria-invalid="true"/);
    expect(form).toContain(`<option value="${building}" selected`);
    expect(form).toContain('<option value="json" selected');
    // The rest of the audit page is there too: the search and verify-all.
    expect(html).toContain('name="kind" value="verify"');
    expect(html).toContain('role="search"');
    expect(html).not.toContain('from must be on or before to');
  });

  it('in English, says the start and end dates, not "from" and "to"', async () => {
    const res = await (
      await web('audit-he', 'en')
    ).post('/app/audit/jobs', { kind: 'period_export', from: '2021-03-05', to: '2021-03-01' });
    expect(res.status).toBe(400);
    const form = exportForm(await res.text());
    expect(form).toContain('The start date must be on or before the end date');
    expect(form).toContain('Start date');
    expect(form).not.toContain('from must be on or before to');
  });

  it('with a date missing: that field named by its label, the other date kept', async () => {
    const res = await (
      await web('audit-he')
    ).post('/app/audit/jobs', { kind: 'period_export', from: '2021-03-05', to: '' });
    expect(res.status).toBe(400);
    const form = exportForm(await res.text());
    expect(form).toContain('结束日期：');
    expect(form).not.toContain('结束日期：结束日期');
    expect(form).toMatch(/name="from"[^>]*value="2021-03-05"/);
    expect(form).toMatch(/name="to"[^>]*aria-invalid="true"/);
  });

  it('GET on the form’s address (a reload, a bookmark) leads to the audit page, not a 404', async () => {
    const res = await (await web('audit-he')).get('/app/audit/jobs');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/audit#audit-jobs-h');
  });

  it('the audit page lists the caller’s own jobs with their state and a link, not anyone else’s', async () => {
    const me = await web('audit-he');
    const started = await me.post('/app/audit/jobs', { kind: 'verify' });
    expect(started.status).toBe(303);
    const href = started.headers.get('location') ?? '';
    expect(href).toMatch(/^\/app\/audit\/jobs\/job_/);
    // Temporal's list of workflows catches up within moments.
    let html = '';
    for (let i = 0; i < 50 && !html.includes(`<a href="${href}">`); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      html = await (await me.get('/app/audit')).text();
    }
    expect(html).toContain('我的审计任务');
    expect(html).toContain(`<a href="${href}">校验全部审计链</a>`);
    expect(html).toMatch(/data-own-job="job_[^"]+" data-job-status="(queued|running|done|failed)"/);
    const other = await (await web('wg-chen')).get('/app/audit');
    expect(await other.text()).not.toContain(`<a href="${href}">`);
  });
});

describe('the job page while the job runs', () => {
  it('reloads itself and says so, with a link to reload now; once ended, neither', async () => {
    const pool = uniqueId('pages-pool');
    const job = await createAuditJob(
      s.deps.aws,
      {
        jobId: newAuditJobId(),
        pool,
        ownerId: 'audit-he',
        kind: 'verify',
        params: {},
      },
      { total: 10, perPerson: 10 },
    );
    const me = await web('audit-he');
    const href = `/app/audit/jobs/${job.jobId}`;
    const queued = await (await me.get(href)).text();
    expect(queued).toContain('data-job-status="queued"');
    expect(queued).toContain('<meta http-equiv="refresh" content="2"');
    expect(queued).toContain('此页每 2 秒自动刷新');
    expect(queued).toContain(`<a href="${href}">立即刷新</a>`);

    await finishAuditJob(s.deps.aws, job, { status: 'failed', error: 'stopped for the test' });
    const ended = await (await me.get(href)).text();
    expect(ended).toContain('data-job-status="failed"');
    expect(ended).not.toContain('http-equiv="refresh"');
    expect(ended).not.toContain('自动刷新');
  });
});

describe('an audit job that is not the reader’s', () => {
  it('is a 404 page titled as an error, said where the keyboard lands, with the way back', async () => {
    const res = await (await web('audit-he')).get(`/app/audit/jobs/${newAuditJobId()}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toMatch(/<title>错误：[^<]*<\/title>/);
    expect(html).toMatch(
      /<div tabindex="-1" autofocus="" data-error-summary[^>]*role="alert" data-problem-status="404">没有您的该审计任务<\/div>/,
    );
    expect(html).toContain('<a href="/app/audit">返回审计</a>');
  });
});

describe('the audit search, refused', () => {
  /** The focused summary: its opening tag and its links. */
  const summaryOf = (html: string) =>
    /<div tabindex="-1" autofocus=""[^>]*data-error-summary[^>]*>[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

  it('a building that does not exist: titled as an error, the summary focused and linking the field', async () => {
    const res = await (await web('audit-he')).get('/app/audit?q=&building=bldg-none&stage=&from=&to=');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>错误：审计/);
    const summary = summaryOf(html);
    expect(summary).toContain('role="alert"');
    expect(summary).toContain('<a href="#audit-building">没有楼栋 bldg-none</a>');
    expect(html).toMatch(/<select id="audit-building" name="building" aria-invalid="true">/);
    expect(html).not.toMatch(/<select id="audit-stage"[^>]*aria-invalid/);
  });

  it('dates reversed, in English: the summary links the start date', async () => {
    const res = await (await web('audit-he', 'en')).get('/app/audit?q=&from=2026-03-05&to=2026-03-01');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>Error: Audit/);
    expect(summaryOf(html)).toContain('<a href="#audit-from">');
    expect(html).toMatch(/<input id="audit-from"[^>]*aria-invalid="true"/);
  });

  it('a malformed page trail: the summary sends the reader to the search to start again', async () => {
    const res = await (await web('audit-he')).get(`/app/audit?q=x&back=${encodeURIComponent('<x>')}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>错误：/);
    expect(summaryOf(html)).toMatch(/<a href="#audit-search-h">上一页位置：/);
  });

  it('a search that is fine is no error', async () => {
    const html = await (await (await web('audit-he')).get('/app/audit?q=nothing-matches-this')).text();
    expect(html).not.toContain('data-error-summary');
    expect(html).not.toMatch(/<title>错误：/);
  });
});
