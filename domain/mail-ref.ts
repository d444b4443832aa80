import { createHash } from 'node:crypto';

/**
 * The name by which the mail service can tell us, after the fact, that an
 * outbox email went. An attempt that died between the service accepting a mail
 * and the outbox row being marked leaves the next attempt unsure whether to
 * send; the ref, carried with the mail, lets it ask instead of guessing.
 */

/** The SES message tag that carries the ref (SES publishes it with every event of the mail). */
export const MAIL_REF_TAG = 'rectify-outbox';

/**
 * One outbox row's ref: stable across attempts, 32 hex digits, so it fits SES's tag alphabet
 * (letters, digits, `_ - . @`, at most 256) whatever the scope and key hold.
 */
export function mailRef(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\n${key}`).digest('hex').slice(0, 32);
}

const MARKER = /<!-- rectify-mail-ref:([0-9a-f]{32}) -->/;

/**
 * The ref as an HTML comment at the end of the mail's HTML part: invisible to the reader, and
 * kept by a mail store that keeps no tags (the local SES emulator), so it can be found there.
 */
export function withRefMarker(html: string, ref: string): string {
  return `${html}\n<!-- rectify-mail-ref:${ref} -->`;
}

/** The ref a mail's HTML carries, if any. */
export function refInHtml(html: string | undefined): string | undefined {
  return html ? MARKER.exec(html)?.[1] : undefined;
}
