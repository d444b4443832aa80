import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument, routes, type RouteDoc } from '../../api/openapi.ts';
import { createdCaseSchema } from '../../api/schemas.ts';
import { arbitraryFor, type JsonSchema } from './schema-arbitrary.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';

/**
 * A schema-driven fuzz run: requests generated from (and around) the
 * OpenAPI document's own schemas, sent as a mix of people. No answer may be
 * a 5xx, and every answer must parse with the schema the route declares for
 * its status.
 */
let s: ApiStack;
let doc: {
  components: { schemas: Record<string, JsonSchema> };
  paths: Record<string, Record<string, OperationDoc>>;
};
let liveCase: string;
interface OperationDoc {
  parameters: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

const people = [
  'sup-wang',
  'sup-li',
  'staff-zhou',
  'audit-he',
  'grid-a1c1',
  'admin-xu',
  'lead-huang',
  undefined,
] as const;
const known = {
  location: [
    { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
    { buildingId: 'bldg-b' },
    { buildingId: 'bldg-a', roomId: 'A209' },
  ],
  buildingId: ['bldg-a', 'bldg-b', 'bldg-z'],
  floorId: ['a-f1', 'b-f2'],
  roomId: ['A101', 'B205', 'Z999'],
  assigneeId: ['staff-zhou', 'staff-wu', 'sup-li', 'nobody'],
  responsibleId: ['staff-zhou', 'staff-lee', 'audit-he'],
  stage: ['analysing', 'closed'],
  role: ['staff', 'supervisor'],
  lang: ['en', 'zh-CN'],
} as const;

beforeAll(async () => {
  s = await startApiStack();
  doc = openApiDocument() as unknown as typeof doc;
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  liveCase = createdCaseSchema.parse(await res.json()).caseId;
});
afterAll(async () => {
  await s?.stop();
});

/** The run must reach past validation: some requests of each kind succeed. */
function expectSomeSuccess(...operationIds: string[]) {
  const statuses = operationIds.flatMap((id) => seen.get(id) ?? []);
  expect(statuses.filter((st) => st < 300).length, `statuses: ${statuses.join(',')}`).toBeGreaterThan(0);
}

const opts = () => ({ components: doc.components.schemas, known, breakRate: 0.04 });

const seen = new Map<string, number[]>();

/** Checks one answer against the route's declared responses. */
async function checkAnswer(route: RouteDoc, res: Response, what: string) {
  seen.set(route.operationId, [...(seen.get(route.operationId) ?? []), res.status]);
  expect(res.status, `${what} answered ${res.status}`).toBeLessThan(500);
  const declared = route.responses.find((r) => r.status === res.status);
  // 401 comes from the authentication every /api route shares.
  if (!declared && res.status === 401 && route.auth) return;
  expect(declared, `${what}: status ${res.status} is not in the route's OpenAPI responses`).toBeDefined();
  if (!declared) return;
  const type = res.headers.get('content-type') ?? '';
  expect(type).toContain(declared.mediaType ?? 'application/json');
  if (declared.schema) {
    const body: unknown = await res.json();
    const parsed = declared.schema.safeParse(body);
    expect(
      parsed.success,
      `${what}: ${res.status} body breaks its schema: ${JSON.stringify(parsed.error?.issues)}`,
    ).toBe(true);
  } else {
    expect((await res.text()).length).toBeGreaterThan(0);
  }
}

const queryArb = (op: OperationDoc) => {
  const params = op.parameters.filter((p) => p.in === 'query');
  return fc
    .tuple(
      ...params.map((p) =>
        // Each parameter mostly absent, so combinations that pass validation come up too.
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: arbitraryFor(p.schema, opts(), p.name) },
        ),
      ),
    )
    .map((values) => {
      const q = new URLSearchParams();
      values.forEach((v, i) => {
        const name = params[i]?.name;
        if (name && v !== null && v !== undefined) q.set(name, typeof v === 'string' ? v : JSON.stringify(v));
      });
      return q.toString();
    });
};

