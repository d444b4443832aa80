import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { permanentFailure } from '../../activities/permanent-failures.ts';
import { EffectFailure } from '../../domain/effect-failure.ts';
import { RecordVersionConflict } from '../../store/audit-chain.ts';

// Errors shaped as the AWS SDK and nodemailer raise them: the classification reads only these fields.
const sesError = (name: string, status: number) =>
  Object.assign(new Error(`${name} from SES`), { name, $metadata: { httpStatusCode: status } });
const smtpError = (responseCode: number) =>
  Object.assign(new Error(`smtp ${responseCode}`), { responseCode });

describe('which effect failures are permanent', () => {
  it.each([
    ['SES MessageRejected', sesError('MessageRejected', 400), EffectFailure.EmailRejected],
    [
      'SES unverified sender domain',
      sesError('MailFromDomainNotVerifiedException', 400),
      EffectFailure.EmailRejected,
    ],
    ['another SES 400 refusal', sesError('InvalidParameterValue', 400), EffectFailure.EmailRejected],
    ['an SMTP 550', smtpError(550), EffectFailure.EmailRejected],
    [
      'a newer case record',
      new RecordVersionConflict('already at version >= 3'),
      EffectFailure.RecordConflict,
    ],
    ['a lone surrogate in an encoder', new URIError('URI malformed'), EffectFailure.Invalid],
    // DynamoDB's 400 for an item over 400 KB was labelled a rejected email on the admin's list.
    ['a DynamoDB item over its size limit', sesError('ValidationException', 400), EffectFailure.Invalid],
    ['a circular payload', new TypeError('Converting circular structure to JSON'), EffectFailure.Invalid],
  ])('%s is non-retryable with its type', (_what, err, type) => {
    const f = permanentFailure(err);
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f?.nonRetryable).toBe(true);
    expect(f?.type).toBe(type);
  });

  it.each([
    ['SES throttling', sesError('Throttling', 400)],
    ['an SES 500', sesError('InternalFailure', 500)],
    ['an SMTP 451 (try later)', smtpError(451)],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a contended chain', new Error('audit chain of X stayed contended after 51 attempts')],
  ])('%s is left to the bounded retry', (_what, err) => {
    expect(permanentFailure(err)).toBeUndefined();
  });
});
