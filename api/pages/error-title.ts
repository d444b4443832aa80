import type { Lang } from '../../domain/text.ts';

/**
 * The words a page's <title> begins with when it comes back with an error: the title is the first
 * thing a screen reader says of a page, and an unchanged title hides that a post was refused.
 */
export const errorTitlePrefix = (lang: Lang): string => (lang === 'en' ? 'Error: ' : '错误：');

/** `title` as an error page names itself, or as it is. */
export const pageTitle = (title: string, lang: Lang, error: boolean | undefined): string =>
  error ? `${errorTitlePrefix(lang)}${title}` : title;