describe('schema-driven fuzz', () => {
  it('POST /api/cases: no 5xx, every answer fits its schema', async () => {
    const route = routes.find((r) => r.operationId === 'openCase') as RouteDoc;
    const op = doc.paths['/api/cases']?.post as OperationDoc;
    const body = op.requestBody?.content['application/json']?.schema as JsonSchema;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...people),
        arbitraryFor(body, opts()),
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom('k-1', 'k-2', 'bad key') },
        ),
        async (who, payload, key) => {
          const res = await call(s.app, 'POST', '/api/cases', {
            as: who,
            body: payload,
            headers: key ? { 'idempotency-key': `${key}-${who ?? 'anon'}` } : {},
          });
          await checkAnswer(route, res, `POST /api/cases as ${who} ${JSON.stringify(payload).slice(0, 300)}`);
        },
      ),
      // The first example is a plain valid request, so the run always reaches past validation.
      { numRuns: 80, examples: [['sup-wang', newCaseBody(), null]] },
    );
    expectSomeSuccess('openCase');
  });

  it('every case step: no 5xx, every answer fits its schema', async () => {
    // The case's own steps (tag `cases`); evidence uploads under the same prefix are not steps.
    const steps = routes.filter(
      (r) =>
        r.method === 'post' &&
        r.path.startsWith('/api/cases/{caseId}/') &&
        (doc.paths[r.path]?.post as { tags?: string[] } | undefined)?.tags?.includes('cases') === true,
    );
    const comments = routes.find((r) => r.operationId === 'addComment') as RouteDoc;
    const stepArb = fc.oneof(
      ...steps.map((r) => {
        const op = doc.paths[r.path]?.post as OperationDoc;
        const schema = op.requestBody?.content['application/json']?.schema as JsonSchema;
        return fc.tuple(fc.constant(r), arbitraryFor(schema, opts()));
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...people),
        stepArb,
        fc.oneof(
          { weight: 4, arbitrary: fc.constant('live') },
          { weight: 1, arbitrary: fc.constant('ZG-1999-000001') },
          { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
        ),
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
          { weight: 1, arbitrary: fc.constantFrom('text/plain', '') },
        ),
        async (who, [route, payload], id, contentType) => {
          const caseId = id === 'live' ? liveCase : id;
          const path = route.path.replace('{caseId}', encodeURIComponent(caseId));
          const res = await call(s.app, 'POST', path, {
            as: who,
            raw: JSON.stringify(payload),
            headers: contentType ? { 'content-type': contentType } : {},
          });
          await checkAnswer(
            route,
            res,
            `POST ${path} as ${who} (${contentType}) ${JSON.stringify(payload).slice(0, 300)}`,
          );
        },
      ),
      {
        numRuns: 70,
        examples: [['lead-huang', [comments, { text: '请尽快处理' }], 'live', 'application/json']],
      },
    );
    expectSomeSuccess(...steps.map((r) => r.operationId));
  });

  it('GET /api/cases and the directory: no 5xx, every answer fits its schema', async () => {
    const gets = routes.filter(
      (r) => r.method === 'get' && r.path.startsWith('/api/') && !r.path.includes('{'),
    );
    const list = routes.find((r) => r.operationId === 'listCases') as RouteDoc;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...people),
        fc.oneof(
          ...gets.map((r) => fc.tuple(fc.constant(r), queryArb(doc.paths[r.path]?.get as OperationDoc))),
        ),
        async (who, [route, query]) => {
          const res = await call(s.app, 'GET', `${route.path}?${query}`, { as: who });
          await checkAnswer(route, res, `GET ${route.path}?${query} as ${who}`);
        },
      ),
      { numRuns: 70, examples: [['audit-he', [list, 'limit=5']]] },
    );
    expectSomeSuccess('listCases');
  });

  it('action links with random tokens and forms: no 5xx, always a page', async () => {
    const show = routes.find((r) => r.operationId === 'showAction') as RouteDoc;
    const perform = routes.find((r) => r.operationId === 'performAction') as RouteDoc;
    const formSchema = doc.paths['/actions/{token}']?.post?.requestBody?.content[
      'application/x-www-form-urlencoded'
    ]?.schema as JsonSchema;
    const token = fc.oneof(
      fc.string({ minLength: 1, maxLength: 60 }),
      fc
        .tuple(fc.base64String({ maxLength: 40 }), fc.base64String({ maxLength: 60 }))
        .map(([a, b]) => `v1.k2.${a}.${b}`),
    );
    await fc.assert(
      fc.asyncProperty(token, fc.boolean(), arbitraryFor(formSchema, opts()), async (t, post, form) => {
        const path = `/actions/${encodeURIComponent(t)}`;
        const fields = Object.fromEntries(
          Object.entries((form ?? {}) as Record<string, unknown>).map(([k, v]) => [
            k,
            typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
          ]),
        );
        const res = post
          ? await s.app.request(path, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams(fields).toString(),
            })
          : await s.app.request(path);
        await checkAnswer(post ? perform : show, res, `${post ? 'POST' : 'GET'} ${path}`);
      }),
      { numRuns: 40 },
    );
  });
});
