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
    expect(en.errors?.find((e) => e.field === 'n')?.message).toMatch(/expected number/i);
  });

  it('says a missing or mistyped field in words, not zod’s English type names', async () => {
    const missing = await problemOf(await post('/things/t-1', '{}'));
    expect(missing.errors).toEqual([{ field: 'n', message: '缺少此项（应为数字）' }]);
    const typed = await problemOf(await post('/things/t-1', '{"n":1,"note":7}'));
    expect(typed.errors).toEqual([{ field: 'note', message: '类型不对：应为文本，收到的是数字' }]);
    const huge = await problemOf(await post('/things/t-1', '{"n":1,"note":1e309}'));
    expect(huge.errors?.[0]?.message).toBe('类型不对：应为文本，收到的是超出范围的数字');
    const en = await problemOf(await post('/things/t-1?lang=en', '{}'));
    expect(en.errors).toEqual([{ field: 'n', message: 'Required (expected number)' }]);
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
    expect(messages('en')?.[0]).toBe('Required: must not be empty');
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
      en: '1 problem(s) in the request form; see errors',
    });
  });
});
