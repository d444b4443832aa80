import type { Lang } from './text.ts';

/**
 * A name the directory in force no longer has, as the newest version that had it gave it: said
 * to have left, so an auditor reading who signed knows why the person is not found today.
 */
export const leftName = {
  zh: (name: string): string => `${name}（已离开名录）`,
  en: (name: string): string => `${name} (no longer in the directory)`,
};

export const leftNameIn = (name: string, lang: Lang): string =>
  lang === 'en' ? leftName.en(name) : leftName.zh(name);
