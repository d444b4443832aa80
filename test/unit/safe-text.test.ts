import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  codePointName,
  dateInRange,
  headerSafe,
  invisibleFormatCharacter,
  quoted,
  refuseFlaws,
  stripInvisible,
  textFlaw,
  textFlawText,
  wellFormed,
} from '../../domain/safe-text.ts';

describe('textFlaw', () => {
  it.each([
    ['\ud83d', 'lone_surrogate'],
    ['a\udc00b', 'lone_surrogate'],
    ['x\u0000y', 'control'],
    ['\u001b[31m', 'control'],
    ['\u0085', 'control'],
    ['abc\u202Edef', 'bidi_override'],
    ['\u2067x', 'bidi_override'],
    ['\uFFFE', 'noncharacter'],
    // What a decoder left where the bytes were not UTF-8.
    ['\uFFFD', 'undecodable'],
    ['水龙头\uFFFD\uFFFD', 'undecodable'],
    // Nothing a person can read.
    ['\u200B', 'invisible_only'],
    [' \u200B\u200D\u2060 ', 'invisible_only'],
    ['\uFEFF', 'invisible_only'],
  ] as const)('refuses %j as %s', (s, flaw) => {
    expect(textFlaw(s)).toBe(flaw);
  });

  it('accepts Chinese, emoji sequences, mixed scripts and multi-line text', () => {
    for (const s of [
      'A101 水龙头漏水',
      '👩‍🔧 修好了 👍🏽',
      'Ωμέγα и кириллица 한국어',
      '第一行\n第二行\r\n\t缩进',
    ]) {
      expect(textFlaw(s)).toBeNull();
    }
  });

  it('refuses line breaks only where a single line is asked for', () => {
    expect(textFlaw('a\r\nb')).toBeNull();
    expect(textFlaw('a\r\nb', { singleLine: true })).toBe('line_break');
    expect(textFlaw('a\u2028b', { singleLine: true })).toBe('line_break');
  });

  it('never passes a string that is not well-formed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const wellFormed = !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
        if (textFlaw(s) === null) expect(wellFormed).toBe(true);
        // What passes can always be encoded as UTF-8 and back unchanged.
        if (textFlaw(s) === null) expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s);
      }),
    );
  });
});

