/** A number in English text, thousands grouped ("1,258"): how every English count writes it. */
export const enNumber = (n: number): string => n.toLocaleString('en-US');

/**
 * "1 case", "2 cases", "1,258 cases": an English count with its noun agreeing, so texts never
 * fall back on "case(s)". `plural` for nouns that do not take a plain "s".
 */
export function enCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${enNumber(n)} ${n === 1 ? singular : plural}`;
}
