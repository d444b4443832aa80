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
  | 'invisible_only'
  | 'invisible_format';

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

/**
 * The invisible format characters (general category Cf, which holds the bidi marks above too)
 * that may stay in a single line, because they are part of what a person sees: a zero-width
 * joiner inside an emoji sequence (woman, ZWJ, laptop), a subdivision flag's tag characters
 * (black flag, tags spelling gbsct, cancel tag), and a
 * zero-width (non-)joiner between letters of a script that joins (Arabic, the Indic scripts),
 * where it changes how the word is written.
 */
const EMOJI_TAIL = String.raw`(?:\u{FE0F}|[\u{1F3FB}-\u{1F3FF}])*`;
const JOINING = String.raw`[\p{Script_Extensions=Arabic}\p{Script_Extensions=Syriac}\p{Script_Extensions=Devanagari}\p{Script_Extensions=Bengali}\p{Script_Extensions=Gurmukhi}\p{Script_Extensions=Gujarati}\p{Script_Extensions=Oriya}\p{Script_Extensions=Tamil}\p{Script_Extensions=Telugu}\p{Script_Extensions=Kannada}\p{Script_Extensions=Malayalam}\p{Script_Extensions=Sinhala}]`;
// The kept sequences first, so that at each place a kept one wins over its lone format character.
const FORMAT_SCAN = new RegExp(
  [
    String.raw`(?<=\p{Extended_Pictographic}${EMOJI_TAIL})\u200D(?=\p{Extended_Pictographic})`,
    String.raw`\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}`,
    String.raw`(?<=${JOINING})[\u200C\u200D](?=${JOINING})`,
    String.raw`(?<refused>\p{Cf})`,
  ].join('|'),
  'gu',
);

const ANY_FORMAT = /\p{Cf}/u;

/** Each invisible format character of `s` that no emoji or joined script keeps. */
const refusedFormat = (s: string) =>
  [...s.matchAll(FORMAT_SCAN)].filter((m) => m.groups?.refused !== undefined).map((m) => m.index);

/**
 * The first invisible format character of `s` that is not part of an emoji or a joined script:
 * a zero-width space, a direction mark, a byte order mark or a tag character makes a title look
 * the same as another while being a different text. Null when there is none.
 */
export function invisibleFormatCharacter(s: string): number | null {
  // Nearly every text has none: the plain test spares it the scan with its lookarounds.
  if (!ANY_FORMAT.test(s)) return null;
  const at = refusedFormat(s)[0];
  return at === undefined ? null : (s.codePointAt(at) ?? null);
}

/** The name a person can look a format character up by; the common ones said, the rest by their group. */
const FORMAT_NAMES: Record<number, string> = {
  0xad: 'SOFT HYPHEN',
  0x61c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2060: 'WORD JOINER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
};

/** A code point as Unicode writes it, with its name when it has a common one: "U+200B ZERO WIDTH SPACE". */
export function codePointName(cp: number): string {
  const u = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = FORMAT_NAMES[cp] ?? (cp >= 0xe0000 && cp <= 0xe007f ? 'TAG CHARACTER' : undefined);
  return name ? `${u} ${name}` : u;
}

/** The first flaw of `s`, or null when it is safe to store, hash, show and mail. */
export function textFlaw(s: string, opts: { singleLine?: boolean } = {}): TextFlaw | null {
  if (LONE_SURROGATE.test(s)) return 'lone_surrogate';
  if (CONTROL.test(s)) return 'control';
  if (BIDI.test(s)) return 'bidi_override';
  if (NONCHARACTER.test(s)) return 'noncharacter';
  if (opts.singleLine && LINE_BREAK.test(s)) return 'line_break';
  if (REPLACEMENT.test(s)) return 'undecodable';
  if (INVISIBLE_ONLY.test(s)) return 'invisible_only';
  if (opts.singleLine && invisibleFormatCharacter(s) !== null) return 'invisible_format';
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
  invisible_format: {
    zh: '包含不可见的格式字符（如零宽空格），会让它看起来与别的文字相同；请删除',
    en: 'contains an invisible format character (such as a zero-width space) that makes it look like other text; remove it',
  },
};

/**
 * Why `s` was refused, in both languages: the flaw's message, and for an invisible format
 * character which one it is (code point and name), since it cannot be seen to be found.
 */
export function textFlawText(s: string, flaw: TextFlaw): { zh: string; en: string } {
  const cp = flaw === 'invisible_format' ? invisibleFormatCharacter(s) : null;
  if (cp === null) return textFlawMessage[flaw];
  const name = codePointName(cp);
  return {
    zh: `包含看不见的格式字符 ${name}，会让它看起来与别的文字相同；请删除该字符后重新输入`,
    en: `contains the invisible character ${name}, which makes it look like other text; remove it and type it again`,
  };
}

/**
 * The zod refinement of every text a person types (API bodies, forms, imports, checklists, zero
 * reports): the first flaw as an issue worded in both languages, "中文 / English".
 */
export const refuseFlaws =
  (opts: { singleLine?: boolean } = {}) =>
  (s: string, ctx: z.RefinementCtx): void => {
    const flaw = textFlaw(s, opts);
    if (flaw) {
      const said = textFlawText(s, flaw);
      ctx.addIssue({ code: 'custom', message: `${said.zh} / ${said.en}` });
    }
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
    .replace(/\uFFFD/g, '')
    .replace(FORMAT_SCAN, (found: string, ...rest: unknown[]) =>
      (rest.at(-1) as { refused?: string }).refused === undefined ? found : '',
    );
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
