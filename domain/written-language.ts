import type { Lang } from './text.ts';

/** Chinese characters, and the other CJK scripts a description in Chinese might carry. */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60]/u;

/**
 * The language a text is written in, as far as a label beside it should follow: any CJK
 * character makes it Chinese ("A101 门口插座冒火花"), anything else English. The form a text was
 * sent from does not say it: a student may read the form in English and write in Chinese.
 */
export const writtenLanguage = (text: string): Lang => (CJK.test(text) ? 'zh-CN' : 'en');
