import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionHandler } from '../../api/deps.ts';
import { signReportLink } from '../../domain/report-link.ts';
import { issueLink } from '../../store/links.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { TEST_SIGNING_KEYS, uniqueId } from '../support/stack.ts';
import { call, outcomeOf, startApiStack, type ApiStack } from './harness.ts';

/**
 * What a fuzz probe of the running app found people and scripts being told: a page refusing a
 * mail's utm_source, a page's refusal in the API's terms ("见 errors", `night`), an email link with a
 * mail client's trailing full stop called malformed, a weekly-report link opened as an action
 * "never issued", reversed dates refused as a scope problem, one error listed twice, and a
 * body-less route describing the body it does not take.
 */
const probeAck: ActionHandler = {
  describe: async (claims) => ({
    title: { zh: '确认', en: 'Acknowledge' },
    summary: { zh: '探测用的确认', en: 'A probe acknowledgement' },
    statement: { zh: `本人已阅读 ${claims.caseId}。`, en: `I have read ${claims.caseId}.` },
  }),
  perform: async () => ({ message: { zh: '已确认', en: 'Acknowledged' } }),
};

let s: ApiStack;
const as = pageSessions(() => s.deps.aws);
beforeAll(async () => {
  s = await startApiStack({ extraActions: { probe_ack: probeAck } });
});
afterAll(async () => {
  await s?.stop();
});

const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'zh-CN' };
async function page(path: string, personId: string, init: { method?: string; lang?: string } = {}) {
  const cookie = `rectify_session=${(await as(personId)).id}`;
  return s.app.request(path, {
    method: init.method ?? 'GET',
    headers: { ...browser, 'accept-language': init.lang ?? 'zh-CN', cookie },
  });
}
interface Problem {
  detail: string;
  errors?: { field: string; message: string }[];
}

describe('the duties page takes what a link carries besides its filters', () => {
  it('ignores a parameter it does not know and a lang the chooser does not know, as every page does', async () => {
    for (const query of ['utm_source=mail', 'lang=zh', 'utm_source=mail&lang=zh&buildingId=bldg-a']) {
      const res = await call(s.app, 'GET', `/duties?${query}`, { as: 'sup-wang' });
      expect([query, res.status]).toEqual([query, 200]);
    }
    const one = await call(
      s.app,
      'GET',
      `/duties/duty.manager-round.bldg-a.2026-12-04?utm_source=mail&lang=zh`,
      {
        as: 'sup-wang',
      },
    );
    expect(one.status).not.toBe(400);
  });

  it('still checks its own filters, and the API stays strict', async () => {
    expect((await call(s.app, 'GET', '/duties?limit=0', { as: 'sup-wang' })).status).toBe(400);
    const api = await call(s.app, 'GET', '/api/duties/occurrences?utm_source=mail', { as: 'sup-wang' });
    expect(api.status).toBe(400);
    expect(((await api.json()) as Problem).errors?.[0]?.field).toBe('(query)');
  });
});

describe('a page refusing its address says so as a sentence for a person', () => {
  it('names the date by what it is, without "见 errors" or the parameter name, both languages', async () => {
    const res = await page('/zero-report/2026-13-45', 'sup-wang');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('地址中的日期有误');
    expect(html).toContain('The date in the address is not right');
    expect(html.indexOf('地址中的日期有误')).toBeLessThan(html.indexOf('The date in the address'));
    expect(html).not.toContain('见 errors');
    expect(html).not.toContain('<code>night</code>');
    // In English first for a reader who reads English.
    const en = await (await page('/zero-report/2026-13-45', 'sup-wang', { lang: 'en' })).text();
    expect(en.indexOf('The date in the address')).toBeLessThan(en.indexOf('地址中的日期有误'));
  });

  it('calls a duty occurrence id an id (编号)', async () => {
    const html = await (await page('/duties/%F0%9F%98%80', 'sup-wang')).text();
    expect(html).toContain('地址中的编号有误');
    expect(html).not.toContain('见 errors');
    expect(html).not.toContain('occurrenceId');
  });

  it('keeps the API problem+json with its errors list', async () => {
    const res = await call(s.app, 'GET', '/api/duties/occurrences?from=2026-13-45', {
      as: 'sup-wang',
      headers: browser,
    });
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const p = (await res.json()) as Problem;
    expect(p.detail).toBe('查询参数有 1 处错误，见 errors');
    expect(p.errors?.map((e) => e.field)).toEqual(['from']);
  });
});

