import { SMTPServer } from 'smtp-server';
import { freePort } from '../../infra/local/servers.ts';

export interface ReceivedMail {
  to: string[];
  data: string;
}

/**
 * A real SMTP relay in the test's process that refuses for good (550, as a school relay answers
 * an unknown mailbox) every address put in `refused`, and keeps what it takes in `received`.
 * `env`: the settings that send a stack's mail through it.
 */
export interface RefusingSmtp {
  received: ReceivedMail[];
  refused: Set<string>;
  env: { MAIL_TRANSPORT: 'smtp'; SMTP_URL: string; SMTP_TLS: 'optional' };
  close(): Promise<void>;
}

export async function startRefusingSmtp(): Promise<RefusingSmtp> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  const refused = new Set<string>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (!refused.has(address.address)) return cb();
      const err = new Error('mailbox unavailable') as Error & { responseCode: number };
      err.responseCode = 550;
      cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    received,
    refused,
    env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_TLS: 'optional' },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls `probe` until it gives a value, or fails naming `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
