import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../store/directory.ts';

describe('chunksOf: the directory text split over rows', () => {
  it('never cuts a character outside the basic plane in two', () => {
    // '𠮷' is two UTF-16 units; a cut after 3 units would leave half of the second one.
    const text = 'a𠮷𠮷b😀';
    for (const size of [2, 3, 4, 5]) {
      const parts = chunksOf(text, size);
      expect(parts.join('')).toBe(text);
      for (const p of parts) {
        expect(p.length).toBeLessThanOrEqual(size);
        // No lone surrogate at either end.
        expect(p).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
      }
    }
    expect(chunksOf('a𠮷', 2)).toEqual(['a', '𠮷']);
  });

  it('keeps plain text in pieces of the given size, and nothing for nothing', () => {
    expect(chunksOf('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(chunksOf('', 3)).toEqual([]);
  });
});
