import { validate, compileErrors } from '@readme/openapi-parser';
import { QueryNotRegisteredError, type WorkflowClient, type WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { encodeCursor, filterHash } from '../../store/case-lists.ts';
import { createApp } from '../../api/app.ts';
import { routes } from '../../api/openapi.ts';
import {
  buildingsSchema,
  caseListSchema,
  caseViewSchema,
  createdCaseSchema,
  idempotencyKeySchema,
  peopleSchema,
  problemSchema,
} from '../../api/schemas.ts';
import { uniqueId } from '../support/stack.ts';
import { call, clientWith, newCaseBody, useApiStack } from './harness.ts';

const s = useApiStack();

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
    // Our words in the caller's language, not the parser's English; where it broke, counted from 1.
    expect((await problem(bad, 400)).detail).toBe('请求体不是合法的 JSON');
    const badAt = (lang: string) =>
      call(s.app, 'POST', `/api/cases?lang=${lang}`, {
        as: 'sup-wang',
        raw: '{title: 1}',
        headers: { 'content-type': 'application/json' },
      });
    expect((await problem(await badAt('zh-CN'), 400)).detail).toBe(
      '请求体不是合法的 JSON（第 2 个字符处出错）',
    );
    expect((await problem(await badAt('en'), 400)).detail).toBe(
      'the request body is not valid JSON (at character 2)',
    );

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
    expect(en.errors?.find((e) => e.field === 'severity')?.message).toMatch(/^must be one of: .*routine/);
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

  it('a method a route does not take is a 405 naming the ones it does; an unknown path stays a 404', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await call(s.app, method, '/api/cases/ZG-2026-000001', { as: 'sup-wang' });
      expect((await problem(res, 405)).detail).toContain('GET');
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    }
    const both = await call(s.app, 'DELETE', '/api/cases?lang=en', { as: 'sup-wang' });
    expect(both.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await problem(both, 405)).detail).toBe(
      '/api/cases does not take DELETE, only GET, HEAD, POST (see /docs)',
    );
    await problem(await call(s.app, 'PUT', '/api/nothing-here', { as: 'sup-wang' }), 404);
  });

  it('a query parameter given twice is refused as given twice, not as the wrong type', async () => {
    const twice = await problem(
      await call(s.app, 'GET', '/api/cases?limit=10&limit=20', { as: 'sup-wang' }),
      400,
    );
    expect(twice.errors).toEqual([{ field: 'limit', message: '参数 limit 重复了 2 次：只能给一次' }]);
    const en = await problem(
      await call(s.app, 'GET', '/api/cases?lang=en&stage=closed&stage=analysing', { as: 'sup-wang' }),
      400,
    );
    expect(en.errors?.[0]?.message).toBe('stage was given 2 times: give it once');
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

describe('Idempotency-Key races', () => {
  it('when a racing retry started the claimed case first, the request that claimed the key gets that case, not a 409', async () => {
    // Stage the race on the real servers: each start finds its workflow already started, as when a
    // concurrent retry read this request's claim and started the case a moment before it did.
    const real = s.deps.temporal.workflow;
    const executeUpdateWithStart = (async (
      update: Parameters<WorkflowClient['executeUpdateWithStart']>[0],
      options: Parameters<WorkflowClient['executeUpdateWithStart']>[1],
    ) => {
      const { workflowTypeOrFunc, options: startOptions } = options.startWorkflowOperation;
      await real.start(workflowTypeOrFunc, startOptions);
      return real.executeUpdateWithStart(update, options);
    }) as WorkflowClient['executeUpdateWithStart'];
    const app = createApp({ ...s.deps, temporal: clientWith(s.deps.temporal, { executeUpdateWithStart }) });
    const key = uniqueId('idem-race');
    const body = newCaseBody({ title: `竞态 ${key}` });
    const first = await call(app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    const a = createdCaseSchema.parse(await first.json());
    expect(a.stage).toBe('analysing');
    const again = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body,
      headers: { 'idempotency-key': key },
    });
    expect(again.status).toBe(201);
    expect(createdCaseSchema.parse(await again.json()).caseId).toBe(a.caseId);

    // Without a key, a workflow already running under a fresh case number is a real conflict.
    await problem(await call(app, 'POST', '/api/cases', { as: 'sup-wang', body }), 409);
  });

  it('many concurrent requests with one key all answer with one case, and take one case number', async () => {
    // The real table, with the case-number counter's increments counted on the way.
    let numbersTaken = 0;
    const ddb = new Proxy(s.deps.aws.ddb, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
        return (command: { input?: { Key?: { pk?: { S?: string } } } }) => {
          if (command.input?.Key?.pk?.S?.startsWith('COUNTER#')) numbersTaken++;
          return (target.send as (c: unknown) => Promise<unknown>).call(target, command);
        };
      },
    });
    const app = createApp({ ...s.deps, aws: { ...s.deps.aws, ddb } });
    const key = uniqueId('idem-many');
    const body = newCaseBody({ title: `并发 ${key}` });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        call(app, 'POST', '/api/cases', { as: 'sup-wang', body, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 201));
    const ids = await Promise.all(answers.map(async (r) => createdCaseSchema.parse(await r.json()).caseId));
    expect(new Set(ids).size).toBe(1);
    expect(numbersTaken).toBe(1);
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

  it('an id that is not a case number is 400; a case-numbered workflow that is no case is 404, never a 500', async () => {
    for (const id of ['rectify-daily-brief-2026-03-02', 'ZG-2026-1', 'zg-2026-000001']) {
      const p = await problem(await call(s.app, 'GET', `/api/cases/${id}`, { as: 'audit-he' }), 400);
      expect(p.errors?.map((e) => e.field)).toEqual(['caseId']);
    }
    // The workflow exists but registers no case query (Temporal's QueryNotRegisteredError).
    const notACase = {
      query: () =>
        Promise.reject(new QueryNotRegisteredError('Workflow did not register a handler for caseView', 3)),
    } as unknown as WorkflowHandle;
    const app = createApp({
      ...s.deps,
      temporal: clientWith(s.deps.temporal, { getHandle: (() => notACase) as WorkflowClient['getHandle'] }),
    });
    const p = await problem(
      await call(app, 'GET', '/api/cases/ZG-1998-000001?lang=en', { as: 'audit-he' }),
      404,
    );
    expect(p.detail).toMatch(/no such case/);
  });

  it('a cursor reused with other filters is a 400 that says what to do, never a 500', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 2; i++) {
      const res = await call(s.app, 'POST', '/api/cases', { as: 'admin-xu', body: newCaseBody() });
      expect(res.status).toBe(201);
    }
    const list = (q: Record<string, string>) =>
      call(s.app, 'GET', `/api/cases?${new URLSearchParams({ ...q, lang: 'en' }).toString()}`, {
        as: 'audit-he',
      });
    const first = caseListSchema.parse(
      await (await list({ buildingId: 'bldg-a', from: since, limit: '1' })).json(),
    );
    const cursor = first.nextCursor;
    expect(cursor).toBeTruthy();
    if (!cursor) return;
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const others: Record<string, string>[] = [
      { buildingId: 'bldg-b', from: since },
      { buildingId: 'bldg-a', from: '2020-01-01' },
      { buildingId: 'bldg-a', from: since, to: later },
      { buildingId: 'bldg-a' },
      { from: since },
      { buildingId: 'bldg-a', from: since, severity: 'urgent' },
    ];
    for (const other of others) {
      const p = await problem(await list({ ...other, limit: '1', cursor }), 400);
      expect(p.errors?.[0]?.field).toBe('cursor');
      expect(p.detail).toMatch(/same filters/);
      // Said once, with why: not the store's advice and the service's after it.
      expect(p.detail.match(/leave cursor out/g)).toHaveLength(1);
      expect(p.errors?.[0]?.message).toBe(
        'it was issued for a query with other filters (only limit may change between pages)',
      );
    }
    const zh = await call(
      s.app,
      'GET',
      `/api/cases?${new URLSearchParams({ buildingId: 'bldg-b', from: since, limit: '1', cursor }).toString()}`,
      { as: 'audit-he' },
    );
    expect((await problem(zh, 400)).detail).toContain('cursor 无效：它属于筛选条件不同的查询');
    // The same filters continue, whatever the page size.
    const next = await list({ buildingId: 'bldg-a', from: since, limit: '5', cursor });
    expect(next.status).toBe(200);
    const page2 = caseListSchema.parse(await next.json());
    expect(page2.items.map((i) => i.caseId)).not.toContain(first.items[0]?.caseId);
  });

  it('a hand-made cursor that DynamoDB refuses (start key outside the period) is a 400, never a 500', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const forged = encodeCursor({
      q: filterHash({ buildingId: 'bldg-a', from }),
      i: 'byBuilding',
      k: {
        caseId: 'ZG-1999-000001',
        buildingId: 'bldg-a',
        openedSort: '1999-01-01T00:00:00.000Z#ZG-1999-000001',
      },
    });
    const q = new URLSearchParams({ buildingId: 'bldg-a', from, cursor: forged });
    const p = await problem(await call(s.app, 'GET', `/api/cases?${q.toString()}`, { as: 'audit-he' }), 400);
    expect(p.errors?.[0]?.field).toBe('cursor');
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
      `buildingId=bldg-a&cursor=${encodeCursor({ q: filterHash({}), i: 'byOpened', k: { caseId: 'x', listPk: 'CASE', openedSort: 'y' } })}`,
      'cursor of another query',
    ],
    [
      `buildingId=bldg-a&cursor=${encodeCursor({ q: filterHash({ buildingId: 'bldg-a' }), i: 'byBuilding', k: { caseId: 'x', buildingId: 'bldg-b', openedSort: 'y' } })}`,
      'cursor naming another building than its own filters',
    ],
    ['limit=0', 'limit too small'],
    ['limit=101', 'limit too large'],
    ['limit=ten', 'limit not a number'],
    ['stage=lost', 'unknown stage'],
    ['from=yesterday', 'bad date'],
    ['from=2026-03-02&to=2026-03-01T00:00:00Z', 'to before from'],
    ['from=2026-03-02&to=2026-03-01', 'to a day before from'],
    ['colour=red', 'unknown parameter'],
  ])('%s → 400 (%s)', async (query) => {
    const p = await problem(await call(s.app, 'GET', `/api/cases?${query}`, { as: 'audit-he' }), 400);
    expect(p.errors?.length).toBeGreaterThan(0);
  });

  it.each(['limit=0', 'limit=101', 'limit=ten', 'limit=2.5'])(
    '%s is refused in words a person can act on, in their language',
    async (query) => {
      const zh = await problem(await call(s.app, 'GET', `/api/cases?${query}`, { as: 'audit-he' }), 400);
      expect(zh.errors).toEqual([{ field: 'limit', message: '须为 1 到 100 之间的整数' }]);
      const res = await call(s.app, 'GET', `/api/cases?${query}`, {
        as: 'audit-he',
        headers: { 'accept-language': 'en' },
      });
      const en = await problem(res, 400);
      expect(en.errors).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 100' }]);
    },
  );

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
    // Contact addresses go to those who assign or oversee, not to staff or a student grid member.
    expect(all.items.every((p) => typeof p.email === 'string' && p.email.includes('@'))).toBe(true);
    expect(staff.items.some((p) => 'email' in p)).toBe(false);
    const asGrid = peopleSchema.parse(
      await (await call(s.app, 'GET', '/api/directory/people', { as: 'grid-a1' })).json(),
    );
    expect(asGrid.items.map((p) => p.id)).toEqual(all.items.map((p) => p.id));
    expect(asGrid.items.some((p) => 'email' in p)).toBe(false);
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

  it('documents the Idempotency-Key pattern the server enforces, and 503 wherever the directory is read', async () => {
    const doc = (await (await s.app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: { name: string; in: string; schema: { pattern?: string } }[];
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    const header = doc.paths['/api/cases']?.post?.parameters.find((p) => p.name === 'Idempotency-Key');
    expect(header?.in).toBe('header');
    const pattern = new RegExp(header?.schema.pattern ?? '(?!)');
    for (const key of ['k-1', 'a'.repeat(200), 'bad key', 'a'.repeat(201), 'ключ', '']) {
      expect([key, pattern.test(key)]).toEqual([key, idempotencyKeySchema.safeParse(key).success]);
    }
    const refused = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: newCaseBody(),
      headers: { 'idempotency-key': 'a'.repeat(201) },
    });
    await problem(refused, 400);
    // Every route behind authentication or an action link reads the campus directory.
    for (const r of routes.filter((x) => x.path.startsWith('/api/') || x.path.startsWith('/actions/'))) {
      expect([r.method, r.path, Object.keys(doc.paths[r.path]?.[r.method]?.responses ?? {})]).toEqual([
        r.method,
        r.path,
        expect.arrayContaining(['503']),
      ]);
    }
  });

  it('unknown routes are problem+json 404s', async () => {
    await problem(await s.app.request('/api/nothing-here'), 401);
    await problem(await s.app.request('/nothing-here'), 404);
  });
});
