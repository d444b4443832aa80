import type { Context } from 'hono';
import type { BodyData, ParseBodyOptions } from 'hono/utils/body';
import type { Bilingual } from '../domain/text.ts';
import { ProblemError } from './middleware/problems.ts';

/** What a person is told when their form arrived in pieces (an upload cut off, a multipart without its boundary). */
export const unreadableForm: Bilingual = {
  zh: '表单无法读取：提交的内容不完整或格式不正确（例如上传中断）。请重新提交。',
  en: 'The form could not be read: it arrived incomplete or malformed (an interrupted upload, say). Please send it again.',
};

/**
 * The posted form, or undefined when the body does not parse as its Content-Type says (a
 * truncated multipart, one without a boundary): the sender's fault, never a 500.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Hono's own default: no options
export async function readForm<O extends Partial<ParseBodyOptions> = {}>(
  c: Context,
  options?: O,
): Promise<BodyData<O> | undefined> {
  // A compressed body would be parsed as if it were the form and its fields read as garbage: no
  // browser sends one and nothing here inflates it, so it is a form that cannot be read.
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase() ?? '';
  if (encoding !== '' && encoding !== 'identity') return undefined;
  try {
    return await c.req.parseBody<O, BodyData<O>>(options);
  } catch {
    return undefined;
  }
}

/** The posted form; one that does not parse is refused with a 400 problem that says so. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Hono's own default: no options
export async function formOr400<O extends Partial<ParseBodyOptions> = {}>(
  c: Context,
  options?: O,
): Promise<BodyData<O>> {
  const form = await readForm(c, options);
  if (form === undefined) throw new ProblemError('validation', unreadableForm);
  return form;
}
