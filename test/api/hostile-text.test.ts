import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../api/openapi.ts';
import { createSession } from '../../store/sessions.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';
import type { JsonSchema } from './schema-arbitrary.ts';
import {
  actionPath,
  call,
  formFields,
  newCaseBody,
  outcomeOf,
  postForm,
  startApiStack,
  waitForEmail,
  type ApiStack,
} from './harness.ts';

/**
 * Issue 11, item 1, for every text field there is: the JSON routes' free-text
 * fields are read from /openapi.json (a new route or field is covered without
 * touching this file), each is sent the hostile strings (a lone surrogate,
 * NUL, an escape, a bidi override, a line break, one character past its
 * bound) and must be a 400 naming it; the strings a person may well type
 * (emoji sequences, mixed scripts, line breaks in long texts) are taken in
 * every field of a case walked from opening to closure, and every step's
 * mail reaches the SES emulator. The page forms and the email link's form are
 * checked the same way, with their own field names.
 */
let s: ApiStack;
let liveCase: string;
beforeAll(async () => {
  s = await startApiStack();
  const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  liveCase = ((await opened.json()) as { caseId: string }).caseId;
});
afterAll(async () => {
  await s?.stop();
});

interface TextField {
  method: string;
  path: string;
  /** Dotted, as the problem's `errors[].field` names it (`causes.0`, `reporter.name`). */
  field: string;
  maxLength: number | undefined;
}

type Doc = {
  components?: { schemas?: Record<string, JsonSchema> };
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
  >;
};

/** Every free-text field (a string with no enum, pattern or format) of every JSON request body. */
function jsonTextFields(): TextField[] {
  const doc = openApiDocument() as unknown as Doc;
  const comps = doc.components?.schemas ?? {};
  const deref = (x: JsonSchema | undefined): JsonSchema | undefined =>
    x?.$ref ? deref(comps[x.$ref.split('/').pop() ?? '']) : x;
  const out: TextField[] = [];
  const walk = (x: JsonSchema | undefined, at: string[], route: { method: string; path: string }) => {
    const sch = deref(x) as (JsonSchema & { oneOf?: JsonSchema[]; const?: unknown }) | undefined;
    if (!sch) return;
    for (const alt of [...(sch.anyOf ?? []), ...(sch.oneOf ?? [])]) walk(alt, at, route);
    if (sch.type === 'object')
      for (const [k, v] of Object.entries(sch.properties ?? {})) walk(v, [...at, k], route);
    if (sch.type === 'array') walk(sch.items, [...at, '0'], route);
    if (sch.type === 'string' && !sch.enum && !sch.pattern && !sch.format && sch.const === undefined) {
      const field = at.join('.');
      if (!out.some((f) => f.method === route.method && f.path === route.path && f.field === field))
        out.push({ ...route, field, maxLength: sch.maxLength });
    }
  };
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      walk(op.requestBody?.content['application/json']?.schema, [], { method, path });
  return out;
}

/** A body holding `value` at the dotted path (arrays for numeric segments). */
function bodyWith(field: string, value: string): Record<string, unknown> {
  const parts = field.split('.');
  const root: Record<string, unknown> = {};
  let at: Record<string, unknown> | unknown[] = root;
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    const next = last ? value : /^\d+$/.test(parts[i + 1] ?? '') ? [] : {};
    if (Array.isArray(at)) at.push(next);
    else at[p] = next;
    if (!last) at = next as Record<string, unknown> | unknown[];
  });
  return root;
}

// Path parameters of a valid shape, so the body is what is judged.
const concrete = (path: string) =>
  path
    .replace('{caseId}', liveCase)
    .replace('{occurrenceId}', 'duty.manager-round.bldg-a.2026-12-04')
    .replace('{roundId}', 'inspection.daily.bldg-a.2026-12-04')
    .replace('{night}', '2026-12-04');
