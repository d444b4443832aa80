import { issueLocalToken } from '../../api/auth.ts';

/**
 * The drill's scripted case, as a person drives it: opened through the HTTP API, root cause,
 * sign-off through the link in the email, rectification, review failed, rectification, review
 * passed. Any step may meet a crash (the request fails, or hangs until the worker is back): a
 * step whose answer is lost is looked up by the case's version before it is sent again, so a
 * step lands once however often it is tried.
 */
export interface Endpoints {
  baseUrl: string;
  sesUrl: string;
  jwtSecret: string;
  /** The Temporal frontend (host:port): the drill reads a case's workflow history there. */
  temporalAddress: string;
}

export const STEPS = [
  'root cause',
  'sign-off by email link',
  'rectification',
  'review (failed)',
  'rectification again',
  'review (passed)',
] as const;
export type StepName = (typeof STEPS)[number];

interface SesMail {
  messageId?: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

/** staff-zhou's address in the demo campus (infra/local/demo-campus.json): the sign-off link goes there. */
const STAFF_EMAIL = 'zhou.qiang@demo.edu.cn';

async function fetchJson<T>(
  url: string,
  init: RequestInit = {},
  timeoutMs = 20_000,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the error message
  }
  return { status: res.status, body: body as T };
}

/**
 * The sign-off link of a mail to `to`, if it is the sign-off request: picked by its subject (either
 * language), since the assignment mail carries a link too (the arrival).
 */
export function signOffLinkIn(
  m: Pick<SesMail, 'destination' | 'subject' | 'body'>,
  to: string,
): string | undefined {
  if (!m.destination.to.includes(to) || !/待签字|Sign-off needed/.test(m.subject)) return undefined;
  return /https?:\/\/\S+\/actions\/[A-Za-z0-9._~-]+/.exec(m.body.text ?? '')?.[0];
}

/** Every mail in the emulator; an emulator being restarted answers nothing for a moment. */
export async function mailbox(sesUrl: string): Promise<SesMail[]> {
  for (let i = 0; ; i++) {
    try {
      const r = await fetchJson<{ emails: SesMail[] }>(`${sesUrl}/store`, {}, 10_000);
      if (r.status === 200) return r.body.emails;
    } catch (err) {
      if (i > 120) throw err;
    }
    await sleep(500);
  }
}

/** The mails of one case (its id in the subject or the body). */
export function mailsOf(mails: SesMail[], caseId: string): SesMail[] {
  return mails.filter(
    (m) => m.subject.includes(caseId) || (m.body.text ?? m.body.html ?? '').includes(caseId),
  );
}

