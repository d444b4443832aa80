import { validate, compileErrors } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../activities/case-queries.ts';
import { routes } from '../../api/openapi.ts';
import {
  buildingsSchema,
  caseListSchema,
  caseViewSchema,
  createdCaseSchema,
  peopleSchema,
  problemSchema,
} from '../../api/schemas.ts';
import { uniqueId } from '../support/stack.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';

let s: ApiStack;
beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const problem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return problemSchema.parse(await res.json());
};

describe('request bodies', () => {
  it('without Content-Type: application/json is 415 with a message, never read as {}', async () => {
    const body = JSON.stringify(newCaseBody());
    const none = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', raw: body });
    expect((await problem(none, 415)).detail).toContain('Content-Type: application/json');
    const text = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      raw: body,
      headers: { 'content-type': 'text/plain' },
    });
    await problem(text, 415);
    // An all-optional-looking body must not slip through either.
    const step = await call(s.app, 'POST', '/api/cases/ZG-2026-000001/comments', {
      as: 'sup-wang',
      raw: '{}',
    });
    await problem(step, 415);
  });

  it('invalid JSON and missing fields are 400 with per-field errors in the caller’s language', async () => {
    const bad = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      raw: '{"title":',
      headers: { 'content-type': 'application/json' },
    });
    expect((await problem(bad, 400)).detail).toMatch(/JSON/);

    const zh = await problem(
      await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: { title: '' } }),
      400,
    );
    expect(zh.title).toBe('请求参数有误');
    const fields = zh.errors?.map((e) => e.field) ?? [];
    for (const f of ['title', 'description', 'source', 'severity', 'location', 'assigneeId'])
      expect(fields).toContain(f);

    const en = await problem(
      await call(s.app, 'POST', '/api/cases?lang=en', {
        as: 'sup-wang',
        body: newCaseBody({ severity: 'huge', extra: 1 }),
      }),
      400,
    );
    expect(en.title).toBe('The request is not valid');
    expect(en.errors?.find((e) => e.field === 'severity')?.message).toMatch(/expected one of/i);
    expect(en.errors?.map((e) => e.field)).toContain('(body)');
  });

  it('a place or assignee the directory doesn’t know is 422 naming the field', async () => {
    const res = await call(s.app, 'POST', '/api/cases', {
      as: 'admin-xu',
      body: newCaseBody({
        location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'B101' },
        assigneeId: 'sup-li',
      }),
    });
    const p = await problem(res, 422);
    expect(p.errors?.map((e) => e.field).sort()).toEqual(['assigneeId', 'location']);
  });

  it('a review that fails needs notes (400 on the field); a responsible person must be staff (422)', async () => {
    const { caseId } = createdCaseSchema.parse(
      await (await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() })).json(),
    );
    const review = await problem(
      await call(s.app, 'POST', `/api/cases/${caseId}/review`, {
        as: 'sup-wang',
        body: { passed: false, notes: '' },
      }),
      400,
    );
    expect(review.errors?.[0]?.field).toBe('notes');
    const rc = await problem(
      await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
        as: 'sup-wang',
        body: { causes: ['x'], responsibleId: 'sup-li', plan: 'y' },
      }),
      422,
    );
    expect(rc.errors?.[0]?.field).toBe('responsibleId');
  });
});

describe('Idempotency-Key', () => {
  it('a retry with the same key and body returns the same case; another body is 409; keys are per caller', async () => {
    const key = uniqueId('idem');
    const body = newCaseBody({ title: `重复提交 ${key}` });
    const first = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    const a = createdCaseSchema.parse(await first.json());
    const retry = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body,
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const b = createdCaseSchema.parse(await retry.json());
    expect(b.caseId).toBe(a.caseId);
    expect(b.deadlines).toEqual(a.deadlines);

    const other = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: { ...body, title: 'something else' },
      headers: { 'idempotency-key': key },
    });
    expect((await problem(other, 409)).detail).toContain(a.caseId);

    const someoneElse = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-smith',
      body,
      headers: { 'idempotency-key': key },
    });
    expect(someoneElse.status).toBe(201);
    expect(createdCaseSchema.parse(await someoneElse.json()).caseId).not.toBe(a.caseId);

    // Concurrent retries still make one case.
    const key2 = uniqueId('idem');
    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body, headers: { 'idempotency-key': key2 } }),
      ),
    );
    const ids = await Promise.all(racing.map(async (r) => createdCaseSchema.parse(await r.json()).caseId));
    expect(new Set(ids).size).toBe(1);

    await problem(
      await call(s.app, 'POST', '/api/cases', {
        as: 'sup-wang',
        body,
        headers: { 'idempotency-key': 'bad key with spaces' },
      }),
      400,
    );
  });
});