// Someone each route lets as far as reading its body: zero reports are made by grid members.
const sender = (path: string) => (path.startsWith('/api/zero-reports/') ? 'grid-a1c1' : 'sup-wang');
const namedFields = async (res: Response) =>
  (((await res.json()) as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);

// Wrapped in letters so trimming never removes the hostile part.
const hostile: [string, (f: TextField) => string][] = [
  ['a lone high surrogate', () => 'a\ud83db'],
  ['a lone low surrogate', () => 'a\udc00b'],
  ['NUL', () => 'a\u0000b'],
  ['an escape sequence', () => 'a\u001b[31mb'],
  ['a bidi override', () => 'a\u202Eb'],
  ['a bidi isolate', () => 'a\u2066b'],
  ['a noncharacter', () => 'a\uFFFEb'],
  ['one character past its bound', (f) => '长'.repeat((f.maxLength ?? 0) + 1)],
];

describe('every free-text field of every JSON route', () => {
  const fields = jsonTextFields();

  it('the document lists the case routes’ text fields, each with a bound', () => {
    const names = fields.map((f) => `${f.method} ${f.path} ${f.field}`);
    for (const expected of [
      'post /api/cases title',
      'post /api/cases reporter.name',
      'post /api/cases/{caseId}/root-cause causes.0',
      'post /api/cases/{caseId}/comments text',
    ])
      expect(names).toContain(expected);
    // A text without a bound could grow a case past DynamoDB's item limit.
    expect(fields.filter((f) => !f.maxLength).map((f) => `${f.path} ${f.field}`)).toEqual([]);
  });

  it.each(hostile)('refuses %s in each, with a 400 naming the field', async (what, make) => {
    const failures: string[] = [];
    for (const f of fields) {
      const res = await call(s.app, f.method.toUpperCase(), concrete(f.path), {
        as: sender(f.path),
        body: bodyWith(f.field, make(f)),
      });
      // A comment's documented bound is the case's comment budget, counted in characters: past it
      // the case refuses with the 422 naming the budget (case-budgets.test.ts, comment-characters.test.ts).
      if (what === 'one character past its bound' && f.path.endsWith('/comments') && res.status === 422) {
        const budget = ((await res.json()) as { budget?: string }).budget;
        if (budget !== 'commentLength') failures.push(`${f.path} ${f.field}: 422 budget ${budget}`);
        continue;
      }
      const named = res.status === 400 ? await namedFields(res) : [];
      if (!named.includes(f.field))
        failures.push(`${f.path} ${f.field}: ${res.status} [${named.join(', ')}]`);
    }
    expect(failures).toEqual([]);
  });

  it('a line break is refused, naming the field, wherever the text becomes one line (a title, a name)', async () => {
    for (const [path, field] of [
      ['/api/cases', 'title'],
      ['/api/cases', 'reporter.name'],
      ['/api/cases', 'category'],
    ] as const) {
      for (const br of ['\r\n', '\n', '\r', '\u2028']) {
        const res = await call(s.app, 'POST', path, {
          as: 'sup-wang',
          body: bodyWith(field, `A101${br}Bcc: x@y.z`),
        });
        expect(res.status).toBe(400);
        expect(await namedFields(res)).toContain(field);
      }
    }
  });

  it('random strings carrying a hostile piece anywhere: always a 400 naming the field', async () => {
    const piece = fc.constantFrom(
      '\ud800',
      '\udfff',
      '\u0000',
      '\u0007',
      '\u007f',
      '\u0085',
      '\u202A',
      '\u2069',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        fc.string({ maxLength: 12 }),
        piece,
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        async (f, before, bad, after) => {
          const res = await call(s.app, f.method.toUpperCase(), concrete(f.path), {
            as: sender(f.path),
            body: bodyWith(f.field, `x${before}${bad}${after}y`.slice(0, f.maxLength ?? 100)),
          });
          expect(res.status).toBe(400);
          expect(await namedFields(res)).toContain(f.field);
        },
      ),
      { numRuns: 120 },
    );
  });
});

// What people do type: emoji with joiners and skin tones, flags, several scripts in one line.
const friendly = fc
  .array(
    fc.constantFrom(
      '👩‍🔧',
      '👨🏽‍🦱',
      '🏳️‍🌈',
      '🇨🇳',
      '✅',
      '水龙头',
      'кран',
      'Ωμέγα',
      'मरम्मत',
      'إصلاح',
      '한국어',
      'A101',
      'ﾃｽﾄ',
      '𠮷野家',
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((parts) => parts.join(' '));

describe('emoji sequences and mixed scripts in every field of a case', () => {
  it('are taken at each step, the case reaches its end, and every step mails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(friendly, { minLength: 12, maxLength: 12 }), async (t) => {
        const tag = uniqueId('h');
        const reporterEmail = `${tag}@students.demo.edu.cn`;
        const ok = async (path: string, as: string, body: Record<string, unknown>) => {
          const res = await call(s.app, 'POST', path, { as, body });
          expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
          return res;
        };
        const opened = await ok('/api/cases', 'sup-wang', {
          ...newCaseBody(),
          title: `${t[0]} ${tag}`,
          // Long texts keep their line breaks.
          description: `${t[1]}\r\n${t[2]}`,
          reporter: { name: t[3], email: reporterEmail },
        });
        const { caseId } = (await opened.json()) as { caseId: string };
        const c = `/api/cases/${caseId}`;
        await ok(`${c}/comments`, 'lead-huang', { text: `${t[4]}\n${t[5]}` });
        await ok(`${c}/root-cause`, 'sup-wang', {
          causes: [t[6]],
          whys: [t[7], t[8]],
          responsibleId: 'staff-zhou',
          plan: `${t[9]}\n2. ${t[10]}`,
        });
        const signOff = await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('待签字'));
        const link = actionPath(signOff);
        const form = formFields(await (await s.app.request(link)).text());
        const signed = await postForm(s.app, link, { ...form, choice: 'confirm' });
        expect(outcomeOf(await signed.text())).toBe('done');
        await ok(`${c}/rectification`, 'staff-zhou', {
          summary: `${t[11]}\r\n✅`,
          evidence: [`${t[0]}.jpg`],
        });
        await ok(`${c}/review`, 'sup-wang', { passed: true, notes: `${t[2]} 👍` });
        // The last mail of the case goes to the reporter, with the survey.
        const survey = await waitForEmail(
          (e) => e.to.includes(reporterEmail) && e.subject.includes(caseId),
          30_000,
        );
        expect(survey.subject).not.toMatch(/[\r\n]/);
        const mails = await sentEmails((e) => e.subject.includes(caseId));
        // Assignment, sign-off request, review request, result and survey at least.
        expect(mails.length).toBeGreaterThanOrEqual(4);
        for (const m of mails) expect(m.subject).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 2 },
    );
  });
});

