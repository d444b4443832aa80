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

/**
 * A text in both languages, the reader's first: "超时 late", or "late 超时" for a reader of English.
 * The one way a plain-text pair is ordered (mails, chart labels); pages' markup has its own `Bi`.
 */
export const pairIn =
  (lang: Lang) =>
  (zh: string, en: string): string =>
    lang === 'en' ? `${en} ${zh}` : `${zh} ${en}`;

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** English text with its first letter capitalised, as where a clause written to follow a colon starts a sentence. */
export const upFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Text made safe to put in HTML, as element content or a quoted attribute value. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);

const HAN = /\p{Script=Han}/u;

/**
 * One message written in both languages around " / " (schemas write "中文 / English" and
 * "English / 中文" alike) as its two halves: the split where every part on one side has Chinese
 * characters and no part on the other does. A message that is not so split is the same in both.
 */
export function splitBilingual(message: string): Bilingual {
  const parts = message.split(' / ');
  const han = parts.map((p) => HAN.test(p));
  for (let k = 1; k < parts.length; k++) {
    const left = han.slice(0, k);
    const right = han.slice(k);
    const leftHan = left[0];
    if (!left.every((h) => h === leftHan) || !right.every((h) => h !== leftHan)) continue;
    const [a, b] = [parts.slice(0, k).join(' / ').trim(), parts.slice(k).join(' / ').trim()];
    if (!a || !b) continue;
    return leftHan ? { zh: a, en: b } : { zh: b, en: a };
  }
  return { zh: message, en: message };
}

/** A length of time for a person: whole hours, or minutes under two hours. */
export function lengthText(ms: number): Bilingual {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 120) return { zh: `${minutes} 分钟`, en: `${minutes} minutes` };
  const hours = Math.round(minutes / 60);
  return { zh: `${hours} 小时`, en: `${hours} hours` };
}
