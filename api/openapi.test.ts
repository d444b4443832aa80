import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.ts';

/**
 * The document alone is enough to call the JSON routes written as plain
 * handlers (api/pages/page-routes.ts): their bodies and queries are the
 * schemas the handlers validate with, and each lists what it can answer.
 */
interface Schema {
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Operation {
  description?: string;
  parameters: { name: string; in: string; required: boolean; schema: Schema }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
}
const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
const op = (method: string, path: string): Operation => {
  const o = doc.paths[path]?.[method];
  if (!o) throw new Error(`${method} ${path} is not in the document`);
  return o;
};
const statuses = (o: Operation) => Object.keys(o.responses).map(Number);

describe('the JSON routes with plain handlers', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it.each([
    ['/api/cases/{caseId}/evidence', 'application/json', ['fileName', 'contentType', 'size']],
    ['/api/cases/{caseId}/evidence/upload', 'multipart/form-data', ['file']],
    ['/api/inspections/{roundId}/results', 'application/json', ['results']],
    ['/api/zero-reports/{night}', 'application/json', []],
  ] as const)('POST %s takes a %s body of its handler’s schema', (path, mediaType, required) => {
    const body = op('post', path).requestBody;
    expect(body?.required).toBe(true);
    expect(Object.keys(body?.content ?? {})).toEqual([mediaType]);
    const schema = body?.content[mediaType]?.schema;
    expect(schema?.type).toBe('object');
    expect(schema?.required ?? []).toEqual(required);
    const expected: Record<string, string[]> = {
      '/api/cases/{caseId}/evidence': ['fileName', 'contentType', 'size'],
      '/api/cases/{caseId}/evidence/upload': ['file'],
      '/api/inspections/{roundId}/results': ['results', 'finish'],
      '/api/zero-reports/{night}': ['cellId', 'none', 'late', 'absent'],
    };
    expect(Object.keys(schema?.properties ?? {})).toEqual(expected[path]);
  });

  it('the multipart upload’s file is binary; the checklist’s entries are described', () => {
    const upload = op('post', '/api/cases/{caseId}/evidence/upload').requestBody?.content[
      'multipart/form-data'
    ];
    expect(upload?.schema.properties?.file?.format).toBe('binary');
    const results = op('post', '/api/inspections/{roundId}/results').requestBody?.content['application/json']
      ?.schema.properties?.results as Schema & { items?: Schema };
    expect(results.items?.required).toEqual(['itemId', 'result']);
  });

  it('confirming an upload takes no body, and says so', () => {
    const confirm = op('post', '/api/evidence/{evidenceId}/confirm');
    expect(confirm.requestBody).toBeUndefined();
    expect(confirm.description).toMatch(/No body/);
  });

  it('GET /api/inspections requires from and to; GET /api/places takes an optional buildingId', () => {
    const query = (o: Operation) =>
      Object.fromEntries(o.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.required]));
    expect(query(op('get', '/api/inspections'))).toEqual({
      from: true,
      to: true,
      buildingId: false,
      limit: false,
      cursor: false,
      lang: false,
    });
    expect(query(op('get', '/api/places'))).toEqual({ buildingId: false, lang: false });
  });

  it('path parameters carry the shape the handler checks', () => {
    const path = (o: Operation) => o.parameters.filter((p) => p.in === 'path');
    for (const [method, p, name] of [
      ['post', '/api/cases/{caseId}/evidence', 'caseId'],
      ['post', '/api/evidence/{evidenceId}/confirm', 'evidenceId'],
      ['get', '/api/inspections/{roundId}', 'roundId'],
      ['post', '/api/zero-reports/{night}', 'night'],
    ] as const) {
      const params = path(op(method, p));
      expect(params.map((x) => [x.name, x.required])).toEqual([[name, true]]);
      expect(params[0]?.schema).toHaveProperty('pattern');
    }
  });

  it('no GET lists 201, 413 or 415', () => {
    const wrong = Object.entries(doc.paths).flatMap(([path, methods]) =>
      methods.get && statuses(methods.get).some((s) => [201, 413, 415].includes(s))
        ? [`${path}: ${statuses(methods.get).join(',')}`]
        : [],
    );
    expect(wrong).toEqual([]);
  });

  it.each([
    ['get', '/api/places', [200, 400, 404, 503]],
    ['get', '/api/standards', [200, 401, 503]],
    ['get', '/api/inspections', [200, 400, 401, 403, 404, 503]],
    ['get', '/api/inspections/{roundId}', [200, 400, 401, 403, 404, 503]],
    ['get', '/api/zero-reports/{night}', [200, 400, 401, 403, 404, 503]],
    ['post', '/api/cases/{caseId}/evidence', [201, 400, 401, 403, 404, 409, 413, 415, 503]],
    ['post', '/api/cases/{caseId}/evidence/upload', [201, 400, 401, 403, 404, 409, 413, 415, 422, 503]],
    ['post', '/api/evidence/{evidenceId}/confirm', [200, 400, 401, 403, 404, 409, 413, 422, 503]],
    ['post', '/api/inspections/{roundId}/results', [200, 400, 401, 403, 404, 409, 413, 415, 422, 503]],
    ['post', '/api/zero-reports/{night}', [201, 400, 401, 403, 404, 409, 413, 415, 422, 503]],
    // A malformed job id is a 400; a used or expired sign-in link a 410 page; a signed-out form a 302.
    ['get', '/api/audit/jobs/{jobId}', [200, 400, 401, 403, 404, 503]],
    ['get', '/api/audit/jobs/{jobId}/download', [303, 400, 401, 403, 404, 409, 503]],
    ['get', '/login/link/{token}', [302, 403, 404, 410]],
    // A web-app address also answers a wrong method with a 405 page (pageMethodGuard).
    ['post', '/app/cases/{caseId}/comment', [302, 303, 400, 403, 404, 405, 409, 413, 429]],
  ] as const)('%s %s answers %j', (method, path, expected) => {
    expect(statuses(op(method, path))).toEqual(expected);
  });

  it('GET /api/cases says what a date as `to` means: the whole day, as the server reads it', () => {
    const description = op('get', '/api/cases').description ?? '';
    expect(description).not.toMatch(/to 不含|to exclusive/);
    expect(description).toContain('to 为日期时含该日全天');
    expect(description).toContain('a date as to takes in that whole campus day');
  });
});
