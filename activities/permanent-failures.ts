import { ApplicationFailure } from '@temporalio/common';
import { EffectFailure } from '../domain/effect-failure.ts';
import { RecordBaseMismatch, RecordVersionConflict, StepIdCollision } from '../store/audit-chain.ts';
import { mailRefusedForGood } from '../store/mail-refusal.ts';

// DynamoDB's own 400s that the same request gets again on every retry.
const DYNAMODB_REFUSALS = new Set(['ValidationException']);

/**
 * The permanent failure an error is, if it is one: a refused message or recipient, a
 * record that is already newer, an input that cannot be encoded. These are what the same
 * call gives again on every retry, so they end the activity at once (non-retryable, with
 * a type the workflow reads); anything else is left to the bounded retry.
 */
export function permanentFailure(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ApplicationFailure) return undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RecordVersionConflict)
    return ApplicationFailure.nonRetryable(message, EffectFailure.RecordConflict);
  if (err instanceof RecordBaseMismatch)
    return ApplicationFailure.nonRetryable(message, EffectFailure.RecordBase);
  if (err instanceof StepIdCollision)
    return ApplicationFailure.nonRetryable(message, EffectFailure.StepCollision);
  if (
    err instanceof URIError ||
    (err instanceof TypeError && /circular|BigInt|surrogate|well.formed/i.test(message))
  )
    return ApplicationFailure.nonRetryable(message, EffectFailure.Invalid);
  const name = (err as { name?: unknown } | null)?.name;
  // DynamoDB refusing the write itself (an item over 400 KB, a malformed expression) is no
  // mail problem, though it is a 400 too: the admin's list must not call it a rejected email.
  if (typeof name === 'string' && DYNAMODB_REFUSALS.has(name))
    return ApplicationFailure.nonRetryable(message, EffectFailure.Invalid);
  if (mailRefusedForGood(err)) return ApplicationFailure.nonRetryable(message, EffectFailure.EmailRejected);
  return undefined;
}

/** Runs an activity body, turning a permanent failure into a typed non-retryable one. */
export async function failingPermanently<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw permanentFailure(err) ?? err;
  }
}

/**
 * A notice beside a write that is already done: refused for good, it is set aside (logged) rather
 * than failing the activity and its write with it; any other failure is thrown for the retry.
 */
export function setAsideIfRefused(err: unknown, what: string): void {
  if (!permanentFailure(err)) throw err;
  console.warn(what, err);
}
