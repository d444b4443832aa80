/**
 * Text a person typed (a student's name, a note), quoted in a mail's HTML part so that no mail
 * client makes it a link: Gmail, Outlook and Apple Mail turn `https://…`, `www.…`, `x.com` and
 * `a@b.c` in a message's text into live links, and a note is no place for someone to plant one.
 *
 * A zero-width non-joiner (U+200C) goes after the colon of `://` and before each dot or at-sign
 * that sits between letters or digits: the text reads and wraps as typed, but the address a
 * client would recognise is no longer one run of address characters. (The trick mail senders use
 * to keep a client from linking a domain or an address.) The plain-text part quotes the text as
 * typed: a reader's client may link a bare address there, and nothing in text can prevent it.
 */
const ZWNJ = '\u200C';

export function noAutolink(s: string): string {
  return s
    .replace(/:(?=\/\/)/g, `:${ZWNJ}`)
    .replace(/(?<=[\p{L}\p{N}])([.@])(?=[\p{L}\p{N}])/gu, `${ZWNJ}$1`);
}