describe('invisible format characters in a single line', () => {
  const WOMAN = '\u{1F469}';
  const LAPTOP = '\u{1F4BB}';
  const ZWJ = '\u200D';
  const ZWNJ = '\u200C';
  const flagOfScotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';

  it.each([
    ['a zero-width space', 'A101\u200B漏水', 0x200b],
    ['a left-to-right mark', 'A101\u200E漏水', 0x200e],
    ['a right-to-left mark', 'A101 漏水\u200F', 0x200f],
    ['an Arabic letter mark', 'a\u061Cb', 0x61c],
    ['a byte order mark mid-string', '水龙头\uFEFF漏水', 0xfeff],
    ['a word joiner', 'A\u2060101', 0x2060],
    ['a soft hyphen', 'wa\u00ADter', 0xad],
    ['a Mongolian vowel separator', 'a\u180Eb', 0x180e],
    ['an invisible times', 'a\u2062b', 0x2062],
    ['an interlinear annotation anchor', 'a\uFFF9b', 0xfff9],
    ['a language tag', '\u{E0001}title', 0xe0001],
    ['a tag letter after a letter', 'A101\u{E0041}', 0xe0041],
    ['a cancel tag alone', 'A101\u{E007F}', 0xe007f],
    ['tags after a black flag but never cancelled', '\u{1F3F4}\u{E0067}\u{E0062}', 0xe0067],
    ['a zero-width joiner between Latin letters', 'ab\u200Dc', 0x200d],
    ['a zero-width joiner between Chinese characters', '漏\u200D水', 0x200d],
    ['a zero-width joiner ending an emoji', `${WOMAN}${ZWJ}`, 0x200d],
    ['a zero-width joiner before an emoji, after a letter', `a${ZWJ}${LAPTOP}`, 0x200d],
    ['a zero-width non-joiner between Latin letters', 'pay\u200Cpal', 0x200c],
    ['a zero-width non-joiner between emoji', `${WOMAN}${ZWNJ}${LAPTOP}`, 0x200c],
    ['a refused character after a kept emoji sequence', `${WOMAN}${ZWJ}${LAPTOP}\u200B`, 0x200b],
  ])('refuses %s, naming it', (_what, s, cp) => {
    expect(invisibleFormatCharacter(s)).toBe(cp);
    expect(textFlaw(s, { singleLine: true })).toBe('invisible_format');
    const said = textFlawText(s, 'invisible_format');
    const u = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    expect(said.en).toContain(u);
    expect(said.zh).toContain(u);
  });

  it.each([
    ['plain Chinese and Latin', 'A101 水龙头漏水 tap'],
    ['an emoji ZWJ sequence', `${WOMAN}${ZWJ}${LAPTOP} 修电脑`],
    ['a family of three', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'],
    ['a sequence with a skin tone', '\u{1F9D1}\u{1F3FD}\u200D\u{1F4BB}'],
    ['a sequence with variation selectors', '\u{1F3F3}\uFE0F\u200D\u26A7\uFE0F'],
    ['an eye in a speech bubble', '\u{1F441}\uFE0F\u200D\u{1F5E8}\uFE0F'],
    ['a subdivision flag', `${flagOfScotland} Scotland`],
    ['a zero-width non-joiner in Persian', '\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645'],
    ['a zero-width joiner in Devanagari', '\u0915\u094D\u200D\u0937'],
    ['a keycap and a regional-indicator flag', '1\uFE0F\u20E3 \u{1F1E8}\u{1F1F3}'],
  ])('keeps %s', (_what, s) => {
    expect(invisibleFormatCharacter(s)).toBeNull();
    expect(textFlaw(s, { singleLine: true })).toBeNull();
  });

  it('refuses every Cf character outside those sequences, and no other character', () => {
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      const expected = /\p{Cf}/u.test(c) ? cp : null;
      if (invisibleFormatCharacter(`a${c}b`) !== expected) wrong.push(codePointName(cp));
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('still lets multi-line text keep them (it never names a thing to tell apart)', () => {
    expect(textFlaw('第一行\u200B\n第二行')).toBeNull();
    expect(textFlaw('第一行\u200B\n第二行', { singleLine: true })).toBe('line_break');
  });

  it('keeps the text-direction overrides their own, stricter flaw', () => {
    expect(textFlaw('closure \u202Eevil', { singleLine: true })).toBe('bidi_override');
  });

  it('says which character, in both languages, through the shared refinement', () => {
    const r = z
      .string()
      .superRefine(refuseFlaws({ singleLine: true }))
      .safeParse('A101\u200B漏水');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(
      '包含看不见的格式字符 U+200B ZERO WIDTH SPACE，会让它看起来与别的文字相同；请删除该字符后重新输入 / ' +
        'contains the invisible character U+200B ZERO WIDTH SPACE, which makes it look like other text; remove it and type it again',
    );
    expect(codePointName(0xe0041)).toBe('U+E0041 TAG CHARACTER');
    expect(codePointName(0x2062)).toBe('U+2062');
  });

  it('takes them out of a refused text given back, keeping emoji and flags whole', () => {
    expect(stripInvisible(`A\u200B1\uFEFF01 ${WOMAN}${ZWJ}${LAPTOP} ${flagOfScotland}\u200E`)).toBe(
      `A101 ${WOMAN}${ZWJ}${LAPTOP} ${flagOfScotland}`,
    );
  });

  it('passes nothing that still holds a refused format character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        if (textFlaw(s, { singleLine: true }) === null) expect(invisibleFormatCharacter(s)).toBeNull();
        expect(invisibleFormatCharacter(stripInvisible(s))).toBeNull();
      }),
    );
  });
});

describe('headerSafe', () => {
  it('leaves no line break, control or lone surrogate in a header line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const h = headerSafe(s);
        expect(textFlaw(h, { singleLine: true })).not.toBe('line_break');
        expect(textFlaw(h, { singleLine: true })).not.toBe('control');
        expect(textFlaw(h, { singleLine: true })).not.toBe('lone_surrogate');
        expect(textFlaw(h, { singleLine: true })).not.toBe('bidi_override');
      }),
    );
  });
  it('keeps ordinary text as it is', () => {
    expect(headerSafe('整改通知 ZG-2026-000001')).toBe('整改通知 ZG-2026-000001');
    expect(headerSafe('a\r\nBcc: x@evil')).toBe('a Bcc: x@evil');
  });
});

describe('dateInRange', () => {
  it('bounds dates and instants to 2000–2100', () => {
    expect(dateInRange('0050-01-01')).toBe(false);
    expect(dateInRange('9999-12-31')).toBe(false);
    expect(dateInRange('1999-12-31T23:59:59Z')).toBe(false);
    expect(dateInRange('2000-01-01')).toBe(true);
    expect(dateInRange('2026-12-04T10:00:00+08:00')).toBe(true);
    expect(dateInRange('2100-12-31')).toBe(true);
    expect(dateInRange('2101-01-01')).toBe(false);
  });
});

describe('wellFormed', () => {
  it('replaces only unpaired surrogates', () => {
    expect(wellFormed('a\ud83db')).toBe('a\ufffdb');
    expect(wellFormed('👩‍🔧')).toBe('👩‍🔧');
  });
});

describe('quoted', () => {
  it('shows invisible and direction-changing characters as escapes, and cuts a long text', () => {
    expect(quoted('bldg\u0000-a')).toBe('bldg\\u0000-a');
    expect(quoted('\u202Eevil')).toBe('\\u202eevil');
    expect(quoted('a\nb')).toBe('a\\u000ab');
    expect(quoted('楼栋A')).toBe('楼栋A');
    expect(quoted('x'.repeat(101))).toBe(`${'x'.repeat(100)}…`);
  });
});
