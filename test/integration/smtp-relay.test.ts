import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/servers.ts';
import { createAwsDeps } from '../../store/clients.ts';
import { sendOnce } from '../../store/outbox.ts';
import { testEnv, uniqueId } from '../support/stack.ts';

/**
 * Mail through a school's own SMTP relay (MAIL_TRANSPORT=smtp), against a real
 * SMTP server in this process: the outbox sends once, the subject stays one
 * header line, a refusal releases the row for a retry, and `SMTP_TLS=require`
 * refuses a relay that offers no STARTTLS.
 */
interface Received {
  from: string;
  to: string[];
  data: string;
}

let server: SMTPServer;
let port = 0;
const received: Received[] = [];
let refuseNext = false;

beforeAll(async () => {
  port = await freePort();
  server = new SMTPServer({
    // A campus relay without STARTTLS: what SMTP_TLS=optional is for.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (refuseNext) {
        refuseNext = false;
        const err = new Error('mailbox unavailable') as Error & { responseCode: number };
        err.responseCode = 550;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const depsWith = (tls: 'require' | 'optional') =>
  createAwsDeps(
    testEnv({
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      SMTP_TLS: tls,
      MAIL_FROM: 'rectify@campus.example.edu.cn',
    }),
  );

describe('the SMTP relay', () => {
  it('sends each outbox email once, from MAIL_FROM, with a one-line subject', async () => {
    const deps = depsWith('optional');
    const to = `${uniqueId('smtp')}@students.demo.edu.cn`;
    const key = { scope: uniqueId('case'), key: 'reminder#1' };
    const mail = async () => ({
      to,
      subject: '整改提醒\r\nBcc: victim@example.com',
      text: '请处理 \ud83d',
      html: '<p>请处理</p>',
    });
    const first = await sendOnce(deps, key, mail);
    const again = await sendOnce(deps, key, mail);
    expect(first.status).toBe('sent');
    expect(first.messageId).toMatch(/@/);
    expect(again.status).toBe('already_sent');
    const mine = received.filter((r) => r.to.includes(to));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.from).toBe('rectify@campus.example.edu.cn');
    expect(mine[0]!.data).not.toMatch(/^Bcc:/im);
    deps.smtp?.close();
  });

  it('releases the row when the relay refuses, so a retry sends it', async () => {
    const deps = depsWith('optional');
    const to = `${uniqueId('smtp')}@students.demo.edu.cn`;
    const key = { scope: uniqueId('case'), key: 'reminder#1' };
    const mail = async () => ({ to, subject: 'x', text: 'y', html: '<p>y</p>' });
    refuseNext = true;
    await expect(sendOnce(deps, key, mail)).rejects.toMatchObject({ responseCode: 550 });
    expect((await sendOnce(deps, key, mail)).status).toBe('sent');
    expect(received.filter((r) => r.to.includes(to))).toHaveLength(1);
    deps.smtp?.close();
  });

  it('with SMTP_TLS=require, refuses a relay that offers no STARTTLS and sends nothing', async () => {
    const deps = depsWith('require');
    const to = `${uniqueId('smtp')}@students.demo.edu.cn`;
    await expect(
      sendOnce(deps, { scope: uniqueId('case'), key: 'k' }, async () => ({
        to,
        subject: 's',
        text: 't',
        html: 'h',
      })),
    ).rejects.toThrow(/STARTTLS/i);
    expect(received.filter((r) => r.to.includes(to))).toHaveLength(0);
    deps.smtp?.close();
  });

  it('is a configuration error to choose SMTP without a relay', () => {
    expect(() => testEnv({ MAIL_TRANSPORT: 'smtp' })).toThrow(/SMTP_URL: required when MAIL_TRANSPORT=smtp/);
    expect(() => testEnv({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'http://relay' })).toThrow(/SMTP_URL/);
  });
});
