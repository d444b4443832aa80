import { describe, expect, it } from 'vitest';
import { duplicateJsonKey } from './json-duplicates.ts';

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
