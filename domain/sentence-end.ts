/**
 * What ends a sentence a person wrote, in either language: their note "…clear it away." quoted
 * before a mail's own "。" or "." would read "away.。" or "away..". An ellipsis ends one too.
 */
const ENDED = /[。！？.!?；;…](?:["'”’」』）)\]]*)$/u;

/**
 * A person's text quoted where a mail's sentence ends: followed by `mark` (the half's own full
 * stop) unless it already ends in sentence punctuation of its own, perhaps inside closing quotes
 * or brackets.
 */
export function endSentence(text: string, mark: '。' | '.'): string {
  const trimmed = text.trimEnd();
  return ENDED.test(trimmed) ? trimmed : `${trimmed}${mark}`;
}
