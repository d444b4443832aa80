import { describe, expect, it } from 'vitest';
import { createSession } from '../../store/sessions.ts';
import {
  createAuditJob,
  finishAuditJob,
  newAuditJobId,
  reportAuditJobProgress,
  startAuditJob,
} from '../../store/audit-jobs.ts';
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

/** The focused summary: its opening tag and its links. */
const summaryOf = (html: string) =>
  /<div tabindex="-1" autofocus=""[^>]*data-error-summary[^>]*>[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

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

    // What the job has done, counted in cases.
    await startAuditJob(s.deps.aws, job.jobId);
    const progressOf = (html: string) => /data-job-progress="[^"]*">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    const notCounted = await (await me.get(href)).text();
    expect(progressOf(notCounted)).toBe('已处理 0 件案件');
    expect(progressOf(await (await (await web('audit-he', 'en')).get(href)).text())).toBe(
      'Processed 0 cases',
    );
    await reportAuditJobProgress(s.deps.aws, job.jobId, { done: 1, total: 202 });
    expect(progressOf(await (await me.get(href)).text())).toMatch(
      /^<progress[^>]*><\/progress> 1 \/ 202 件案件$/,
    );
    expect(progressOf(await (await (await web('audit-he', 'en')).get(href)).text())).toMatch(
      /^<progress[^>]*><\/progress> 1 of 202 cases$/,
    );
    await reportAuditJobProgress(s.deps.aws, job.jobId, { done: 1, total: null });
    expect(progressOf(await (await (await web('audit-he', 'en')).get(href)).text())).toBe('Processed 1 case');

    await finishAuditJob(s.deps.aws, job, { status: 'failed', error: 'stopped for the test' });
    const ended = await (await me.get(href)).text();
    expect(ended).toContain('data-job-status="failed"');
    expect(ended).not.toContain('http-equiv="refresh"');
    expect(ended).not.toContain('自动刷新');
  });
});

describe('a case export’s job page', () => {
  it('counts no cases: the export is of one', async () => {
    const job = await createAuditJob(
      s.deps.aws,
      {
        jobId: newAuditJobId(),
        pool: uniqueId('pages-pool'),
        ownerId: 'audit-he',
        kind: 'case_export',
        params: { caseId: 'ZG-2026-000001', format: 'json' },
      },
      { total: 10, perPerson: 10 },
    );
    await startAuditJob(s.deps.aws, job.jobId);
    const html = await (await (await web('audit-he')).get(`/app/audit/jobs/${job.jobId}`)).text();
    expect(html).toContain('data-job-status="running"');
    expect(html).not.toContain('data-job-progress');
    expect(html).not.toContain('件案件');
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
  it('a building that does not exist: titled as an error, the summary focused and linking the field', async () => {
    const res = await (await web('audit-he')).get('/app/audit?q=&building=bldg-none&stage=&from=&to=');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>错误：审计/);
    const summary = summaryOf(html);
    expect(summary).toContain('role="alert"');
    expect(summary).toContain('<a href="#audit-building">没有楼栋 bldg-none</a>');
    expect(html).toMatch(
      /<select id="audit-building" name="building" aria-invalid="true" aria-describedby="audit-building-error">/,
    );
    expect(html).toContain('<p class="field-error" id="audit-building-error">没有楼栋 bldg-none</p>');
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

  it('a malformed date: named by its label, the field described by its error', async () => {
    const res = await (await web('audit-he')).get('/app/audit?q=&from=2026-13-45');
    expect(res.status).toBe(400);
    const html = await res.text();
    const summary = summaryOf(html);
    expect(summary).toMatch(/<a href="#audit-from">立案起（含）：/);
    expect(summary).not.toContain('from：');
    expect(html).toMatch(
      /<input id="audit-from"[^>]*aria-invalid="true" aria-describedby="audit-from-error"/,
    );
    expect(html).toMatch(/<p class="field-error" id="audit-from-error">立案起（含）：[^<]+<\/p>/);
  });

  it('a page position that does not fit: said in a capitalised sentence, linking a heading that takes focus', async () => {
    const res = await (await web('audit-he', 'en')).get('/app/audit?q=x&cursor=not-a-cursor');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(summaryOf(html)).toMatch(/<a href="#audit-search-h">[A-Z]/);
    expect(html).toMatch(/<h2 id="audit-search-h"[^>]*tabindex="-1"/);
  });

  it('a field given twice is refused, not searched by its first value', async () => {
    const res = await (await web('audit-he')).get('/app/audit?q=a&q=b');
    expect(res.status).toBe(400);
    expect(summaryOf(await res.text())).toContain(
      '<a href="#audit-q">案件编号或标题：地址中给了 2 个，只能给一个</a>',
    );
  });

  it('a search that is fine is no error', async () => {
    const html = await (await (await web('audit-he')).get('/app/audit?q=nothing-matches-this')).text();
    expect(html).not.toContain('data-error-summary');
    expect(html).not.toMatch(/<title>错误：/);
  });
});

describe('verifying one case', () => {
  it('is offered from the audit page, and without a case number is a form to give one', async () => {
    const auditor = await web('audit-he');
    const home = await (await auditor.get('/app/audit')).text();
    expect(home).toContain('<a href="/app/audit/verify" data-verify-one="">校验一个案件</a>');
    const res = await auditor.get('/app/audit/verify');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('data-error-summary');
    expect(html).toMatch(/<form method="get" action="\/app\/audit\/verify"/);
    expect(html).toMatch(
      /<label for="verify-case-id">案件编号<\/label><input id="verify-case-id" name="caseId"/,
    );
    expect(html).toContain('<button type="submit">校验</button>');
  });

  it('with a bad or unknown case number, says so above the form, the number kept to correct', async () => {
    const auditor = await web('audit-he');
    const bad = await auditor.get('/app/audit/verify?caseId=not%20an%20id!');
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(summaryOf(badHtml)).toMatch(/<a href="#verify-case-id">案件编号：/);
    expect(badHtml).toMatch(
      /<input id="verify-case-id" name="caseId" value="not an id!"[^>]*aria-invalid="true" aria-describedby="verify-case-id-error"/,
    );
    const empty = await auditor.get('/app/audit/verify?caseId=');
    expect(empty.status).toBe(400);
    expect(summaryOf(await empty.text())).toMatch(/<a href="#verify-case-id">案件编号：/);
    const unknown = await auditor.get('/app/audit/verify?caseId=ZG-2099-00000000');
    expect(unknown.status).toBe(404);
    expect(summaryOf(await unknown.text())).toContain('没有案件 ZG-2099-00000000 的记录或审计轨迹');
  });

  it('with the case number given twice, verifies neither', async () => {
    const res = await (
      await web('audit-he', 'en')
    ).get('/app/audit/verify?caseId=ZG-2099-00000001&caseId=ZG-2099-00000002');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(summaryOf(html)).toContain(
      '<a href="#verify-case-id">Case number: the address gives 2; give one</a>',
    );
    expect(html).not.toContain('/export?format=csv');
  });
});
