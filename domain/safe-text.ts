import type { z } from 'zod';

/**
 * What a person may type into Rectify. Every text that reaches a case ends up
 * in an email (SES refuses to encode a lone surrogate), an audit entry (hashed
 * as UTF-8) and a page; one rule here keeps a careless or hostile string from
 * stalling a case anywhere downstream.
 */

export type TextFlaw =
  | 'lone_surrogate'
  | 'control'
  | 'bidi_override'
  | 'line_break'
  | 'noncharacter'
  | 'undecodable'
  | 'invisible_only';

// C0 controls except tab, LF and CR; DEL; C1 controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
// Directional embeddings, overrides and isolates can make a page or a mail header read other than it is.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/u;
const NONCHARACTER = /[\uFDD0-\uFDEF\uFFFE\uFFFF]/u;
// What a decoder puts where the bytes were not UTF-8: the text as sent is lost, so it is refused, not kept.
const REPLACEMENT = /\uFFFD/u;
// Spaces and the zero-width marks: a text of these alone reads as nothing.
const INVISIBLE_ONLY = /^[\s\u180E\u200B-\u200D\u2060\uFEFF]+$/u;
// Without the u flag the pattern sees UTF-16 code units, so an unpaired half shows.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first flaw of `s`, or null when it is safe to store, hash, show and mail. */
export function textFlaw(s: string, opts: { singleLine?: boolean } = {}): TextFlaw | null {
  if (LONE_SURROGATE.test(s)) return 'lone_surrogate';
  if (CONTROL.test(s)) return 'control';
  if (BIDI.test(s)) return 'bidi_override';
  if (NONCHARACTER.test(s)) return 'noncharacter';
  if (opts.singleLine && LINE_BREAK.test(s)) return 'line_break';
  if (REPLACEMENT.test(s)) return 'undecodable';
  if (INVISIBLE_ONLY.test(s)) return 'invisible_only';
  return null;
}

/** Why a text was refused, in both languages, for the field error a person reads. */
export const textFlawMessage: Record<TextFlaw, { zh: string; en: string }> = {
  lone_surrogate: {
    zh: '包含无效的 Unicode 字符（孤立代理项），请重新输入',
    en: 'contains invalid Unicode (a lone surrogate); please type it again',
  },
  control: { zh: '包含不可见的控制字符，请删除', en: 'contains invisible control characters; remove them' },
  bidi_override: {
    zh: '包含文字方向控制字符，请删除',
    en: 'contains text-direction override characters; remove them',
  },
  line_break: { zh: '不能包含换行', en: 'must be a single line' },
  noncharacter: { zh: '包含无效的 Unicode 字符，请删除', en: 'contains Unicode noncharacters; remove them' },
  undecodable: {
    zh: '包含无法识别的字符（�），通常是文字编码不是 UTF-8；请重新输入',
    en: 'contains a character that could not be read (�), usually text that was not UTF-8; please type it again',
  },
  invisible_only: {
    zh: '只有不可见字符，请输入内容',
    en: 'has only invisible characters; please type some text',
  },
};

/**
 * The zod refinement of every text a person types (API bodies, forms, imports, checklists, zero
 * reports): the first flaw as an issue worded in both languages, "中文 / English".
 */
export const refuseFlaws =
  (opts: { singleLine?: boolean } = {}) =>
  (s: string, ctx: z.RefinementCtx): void => {
    const flaw = textFlaw(s, opts);
    if (flaw)
      ctx.addIssue({ code: 'custom', message: `${textFlawMessage[flaw].zh} / ${textFlawMessage[flaw].en}` });
  };

/**
 * A refused text made showable again: controls, direction marks, noncharacters and unpaired
 * surrogates taken out (a vertical tab, Word's line break, becomes a line break), so a form can
 * give back what someone typed for them to check and send again.
 */
export function stripInvisible(s: string): string {
  return s
    .replaceAll('\u000B', '\n')
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), '')
    .replace(new RegExp(CONTROL.source, 'gu'), '')
    .replace(new RegExp(BIDI.source, 'gu'), '')
    .replace(new RegExp(NONCHARACTER.source, 'gu'), '')
    .replace(/\uFFFD/g, '');
}

/** Replaces unpaired surrogates with U+FFFD so the text always encodes as UTF-8. */
export const wellFormed = (s: string): string => s.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');

/** Makes a line safe for a mail header or subject whatever it holds: no breaks, no controls, well-formed. */
export function headerSafe(s: string): string {
  return (
    s
      .replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD')
      .replace(/[\r\n\u0085\u2028\u2029]+/gu, ' ')
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu, '')
  );
}

/**
 * What someone sent, quoted back in a message without its invisible parts acting: controls,
 * breaks and direction marks shown as \u escapes, the text cut at 100 characters.
 */
export function quoted(s: string): string {
  const shown = [...wellFormed(s)].slice(0, 100).join('');
  const escaped = shown.replace(
    SHOWN_AS_ESCAPE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped + ([...s].length > 100 ? '…' : '');
}
// eslint-disable-next-line no-control-regex -- showing control characters is the point
const SHOWN_AS_ESCAPE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/gu;

/** The dates Rectify accepts: campus records start in 2000 and nothing is planned past 2100. */
export const DATE_RANGE = { min: '2000-01-01', max: '2100-12-31' } as const;

/** True when an ISO date or instant lies within DATE_RANGE (compared on its date part). */
export function dateInRange(iso: string): boolean {
  const day = iso.slice(0, 10);
  return day >= DATE_RANGE.min && day <= DATE_RANGE.max;
}
