import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sentEmails, uniqueId } from '../support/stack.ts';
import { call, useApiStack, tokenFor } from './harness.ts';

/**
 * Issue 11, items 1 and 8: nothing a user types stalls a case. Hostile
 * strings in any text field are a 4xx naming the field, or a case that still
 * moves and mails; dates outside 2000–2100 are a 400, never a 500.
 */
const s = useApiStack();

const newCase = (over: Record<string, unknown> = {}) => ({
  title: `hostile ${uniqueId('t')}`,
  description: '走廊灯不亮',
  source: 'repair',
  severity: 'routine',
  location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
  assigneeId: 'staff-zhou',
  ...over,
});

const fieldsOf = async (res: Response) =>
  ((await res.json()) as { errors?: { field: string }[] }).errors?.map((e) => e.field) ?? [];

describe('hostile text', () => {
  it.each([
    ['a lone surrogate', 'title', 'A101 \ud83d 漏水'],
    ['NUL', 'description', 'bad \u0000 text'],
    ['a bidi override', 'title', 'abc\u202Edef'],
    ['a line break in a mail subject', 'title', 'A101\r\nBcc: victim@example.com'],
    ['an escape sequence', 'description', '\u001b[31mred'],
    ['only zero-width characters', 'title', '\u200B\u200D'],
  ])('refuses %s in %s, naming the field', async (_what, field, value) => {
    const res = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: newCase({ [field]: value }),
    });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toContain(field);
  });

  it.each([
    ['a zero-width space', 'A101\u200B漏水', 'U+200B'],
    ['a left-to-right mark', 'A101 漏水\u200E', 'U+200E'],
    ['a right-to-left mark', '\u200FA101 漏水', 'U+200F'],
    ['a byte order mark mid-string', 'A101\uFEFF漏水', 'U+FEFF'],
    ['a tag character', 'A101 漏水\u{E0041}', 'U+E0041'],
  ])(
    'refuses a title with %s, a look-alike of another title, naming the field and the character',
    async (_what, title, cp) => {
      const res = await call(s.app, 'POST', '/api/cases?lang=en', {
        as: 'sup-wang',
        body: newCase({ title }),
      });
      expect(res.status).toBe(400);
      const errors = ((await res.json()) as { errors: { field: string; message: string }[] }).errors;
      expect(errors).toEqual([
        { field: 'title', message: expect.stringContaining(`invisible character ${cp}`) as string },
      ]);
    },
  );

  it('takes a title with an emoji ZWJ sequence', async () => {
    const res = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: newCase({ title: `\u{1F469}\u200D\u{1F527} ${uniqueId('t')}` }),
    });
    expect(res.status).toBe(201);
  });

  it('refuses a body whose bytes are not UTF-8, naming the field, instead of keeping replacement marks', async () => {
    const token = await tokenFor('sup-wang');
    const json = Buffer.concat([
      Buffer.from('{"title":"A101 '),
      Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
      Buffer.from(JSON.stringify(newCase()).replace(/^\{"title":"[^"]*"/, '"')),
    ]);
    const res = await s.app.request('/api/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: json,
    });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toContain('title');
  });

  it('refuses a lone surrogate in a step and in a reporter name', async () => {
    const name = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: newCase({ reporter: { name: '张\udc00', email: 'z@students.demo.edu.cn' } }),
    });
    expect(name.status).toBe(400);
    expect(await fieldsOf(name)).toContain('reporter.name');
    const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCase() });
    const { caseId } = (await opened.json()) as { caseId: string };
    const step = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-wang',
      body: { causes: ['阀芯\ud800老化'], responsibleId: 'staff-zhou', plan: '更换' },
    });
    expect(step.status).toBe(400);
    expect((await fieldsOf(step)).some((f) => f.startsWith('causes'))).toBe(true);
  });

  it('takes emoji sequences and mixed scripts, and the case still moves and mails', async () => {
    const title = `👩‍🔧 A101 水龙头 Ωμέγα кран ${uniqueId('m')}`;
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCase({ title }) });
    expect(res.status).toBe(201);
    const { caseId } = (await res.json()) as { caseId: string };
    const step = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-wang',
      body: { causes: ['🔧 阀芯老化'], responsibleId: 'staff-zhou', plan: '更换 ✅' },
    });
    expect(step.status).toBe(200);
    await expect
      .poll(async () => (await sentEmails((e) => e.subject.includes(caseId))).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
  });

  it('never answers 500 to any string in the title', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (title) => {
        const res = await call(s.app, 'POST', '/api/cases', {
          as: 'sup-wang',
          // An invalid place keeps every accepted body from opening a real case.
          body: newCase({ title, location: { buildingId: 'bldg-zz' } }),
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});

describe('bounded dates', () => {
  it.each([
    '/api/cases?from=0050-01-01',
    '/api/cases?to=9999-12-31',
    '/api/audit/export?from=2026-01-01&to=9999-12-31',
    '/api/kpis?from=1900-01-01&to=2026-01-01',
  ])('%s is a 400 naming the date', async (path) => {
    const res = await call(s.app, 'GET', path, { as: 'audit-he' });
    expect(res.status).toBe(400);
    expect((await fieldsOf(res)).some((f) => f === 'from' || f === 'to')).toBe(true);
  });
});

describe('malformed dates and ids are refused in words a person can act on', () => {
  const HAN = /[\u4e00-\u9fff]/;
  // What the probe found: zod's bare "Invalid input" and regexes shown to people.
  const raw = /Invalid|无效|must match pattern|正则|\/\^/;
  const messageOf = async (res: Response, field: string) => {
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors?: { field: string; message: string }[] };
    return body.errors?.find((e) => e.field === field)?.message ?? `no error on ${field}`;
  };

  it.each([
    ['GET', '/api/cases?from=yesterday', 'from', '2026-12-01'],
    ['GET', '/api/cases?to=2026-12-01T08:00', 'to', 'YYYY-MM-DD'],
    ['GET', '/api/kpis?from=12%2F01%2F2026', 'from', 'YYYY-MM-DD'],
    ['GET', '/api/audit/export?from=2026-12-01&to=soon', 'to', '2026-12-01T08:00:00+08:00'],
    ['GET', '/api/cases?buildingId=A%E6%A0%8B', 'buildingId', 'bldg-a'],
    ['GET', '/api/cases?assigneeId=%20zhou', 'assigneeId', 'staff-zhou'],
    ['GET', '/api/cases/-x/history', 'caseId', 'ZG-2026-000001'],
    ['GET', '/api/cases/-x/export', 'caseId', 'ZG-2026-000001'],
    ['GET', '/api/audit/verify?caseId=-x', 'caseId', 'ZG-2026-000001'],
    ['GET', '/api/evidence/nope', 'evidenceId', 'ev_'],
  ])('%s %s: %s says what to send, in Chinese and in English', async (method, path, field, example) => {
    const zh = await messageOf(await call(s.app, method, path, { as: 'audit-he' }), field);
    expect(zh).toMatch(HAN);
    expect(zh).toContain(example);
    expect(zh).not.toMatch(raw);
    const en = await messageOf(
      await call(s.app, method, path, { as: 'audit-he', headers: { 'accept-language': 'en' } }),
      field,
    );
    expect(en).not.toMatch(HAN);
    expect(en).toMatch(/^must be /);
    expect(en).toContain(example);
    expect(en).not.toMatch(raw);
  });

  it('a missing date says it is required and what to send', async () => {
    const path = '/api/audit/export?from=2026-12-01';
    expect(await messageOf(await call(s.app, 'GET', path, { as: 'audit-he' }), 'to')).toMatch(
      /^必填：须为日期 YYYY-MM-DD，或带秒和时区的 ISO 8601 时刻/,
    );
    const en = await call(s.app, 'GET', `${path}&lang=en`, { as: 'audit-he' });
    expect(await messageOf(en, 'to')).toMatch(/^required: send a date YYYY-MM-DD or an ISO 8601 instant/);
  });

  it('a new case’s building and 6T item are refused by what they are, not by a pattern', async () => {
    const body = newCase({ location: { buildingId: 'A 栋' }, itemId: 'safety-1' });
    const zh = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body });
    expect(zh.status).toBe(400);
    const errors = ((await zh.json()) as { errors: { field: string; message: string }[] }).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'location.buildingId', message: '须为名录中楼栋或区域的编号，如 bldg-a' },
        { field: 'itemId', message: '须为 6T 条目编号，如 6t.safety.1（见 GET /api/standards）' },
      ]),
    );
    const en = await call(s.app, 'POST', '/api/cases?lang=en', { as: 'sup-wang', body });
    expect(((await en.json()) as { errors: { field: string; message: string }[] }).errors).toEqual(
      expect.arrayContaining([
        {
          field: 'location.buildingId',
          message: 'must be the id of a building or area in the directory, such as bldg-a',
        },
        { field: 'itemId', message: 'must be a 6T item id such as 6t.safety.1 (see GET /api/standards)' },
      ]),
    );
  });
});

describe('a body nested thousands deep', () => {
  it('is a 400 saying so on every JSON route, and a duplicate key deep down is still named', async () => {
    const token = await tokenFor('sup-wang');
    const send = (path: string, body: string) =>
      s.app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCase() });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    // 200 KB, under the body limit: it once ran the whole server out of memory.
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const path of ['/api/cases', `/api/cases/${caseId}/comments`]) {
      const res = await send(path, deep);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toContain('嵌套超过 32 层');
    }
    const evidence = await send(`/api/cases/${caseId}/evidence`, '['.repeat(8_000) + ']'.repeat(8_000));
    expect(evidence.status).toBe(400);
    const dup = await send('/api/cases', JSON.stringify(newCase()).replace(/^\{/, '{"title":"x",'));
    expect(dup.status).toBe(400);
    expect(await fieldsOf(dup)).toContain('title');
  });
});
