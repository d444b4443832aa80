import { describe, expect, it } from 'vitest';
import { duplicateJsonKey, jsonShapeFlaw, MAX_JSON_DEPTH } from './json-duplicates.ts';

describe('duplicateJsonKey', () => {
  it('names the first key an object has twice, by its path', () => {
    expect(duplicateJsonKey('{"assigneeId":"a","reason":"r","assigneeId":"b"}')).toBe('assigneeId');
    expect(duplicateJsonKey('{"results":[{"itemId":"x"},{"itemId":"y","itemId":"z"}]}')).toBe(
      'results.1.itemId',
    );
    expect(duplicateJsonKey('{"a":{"b":{"c":1,"c":2}}}')).toBe('a.b.c');
    // The same key written two ways is the same key.
    expect(duplicateJsonKey('{"title":"x","\\u0074itle":"y"}')).toBe('title');
  });

  it('lets the same key in different objects, and keys inside strings, pass', () => {
    expect(duplicateJsonKey('{"a":{"x":1},"b":{"x":2}}')).toBeNull();
    expect(duplicateJsonKey('[{"x":1},{"x":2}]')).toBeNull();
    expect(duplicateJsonKey('{"text":"\\"text\\":1, \\"text\\":2","n":[1,"a,b",{"m":"}"}]}')).toBeNull();
    expect(duplicateJsonKey('{"a":"\\\\","b":1}')).toBeNull();
    expect(duplicateJsonKey('"plain"')).toBeNull();
    expect(duplicateJsonKey(' [ 1 , 2 , {"k" : true , "l" : null} ] ')).toBeNull();
  });

  it('counts array positions past nested arrays and objects', () => {
    expect(duplicateJsonKey('{"r":[[1,2],{"a":1},{"b":1,"b":2}]}')).toBe('r.2.b');
  });
});

describe('jsonShapeFlaw', () => {
  it('refuses nesting past the limit and takes it at the limit', () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(jsonShapeFlaw(nested(32))).toBeNull();
    expect(jsonShapeFlaw(nested(33))).toEqual({ kind: 'too_deep', limit: 32 });
    expect(jsonShapeFlaw(`{"a":${nested(31)}}`)).toBeNull();
    expect(jsonShapeFlaw(`{"a":${nested(32)}}`)).toEqual({ kind: 'too_deep', limit: MAX_JSON_DEPTH });
  });

  it('walks a very deep body in bounded memory: the path is only spelled for a duplicate', () => {
    // 100,000 levels in 200 KB (under the API's body limit) once took gigabytes: every level
    // copied its parent's path.
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const before = process.memoryUsage().heapUsed;
    expect(jsonShapeFlaw(deep, Number.POSITIVE_INFINITY)).toBeNull();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    const dup = `${'{"k":'.repeat(5_000)}{"x":1,"x":2}${'}'.repeat(5_000)}`;
    expect(duplicateJsonKey(dup)).toBe(`${'k.'.repeat(5_000)}x`);
  });
});
