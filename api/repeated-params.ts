import type { Context } from 'hono';
import type { z } from 'zod';
import type { Bilingual } from '../domain/text.ts';
import { validationHook } from './middleware/validation.ts';

/**
 * A query parameter or form field given more than once is refused, never quietly reduced to one
 * of its values (`?buildingId=a&buildingId=b` would show one building's figures as if asked for).
 */

/** Each value given once as itself, a repeated one as its list (how Hono's validators pass a query). */
export const valuesOf = <V>(all: Record<string, V[]>): Record<string, V | V[]> =>
  Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));

/** The names given more than once, with how many times, in the API's words for a query. */
export function repeatedParams(
  all: Record<string, unknown>,
  kind: 'query' | 'form' = 'query',
): Record<string, Bilingual> {
  const out: Record<string, Bilingual> = {};
  for (const [name, value] of Object.entries(all)) {
    if (!Array.isArray(value) || value.length < 2) continue;
    out[name] = {
      zh: `${kind === 'form' ? '字段' : '参数'} ${name} 重复了 ${value.length} 次：只能给一次`,
      en: `${kind === 'form' ? 'the field ' : ''}${name} was given ${value.length} times: give it once`,
    };
  }
  return out;
}

/**
 * A plain route's query through the declared routes' own validation: a repeated parameter is the
 * same 400 problem ("参数 buildingId 重复了 2 次") as on every route the document declares.
 */
export function validQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const data = valuesOf(c.req.queries());
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  validationHook({ success: false, error: r.error, data, target: 'query' }, c);
  // Not reached: the hook throws the problem.
  throw r.error;
}
