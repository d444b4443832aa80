import { MessageRejected } from '@aws-sdk/client-ses';
import { describe, expect, it } from 'vitest';
import { mailRefusedForGood } from '../../store/mail-refusal.ts';

const awsError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const smtpError = (responseCode: number) =>
  Object.assign(new Error(`SMTP ${responseCode}`), { responseCode });

describe('a mail refused for good', () => {
  it.each([
    [
      'SES MessageRejected',
      new MessageRejected({ message: 'not verified', $metadata: { httpStatusCode: 400 } }),
    ],
    ['an unverified sender domain', awsError('MailFromDomainNotVerifiedException', 400)],
    ['another SES 400 refusal', awsError('InvalidParameterValue', 400)],
    ['an SMTP 550', smtpError(550)],
  ])('%s is', (_, err) => {
    expect(mailRefusedForGood(err)).toBe(true);
  });

  it.each([
    ['SES throttling', awsError('Throttling', 400)],
    ['a request timeout', awsError('RequestTimeout', 400)],
    ['an SES 500', awsError('InternalFailure', 500)],
    ['DynamoDB refusing the outbox write', awsError('ValidationException', 400)],
    ['an SMTP 451', smtpError(451)],
    ['a cut connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('%s is not', (_, err) => {
    expect(mailRefusedForGood(err)).toBe(false);
  });
});
