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

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe to put in HTML, as element content or a quoted attribute value. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
