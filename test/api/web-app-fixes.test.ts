import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSessions } from '../support/page-sessions.ts';
import { readChain } from '../../store/audit-chain.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { evidenceClient, getEvidence, putEvidence } from '../../store/evidence.ts';
import { opsKey } from '../../store/keys.ts';
import { createSession, secretHash } from '../../store/sessions.ts';
import { signOffUpdate } from '../../workflows/rectification-case/messages.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { startApiStackOn, type ApiStack } from './harness.ts';

/**
 * The signed-in pages where a person's work could be lost or misread: the auditor's verify
 * re-hashes the photos, a step form sent after the session ended comes back to its case, a new
 * case is not made twice by Back and submit, step forms answer a repeat as the first, and the
 * workbench keeps its most overdue cases. Own tables, so counts and lists hold only this file's.
 */
const tables = ownTables(uniqueId('webfix'));
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

async function get(path: string, personId: string | null, lang = 'zh-CN') {
  const headers: Record<string, string> = { 'accept-language': lang };
  if (personId) headers.cookie = `rectify_session=${(await as(personId)).id}`;
  return s.app.request(path, { headers });
}

async function post(
  path: string,
  personId: string | null,
  fields: Record<string, string | string[]>,
  o: { files?: { name: string; file: File }[]; lang?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { 'accept-language': o.lang ?? 'zh-CN', ...o.headers };
  const all: [string, string][] = Object.entries(fields).flatMap(([k, v]) =>
    Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]],
  );
  if (personId) {
    const who = await as(personId);
    headers.cookie = `rectify_session=${who.id}`;
    all.push(['_csrf', who.csrf]);
  }
  let body: FormData | URLSearchParams;
  if (o.files) {
    const form = new FormData();
    for (const [k, v] of all) form.append(k, v);
    for (const f of o.files) form.append(f.name, f.file);
    body = form;
  } else {
    body = new URLSearchParams(all);
    headers['content-type'] = 'application/x-www-form-urlencoded';
    // As a browser sends it.
    headers['content-length'] = String(Buffer.byteLength(body.toString()));
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

/** A case taken through analysis and sign-off to a rectification with one photo; its reference. */
async function rectifiedWithPhoto(): Promise<{ caseId: string; ref: string }> {
  const caseId = await openCase();
  const analysed = await post(`/app/cases/${caseId}/root-cause`, 'sup-wang', {
    why1: '灯管不亮',
    causes: '灯管老化',
    responsibleId: 'staff-zhao',
    plan: '更换灯管',
  });
  expect(analysed.status).toBe(303);
  await s.deps.temporal.workflow.getHandle(caseId).executeUpdate(signOffUpdate, {
    args: [{ actor: { id: 'staff-zhao', roles: ['staff'] }, decision: 'confirm' }],
  });
  const png = new File([new Uint8Array(fakeFiles.png())], 'lamp.png', { type: 'image/png' });
  const res = await post(
    `/app/cases/${caseId}/rectification`,
    'staff-zhao',
    { summary: '已更换灯管', evidenceText: '' },
    { files: [{ name: 'photos[]', file: png }] },
  );
  expect(res.status).toBe(303);
  const record = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
  const ref = record?.rectifications[0]?.evidence[0] ?? '';
  expect(ref).toMatch(/^evidence:ev_/);
  return { caseId, ref };
}

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  await s?.stop();
});

