/**
 * The path of the first key that appears twice in one object of a JSON text (`title`,
 * `results.1.itemId`), or null. JSON.parse keeps the last of them silently, so a client that
 * sent `assigneeId` twice would see its case go to whichever came last; the API refuses that
 * instead, as the forms refuse a repeated field. `text` must already parse as JSON.
 */
export function duplicateJsonKey(text: string): string | null {
  interface Frame {
    object: boolean;
    keys: Set<string>;
    /** In an object: the key being read next is a key (after `{` or `,`). */
    keyNext: boolean;
    /** The member being read now: its key, or its index in an array. */
    at: string;
    path: string[];
  }
  const stack: Frame[] = [];
  const open = (object: boolean) => {
    const parent = stack.at(-1);
    const path = parent ? [...parent.path, parent.at] : [];
    stack.push({ object, keys: new Set(), keyNext: object, at: object ? '' : '0', path });
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const top = stack.at(-1);
    if (ch === '{' || ch === '[') {
      open(ch === '{');
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
        if (top.keys.has(key)) return [...top.path, key].join('.');
        top.keys.add(key);
        top.at = key;
        top.keyNext = false;
      }
      i = end + 1;
    } else i++;
  }
  return null;
}
