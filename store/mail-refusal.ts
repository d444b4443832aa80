/**
 * Whether the mail service refused a mail for good: the same mail to the same address is refused
 * again on every attempt (a bad or unverified address, an unverified sender), so retrying it only
 * repeats the refusal. The activities' permanent failures (activities/permanent-failures.ts) and
 * the stranded-cases mail (stranded-notices.ts) tell it alike.
 */

// SES answers these with a 400 too, but they pass: a later attempt may be let through.
const TRANSIENT_SES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestTimeout',
]);

// DynamoDB's own 400s (the outbox row's write): refused for good, but no mail was refused.
const DYNAMODB_REFUSALS = new Set(['ValidationException']);

export function mailRefusedForGood(err: unknown): boolean {
  const e = err as {
    name?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    responseCode?: unknown;
  } | null;
  const name = typeof e?.name === 'string' ? e.name : '';
  // SES: a rejected message (an unverified recipient in the sandbox, a bad address) or any
  // other refusal of the request itself.
  if (name === 'MessageRejected' || name === 'MailFromDomainNotVerifiedException') return true;
  if (DYNAMODB_REFUSALS.has(name)) return false;
  if (e?.$metadata?.httpStatusCode === 400 && !TRANSIENT_SES.has(name)) return true;
  // SMTP: a 5xx reply is final (RFC 5321 §4.2.1); a 4xx one asks to try again later.
  return typeof e?.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
}