describe('the auditor’s verify re-hashes the photos', () => {
  it('one case and every case: files checked, a replaced photo named with what is wrong', async () => {
    const { caseId, ref } = await rectifiedWithPhoto();
    const evidenceId = /ev_[A-Za-z0-9_-]{16}/.exec(ref)![0];
    const intact = await (await get(`/app/audit/verify?caseId=${caseId}`, 'audit-he')).text();
    expect(intact).toContain('data-verify="ok"');
    expect(intact).toContain('data-files="ok"');
    expect(intact).toContain('已重新计算 1 个文件的哈希，全部与审计记录一致');

    // Someone with write access to the bucket replaces the photo.
    const record = await getEvidence(s.deps, evidenceId);
    await evidenceClient(s.deps.env).send(
      new PutObjectCommand({
        Bucket: s.deps.env.EVIDENCE_BUCKET,
        Key: record!.sealedKey ?? record!.key,
        Body: fakeFiles.jpeg(300),
        ContentType: 'image/png',
      }),
    );
    const zh = await (await get(`/app/audit/verify?caseId=${caseId}`, 'audit-he')).text();
    expect(zh).toContain('data-verify="broken"');
    expect(zh).toContain('审计链完整，但有照片或文件与记录不符');
    expect(zh).toContain(`data-broken-file="${evidenceId}"`);
    expect(zh).toContain('data-file-problem="swapped"');
    expect(zh).toContain('文件被替换');
    const en = await (await get(`/app/audit/verify?caseId=${caseId}`, 'audit-he', 'en')).text();
    expect(en).toContain('1 file hashed again, 1 not matching the audit trail');
    expect(en).toContain('the file was replaced');

    // The verify-all job, run by the worker, checks the files too.
    const started = await post('/app/audit/jobs', 'audit-he', { kind: 'verify' });
    expect(started.status).toBe(303);
    const href = started.headers.get('location')!;
    let html = '';
    for (let i = 0; i < 600; i++) {
      html = await (await get(href, 'audit-he')).text();
      if (/data-job-status="(done|failed)"/.test(html)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(html).toContain('data-job-status="done"');
    expect(html).toContain('data-verify-all="broken"');
    expect(html).toMatch(
      new RegExp(`<li data-case="${caseId}" data-broken-file="${evidenceId}" data-file-problem="swapped">`),
    );
    expect(html).toMatch(/照片与文件：已重新计算 \d+ 个文件的哈希，1 个与审计记录不符/);
    // The page's own verify-all reads the same.
    const all = await (await get('/app/audit/verify-all', 'audit-he', 'en')).text();
    expect(all).toContain(`data-broken-file="${evidenceId}"`);
    expect(all).toContain('1 not matching the audit trail');
  });
});

describe('the auditor page’s period export', () => {
  it('reads at most the API’s 366 days a request and points a longer period to the export job', async () => {
    const zh = await get('/app/audit/export?from=2020-01-01&to=2026-01-01', 'audit-he');
    expect(zh.status).toBe(400);
    const html = await zh.text();
    expect(html).toContain('一次导出最多 366 天，所选时段有 2193 天');
    expect(html).toContain('href="/app/audit#audit-export-h"');
    const en = await (await get('/app/audit/export?from=2020-01-01&to=2026-01-01', 'audit-he', 'en')).text();
    expect(en).toContain('one export covers at most 366 days and this period spans 2193');
    const year = await get('/app/audit/export?from=2026-01-01&to=2026-12-31&format=csv', 'audit-he');
    expect(year.status).toBe(200);
    expect(year.headers.get('content-type')).toMatch(/csv/);
  });
});

describe('a step form sent after the session ended', () => {
  it('signs in back to the case page, which says it was not saved and shows the typed text again', async () => {
    const caseId = await openCase();
    for (const step of ['comment', 'root-cause', 'rectification', 'review', 'withdraw']) {
      const res = await post(`/app/cases/${caseId}/${step}`, null, { text: `typed ${step}` });
      expect(res.status).toBe(302);
      const next = new URL(res.headers.get('location')!, 'http://x').searchParams.get('next');
      expect(next).toBe(`/app/cases/${caseId}?unsaved=1`);
    }
    const text = `灯管已订 ${uniqueId('c')}`;
    // Another site posting to a signed-out browser plants nothing for the form to show as typed.
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
      {},
    ];
    for (const headers of foreign) {
      const planted = await post(`/app/cases/${caseId}/comment`, null, { text: '钓鱼' }, { headers });
      expect(planted.status).toBe(302);
      expect(planted.headers.get('set-cookie') ?? '').not.toContain('rectify_unsaved');
    }
    const res = await post(
      `/app/cases/${caseId}/comment`,
      null,
      { text, _csrf: 'stale' },
      { headers: { 'sec-fetch-site': 'same-origin' } },
    );
    const kept = /rectify_unsaved=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
    expect(kept).toBeDefined();
    const next = new URL(res.headers.get('location')!, 'http://x').searchParams.get('next')!;
    const back = await s.app.request(next, {
      headers: { cookie: `rectify_session=${(await as('staff-zhao')).id}; ${kept}` },
    });
    expect(back.status).toBe(200);
    const html = await back.text();
    expect(html).toContain('登录已过期或尚未登录，本次提交没有保存');
    expect(html).toMatch(new RegExp(`<textarea[^>]*name="text"[^>]*>${text}</textarea>`));
    // Read once: the cookie is cleared.
    expect(back.headers.get('set-cookie')).toMatch(/rectify_unsaved=;/);
    // In English too; and the new-case form comes back to the new-case page.
    const en = await get(next, 'staff-zhao', 'en');
    expect(await en.text()).toContain('so that submission was not saved');
    const fresh = await post('/app/cases/new', null, newCaseFields());
    expect(new URL(fresh.headers.get('location')!, 'http://x').searchParams.get('next')).toBe(
      '/app/cases/new?unsaved=1',
    );
    // A session that has just ended names its person: the text comes back to them, not to
    // whoever signs in next on the same browser.
    const lapsed = await createSession(s.deps.aws, { personId: 'staff-zhao', via: 'link' });
    await s.deps.aws.ddb.send(
      new UpdateItemCommand({
        TableName: s.deps.aws.tables.ops,
        Key: marshall(opsKey.session(secretHash(lapsed.id))),
        UpdateExpression: 'SET lastSeenAt = :old, absoluteExpiresAt = :old',
        ExpressionAttributeValues: marshall({ ':old': 1_000 }),
      }),
    );
    const theirs = `只给赵 ${uniqueId('z')}`;
    const form = new URLSearchParams({ text: theirs, _csrf: lapsed.csrfToken }).toString();
    const sent = await s.app.request(`/app/cases/${caseId}/comment`, {
      method: 'POST',
      headers: {
        cookie: `rectify_session=${lapsed.id}`,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(form)),
        'sec-fetch-site': 'same-origin',
      },
      body: form,
    });
    expect(sent.status).toBe(302);
    const bound = /rectify_unsaved=[^;]+/.exec(sent.headers.get('set-cookie') ?? '')?.[0];
    expect(bound).toBeDefined();
    const openAs = async (personId: string) =>
      (
        await s.app.request(`/app/cases/${caseId}?unsaved=1`, {
          headers: { cookie: `rectify_session=${(await as(personId)).id}; ${bound}` },
        })
      ).text();
    expect(await openAs('sup-wang')).not.toContain(theirs);
    expect(await openAs('staff-zhao')).toContain(theirs);
    // Signing out drops text kept for whoever signs in next.
    // A session of its own: the file's other tests keep theirs.
    const session = await createSession(s.deps.aws, { personId: 'staff-zhao', via: 'link' });
    const who = { id: session.id, csrf: session.csrfToken };
    const out = await s.app.request('/logout', {
      method: 'POST',
      headers: {
        cookie: `rectify_session=${who.id}; ${kept}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: who.csrf }).toString(),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/rectify_unsaved=;/);
  });
});

const hiddenKey = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1];

describe('new case: Back and submit again', () => {
  it('a fresh key with the same title, place and assignee minutes later is asked about, not opened twice', async () => {
    const fields = newCaseFields();
    const first = await post('/app/cases/new', 'sup-wang', fields);
    expect(first.status).toBe(303);
    const firstId = caseIdFrom(first)!;
    // The same page sent again (double click): answered as the first, no notice.
    const again = await post('/app/cases/new', 'sup-wang', fields);
    expect(caseIdFrom(again)).toBe(firstId);
    // Back, then submit: the page had a new key.
    const back = await post('/app/cases/new', 'sup-wang', { ...fields, idempotencyKey: uniqueId('idem') });
    expect(back.status).toBe(409);
    const html = await back.text();
    expect(html).toContain(`data-repeat-of="${firstId}"`);
    expect(html).toContain(`看起来是重复提交：案件 ${firstId}`);
    expect(html).toContain(`href="/app/cases/${firstId}"`);
    expect(html).toContain(`name="openAnyway" value="${firstId}"`);
    // Titled as an error, the summary focused on load and leading to the box that confirms it.
    expect(html).toMatch(/<title>错误：[^<]*<\/title>/);
    const summary = /<div [^>]*data-error-summary[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    expect(summary).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    const href = /<a href="#([^"]+)">这是另一个问题，仍然新建案件<\/a>/.exec(summary)?.[1];
    expect(href).toBe('f-openAnyway');
    expect(html).toMatch(new RegExp(`<input type="checkbox" id="${href}" name="openAnyway"`));
    // What was typed is kept.
    expect(html).toContain(`value="${fields.title}"`);
    // Ticked: opened all the same, as a second case.
    const anyway = await post('/app/cases/new', 'sup-wang', {
      ...fields,
      idempotencyKey: hiddenKey(html)!,
      openAnyway: firstId,
    });
    expect(anyway.status).toBe(303);
    expect(caseIdFrom(anyway)).not.toBe(firstId);
    // Another room is another problem: no notice.
    const other = await post('/app/cases/new', 'sup-wang', {
      ...fields,
      roomId: 'A102',
      idempotencyKey: uniqueId('idem'),
    });
    expect(other.status).toBe(303);
  });
});

describe('new case: a key used for another submission', () => {
  it('comes back with a fresh key and says so, so the next submit can succeed', async () => {
    const key = uniqueId('idem');
    const opened = await post('/app/cases/new', 'sup-wang', newCaseFields({ idempotencyKey: key }));
    expect(opened.status).toBe(303);
    const conflict = await post('/app/cases/new', 'sup-wang', newCaseFields({ idempotencyKey: key }));
    expect(conflict.status).toBe(409);
    const html = await conflict.text();
    // The page's own words, not the API's key.
    expect(html).toContain(`这份表单已经新建了案件 ${caseIdFrom(opened)!}，本次没有新建案件`);
    expect(html).not.toContain('Idempotency-Key');
    expect(html).not.toContain('提交编号');
    const fresh = hiddenKey(html);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(key);
    const title = /name="title"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? '';
    const retry = await post('/app/cases/new', 'sup-wang', newCaseFields({ idempotencyKey: fresh!, title }));
    expect(retry.status).toBe(303);
  });
});

describe('texts a person reads instead of internal names', () => {
  it('a stale step in English names the stages by their English labels', async () => {
    const caseId = await openCase();
    const res = await post(
      `/app/cases/${caseId}/review`,
      'sup-wang',
      { passed: 'true', notes: '' },
      { lang: 'en' },
    );
    // Refused by the stage: the case page again with the refusal's own words (no one overtook
    // this form: the case never reached review), not "already moved on by".
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).not.toContain('already moved on');
    expect(html).toContain(
      'The case is now at “Analysing”, where this cannot be done (it needs “Reviewing”)',
    );
    expect(html).not.toMatch(/step review is not open|analysing;/);
  });

  it('the causes box has the schema’s bound', async () => {
    const caseId = await openCase();
    const html = await (await get(`/app/cases/${caseId}`, 'sup-wang')).text();
    expect(html).toMatch(
      /<textarea[^>]*name="causes"[^>]*maxlength="20019"|<textarea[^>]*maxlength="20019"[^>]*name="causes"/,
    );
    // The responsible staff member is picked by name and trade; the directory's id is only the value.
    const responsible = html.slice(html.indexOf('name="responsibleId"'));
    const options = responsible.slice(0, responsible.indexOf('</select>'));
    expect(options).toContain('<option value="staff-wu">吴磊（维修）</option>');
    expect(options).not.toMatch(/>[^<]*staff-/);
  });

  it('a room not on the floor chosen is said beside the room, and the banner names the field', async () => {
    for (const [lang, room, banner] of [
      ['zh-CN', '房间 A201 不在所选楼层', '没有新建案件，请修改：房间'],
      ['en', 'room A201 is not on the floor chosen', 'No case was opened; correct: Room'],
    ] as const) {
      const res = await post('/app/cases/new', 'sup-wang', newCaseFields({ roomId: 'A201' }), { lang });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(room);
      expect(html).toContain(banner);
      expect(html).toContain('id="f-roomId-error"');
      expect(html).not.toContain('buildingId&quot;');
      expect(html).not.toContain('/api/directory/buildings');
    }
  });
});

describe('step forms carry a submission key', () => {
  it('the same comment sent twice at once, or again later, is recorded once and answered as the first', async () => {
    const caseId = await openCase();
    const html = await (await get(`/app/cases/${caseId}`, 'staff-zhao')).text();
    const form = /<form[^>]*action="\/app\/cases\/[^"]+\/comment"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
    const key = /name="submissionKey" value="([^"]+)"/.exec(form)?.[1];
    expect(key).toBeDefined();
    // Too long first: refused, and the key stays free for the corrected text.
    const long = await post(`/app/cases/${caseId}/comment`, 'staff-zhao', {
      text: 'x'.repeat(501),
      submissionKey: key!,
    });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain(`name="submissionKey" value="${key}"`);
    const text = `两次 ${uniqueId('c')}`;
    const both = await Promise.all([
      post(`/app/cases/${caseId}/comment`, 'staff-zhao', { text, submissionKey: key! }),
      post(`/app/cases/${caseId}/comment`, 'staff-zhao', { text, submissionKey: key! }),
    ]);
    expect(both.map((r) => r.status)).toEqual([303, 303]);
    const later = await post(`/app/cases/${caseId}/comment`, 'staff-zhao', { text, submissionKey: key! });
    expect(later.status).toBe(303);
    const flash = later.headers.get('set-cookie')?.split(';')[0] ?? '';
    const shown = await s.app.request(`/app/cases/${caseId}`, {
      headers: { cookie: `rectify_session=${(await as('staff-zhao')).id}; ${flash}` },
    });
    expect(await shown.text()).toContain('备注已添加（重复提交，未再次记录）');
    const chain = await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(chain.filter((e) => JSON.stringify(e.payload).includes(text))).toHaveLength(1);
    // A new rendering of the form has a new key: a second comment is a second comment.
    const again = await (await get(`/app/cases/${caseId}`, 'staff-zhao')).text();
    expect(again).not.toContain(`value="${key}"`);
  });
});

describe('the workbench with a long backlog', () => {
  it('keeps the most overdue cases on top however many newer ones a stage holds, and pages each section', async () => {
    // A real case's record, copied: 110 newer cases in analysing, and 3 older ones long overdue.
    const model = (await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, await openCase()))!;
    const base = Date.parse('2026-01-05T02:00:00.000Z');
    const overdueIds: string[] = [];
    const put = async (n: number, overdue: boolean) => {
      const caseId = `ZG-2026-${9_100_000 + n}`;
      const openedAt = new Date(base + n * 60_000).toISOString();
      const deadlines = model.deadlines.map((d, i) =>
        i === 0
          ? {
              ...d,
              due: overdue
                ? new Date(base + n * 60_000 + 3_600_000).toISOString()
                : '2099-01-01T00:00:00.000Z',
              closedAt: undefined,
            }
          : d,
      );
      const view = {
        ...model,
        caseId,
        openedAt,
        title: `backlog ${n}`,
        stage: 'analysing' as const,
        overdue,
        deadlines,
      };
      await s.deps.aws.ddb.send(
        new PutItemCommand({ TableName: s.deps.aws.tables.cases, Item: caseRecordItem(view) }),
      );
      if (overdue) overdueIds.push(caseId);
    };
    for (let n = 0; n < 3; n++) await put(n, true);
    await Promise.all(Array.from({ length: 110 }, (_, i) => put(1000 + i, false)));

    const html = await (await get('/app', 'staff-zhao')).text();
    const waiting = /<section[^>]*data-section="waiting"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    const rows = [...waiting.matchAll(/href="\/app\/cases\/(ZG-[0-9-]+)"/g)].map((m) => m[1]);
    expect(rows.slice(0, 3).sort()).toEqual([...overdueIds].sort());
    expect(rows.length).toBeLessThanOrEqual(20);
    expect(waiting).toMatch(/data-section-rows="1–20\/\d+"/);
    const next = /href="([^"]+)" rel="next"/.exec(waiting)?.[1]?.replaceAll('&amp;', '&');
    // The next page is named by the last row's due time and case number, not by a position.
    expect(next).toMatch(/^\/app\?waiting=n\.[A-Za-z0-9_-]+#waiting$/);
    const second = await (await get(next?.split('#')[0] ?? '', 'staff-zhao')).text();
    const page2 = /<section[^>]*data-section="waiting"[\s\S]*?<\/section>/.exec(second)?.[0] ?? '';
    expect(page2).toContain('rel="prev"');
    const rows2 = [...page2.matchAll(/href="\/app\/cases\/(ZG-[0-9-]+)"/g)].map((m) => m[1]);
    expect(rows2.length).toBeGreaterThan(0);
    expect(rows2.some((id) => rows.includes(id))).toBe(false);
  });
});

describe('photos on the rectification form', () => {
  it('a form refused for another field comes back with its uploaded photos, each removable; an unticked one is left out', async () => {
    const { caseId } = await rectifiedWithPhoto();
    // Back to rectifying: the review fails.
    const failed = await post(`/app/cases/${caseId}/review`, 'sup-wang', {
      passed: 'false',
      notes: '仍漏水',
    });
    expect(failed.status).toBe(303);
    const file = (name: string) => new File([new Uint8Array(fakeFiles.png())], name, { type: 'image/png' });
    const good = await putEvidence(s.deps, { caseId, uploaderId: 'staff-zhao', file: file('good.png') });
    const wrong = await putEvidence(s.deps, { caseId, uploaderId: 'staff-zhao', file: file('wrong.png') });
    // Sent with the script's two references and one photo posted with the form, but no summary.
    const refused = await post(
      `/app/cases/${caseId}/rectification`,
      'staff-zhao',
      { summary: '', evidenceText: '', 'evidence[]': [good.ref, wrong.ref] },
      { files: [{ name: 'photos[]', file: file('posted.png') }] },
    );
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const kept = [
      ...html.matchAll(/<input type="checkbox" name="evidence\[\]" value="([^"]+)" checked/g),
    ].map((m) => m[1]);
    expect(kept).toHaveLength(3);
    expect(kept.slice(0, 2)).toEqual([good.ref, wrong.ref]);
    expect(html).toContain('data-remove');
    // The page's script reports each file that failed, by name, and attaches nothing twice.
    expect(html).toContain('未上传（请重新选择）');
    expect(html).not.toContain('上传失败，照片将随表单提交');
    // The wrong one unticked (or removed): the rest go with the corrected form.
    const ok = await post(`/app/cases/${caseId}/rectification`, 'staff-zhao', {
      summary: '已更换阀芯',
      evidenceText: '',
      'evidence[]': [kept[0]!, kept[2]!],
    });
    expect(ok.status).toBe(303);
    const record = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(record?.rectifications.at(-1)?.evidence).toEqual([kept[0], kept[2]]);
  });
});

describe('the handling forms', () => {
  it('refuse a field sent twice instead of taking the last', async () => {
    const caseId = await openCase();
    const res = await post(`/app/cases/${caseId}/reassign`, 'sup-wang', {
      assigneeId: ['staff-zhou', 'staff-zhao'],
      reason: '换人',
    });
    // Refused beside the form, with what was typed kept (case-handling-forms.test.ts).
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('表单字段重复（assigneeId），没有执行');
    expect(html).toContain('value="换人"');
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.assigneeId).toBe('staff-zhao');
  });
});

describe('the case list pages back as well as forward', () => {
  it('上一页 walks back through cursor pages and sorted pages to the very pages seen going forward', async () => {
    const tag = uniqueId('pager');
    const ids: string[] = [];
    for (let n = 0; n < 4; n++)
      ids.push(await openCase({ title: `${tag} ${n}`, severity: n % 2 ? 'urgent' : 'routine' }));
    // Pages compared forward and back must be of the same cases as they stand: each opened, its
    // first deadline set, before the walk (a case still opening changes its due time and place).
    for (const id of ids)
      await expect
        .poll(async () => (await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, id))?.stage, {
          timeout: 30_000,
        })
        .toBe('analysing');
    const idsOn = (html: string) =>
      [...html.matchAll(/<span class="muted">(ZG-\d{4}-\d+)<\/span>/g)].map((m) => m[1]);
    const link = (html: string, rel: string) =>
      new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replaceAll('&amp;', '&');
    for (const sort of ['opened', 'severity']) {
      const forward: { path: string; ids: (string | undefined)[] }[] = [];
      let path: string | undefined = `/app/cases?q=${tag}&limit=1&sort=${sort}`;
      while (path) {
        const html = await (await get(path, 'sup-wang')).text();
        forward.push({ path, ids: idsOn(html) });
        if (forward.length === 1) expect(link(html, 'prev')).toBeUndefined();
        path = link(html, 'next');
      }
      // Every case once. A page read by cursor past cases the text filter leaves out may hold
      // none of them, so there may be more pages than cases.
      const seen = forward.flatMap((p) => p.ids);
      expect(seen.sort()).toEqual([...ids].sort());
      expect(forward.length).toBeGreaterThanOrEqual(4);
      // From the last page back to the first, each 上一页 lands on the page seen before it.
      let at = forward.at(-1)!.path;
      for (let i = forward.length - 2; i >= 0; i--) {
        const html = await (await get(at, 'sup-wang')).text();
        expect(html).toContain('上一页');
        const prev = link(html, 'prev');
        expect(prev).toBeDefined();
        at = prev ?? '';
        expect(idsOn(await (await get(at, 'sup-wang')).text())).toEqual(forward[i]!.ids);
      }
    }
    // A cursor pasted without its trail still pages on, with only the first-page link back.
    const second = link(await (await get(`/app/cases?q=${tag}&limit=1`, 'sup-wang')).text(), 'next') ?? '';
    const pasted = second.replace(/&back=[^&]*/, '');
    const html = await (await get(pasted, 'sup-wang')).text();
    expect(link(html, 'prev')).toBeUndefined();
    expect(html).toContain('回到第一页');
    // A trail that is not cursors is a 400 page naming it, not a 500.
    const bad = await get(`/app/cases?q=${tag}&back=${encodeURIComponent('<x>')}`, 'sup-wang');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('上一页位置');
  });
});

describe('the case list export', () => {
  it('writes a category as the case page shows it, in the reader’s language', async () => {
    const tag = uniqueId('cat');
    await openCase({ title: `${tag} kind`, category: 'repair' });
    await openCase({ title: `${tag} free`, category: '门禁' });
    const zh = await (await get(`/app/cases/export.csv?q=${tag}`, 'sup-wang')).text();
    expect(zh).toMatch(new RegExp(`"${tag} kind",[^\\r]*"报修"`));
    expect(zh).toMatch(new RegExp(`"${tag} free",[^\\r]*"门禁"`));
    expect(zh).not.toContain('"repair"');
    const en = await (await get(`/app/cases/export.csv?q=${tag}`, 'sup-wang', 'en')).text();
    expect(en).toMatch(new RegExp(`"${tag} kind",[^\\r]*"Repair"`));
  });
});

describe('an error page for a signed-in person', () => {
  it('keeps the app’s menu and sign-out', async () => {
    const who = await as('sup-wang');
    const res = await s.app.request('/duties/no-such-occurrence', {
      headers: { cookie: `rectify_session=${who.id}`, accept: 'text/html', 'accept-language': 'zh-CN' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const html = await res.text();
    expect(html).toContain('data-problem-status');
    expect(html).toContain('<a href="/app/cases"');
    expect(html).toMatch(new RegExp(`name="_csrf" value="${who.csrf}"`));
  });
});

describe('a case list page read past cases the text filter leaves out', () => {
  it('says later pages may hold some, rather than that nothing matches', async () => {
    const tag = uniqueId('far');
    const match = await openCase({ title: `${tag} 要找的` });
    // Thirty newer cases of the same building that the text filter leaves out: more than one
    // page's reads pass over them.
    const model = (await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, match))!;
    const now = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        s.deps.aws.ddb.send(
          new PutItemCommand({
            TableName: s.deps.aws.tables.cases,
            Item: caseRecordItem({
              ...model,
              caseId: `ZG-2026-${9_300_000 + n}`,
              openedAt: new Date(now + 60_000 + n * 1000).toISOString(),
              title: `other ${n}`,
            }),
          }),
        ),
      ),
    );
    let path: string | undefined = `/app/cases?q=${tag}&limit=1`;
    let emptyPages = 0;
    let found = false;
    while (path && !found) {
      const html = await (await get(path, 'sup-wang')).text();
      found = html.includes(match);
      if (!found) {
        emptyPages += 1;
        expect(html).toContain('这一页没有符合条件的案件，后面的页可能还有');
        expect(html).not.toContain('没有符合条件的案件。');
      }
      path = /href="([^"]+)" rel="next"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    }
    expect(found).toBe(true);
    expect(emptyPages).toBeGreaterThan(0);
  });
});
