import { describe, expect, it } from 'vitest';
import { endSentence } from '../../domain/sentence-end.ts';

describe('endSentence', () => {
  it('adds the half’s full stop to words that end in none', () => {
    expect(endSentence('仍有渗漏', '。')).toBe('仍有渗漏。');
    expect(endSentence('still leaking', '.')).toBe('still leaking.');
    expect(endSentence('still leaking  ', '.')).toBe('still leaking.');
  });

  it.each(['。', '！', '？', '.', '!', '?', '；', ';', '…'])(
    'keeps words ending in %s as written',
    (mark) => {
      expect(endSentence(`clear it away${mark}`, '。')).toBe(`clear it away${mark}`);
      expect(endSentence(`清理干净${mark}`, '.')).toBe(`清理干净${mark}`);
    },
  );

  it('sees the mark inside closing quotes or brackets', () => {
    expect(endSentence('他说“已修好。”', '。')).toBe('他说“已修好。”');
    expect(endSentence('(see the photo.)', '.')).toBe('(see the photo.)');
    expect(endSentence('「不合格」', '。')).toBe('「不合格」。');
  });
});
