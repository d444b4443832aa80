import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProblemError, problemOnError } from './problems.ts';
import { jsonOnly, parseOr400, validationHook } from './validation.ts';

/** The validation hook and the JSON gate on a one-route app, as createApp wires them. */
const app = new OpenAPIHono({ defaultHook: validationHook });
app.onError(problemOnError);
app.openapi(
  createRoute({
    method: 'post',
    path: '/things/{id}',
    middleware: [jsonOnly],
    request: {
      params: z.object({ id: z.string().regex(/^t-\d+$/, 'like t-1 / 形如 t-1') }),
      query: z.strictObject({ lang: z.enum(['zh-CN', 'en']).optional() }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({ n: z.number().int(), note: z.string().optional() }),
          },
        },
      },
    },
    responses: { 200: { description: 'ok' } },
  }),
  (c) => c.json({ ok: true }, 200),
);

const post = (
  path: string,
  body: string | undefined,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => app.request(path, { method: 'POST', body, headers });

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; message: string }[];
}
const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as Problem;
};

describe('validation', () => {
  it('passes a valid request', async () => {
    expect((await post('/things/t-1', '{"n":1}')).status).toBe(200);
  });

  it('answers field errors as problem+json, in Chinese by default and in English on request', async () => {
    const zh = await problemOf(await post('/things/t-1', '{"n":"x","extra":1}'));
    expect(zh.status).toBe(400);
    expect(zh.title).toBe('请求参数有误');
    expect(zh.errors?.find((e) => e.field === 'n')?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(zh.errors?.map((e) => e.field)).toContain('(body)');
    const en = await problemOf(await post('/things/t-1?lang=en', '{"n":"x"}'));
    expect(en.errors?.find((e) => e.field === 'n')?.message).toBe('send a number, not text');
  });

  it('says a missing or mistyped field in words, not zod’s English type names', async () => {
    const missing = await problemOf(await post('/things/t-1', '{}'));
    expect(missing.errors).toEqual([{ field: 'n', message: '缺少此项（应为数字）' }]);
    const typed = await problemOf(await post('/things/t-1', '{"n":1,"note":7}'));
    expect(typed.errors).toEqual([{ field: 'note', message: '类型不对：应为文本，收到的是数字' }]);
    const huge = await problemOf(await post('/things/t-1', '{"n":1,"note":1e309}'));
    expect(huge.errors?.[0]?.message).toBe('类型不对：应为文本，收到的是超出范围的数字');
    const en = await problemOf(await post('/things/t-1?lang=en', '{}'));
    expect(en.errors).toEqual([{ field: 'n', message: 'is required (a number)' }]);
  });

  it('says length and size limits in words', () => {
    const schema = z.object({
      a: z.string().min(1),
      b: z.string().max(2),
      c: z.array(z.string()).max(1),
      d: z.number().min(3),
      e: z.number().gt(0),
    });
    const messages = (lang: 'zh-CN' | 'en') => {
      try {
        parseOr400(schema, { a: '', b: 'abc', c: ['x', 'y'], d: 1, e: 0 }, lang, 'body');
      } catch (err) {
        if (err instanceof ProblemError) return err.errors?.map((e) => e.message);
      }
      return undefined;
    };
    expect(messages('zh-CN')).toEqual(['不能为空', '最多 2 个字符', '最多 1 项', '不能小于 3', '须大于 0']);
    expect(messages('en')).toEqual([
      'must not be empty',
      'takes at most 2 characters',
      'list at most 1 item',
      'must be at least 3',
      'must be more than 0',
    ]);
  });

  it('keeps a schema’s own wording, in the caller’s half, and names path and query fields', async () => {
    const p = await problemOf(await post('/things/nope', '{"n":1}'));
    expect(p.errors).toEqual([{ field: 'id', message: '形如 t-1' }]);
    const en = await problemOf(await post('/things/nope?lang=en', '{"n":1}'));
    expect(en.errors).toEqual([{ field: 'id', message: 'like t-1' }]);
    const q = await problemOf(await post('/things/t-1?lang=fr', '{"n":1}'));
    expect(q.errors?.map((e) => e.field)).toEqual(['lang']);
  });

  it('says a choice, an unknown key and a date plainly, not in zod’s translated wording', async () => {
    const q = await problemOf(await post('/things/t-1?lang=zh', '{"n":1}'));
    expect(q.errors).toEqual([{ field: 'lang', message: '须为以下之一：zh-CN、en' }]);
    const extra = await problemOf(await post('/things/t-1', '{"n":1,"x":2}'));
    expect(extra.errors?.[0]?.message).toBe('不接受的字段：x（请检查拼写，或删去）');
    const firstMessage = (schema: z.ZodType, data: unknown, lang: 'zh-CN' | 'en') => {
      try {
        parseOr400(schema, data, lang, 'body');
        return 'accepted';
      } catch (err) {
        return (err as ProblemError).errors?.[0]?.message;
      }
    };
    expect(firstMessage(z.object({ day: z.iso.date() }), { day: '2026-13-45' }, 'zh-CN')).toBe(
      '须为实际存在的日期，格式 YYYY-MM-DD',
    );
    expect(firstMessage(z.object({ c: z.enum(['a', 'b']) }), { c: 'z' }, 'en')).toBe('must be one of: a, b');
  });

  it('refuses a body without a JSON Content-Type (415) instead of validating {}', async () => {
    for (const headers of [{}, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      const p = await problemOf(await post('/things/t-1', '{"n":1}', headers));
      expect(p.status).toBe(415);
    }
    expect((await problemOf(await post('/things/t-1', '', {}))).status).toBe(415);
  });

  it('refuses a compressed body with 415 naming its encoding, instead of calling it bad JSON', async () => {
    const { gzipSync } = await import('node:zlib');
    for (const encoding of ['gzip', 'br', 'deflate, gzip']) {
      const res = await app.request('/things/t-1?lang=en', {
        method: 'POST',
        body: gzipSync('{"n":1}'),
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      });
      const p = await problemOf(res);
      expect(p.status).toBe(415);
      expect(p.detail).toBe(
        `the body is sent with Content-Encoding: ${encoding}, which no route here takes; send the body uncompressed`,
      );
    }
    const zh = await problemOf(
      await post('/things/t-1', '{"n":1}', {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      }),
    );
    expect(zh.detail).toMatch(/Content-Encoding: gzip.*不压缩/);
    const plain = { 'content-type': 'application/json', 'content-encoding': 'identity' };
    expect((await post('/things/t-1', '{"n":1}', plain)).status).toBe(200);
  });

  it('refuses a charset other than UTF-8 with 415 naming it, instead of reading it as UTF-8', async () => {
    for (const type of ['application/json; charset=latin1', 'application/json;charset="ISO-8859-1"']) {
      const p = await problemOf(await post('/things/t-1?lang=en', '{"n":1}', { 'content-type': type }));
      expect(p.status).toBe(415);
      expect(p.detail).toMatch(
        /^the body's charset=(latin1|ISO-8859-1) is not taken; send it encoded as UTF-8/,
      );
    }
    const zh = await problemOf(
      await post('/things/t-1', '{"n":1}', { 'content-type': 'application/json; charset=utf-16' }),
    );
    expect(zh.detail).toMatch(/charset=utf-16 不受支持/);
    for (const type of [
      'application/json; charset=utf-8',
      'application/json; charset=UTF-8',
      'application/json',
    ])
      expect((await post('/things/t-1', '{"n":1}', { 'content-type': type })).status).toBe(200);
  });

  it('refuses a key sent twice instead of keeping the last silently', async () => {
    const p = await problemOf(await post('/things/t-1', '{"n":1,"note":"a","note":"b"}'));
    expect(p.status).toBe(400);
    expect(p.errors).toEqual([{ field: 'note', message: 'note 出现了两次，请只保留一个' }]);
    const en = await problemOf(await post('/things/t-1?lang=en', '{"n":1,"n":2}'));
    expect(en.errors).toEqual([{ field: 'n', message: 'n appears twice; send it once' }]);
  });

  it('says when the body is empty or not JSON', async () => {
    expect((await problemOf(await post('/things/t-1', ''))).detail).toMatch(/请求体为空/);
    expect((await problemOf(await post('/things/t-1', '{"n":'))).detail).toMatch(/JSON/);
  });
});

describe('every issue kind the Chinese side words, said as plainly in English', () => {
  const firstMessage = (schema: z.ZodType, data: unknown, lang: 'zh-CN' | 'en') => {
    try {
      parseOr400(schema, data, lang, 'body');
      return 'accepted';
    } catch (err) {
      return (err as ProblemError).errors?.[0]?.message;
    }
  };
  const jargon = /Too (big|small)|Invalid input|Unrecognized|expected|received|[<>]=|期望|无效|未知/;

  it.each([
    [
      'a string over its limit',
      z.object({ t: z.string().max(5000) }),
      { t: 'x'.repeat(5001) },
      '最多 5000 个字符',
      'takes at most 5000 characters',
    ],
    [
      'a string under its limit',
      z.object({ t: z.string().min(2) }),
      { t: 'x' },
      '至少 2 个字符',
      'takes at least 2 characters',
    ],
    [
      'an empty required string',
      z.object({ t: z.string().min(1) }),
      { t: '' },
      '不能为空',
      'must not be empty',
    ],
    [
      'a one-character limit',
      z.object({ t: z.string().max(1) }),
      { t: 'xy' },
      '最多 1 个字符',
      'takes at most 1 character',
    ],
    [
      'an empty list',
      z.object({ l: z.array(z.string()).min(1) }),
      { l: [] },
      '至少填写 1 项',
      'list at least 1 item',
    ],
    [
      'a short list',
      z.object({ l: z.array(z.string()).min(3) }),
      { l: ['a'] },
      '至少 3 项',
      'list at least 3 items',
    ],
    [
      'a long list',
      z.object({ l: z.array(z.string()).max(2) }),
      { l: ['a', 'b', 'c'] },
      '最多 2 项',
      'list at most 2 items',
    ],
    [
      'a number below its minimum',
      z.object({ n: z.number().min(1) }),
      { n: 0 },
      '不能小于 1',
      'must be at least 1',
    ],
    [
      'a number not above a bound',
      z.object({ n: z.number().gt(0) }),
      { n: 0 },
      '须大于 0',
      'must be more than 0',
    ],
    [
      'a number above its maximum',
      z.object({ n: z.number().max(10) }),
      { n: 11 },
      '不能大于 10',
      'must be at most 10',
    ],
    [
      'a number not below a bound',
      z.object({ n: z.number().lt(10) }),
      { n: 10 },
      '须小于 10',
      'must be less than 10',
    ],
    ['a missing string', z.object({ t: z.string() }), {}, '缺少此项（应为文本）', 'is required (text)'],
    [
      'a missing boolean',
      z.object({ b: z.boolean() }),
      {},
      '缺少此项（应为布尔值（true 或 false））',
      'is required (true or false)',
    ],
    [
      'text for a boolean',
      z.object({ b: z.boolean() }),
      { b: 'yes' },
      '类型不对：应为布尔值（true 或 false），收到的是文本',
      'send true or false, not text',
    ],
    [
      'a number for text',
      z.object({ t: z.string() }),
      { t: 7 },
      '类型不对：应为文本，收到的是数字',
      'send text, not a number',
    ],
    [
      'a list for an object',
      z.object({ o: z.object({}) }),
      { o: [] },
      '类型不对：应为对象，收到的是数组',
      'send an object, not a list',
    ],
    [
      'an unknown key',
      z.strictObject({}),
      { stage: 1 },
      '不接受的字段：stage（请检查拼写，或删去）',
      'stage is not a field here (check the spelling, or leave it out)',
    ],
    [
      'two unknown keys',
      z.strictObject({}),
      { a: 1, b: 2 },
      '不接受的字段：a、b（请检查拼写，或删去）',
      'a, b are not fields here (check the spelling, or leave them out)',
    ],
    [
      'a value not among the choices',
      z.object({ c: z.enum(['a', 'b']) }),
      { c: 'z' },
      '须为以下之一：a、b',
      'must be one of: a, b',
    ],
    [
      'a date that does not exist',
      z.object({ d: z.iso.date() }),
      { d: '2026-02-30' },
      '须为实际存在的日期，格式 YYYY-MM-DD',
      'must be a real date, YYYY-MM-DD',
    ],
    [
      'a time without an offset',
      z.object({ d: z.iso.datetime({ offset: true }) }),
      { d: 'x' },
      '须为带时区的 ISO 8601 时间，如 2026-12-06T08:00:00+08:00',
      'must be an ISO 8601 time with its offset, such as 2026-12-06T08:00:00+08:00',
    ],
    [
      'an address that is not email',
      z.object({ e: z.email() }),
      { e: 'x' },
      '须为有效的电子邮箱地址',
      'must be a valid email address',
    ],
    [
      'an address that is not a URL',
      z.object({ u: z.url() }),
      { u: 'x' },
      '须为有效的网址',
      'must be a valid URL',
    ],
  ] as const)('%s', (_what, schema, data, zh, en) => {
    expect(firstMessage(schema, data, 'zh-CN')).toBe(zh);
    expect(firstMessage(schema, data, 'en')).toBe(en);
    expect(firstMessage(schema, data, 'en')).not.toMatch(jargon);
  });

  it('words them alike through a route, whose validator used zod’s default messages', async () => {
    const en = await problemOf(await post('/things/t-1?lang=en', '{"n":"x","stage":1}'));
    expect(en.errors).toEqual([
      { field: 'n', message: 'send a number, not text' },
      { field: '(body)', message: 'stage is not a field here (check the spelling, or leave it out)' },
    ]);
  });
});

describe('parseOr400', () => {
  it('names where the problem is in each language: a form is a form, not the path', () => {
    const schema = z.object({ minutes: z.coerce.number().int() });
    const refused = (where: 'form' | 'path' | 'query' | 'body', lang: 'zh-CN' | 'en') => {
      try {
        parseOr400(schema, { minutes: 'x' }, lang, where);
      } catch (err) {
        return err instanceof ProblemError ? err : undefined;
      }
      return undefined;
    };
    const form = refused('form', 'zh-CN');
    expect(form?.detail).toMatchObject({ zh: '表单有 1 处错误，见 errors' });
    expect(form?.errors?.[0]?.field).toBe('minutes');
    expect(refused('path', 'zh-CN')?.detail).toMatchObject({ zh: '路径参数有 1 处错误，见 errors' });
    expect(refused('form', 'en')?.detail).toMatchObject({
      en: '1 problem in the request form; see errors',
    });
  });
});

describe('parseOr400: one error per problem, and a sentence for a page', () => {
  const refusal = (schema: z.ZodType, data: unknown, where: 'path' | 'query' = 'query') => {
    try {
      parseOr400(schema, data, 'zh-CN', where);
    } catch (err) {
      if (err instanceof ProblemError) return err;
    }
    throw new Error('not refused');
  };

  it('lists a value that fails two checks with the same words once, and a malformed date once', () => {
    const bound = 'from 1 to 200 / 1 到 200';
    const limit = z.coerce.number().int(bound).max(200, bound);
    expect(refusal(z.object({ limit }), { limit: '99999999999999999999' }).errors).toHaveLength(1);
    const date = z.iso.date().refine((d) => d >= '2000', 'from 2000 / 2000 年起');
    expect(refusal(z.object({ to: date }), { to: '99999-01-01' }).errors).toEqual([
      { field: 'to', message: '须为实际存在的日期，格式 YYYY-MM-DD' },
    ]);
  });

  it('words the problem for a person: the field by what it is, both languages, no "see errors"', () => {
    const p = refusal(z.object({ night: z.iso.date() }), { night: '2026-13-45' }, 'path');
    expect(p.forPerson?.zh).toMatch(/^地址中的日期有误：须为实际存在的日期/);
    expect(p.forPerson?.en).toMatch(/^The date in the address is not right: must be a real date/);
    expect(`${p.forPerson?.zh}${p.forPerson?.en}`).not.toMatch(/errors|night/);
  });
});