/** A mail as compared across runs: recipients and subject, the case's own id taken out. */
export const mailKey = (m: SesMail, caseId: string): string =>
  `${[...m.destination.to].sort().join(',')} | ${m.subject.split(caseId).join('<case>')}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class CaseDriver {
  private tokens = new Map<string, string>();
  constructor(
    private ep: Endpoints,
    private say: (line: string) => void = () => {},
  ) {}

  set endpoints(ep: Endpoints) {
    this.ep = ep;
  }

  private async token(personId: string): Promise<string> {
    let t = this.tokens.get(personId);
    if (!t) {
      t = await issueLocalToken(this.ep.jwtSecret, personId);
      this.tokens.set(personId, t);
    }
    return t;
  }

  private async post(personId: string, path: string, body: unknown) {
    return fetchJson<{ caseId?: string; detail?: string }>(
      `${this.ep.baseUrl}${path}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await this.token(personId)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      },
      90_000,
    );
  }

  /** The case as the API shows it now; retried through restarts of whatever answers it. */
  async view(
    caseId: string,
    deadlineMs = 180_000,
  ): Promise<{ stage: string; round: number; version: number }> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      try {
        const r = await fetchJson<{ stage: string; round: number; version: number }>(
          `${this.ep.baseUrl}/api/cases/${caseId}`,
          { headers: { authorization: `Bearer ${await this.token('sup-wang')}` } },
          15_000,
        );
        if (r.status === 200) return r.body;
      } catch {
        // the API or the worker is being restarted
      }
      if (Date.now() > until) throw new Error(`case ${caseId} not readable for ${deadlineMs / 1000}s`);
      await sleep(500);
    }
  }

  /** Opens the case (never under a crash: a lost answer there would leave a case nobody drives). */
  async open(title: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.post('sup-wang', '/api/cases', {
          title,
          description: 'crash drill case',
          source: 'repair',
          severity: 'routine',
          location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
          assigneeId: 'staff-zhou',
        });
        if (r.status === 201 && r.body.caseId) return r.body.caseId;
        throw new Error(`open: ${r.status} ${JSON.stringify(r.body)}`);
      } catch (err) {
        if (attempt >= 5) throw err;
        await sleep(1000);
      }
    }
  }

  /**
   * Runs one step until it has landed exactly once (the case's version moved past `before`).
   * Tried for up to five minutes: a sign-off link whose use was cut short by a crash answers
   * "used" until the use counts as abandoned (store/links.ts, a minute).
   */
  async step(caseId: string, name: StepName, onSent: () => void = () => {}): Promise<void> {
    const before = (await this.view(caseId)).version;
    const until = Date.now() + 300_000;
    for (let attempt = 1; ; attempt++) {
      let outcome = 'no answer';
      try {
        const sent = this.send(caseId, name);
        if (attempt === 1) onSent();
        const status = await sent;
        if (status >= 200 && status < 300) return;
        outcome = `HTTP ${status}`;
      } catch (err) {
        outcome = err instanceof Error ? err.message : String(err);
      }
      // The answer was lost or refused: look before trying again.
      const now = await this.view(caseId);
      if (now.version > before) return;
      if (Date.now() > until) throw new Error(`${caseId}: step ${name} never landed (last: ${outcome})`);
      if (attempt <= 3 || attempt % 10 === 0)
        this.say(
          `  ${caseId} ${name}: ${outcome}; the case is still at version ${now.version}, trying again`,
        );
      await sleep(2000);
    }
  }

  private async send(caseId: string, name: StepName): Promise<number> {
    const c = `/api/cases/${caseId}`;
    switch (name) {
      case 'root cause':
        return (
          await this.post('sup-wang', `${c}/root-cause`, {
            causes: ['wear'],
            responsibleId: 'staff-zhou',
            plan: 'replace',
          })
        ).status;
      case 'sign-off by email link':
        return this.signByLink(await this.signOffLink(caseId));
      case 'rectification':
        return (
          await this.post('staff-zhou', `${c}/rectification`, {
            summary: 'done',
            evidence: ['photo-before.jpg'],
          })
        ).status;
      case 'review (failed)':
        return (await this.post('sup-wang', `${c}/review`, { passed: false, notes: 'not yet' })).status;
      case 'rectification again':
        return (
          await this.post('staff-zhou', `${c}/rectification`, {
            summary: 'redone',
            evidence: ['photo-after.jpg'],
          })
        ).status;
      case 'review (passed)':
        return (await this.post('sup-wang', `${c}/review`, { passed: true, notes: 'ok' })).status;
    }
  }

  private async signOffLink(caseId: string): Promise<string> {
    for (let i = 0; i < 600; i++) {
      for (const m of mailsOf(await mailbox(this.ep.sesUrl), caseId)) {
        const link = signOffLinkIn(m, STAFF_EMAIL);
        if (link) return link.replace(/^https?:\/\/[^/]+/, this.ep.baseUrl);
      }
      await sleep(250);
    }
    throw new Error(`no sign-off email for ${caseId}`);
  }

  private async signByLink(link: string): Promise<number> {
    const page = await fetch(link, { signal: AbortSignal.timeout(30_000) });
    const html = await page.text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
    const form = new URLSearchParams({ csrf: field('csrf'), textHash: field('textHash'), choice: 'confirm' });
    const res = await fetch(link, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      signal: AbortSignal.timeout(90_000),
    });
    return res.status < 400 ? 200 : res.status;
  }
}
