/**
 * How many characters a person sees in `s`: Unicode code points, so an emoji or a character of
 * the CJK extensions (two UTF-16 units each) counts once, as a limit stated in characters means.
 */
export const characterCount = (s: string): number => [...s].length;
