import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSessions } from '../support/page-sessions.ts';
import { addDays, localDate } from '../../domain/calendar.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { listCases } from '../../store/case-lists.ts';
import { putEvidence } from '../../store/evidence.ts';
import { signOffUpdate } from '../../workflows/rectification-case/messages.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, tokenFor, type ApiStack } from './harness.ts';

/**
 * The case pages over the real stack, driven with app.request and real
 * sessions from the session store: who sees which page and which step form,
 * double submits, CSRF, filters and exports, escaping.
 */

let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

async function get(path: string, personId: string | null, lang = 'zh-CN') {
  const headers: Record<string, string> = { 'accept-language': lang };
  if (personId) headers.cookie = `rectify_session=${(await as(personId)).id}`;
  return s.app.request(path, { headers });
}

async function post(
  path: string,
  personId: string,
  fields: Record<string, string | string[]>,
  o: { csrf?: boolean; files?: { name: string; file: File }[] } = {},
) {
  const who = await as(personId);
  const headers: Record<string, string> = { cookie: `rectify_session=${who.id}` };
  const all: [string, string][] = Object.entries(fields).flatMap(([k, v]) =>
    Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]],
  );
  if (o.csrf !== false) all.push(['_csrf', who.csrf]);
  let body: FormData | URLSearchParams;
  if (o.files) {
    const form = new FormData();
    for (const [k, v] of all) form.append(k, v);
    for (const f of o.files) form.append(f.name, f.file);
    body = form;
  } else {
    body = new URLSearchParams(all);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return s.app.request(path, { method: 'POST', headers, body });
}

const newCaseFields = (over: Record<string, string> = {}) => ({
  title: `web ${uniqueId('t')}`,
  description: '走廊灯不亮',
  source: 'inspection',
  severity: 'routine',
  category: '',
  buildingId: 'bldg-a',
  floorId: 'a-f1',
  roomId: 'A101',
  assigneeId: 'staff-zhao',
  reporterName: '',
  reporterEmail: '',
  idempotencyKey: uniqueId('idem'),
  ...over,
});

const caseIdFrom = (res: Response) =>
  /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1];

async function openCase(over: Record<string, string> = {}): Promise<string> {
  const res = await post('/app/cases/new', 'sup-wang', newCaseFields(over));
  expect(res.status).toBe(303);
  const id = caseIdFrom(res);
  expect(id).toBeDefined();
  return id ?? '';
}