describe('the email link’s form and the page forms', () => {
  it('a sign-off dispute reason with a bidi override, NUL or an escape is refused on the page; the link still works', async () => {
    const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const { caseId } = (await opened.json()) as { caseId: string };
    await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-wang',
      body: { causes: ['老化'], responsibleId: 'staff-zhou', plan: '更换' },
    });
    const link = actionPath(
      await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('待签字')),
    );
    // Nothing is ticked for the person on a first visit: they choose what to sign.
    expect(await (await s.app.request(link)).text()).not.toMatch(/type="radio"[^>]*checked/);
    // A form cannot carry a lone surrogate (UTF-8 encoding makes it U+FFFD); these it can.
    for (const reason of ['不同意\u202E', '不同意\u0000', '不同意\u001b[2J']) {
      const form = formFields(await (await s.app.request(link)).text());
      const res = await postForm(s.app, link, { ...form, choice: 'dispute', reason });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const html = await res.text();
      expect(html).toContain('reason');
      // The form comes back as it was sent, less the invisible marks, with the field and why:
      // never emptied with "confirm" ticked, which a resubmit would sign.
      expect(html).toMatch(/value="dispute"[^>]*checked/);
      expect(html).not.toMatch(/value="confirm"[^>]*checked/);
      expect(html).toMatch(/<textarea id="field-reason" name="reason"[^>]*>不同意(\[2J)?<\/textarea>/);
      expect(html).toMatch(/异议理由：包含/);
    }
    // A vertical tab (Word's line break) comes back as a line break.
    const vt = formFields(await (await s.app.request(link)).text());
    const refused = await (
      await postForm(s.app, link, { ...vt, choice: 'dispute', reason: '阀芯\u000B请核实' })
    ).text();
    expect(refused).toContain('阀芯\n请核实');
    const form = formFields(await (await s.app.request(link)).text());
    const signed = await postForm(s.app, link, { ...form, choice: 'dispute', reason: '不同意 🙅 disagree' });
    expect(outcomeOf(await signed.text())).toBe('done');
  });

  it('the new-case page and the comment form refuse hostile text, naming the field, and take emoji', async () => {
    const session = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const post = (path: string, fields: Record<string, string>) =>
      s.app.request(path, {
        method: 'POST',
        headers: {
          cookie: `rectify_session=${session.id}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ ...fields, _csrf: session.csrfToken }),
      });
    const fields = (over: Record<string, string>) => ({
      title: `page ${uniqueId('t')}`,
      description: '走廊灯不亮',
      source: 'inspection',
      severity: 'routine',
      category: '',
      buildingId: 'bldg-a',
      floorId: 'a-f1',
      roomId: 'A101',
      assigneeId: 'staff-zhao',
      ...over,
    });
    for (const [field, value] of [
      ['title', 'A101\r\nBcc: x@y.z'],
      ['title', 'A101\u2066'],
      ['description', 'a\u202Eb'],
      ['description', 'a\u0000b'],
    ] as const) {
      const res = await post('/app/cases/new', fields({ [field]: value }));
      expect([field, res.status]).toEqual([field, 400]);
      expect(await res.text()).toMatch(
        new RegExp(`(for|id|name)="${field}"[^>]*aria-invalid="true"|data-field="${field}"|#${field}`),
      );
    }
    // Bytes that are no UTF-8 at all (a surrogate's encoding) are a 4xx, never a 500.
    const raw = await s.app.request('/app/cases/new', {
      method: 'POST',
      headers: {
        cookie: `rectify_session=${session.id}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `${new URLSearchParams(fields({})).toString().replace(/title=[^&]*/, 'title=%ED%A0%BD')}&_csrf=${session.csrfToken}`,
    });
    expect(raw.status).toBeLessThan(500);
    const created = await post('/app/cases/new', fields({ title: `👩‍🔧 水龙头 кран ${uniqueId('p')}` }));
    expect(created.status).toBe(303);
    const caseId = decodeURIComponent(
      /\/app\/cases\/([^/?]+)/.exec(created.headers.get('location') ?? '')?.[1] ?? '',
    );
    const bad = await post(`/app/cases/${caseId}/comment`, { text: 'ok\u202Eko' });
    expect(bad.status).toBe(400);
    const good = await post(`/app/cases/${caseId}/comment`, { text: '收到 👍 Ωμέγα' });
    expect(good.status).toBe(303);
  });
});
