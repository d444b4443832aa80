/**
 * "1 case", "2 cases", "1,258 cases": an English count with its noun agreeing, so texts never
 * fall back on "case(s)". `plural` for nouns that do not take a plain "s".
 */
export function enCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}
