import type { Bilingual } from './text.ts';

/**
 * Text a person typed (a reporter's description or name, a case's title, a note, a reason),
 * quoted in a mail so that no mail client makes it a link: Gmail, Outlook and Apple Mail turn
 * `https://…`, `www.…`, `x.com` and `a@b.c` into live links, in the HTML part and in the plain
 * text alike, and an anonymous form is no place for someone to plant one in staff mail.
 *
 * A zero-width non-joiner (U+200C) goes after the colon of `://` and before each dot or at-sign
 * that sits between letters or digits (a dot between two digits excepted): the text reads and wraps as typed, but the address a
 * client would recognise is no longer one run of address characters. (The trick mail senders use
 * to keep a client from linking a domain or an address.) Applied to the typed text alone, where a
 * mail takes it in, in both parts and the subject: the links the system puts in (a button, a
 * labelled address) are never passed through it and stay working. Applying it twice changes
 * nothing more.
 */
const ZWNJ = '\u200C';

export function noAutolink(s: string): string {
  return (
    s
      .replace(/:(?=\/\/)/g, `:${ZWNJ}`)
      .replace(/(?<=[\p{L}\p{N}])@(?=[\p{L}\p{N}])/gu, `${ZWNJ}@`)
      // A dot between two digits stays: an item's number ("1.2 物品定位摆放"), a score ("4.5") are
      // no address (every domain ends in letters), and stay findable by a mailbox's search.
      .replace(/(?<=\p{L})\.(?=[\p{L}\p{N}])|(?<=\p{N})\.(?=\p{L})/gu, `${ZWNJ}.`)
  );
}

/** `noAutolink` of a typed text a mail may not have (a name left blank, a reason not given). */
export const noAutolinkOpt = (s: string | undefined): string | undefined =>
  s === undefined ? undefined : noAutolink(s);

/** `noAutolink` of each half of a typed text kept in both languages (a place's or a department's name). */
export const noAutolinkPair = <T extends Bilingual>(b: T): T => ({
  ...b,
  zh: noAutolink(b.zh),
  en: noAutolink(b.en),
});