describe('reading and listing', () => {
  it('an unknown case is 404; a malformed id is 400', async () => {
    await problem(await call(s.app, 'GET', '/api/cases/ZG-1999-999999', { as: 'audit-he' }), 404);
    await problem(await call(s.app, 'GET', '/api/cases/%20bad%20id', { as: 'audit-he' }), 400);
    await problem(
      await call(s.app, 'POST', '/api/cases/ZG-1999-999999/comments', {
        as: 'audit-he',
        body: { text: 'x' },
      }),
      404,
    );
  });

  it('pages through cases from the index with no duplicates and nothing skipped', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(s.app, 'POST', '/api/cases', {
        as: 'sup-li',
        body: newCaseBody({ location: { buildingId: 'bldg-b' }, assigneeId: 'staff-wu', severity: 'urgent' }),
      });
      mine.push(createdCaseSchema.parse(await res.json()).caseId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q = new URLSearchParams({
        buildingId: 'bldg-b',
        from: since,
        limit: '2',
        ...(cursor ? { cursor } : {}),
      });
      const res = await call(s.app, 'GET', `/api/cases?${q.toString()}`, { as: 'sup-li' });
      expect(res.status).toBe(200);
      const page = caseListSchema.parse(await res.json());
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.caseId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of mine) expect(seen).toContain(id);
    expect(pages).toBeGreaterThanOrEqual(3);
    // Newest first: my cases come in reverse order of opening.
    expect(seen.filter((id) => mine.includes(id))).toEqual([...mine].reverse());

    const filtered = caseListSchema.parse(
      await (
        await call(
          s.app,
          'GET',
          `/api/cases?assigneeId=staff-wu&severity=urgent&stage=analysing&from=${encodeURIComponent(since)}`,
          {
            as: 'audit-he',
          },
        )
      ).json(),
    );
    expect(filtered.items.map((i) => i.caseId).sort()).toEqual(expect.arrayContaining([...mine].sort()));
    expect(filtered.items.every((i) => i.severity === 'urgent' && i.stage === 'analysing')).toBe(true);
    const none = caseListSchema.parse(
      await (
        await call(s.app, 'GET', `/api/cases?overdue=true&from=${encodeURIComponent(since)}`, {
          as: 'audit-he',
        })
      ).json(),
    );
    expect(none.items.filter((i) => mine.includes(i.caseId))).toEqual([]);
  });

  it.each([
    ['cursor=garbage!!', 'garbage cursor'],
    [`cursor=${Buffer.from('{"i":"byOpened","k":{}}').toString('base64url')}`, 'cursor without a key'],
    [
      `buildingId=bldg-a&cursor=${encodeCursor('byOpened', { caseId: 'x', listPk: 'CASE', openedSort: 'y' })}`,
      'cursor of another query',
    ],
    ['limit=0', 'limit too small'],
    ['limit=101', 'limit too large'],
    ['limit=ten', 'limit not a number'],
    ['stage=lost', 'unknown stage'],
    ['from=yesterday', 'bad date'],
    ['from=2026-03-02&to=2026-03-01T00:00:00Z', 'to before from'],
    ['colour=red', 'unknown parameter'],
  ])('%s → 400 (%s)', async (query) => {
    const p = await problem(await call(s.app, 'GET', `/api/cases?${query}`, { as: 'audit-he' }), 400);
    expect(p.errors?.length).toBeGreaterThan(0);
  });

  it('the case view is the workflow’s query while the case runs', async () => {
    const { caseId } = createdCaseSchema.parse(
      await (await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() })).json(),
    );
    const res = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    expect(res.headers.get('x-case-source')).toBe('workflow');
    expect(caseViewSchema.parse(await res.json()).stage).toBe('analysing');
  });
});

describe('directory', () => {
  it('lists people by role and the buildings with their grid, for any signed-in caller', async () => {
    const staff = peopleSchema.parse(
      await (await call(s.app, 'GET', '/api/directory/people?role=staff', { as: 'staff-zhou' })).json(),
    );
    expect(staff.items.length).toBeGreaterThan(0);
    expect(staff.items.every((p) => p.roles.includes('staff'))).toBe(true);
    const all = peopleSchema.parse(
      await (await call(s.app, 'GET', '/api/directory/people', { as: 'audit-he' })).json(),
    );
    expect(all.items.length).toBeGreaterThan(staff.items.length);
    const b = buildingsSchema.parse(
      await (await call(s.app, 'GET', '/api/directory/buildings', { as: 'grid-a1' })).json(),
    );
    expect(b.items.map((x) => x.id)).toEqual(expect.arrayContaining(['bldg-a', 'bldg-b']));
    await problem(await call(s.app, 'GET', '/api/directory/people?role=wizard', { as: 'audit-he' }), 400);
    await problem(await call(s.app, 'GET', '/api/directory/people'), 401);
  });
});

describe('documentation', () => {
  it('/openapi.json is a valid OpenAPI 3.1 document covering every route', async () => {
    const res = await s.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    for (const r of routes) expect(doc.paths[r.path]?.[r.method]).toBeDefined();
    for (const p of [
      '/api/cases',
      '/api/cases/{caseId}',
      '/api/cases/{caseId}/root-cause',
      '/api/directory/people',
      '/actions/{token}',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
  });

  it('/docs is a readable bilingual reference', async () => {
    const res = await s.app.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('整改闭环 API 参考');
    expect(html).toContain('Open a rectification case');
    expect(html).toContain('新建整改案件');
    for (const r of routes) expect(html).toContain(r.path);
  });

  it('unknown routes are problem+json 404s', async () => {
    await problem(await s.app.request('/api/nothing-here'), 401);
    await problem(await s.app.request('/nothing-here'), 404);
  });
});
