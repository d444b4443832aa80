/** Everything a campus user reads comes in Chinese (the default) and English. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** The languages pages, emails and errors are written in; zh-CN is the default. */
export const languages = ['zh-CN', 'en'] as const;
export type Lang = (typeof languages)[number];

/** Picks the reader's language from a bilingual text. */
export const inLang = (text: Bilingual, lang: Lang): string => (lang === 'en' ? text.en : text.zh);