/** All stored cases whose title is exactly `title`. */
async function casesTitled(title: string) {
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await listCases(s.deps.aws.ddb, s.deps.aws.tables, {
      filters: { buildingId: 'bldg-a' },
      limit: 100,
      cursor,
      keep: (v) => v.title === title,
    });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

const stepsOn = (html: string) => [...html.matchAll(/data-step="([a-z_]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

describe('web pages: who sees what', () => {
  it('sends a visitor without a session to sign in, and back after', async () => {
    const res = await get('/app/cases?stage=analysing', null);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/app/cases?stage=analysing')}`,
    );
  });

  it('shows each role its own workbench', async () => {
    const sections = async (who: string) => {
      const res = await get('/app', who);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<html lang="zh-CN">');
      return [...html.matchAll(/data-section="([a-z-]+)"/g)].map((m) => m[1]);
    };
    expect(await sections('staff-zhao')).toEqual(['waiting']);
    expect(await sections('sup-wang')).toEqual(['triage', 'waiting', 'inspections', 'overdue-buildings']);
    expect(await sections('grid-a1c1')).toEqual(['waiting', 'my-grid']);
    expect(await sections('lead-huang')).toEqual(['waiting', 'major', 'breaches']);
    const auditor = await (await get('/app', 'audit-he')).text();
    expect(auditor).toContain('role="search"');
    expect(auditor).not.toContain('data-section="waiting"');
    // English on request, with the nav the role opens.
    const en = await (await get('/app', 'audit-he', 'en')).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('href="/app/audit"');
    expect(en).not.toContain('href="/app/admin/directory"');
  });

  it('lists a new case on its assignee’s workbench, waiting for them', async () => {
    const title = `workbench ${uniqueId('w')}`;
    const id = await openCase({ title, assigneeId: 'staff-qian' });
    const html = await (await get('/app', 'staff-qian')).text();
    const waiting = html.slice(html.indexOf('data-section="waiting"'));
    expect(waiting).toContain(id);
    expect(await (await get('/app', 'staff-sun')).text()).not.toContain(id);
  });
});

describe('web pages: new case', () => {
  it('offers only the buildings the person may open cases in; staff may not open any', async () => {
    const html = await (await get('/app/cases/new', 'sup-li')).text();
    expect(html).toContain('value="bldg-b"');
    expect(html).not.toContain('<option value="bldg-a"');
    expect(html).toMatch(/name="idempotencyKey" value="[^"]+"/);
    // The assignee list names each by name and trade; the directory's id is only the value.
    expect(html).toContain('<option value="staff-wu">吴磊（维修）</option>');
    expect(html).toContain('<option value="staff-zhao">赵伟（管理）</option>');
    expect(html).not.toMatch(/<option value="staff-[a-z]+">[^<]*staff-/);
    // The category's hint names the categories as a campus user reads them, not their ids.
    expect(html).toContain('可选，如报修、卫生、安全隐患等，也可自行填写');
    expect(html).toContain('<option value="投诉（员工服务）"></option>');
    expect(html).not.toContain('safety、staff');
    const en = await (await get('/app/cases/new', 'sup-li', 'en')).text();
    expect(en).toContain('<option value="staff-wu">吴磊 (repair)</option>');
    expect(en).toContain('optional, e.g. repair, cleanliness, safety hazard, or your own');
    expect(en).toContain('<option value="Complaint about staff"></option>');
    expect((await get('/app/cases/new', 'staff-zhao')).status).toBe(403);
  });

  it('makes exactly one case when the same form is submitted twice', async () => {
    const fields = newCaseFields();
    const [a, b] = await Promise.all([
      post('/app/cases/new', 'sup-wang', fields),
      post('/app/cases/new', 'sup-wang', fields),
    ]);
    const again = await post('/app/cases/new', 'sup-wang', fields);
    for (const r of [a, b, again]) expect(r.status).toBe(303);
    const ids = new Set([caseIdFrom(a), caseIdFrom(b), caseIdFrom(again)]);
    expect(ids.size).toBe(1);
    expect(await casesTitled(fields.title)).toHaveLength(1);
  });

  it('refuses a field sent twice, or an altered submission key, and makes no case', async () => {
    const fields = newCaseFields();
    const twice = await post('/app/cases/new', 'sup-wang', {
      ...fields,
      title: [fields.title, `${fields.title}-b`],
    });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('表单字段重复（title）');
    const altered = await post('/app/cases/new', 'sup-wang', { ...fields, idempotencyKey: 'has space' });
    expect(altered.status).toBe(400);
    const page = await altered.text();
    expect(page).toContain('提交编号无效');
    // The form comes back with a fresh key and what was typed.
    expect(page).toMatch(/name="idempotencyKey" value="[0-9a-f-]{36}"/);
    expect(page).toContain(`value="${fields.title}"`);
    expect(await casesTitled(fields.title)).toHaveLength(0);
    expect(await casesTitled(`${fields.title}-b`)).toHaveLength(0);
  });

  it('refuses a POST without the CSRF token and makes no case', async () => {
    const fields = newCaseFields();
    const res = await post('/app/cases/new', 'sup-wang', fields, { csrf: false });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('data-refused="csrf"');
    expect(await casesTitled(fields.title)).toHaveLength(0);
  });

  it('refuses an oversized form with a page, before reading it', async () => {
    const res = await post(
      '/app/cases/new',
      'sup-wang',
      newCaseFields({ description: 'x'.repeat(1100 * 1024) }),
    );
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('class="flash error"');
  });

  it('shows errors next to their fields, in the reader’s language, keeping what was typed', async () => {
    const res = await post(
      '/app/cases/new',
      'sup-wang',
      newCaseFields({ title: '', description: '保留这段描述' }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="f-title-error"/);
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('保留这段描述');
    // The banner over the form, focused on load, leads to the field.
    expect(html).toMatch(/<title>错误：/);
    expect(html).toMatch(
      /<div tabindex="-1" autofocus="" data-error-summary[^>]*>[\s\S]*?<a href="#f-title">/,
    );
    const outside = await post('/app/cases/new', 'sup-li', newCaseFields({ buildingId: 'bldg-a' }));
    expect(outside.status).toBe(403);
    expect(await outside.text()).toContain('class="flash error"');
    // One who opens no cases at all is told so where the keyboard lands, on a page titled as an error.
    const staff = await get('/app/cases/new', 'staff-zhao');
    expect(staff.status).toBe(403);
    const refused = await staff.text();
    expect(refused).toMatch(/<title>错误：/);
    expect(refused).toMatch(/<div tabindex="-1" autofocus="" data-error-summary[^>]*>只有主管、网格员/);
  });

  it('a building that is no directory id is told what to choose, not shown a pattern', async () => {
    const res = await post('/app/cases/new', 'sup-wang', newCaseFields({ buildingId: 'A 栋', floorId: '' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="f-buildingId-error"[^>]*>请从列表中选择楼栋</);
    expect(html).not.toContain('must match pattern');
  });

  it('a reporter’s name without an email is told why the email is needed, not "invalid email"', async () => {
    const fields = newCaseFields({ reporterName: '张同学' });
    const res = await post('/app/cases/new', 'sup-wang', fields);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="f-reporterEmail-error"[^>]*>[^<]*填写报告人时也请填写其邮箱/);
    expect(html).not.toContain('无效');
    expect(html).toContain('value="张同学"');
    expect(await casesTitled(fields.title)).toHaveLength(0);
    // With the email it opens.
    await openCase({ reporterName: '张同学', reporterEmail: 'zhang@students.demo.edu.cn' });
  });
});

describe('web pages: the case page', () => {
  let caseId = '';
  const hostile = `<script>alert("x")</script> ${uniqueId('h')}`;
  beforeAll(async () => {
    caseId = await openCase({ title: hostile });
  });

  it('escapes a hostile title everywhere it is shown', async () => {
    const page = await (await get(`/app/cases/${caseId}`, 'sup-wang')).text();
    expect(page).not.toContain('<script>alert("x")</script>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const list = await (await get(`/app/cases?q=${encodeURIComponent(hostile)}`, 'sup-wang')).text();
    expect(list).toContain(caseId);
    expect(list).not.toContain('<script>alert("x")</script>');
  });

  it('shows another case’s file named in a description as text, not as this case’s photo', async () => {
    // A real file of the first case, named in a second case's description (typed, or pasted).
    const file = await putEvidence(s.deps, {
      caseId,
      uploaderId: 'staff-zhao',
      file: new File([fakeFiles.jpeg()], 'a.jpg', { type: 'image/jpeg' }),
    });
    const id = await openCase({ description: `门把手松动\n照片 / Photos: ${file.ref}` });
    const page = await (await get(`/app/cases/${id}`, 'sup-wang')).text();
    const dd = /<dt>描述<\/dt><dd>([\s\S]*?)<\/dd>/.exec(page)?.[1] ?? '';
    expect(dd).toContain(`照片 / Photos: ${file.ref}`);
    expect(dd).not.toContain('<img');
    // A description citing nothing is its text.
    const plain = await (await get(`/app/cases/${caseId}`, 'sup-wang')).text();
    expect(/<dt>描述<\/dt><dd>([\s\S]*?)<\/dd>/.exec(plain)?.[1]).toBe('走廊灯不亮');
  });

  it('names a category by its label in the reader’s language; a category written freely as written', async () => {
    const repair = await openCase({ category: 'repair' });
    const category = async (id: string, lang: string) =>
      /<dt>(?:类别|Category)<\/dt><dd>([^<]*)<\/dd>/.exec(
        await (await get(`/app/cases/${id}`, 'sup-wang', lang)).text(),
      )?.[1];
    expect(await category(repair, 'zh-CN')).toBe('报修');
    expect(await category(repair, 'en')).toBe('Repair');
    expect(await category(await openCase({ category: 'staff' }), 'en')).toBe('Complaint about staff');
    expect(await category(await openCase({ category: '门窗五金' }), 'en')).toBe('门窗五金');
    // A category typed by the label the hint names is that category, not a free one of its name.
    expect(await category(await openCase({ category: '安全隐患' }), 'en')).toBe('Safety hazard');
    expect(await category(await openCase({ category: 'complaint about staff' }), 'zh-CN')).toBe(
      '投诉（员工服务）',
    );
  });

  it('shows the forms of exactly the steps each person may take now', async () => {
    const sup = await get(`/app/cases/${caseId}`, 'sup-wang');
    expect(sup.status).toBe(200);
    const supHtml = await sup.text();
    expect(stepsOn(supHtml)).toEqual(['root_cause', 'withdraw', 'comment', 'reassign']);
    // Deadline with countdown, timeline; the workflow behind it is an admin's detail.
    expect(supHtml).toMatch(/还剩|已超时/);
    expect(supHtml).not.toContain(`/workflows/${caseId}`);
    expect(supHtml).not.toContain('data-temporal-event');
    expect(supHtml).toContain('登记问题');
    const adminHtml = await (await get(`/app/cases/${caseId}`, 'admin-xu')).text();
    expect(adminHtml).toContain(`/workflows/${caseId}`);
    // The event behind an entry is named in the reader's words; its technical name is on hover.
    expect(adminHtml).toMatch(
      /<span title="Temporal: [^"]+" data-temporal-event="\d+">工作流事件 #\d+<\/span>/,
    );
    expect(adminHtml).not.toMatch(/· Temporal \w+ #\d+/);
    // Reassigning names nobody until the supervisor chooses: a stray submit reassigns no one.
    const reassign = /<section[^>]*data-step="reassign"[\s\S]*?<\/section>/.exec(supHtml)?.[0] ?? '';
    expect(reassign).toMatch(
      /<select name="assigneeId" required=""[^>]*><option value="" selected="">请选择/,
    );
    const unchosen = await post(`/app/cases/${caseId}/reassign`, 'sup-wang', {
      assigneeId: '',
      reason: '人手调整',
    });
    expect(unchosen.status).toBe(400);
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.assigneeId).toBe('staff-zhao');
    // Beside the list, in the page's language alone: a choice to make in the list, not the API's
    // id rule or a pattern.
    const flash = /id="reassign-assigneeId-error">([^<]*)</.exec(await unchosen.text())?.[1] ?? '';
    expect(flash).toContain('接手人：请从列表中选择一位同事');
    expect(flash).not.toMatch(/must be|\^\[A-Za-z/);
    expect(stepsOn(await (await get(`/app/cases/${caseId}`, 'staff-zhao')).text())).toEqual([
      'root_cause',
      'comment',
      // The assignee may also ask to pause the clocks or hand the case to a colleague.
      'request_pause',
      'hand_over',
    ]);
    expect(stepsOn(await (await get(`/app/cases/${caseId}`, 'audit-he')).text())).toEqual([]);
    expect(stepsOn(await (await get(`/app/cases/${caseId}`, 'sup-smith')).text())).toContain('withdraw');
    // Another building's supervisor may not even read it.
    const other = await get(`/app/cases/${caseId}`, 'sup-li');
    expect(other.status).toBe(403);
    const refused = await other.text();
    expect(refused).toContain('class="flash error"');
    // Titled as an error, the refusal where the keyboard lands.
    expect(refused).toMatch(/<title>错误：/);
    expect(refused).toMatch(/<div tabindex="-1" autofocus=""[^>]*class="flash error" role="alert">/);
  });

  it('refuses a step the person may not take on the page again, text kept, and takes it for one who may', async () => {
    const refused = await post(`/app/cases/${caseId}/withdraw`, 'staff-zhao', { reason: '重复登记了' });
    expect(refused.status).toBe(403);
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.stage).toBe('analysing');
    const html = await refused.text();
    expect(html).toMatch(/class="summary-lead">[^<]*只有本楼栋主管可以撤销案件/);
    // What was typed comes back read-only, to copy: no form to send again.
    expect(html).not.toMatch(/<section[^>]*data-step="withdraw"/);
    const box = /<section[^>]*data-unsaved="withdraw"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(box).toContain('<textarea id="unsaved-reason" readonly="">重复登记了</textarea>');
    expect(box).not.toContain('<form');
    const page = await get(`/app/cases/${caseId}`, 'staff-zhao', 'zh-CN');
    expect(page.status).toBe(200);
    expect(stepsOn(await page.text())).not.toContain('withdraw');

    const missingWhy = await post(`/app/cases/${caseId}/root-cause`, 'sup-wang', {
      causes: '灯管老化',
      responsibleId: 'staff-zhao',
      plan: '更换灯管',
    });
    expect(missingWhy.status).toBe(400);
    expect(await missingWhy.text()).toContain('id="root_cause-why1-error"');
    // Nothing chosen or written: each field says what to do, in the page's language, no pattern.
    const empty = await post(`/app/cases/${caseId}/root-cause`, 'sup-wang', {
      why1: '灯管不亮',
      causes: '',
      responsibleId: '',
      plan: '更换灯管',
    });
    expect(empty.status).toBe(400);
    const emptyPage = await empty.text();
    expect(emptyPage).toContain('至少写一条根本原因');
    expect(emptyPage).toContain('请选择责任人');
    expect(emptyPage).not.toMatch(/正则|give at least one|\^\[A-Za-z/);

    const ok = await post(`/app/cases/${caseId}/root-cause`, 'sup-wang', {
      why1: '灯管不亮',
      why2: '灯管老化',
      causes: '灯管老化\n巡检未发现',
      responsibleId: 'staff-zhao',
      plan: '更换灯管并加入周查',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/app/cases/${caseId}`);
    const record = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(record?.stage).toBe('awaiting_signoff');
    expect(record?.rootCause?.whys).toEqual(['灯管不亮', '灯管老化']);
    expect(record?.rootCause?.causes).toEqual(['灯管老化', '巡检未发现']);
    const after = await (await get(`/app/cases/${caseId}`, 'sup-wang')).text();
    expect(stepsOn(after)).not.toContain('root_cause');
    expect(after).toContain('提交原因分析与整改方案');
  });

  it('takes a comment and shows it, in English when asked', async () => {
    const res = await post(`/app/cases/${caseId}/comment`, 'staff-zhao', {
      text: 'spare tubes <b>ordered</b>',
    });
    expect(res.status).toBe(303);
    const html = await (await get(`/app/cases/${caseId}`, 'staff-zhao', 'en')).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('What I can do now');
    expect(html).toContain('Comment added');
    expect(html).toContain('spare tubes &lt;b&gt;ordered&lt;/b&gt;');
    const tooLong = await post(`/app/cases/${caseId}/comment`, 'staff-zhao', { text: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('id="comment-text-error"');
  });

  it('takes a rectification with a photo posted with the form (no JavaScript) and shows its thumbnail', async () => {
    await s.deps.temporal.workflow.getHandle(caseId).executeUpdate(signOffUpdate, {
      args: [{ actor: { id: 'staff-zhao', roles: ['staff'] }, decision: 'confirm' }],
    });
    const png = new File([new Uint8Array(fakeFiles.png())], 'lamp.png', { type: 'image/png' });
    const pdf = new File([new Uint8Array(fakeFiles.pdf())], 'invoice.pdf', { type: 'application/pdf' });
    const res = await post(
      `/app/cases/${caseId}/rectification`,
      'staff-zhao',
      { summary: '已更换灯管', evidenceText: '' },
      {
        files: [
          { name: 'photos[]', file: png },
          { name: 'photos[]', file: pdf },
        ],
      },
    );
    expect(res.status).toBe(303);
    const record = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(record?.stage).toBe('reviewing');
    expect(record?.rectifications[0]?.evidence[0]).toMatch(
      /^evidence:ev_[A-Za-z0-9_-]{16}#sha256=[0-9a-f]{64}$/,
    );
    const html = await (await get(`/app/cases/${caseId}`, 'sup-wang')).text();
    expect(html).toMatch(/<img src="\/api\/evidence\/ev_[A-Za-z0-9_-]{16}"/);
    // The PDF is a link to open, not an image that cannot load.
    const pdfRef = record?.rectifications[0]?.evidence[1] ?? '';
    const pdfId = /ev_[A-Za-z0-9_-]{16}/.exec(pdfRef)?.[0];
    expect(pdfId).toBeDefined();
    expect(html).toMatch(
      new RegExp(
        `<a href="/api/evidence/${pdfId}"[^>]*data-evidence-file="application/pdf">文件 2 · PDF</a>`,
      ),
    );
    expect(html).not.toContain(`<img src="/api/evidence/${pdfId}"`);
    expect(stepsOn(html)).toContain('review');

    const failed = await post(`/app/cases/${caseId}/review`, 'sup-wang', { passed: 'false', notes: '' });
    expect(failed.status).toBe(400);
    expect(await failed.text()).toContain('id="review-notes-error"');
    // No result chosen (or one that is neither): asked for, never taken as a pass.
    for (const fields of [{ notes: '' }, { passed: 'maybe', notes: '' }] as Record<string, string>[]) {
      const unchosen = await post(`/app/cases/${caseId}/review`, 'sup-wang', fields);
      expect(unchosen.status).toBe(400);
      expect(await unchosen.text()).toContain('请选择复查结果：合格或不合格');
    }
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.stage).toBe('reviewing');
    // The form offers both results with neither chosen.
    expect(html).not.toMatch(/name="passed" value="true"[^>]*checked/);
  });
});

describe('web pages: what a floor’s grid member is offered', () => {
  const navHrefs = (html: string) =>
    [...(/<nav[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '').matchAll(/href="([^"?]+)/g)].map((m) => m[1]);

  it('no triage in the menu (only a building’s level-1 members triage); a new case on their own floor only', async () => {
    const home = await (await get('/app', 'grid-a1f')).text();
    expect(navHrefs(home)).not.toContain('/app/triage');
    expect(navHrefs(await (await get('/app', 'grid-a1')).text())).toContain('/app/triage');
    // The button leads to a form, not a 403, offering Dormitory A's first floor and its rooms alone.
    expect(home).toContain('href="/app/cases/new"');
    const res = await get('/app/cases/new', 'grid-a1f');
    expect(res.status).toBe(200);
    const form = await res.text();
    const floors = [...form.matchAll(/<option value="(a-f\d|b-f\d)"/g)].map((m) => m[1]);
    expect(floors).toEqual(['a-f1']);
    const rooms = [...form.matchAll(/<option value="([AB]\d{3})"/g)].map((m) => m[1]);
    expect(rooms.length).toBeGreaterThan(0);
    expect(rooms.every((r) => r?.startsWith('A1'))).toBe(true);
    // No blank "whole building" choice the API would refuse them; the blank room (the whole floor) stays.
    expect(form).not.toContain('（整栋）');
    expect(form).toMatch(/<select[^>]*name="floorId"[^>]*required/);
    expect(form).toContain('（整层或公共区域）');
    expect(await (await get('/app/cases/new', 'sup-wang')).text()).toContain('（整栋）');
    // And the case opens there.
    const made = await post('/app/cases/new', 'grid-a1f', newCaseFields({ floorId: 'a-f1', roomId: 'A101' }));
    expect(made.status).toBe(303);
    expect(caseIdFrom(made)).toMatch(/^ZG-/);
  });

  it('a room’s grid member is offered the rooms of their own group', async () => {
    const form = await (await get('/app/cases/new', 'grid-a1c1')).text();
    const rooms = [...form.matchAll(/<option value="([AB]\d{3})"/g)].map((m) => m[1]);
    expect(rooms).toEqual(['A101', 'A102', 'A103', 'A104', 'A105']);
    // A room must be chosen: neither a whole building nor a whole floor is theirs.
    expect(form).not.toContain('（整栋）');
    expect(form).not.toContain('（整层或公共区域）');
    expect(form).toMatch(/<select[^>]*name="roomId"[^>]*required/);
    expect(navHrefs(form)).not.toContain('/app/triage');
    // The nightly zero report is theirs to file: it is in the menu, and the menu leads to a page.
    expect(navHrefs(form)).toContain('/zero-report');
    const zero = await get('/zero-report', 'grid-a1c1');
    expect(zero.status).toBeLessThan(400);
  });
});

describe('web pages: the site icon', () => {
  it('is in the page itself, so no page view asks for a /favicon.ico that is not served', async () => {
    for (const path of ['/app', '/app/cases', '/login'])
      expect(await (await get(path, path === '/login' ? null : 'sup-wang')).text()).toMatch(
        /<link rel="icon" href="data:image\/svg\+xml,%3Csvg/,
      );
  });
});

describe('web pages: deciding a pause', () => {
  it('decides only on approve or reject: anything else (or nothing) is asked for again, never an approval', async () => {
    const id = await openCase();
    expect(
      (await post(`/app/cases/${id}/pause`, 'staff-zhao', { reason: 'waiting_for_parts', note: '等配件' }))
        .status,
    ).toBe(303);
    const pauseState = async () =>
      (await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, id))?.pauses?.at(-1)?.state;
    expect(await pauseState()).toBe('requested');
    for (const fields of [{ approve: 'maybe', notes: '' }, { notes: '' }] as Record<string, string>[]) {
      const res = await post(`/app/cases/${id}/pause/decision`, 'sup-wang', fields);
      expect(res.status).toBe(400);
      const form =
        /<section[^>]*data-step="decide_pause"[\s\S]*?<\/section>/.exec(await res.text())?.[0] ?? '';
      expect(form).toMatch(/<fieldset aria-invalid="true">/);
      // Beside the fieldset under its legend (审批结果): the schema's own words.
      expect(/class="field-error">([^<]*)</.exec(form)?.[1]).toBe('请选择批准或驳回');
      expect(await pauseState()).toBe('requested');
    }
    expect(
      (await post(`/app/cases/${id}/pause/decision`, 'sup-wang', { approve: 'false', notes: '先修' })).status,
    ).toBe(303);
    expect(await pauseState()).toBe('rejected');
  });

  it('a handling form posted for something that is no case number gets the page that says so', async () => {
    for (const step of ['arrived', 'pause/decision', 'hand-over']) {
      const res = await post(`/app/cases/%00/${step}`, 'staff-zhao', {});
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('没有这个案件编号');
    }
  });
});

describe('web pages: the case list and its exports', () => {
  const tag = uniqueId('tag');
  let urgent = '';
  beforeAll(async () => {
    urgent = await openCase({ title: `=${tag} urgent`, severity: 'urgent', floorId: 'a-f2', roomId: 'A201' });
    await openCase({ title: `${tag} routine`, severity: 'routine' });
  });

  it('filters by title text, severity and floor', async () => {
    const all = await (await get(`/app/cases?q=${tag}`, 'sup-wang')).text();
    expect(all.match(new RegExp(`${tag} (urgent|routine)`, 'g'))).toHaveLength(2);
    const onlyUrgent = await (await get(`/app/cases?q=${tag}&severity=urgent`, 'sup-wang')).text();
    expect(onlyUrgent).toContain(urgent);
    expect(onlyUrgent).not.toContain(`${tag} routine`);
    const floor = await (await get(`/app/cases?q=${tag}&floorId=a-f1`, 'sup-wang')).text();
    expect(floor).not.toContain(urgent);
    const sorted = await (await get(`/app/cases?q=${tag}&sort=severity`, 'sup-wang')).text();
    expect(sorted.indexOf(`${tag} urgent`)).toBeLessThan(sorted.indexOf(`${tag} routine`));
    // Other buildings' supervisors see none of it; bad filters are a 400 page, not a 500.
    expect(await (await get(`/app/cases?q=${tag}`, 'sup-li')).text()).toContain('没有符合条件的案件');
    expect((await get('/app/cases?stage=nonsense', 'sup-wang')).status).toBe(400);
  });

  it('pages through the filtered list, newest first or sorted, without repeats', async () => {
    for (const sort of ['opened', 'severity']) {
      const seen: string[] = [];
      let next: string | undefined = `/app/cases?q=${tag}&limit=1&sort=${sort}`;
      while (next && seen.length < 5) {
        const html = await (await get(next, 'sup-wang')).text();
        seen.push(
          ...[...html.matchAll(/<span class="muted">(ZG-\d{4}-\d+)<\/span>/g)].map((m) => m[1] ?? ''),
        );
        next = /<a class="button secondary" href="([^"]+)" rel="next">/
          .exec(html)?.[1]
          ?.replace(/&amp;/g, '&');
      }
      expect(seen).toHaveLength(2);
      expect(new Set(seen).size).toBe(2);
      expect(seen).toContain(urgent);
    }
  });

  it('exports the filtered list as CSV and XLSX', async () => {
    const csvRes = await get(`/app/cases/export.csv?q=${tag}&severity=urgent`, 'sup-wang');
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    const csv = await csvRes.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('案件编号');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(urgent);
    // A title that starts a formula is neutralised for spreadsheets.
    expect(lines[1]).toContain(`"'=${tag} urgent"`);

    const xlsxRes = await get(`/app/cases/export.xlsx?q=${tag}`, 'sup-wang', 'en');
    expect(xlsxRes.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsxRes.arrayBuffer());
    const sheet = book.worksheets[0];
    expect(sheet?.name).toBe('Cases');
    expect(sheet?.getRow(1).getCell(1).value).toBe('Case');
    const titles = [2, 3].map((r) => String(sheet?.getRow(r).getCell(2).value));
    expect(titles.sort()).toEqual([`${tag} routine`, `=${tag} urgent`].sort());
  });

  it('exports every matching case whatever paging a pasted list address carries, as its links ask', async () => {
    const plain = await (await get(`/app/cases/export.csv?q=${tag}`, 'sup-wang')).text();
    for (const paging of ['cursor=garbage', 'cursor=x&page=zero&limit=0', 'page=2&limit=1']) {
      for (const ext of ['csv', 'xlsx']) {
        const res = await get(`/app/cases/export.${ext}?q=${tag}&${paging}`, 'sup-wang');
        expect([ext, paging, res.status]).toEqual([ext, paging, 200]);
        if (ext === 'csv') expect(await res.text()).toBe(plain);
      }
    }
    // A filter is still checked: a bad one is refused, as on the list page.
    expect((await get(`/app/cases/export.csv?buildingId=A%20B`, 'sup-wang')).status).toBe(400);
  });
});

describe('web pages: errors a browser reads', () => {
  const html = { accept: 'text/html,application/xhtml+xml', 'accept-language': 'zh-CN' };
  it('answers a browser on a page address with a page, and API clients with problem+json', async () => {
    const cookie = `rectify_session=${(await as('sup-wang')).id}`;
    // A path parameter the route's schema refuses (a round id has a page of its own for that).
    const bad = await s.app.request('/zero-report/2026-02-30', { headers: { ...html, cookie } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('text/html');
    const badPage = await bad.text();
    expect(badPage).toContain('data-problem-status="400"');
    // What is wrong is said in words on the page (the date, not `night`), not "see errors".
    expect(badPage).toContain('地址中的日期有误');
    expect(badPage).not.toContain('见 errors');
    expect(bad.headers.get('cache-control')).toBe('no-store');
    const missing = await s.app.request('/no/such/page', { headers: html });
    expect(missing.status).toBe(404);
    const page = await missing.text();
    expect(page).toContain('role="alert"');
    expect(page).toContain('返回工作台');
    // Titled as an error, the message where the keyboard lands.
    expect(page).toMatch(/<title>错误：/);
    expect(page).toMatch(/<div tabindex="-1" autofocus=""[^>]*data-problem-status="404"/);
    // The API keeps its problem+json whatever the Accept header; so does a script asking for nothing.
    const api = await s.app.request('/api/no-such-route', { headers: html });
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const script = await s.app.request('/zero-report/2026-02-30', { headers: { cookie } });
    expect(script.headers.get('content-type')).toContain('application/problem+json');
  });

  it('the case list takes in the whole day its "to" names, and not the day after', async () => {
    const caseId = await openCase({ title: `date bound ${uniqueId('t')}` });
    const record = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    const today = localDate(record!.openedAt, s.deps.env.CAMPUS_TZ);
    const yesterday = addDays(today, -1);
    const listed = async (q: string) =>
      (await (await get(`/app/cases?buildingId=bldg-a&${q}`, 'sup-wang')).text()).includes(caseId);
    expect(await listed(`from=${today}&to=${today}`)).toBe(true);
    expect(await listed(`from=${yesterday}&to=${yesterday}`)).toBe(false);
  });

  it('answers a list query it cannot serve with a 400 that says what is wrong, paging included', async () => {
    const said = async (q: string) => {
      const res = await get(`/app/cases?${q}`, 'sup-wang');
      return { status: res.status, html: await res.text() };
    };
    const zero = await said('limit=0');
    expect(zero.status).toBe(400);
    expect(zero.html).toMatch(/data-field="limit"[^>]*>每页条数（1–100）：须为 1 到 100 之间的整数/);
    expect((await said('limit=500')).status).toBe(400);
    // A cursor that is not one of ours, and a range that ends before it starts.
    const cursor = await said('cursor=garbage');
    expect(cursor.status).toBe(400);
    expect(cursor.html).toContain('class="flash error"');
    const reversed = await said('from=2026-03-02&to=2026-03-01');
    expect(reversed.status).toBe(400);
    // Titled as an error, the summary focused on load and leading to the filter it marks, named
    // by the form's labels (not the query's "to 须晚于 from").
    expect(reversed.html).toMatch(/<title>错误：[^<]*<\/title>/);
    const summary = /<div [^>]*data-error-summary[\s\S]*?<\/div>/.exec(reversed.html)?.[0] ?? '';
    expect(summary).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    const href = /<a href="#([^"]+)">登记日期至：不能早于“登记日期从”<\/a>/.exec(summary)?.[1];
    expect(href).toBe('flt-to');
    expect(reversed.html).toMatch(
      new RegExp(`<input id="${href}" name="to" aria-describedby="${href}-error" aria-invalid="true"`),
    );
    expect(reversed.html).not.toContain('to 须晚于 from');
    // A filter the form offers is linked; paging, with no control, is said in the summary only.
    const stage = await said('stage=bogus&limit=0');
    expect(stage.html).toMatch(/<li data-field="stage"><a href="#flt-stage">环节：/);
    expect(stage.html).toMatch(
      /<select id="flt-stage" name="stage" aria-describedby="flt-stage-error" aria-invalid="true"/,
    );
    expect(stage.html).toMatch(/<li data-field="limit">每页条数/);
    // A building the supervisor does not supervise is the building filter's problem.
    const notTheirs = await said('buildingId=bldg-b');
    expect(notTheirs.status).toBe(400);
    expect(notTheirs.html).toMatch(
      /<li data-field="buildingId"><a href="#flt-buildingId">楼栋：主管只能查看所管楼栋的案件（学生公寓B栋不归您管）<\/a>/,
    );
    expect(notTheirs.html).toMatch(
      /<select id="flt-buildingId" name="buildingId" aria-describedby="flt-buildingId-error" aria-invalid="true"/,
    );
    const ok = await said('limit=5');
    expect(ok.status).toBe(200);
    expect(ok.html).not.toMatch(/<title>错误/);
    expect(ok.html).not.toContain('data-error-summary');
  });

  it('refuses a night that is not a date with a 400, not "has not opened"', async () => {
    const token = await tokenFor('sup-wang');
    for (const night of ['2026-02-30', '0000-01-01']) {
      const res = await s.app.request(`/api/zero-reports/${night}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect([night, res.status]).toEqual([night, 400]);
    }
  });

  it('names a step refused for the stage by the stage’s name, not its id', async () => {
    const caseId = await openCase({ title: `stage words ${uniqueId('t')}` });
    const token = await tokenFor('sup-wang');
    const early = await s.app.request(`/api/cases/${caseId}/review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ passed: true, notes: 'ok' }),
    });
    expect(early.status).toBe(409);
    const detail = ((await early.json()) as { detail: string }).detail;
    expect(detail).toContain('「原因分析」');
    expect(detail).not.toContain('（analysing）');
  });
});
