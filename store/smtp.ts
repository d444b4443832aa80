import nodemailer from 'nodemailer';

/**
 * Mail through the school's own SMTP relay, for deployments that cannot use
 * SES (it is not offered in the AWS China regions) or must send from the
 * campus mail system. The outbox decides what goes and when; this only hands
 * one message to the relay.
 */
export interface SmtpSender {
  send(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
  }): Promise<{ messageId: string }>;
  /** Whether the relay answers and accepts our login: what /health asks. */
  verify(): Promise<void>;
  close(): void;
}

export type SmtpTls = 'require' | 'optional';

/**
 * `url`: `smtp://user:password@host:587` (STARTTLS) or `smtps://…:465` (TLS from the start).
 * `tls: 'require'` refuses a relay that does not offer STARTTLS, as SES's enforced TLS policy
 * would; `optional` is for campus relays without it (the mail then crosses the campus network
 * in the clear, docs/deploy.md).
 */
export function smtpSender(url: string, tls: SmtpTls): SmtpSender {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && tls === 'require',
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      return { messageId: info.messageId };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}

/**
 * Whether a failed hand-over certainly left nothing at the relay: an SMTP reply code (4xx or 5xx)
 * or a failure before the relay accepted the message. A lost connection after DATA may have
 * sent it, so that one keeps the outbox lease.
 */
export function refusedBySmtp(err: unknown): boolean {
  const e = err as { responseCode?: unknown; command?: unknown; code?: unknown } | null;
  if (typeof e?.responseCode === 'number') return e.responseCode >= 400;
  return e?.code === 'ECONNECTION' || e?.code === 'ETLS' || e?.code === 'EAUTH' || e?.code === 'ESOCKET';
}
