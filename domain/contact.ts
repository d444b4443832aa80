import { z } from 'zod';
import type { Bilingual } from './text.ts';

/**
 * The contact a reporter leaves on the report form, a mobile or landline number or an email, as a phone's
 * Chinese keyboard types it, made the one form staff call back and mail is sent to.
 */

const email = z.email().max(254);
/** What a number is grouped with: spaces, hyphens and dashes of every width, dots, parentheses. */
const GROUPING = /[\s\-\u2010-\u2015\u2212.()]/g;
/** An extension after the number: 转123, 分机123, ext. 123, x123, #123. */
const EXTENSION = /(?:转|轉|分机|分機|ext|x|#)(\d{1,6})$/i;
const NUMBER = /^\+?\d{6,20}$/;

/**
 * The contact as kept, or null when it is neither a phone number nor an email address. NFKC folds
 * the full-width forms a Chinese keyboard gives (１３８…, ＠, （０１０）) to ASCII; a number loses
 * its grouping ("(010) 6275-1234" is 01062751234), a mobile or a landline alike, since a person
 * calls it back, and keeps an extension after 转 ("010-62751234转123" is 01062751234转123); an
 * email takes a full stop typed as 。 for the dot it is.
 */
export function normalContact(typed: string): string | null {
  const s = typed.normalize('NFKC').trim();
  if (s.includes('@')) {
    const address = s.replace(/。/g, '.');
    return email.safeParse(address).success ? address : null;
  }
  const compact = s.replace(GROUPING, '');
  const ext = EXTENSION.exec(compact);
  const number = ext ? compact.slice(0, ext.index) : compact;
  if (!NUMBER.test(number)) return null;
  return ext ? `${number}转${ext[1]}` : number;
}

/**
 * The field's label, hint and refusal, said next to the rule so they cannot drift from it: a
 * landline is taken as well as a mobile, and a person with only a dormitory or office phone must
 * not read the form as refusing it. The hint's example is one `normalContact` takes.
 */
export const contactLabel: Bilingual = { zh: '手机号、座机或电子邮箱', en: 'Mobile, landline or email' };
export const contactHint: Bilingual = {
  zh: '可填手机号、座机号码（带区号，可加分机，如 010-62751234转123）或电子邮箱。',
  en: 'A mobile number, a landline number (with its area code, and an extension if any, as in 010-62751234 ext. 123) or an email address.',
};
export const contactRefusal: Bilingual = {
  zh: '不是有效的手机号、座机号码或电子邮箱',
  en: 'not a mobile number, a landline number or an email address',
};
