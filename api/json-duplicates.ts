/**
 * How deep a request's JSON may nest. The deepest body any route takes is a few levels (an
 * inspection's results, a directory import's buildings, floors and rooms); a body nested
 * thousands deep is an attack on whatever walks it, refused before anything does.
 */
export const MAX_JSON_DEPTH = 32;

/** What is wrong with the shape of a JSON text that JSON.parse accepted. */
export type JsonShapeFlaw = { kind: 'duplicate'; path: string } | { kind: 'too_deep'; limit: number };

/**
 * The first flaw of a JSON text's shape, or null: a key that appears twice in one object, by its
 * path (`title`, `results.1.itemId`), or nesting past `maxDepth`. JSON.parse keeps the last of
 * two keys silently, so a client that sent `assigneeId` twice would see its case go to whichever
 * came last; the API refuses that instead, as the forms refuse a repeated field. One pass, and
 * memory bounded by the depth: a path is only spelled out when a duplicate is found. `text` must
 * already parse as JSON (an unterminated string would never end the scan).
 */
export function jsonShapeFlaw(text: string, maxDepth = MAX_JSON_DEPTH): JsonShapeFlaw | null {
  interface Frame {
    object: boolean;
    keys: Set<string>;
    /** In an object: the key being read next is a key (after `{` or `,`). */
    keyNext: boolean;
    /** The member being read now: its key, or its index in an array. */
    at: string;
    parent: Frame | undefined;
  }
  const pathTo = (frame: Frame, key: string): string => {
    const parts = [key];
    for (let f = frame.parent; f; f = f.parent) parts.unshift(f.at);
    return parts.join('.');
  };
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const top = stack.at(-1);
    if (ch === '{' || ch === '[') {
      if (stack.length >= maxDepth) return { kind: 'too_deep', limit: maxDepth };
      const object = ch === '{';
      stack.push({ object, keys: new Set(), keyNext: object, at: object ? '' : '0', parent: top });
      i++;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      i++;
    } else if (ch === ',') {
      if (top?.object) top.keyNext = true;
      else if (top) top.at = String(Number(top.at) + 1);
      i++;
    } else if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.object && top.keyNext) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { kind: 'duplicate', path: pathTo(top, key) };
        top.keys.add(key);
        top.at = key;
        top.keyNext = false;
      }
      i = end + 1;
    } else i++;
  }
  return null;
}

/** The path of the first key that appears twice in one object of a JSON text, or null. */
export function duplicateJsonKey(text: string): string | null {
  const flaw = jsonShapeFlaw(text, Number.POSITIVE_INFINITY);
  return flaw?.kind === 'duplicate' ? flaw.path : null;
}
