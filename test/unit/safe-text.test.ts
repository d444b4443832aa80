import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateInRange, headerSafe, quoted, textFlaw, wellFormed } from '../../domain/safe-text.ts';

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
