/**
 * The names of a case effect's permanent failures (the `type` of a non-retryable
 * ApplicationFailure), the task queues a case's effects run on, and what a stuck effect
 * looks like in the case view. Pure: the activities raise these types, the workflow and
 * the admin API read them.
 */
export const EffectFailure = {
  /** The mail service refused the message or its recipient (SES MessageRejected, SMTP 5xx). */
  EmailRejected: 'EmailRejected',
  /** The stored record is already at this version or newer: the same write can never succeed. */
  RecordConflict: 'RecordConflict',
  /** The effect's input cannot be serialised or is not valid: retrying sends the same input. */
  Invalid: 'EffectInputInvalid',
  /** A step id already names another step's entry (a counter restarted by a reset): never a duplicate. */
  StepCollision: 'StepIdCollision',
  /**
   * The stored record is not at the version a step's change was made from (a reset run, an
   * earlier record that went stuck): the workflow sends the whole view instead, never stuck.
   */
  RecordBase: 'RecordBaseMismatch',
  /** A transient failure that outlasted its retry bound. */
  RetriesExhausted: 'RetriesExhausted',
} as const;
export type EffectFailureType = (typeof EffectFailure)[keyof typeof EffectFailure];

export const effectFailureTypes: readonly string[] = [
  EffectFailure.EmailRejected,
  EffectFailure.RecordConflict,
  EffectFailure.Invalid,
  EffectFailure.StepCollision,
  EffectFailure.RecordBase,
];

/**
 * A case's mail and its audit records go to task queues of their own, named after the
 * workflow's queue: a mail that cannot go out never holds an audit write's worker slot.
 */
export const effectQueues = (taskQueue: string) => ({
  mail: `${taskQueue}.mail`,
  audit: `${taskQueue}.audit`,
});

/** An effect of a case that failed for good and waits for an admin to retry or dismiss it. */
export interface StuckEffect {
  /** Unique within the case: what the admin API's retry and dismiss name. */
  id: string;
  kind: 'email' | 'record';
  /** The failure type (one of EffectFailure). */
  reason: string;
  message: string;
  at: string;
  /** What the effect was: the email kind or the recorded action. */
  what: string;
}