describe('page addresses asked with a method they do not take', () => {
  it('answers 405 with Allow and a page, not "no such page"', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await page('/app', 'sup-wang', { method });
      expect([method, res.status]).toEqual([method, 405]);
      expect(res.headers.get('allow')).toContain('GET');
      const html = await res.text();
      expect(html).toContain('data-problem-status="405"');
      expect(html).toContain(`不接受 ${method} 请求`);
    }
    const form = await page('/duties/duty.manager-round.bldg-a.2026-12-04', 'sup-wang', { method: 'PUT' });
    expect(form.status).toBe(405);
    expect(form.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await form.text()).toContain('用页面上的表单提交');
    // Signed out, and before the session's CSRF check would call it a forgery.
    const signedOut = await s.app.request('/app/cases', { method: 'DELETE', headers: browser });
    expect(signedOut.status).toBe(405);
    // A page that does not exist is still a 404.
    expect((await page('/no/such/page', 'sup-wang', { method: 'PUT' })).status).toBe(404);
  });
});

describe('email links', () => {
  const random = (n: number) => new Uint8Array(randomBytes(n));

  it('a weekly report link opened as an action link is told where it belongs, with a link there', async () => {
    const { token } = signReportLink(
      { scope: { week: '2014-W11' }, recipientId: 'wg-chen', now: new Date() },
      TEST_SIGNING_KEYS,
      random,
    );
    const res = await s.app.request(`/actions/${token}`);
    const html = await res.text();
    expect(outcomeOf(html)).toBe('report_link');
    expect(html).toContain('周报');
    expect(html).not.toContain('链接未登记');
    expect(html).toContain(`href="/reports/${token}"`);
  });

  it('a report link with what a mail client added after it opens as the link itself', async () => {
    const { token } = signReportLink(
      { scope: { week: '2014-W11' }, recipientId: 'wg-chen', now: new Date() },
      TEST_SIGNING_KEYS,
      random,
    );
    const clean = await s.app.request(`/reports/${token}`);
    const cleanOutcome = { status: clean.status, outcome: outcomeOf(await clean.text()) };
    for (const tail of ['.', '%20', ')', '%E3%80%82']) {
      const res = await s.app.request(`/reports/${token}${tail}`);
      expect([tail, res.status, outcomeOf(await res.text())]).toEqual([
        tail,
        cleanOutcome.status,
        cleanOutcome.outcome,
      ]);
    }
  });

  it('an action link with a trailing full stop or space opens, and its form posts to the clean link', async () => {
    const { token } = await issueLink(
      { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables, keys: TEST_SIGNING_KEYS },
      {
        caseId: uniqueId('PROBE'),
        step: 'probe_ack',
        round: 0,
        recipientId: 'staff-lee',
        action: 'acknowledge',
      },
    );
    for (const tail of ['.', '%20', '.%20', ',']) {
      const res = await s.app.request(`/actions/${token}${tail}`);
      const html = await res.text();
      expect([tail, res.status, outcomeOf(html)]).toEqual([tail, 200, 'ready']);
      expect(html).toContain(`action="/actions/${token}"`);
    }
  });
});

describe('refusals that name the right problem once', () => {
  it('reversed KPI dates are said to be reversed before any scope question', async () => {
    const res = await call(s.app, 'GET', '/api/kpis?from=2027-01-01&to=2026-01-01', { as: 'sup-wang' });
    expect(res.status).toBe(400);
    const p = (await res.json()) as Problem;
    expect(p.errors?.[0]?.field).toBe('from');
    expect(p.detail).not.toContain('buildingId');
  });

  it('lists an out-of-range limit or a malformed date once', async () => {
    for (const path of [
      '/api/cases?limit=99999999999999999999',
      '/api/duties/occurrences?limit=99999999999999999999',
      '/api/duties/occurrences?to=99999-01-01',
    ]) {
      const p = (await (await call(s.app, 'GET', path, { as: 'sup-wang' })).json()) as Problem;
      expect([path, p.errors?.length]).toEqual([path, 1]);
    }
  });

  it('a body sent to the evidence confirmation is told the route takes none', async () => {
    const res = await call(s.app, 'POST', '/api/evidence/ev-none/confirm', {
      as: 'staff-zhou',
      body: { note: 'x'.repeat(20_000) },
    });
    expect(res.status).toBe(413);
    const p = (await res.json()) as Problem;
    expect(p.detail).toContain('不需要请求体');
    expect(p.detail).not.toContain('文件的说明');
  });
});
