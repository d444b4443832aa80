import autocannon from 'autocannon';
import type { EphemeralStack } from '../../infra/local/ephemeral.ts';
import { driveConcurrently, startBenchApp, storedEmails } from './bench-app.ts';
import { signOffLinkIn } from '../drill/case-script.ts';

export interface LinkBenchResult {
  links: number;
  requests: number;
  connections: number;
  ratePerSecond: number;
  seconds: number;
  p50ms: number;
  p90ms: number;
  p99ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  errors: number;
  signed: number;
  /** Every response time, for the plot. */
  samplesMs: number[];
  /** Each side alone (timed from building the request to reading the answer): p50 and p99. */
  page: { p50ms: number; p99ms: number };
  sign: { p50ms: number; p99ms: number };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/**
 * Issue 12's third figure: the sign-off link as a person uses it, the page
 * (GET) then the signature (POST with the page's csrf and textHash), at a fixed
 * overall rate on loopback. Each link signs once, so the bench first opens
 * `links` real cases through the app's API (root cause submitted, the sign-off
 * email sent by the worker through the SES emulator) and hands autocannon one
 * fresh link per GET/POST pair. Bounded by count (2 × links requests) and time.
 */
export async function benchActionLink(
  stack: EphemeralStack,
  opts: {
    links: number;
    ratePerSecond: number;
    maxSeconds: number;
    connections: number;
    progress: (line: string) => void;
  },
): Promise<LinkBenchResult> {
  const app = await startBenchApp(stack, 'bench-link');
  try {
    return await app.worker.runUntil(async () => {
      const [sup] = await Promise.all([app.token('sup-wang')]);
      const staffEmail = app.dir.people.find((p) => p.id === 'staff-zhou')!.email;
      const caseIds = new Set<string>();
      let prepared = 0;
      const t0 = performance.now();
      await driveConcurrently(opts.links, 8, async (i) => {
        const opened = await app.post(sup, '/api/cases', {
          title: `link bench ${i}`,
          description: 'benchmark case for the sign-off link',
          source: 'repair',
          severity: 'routine',
          location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
          assigneeId: 'staff-zhou',
        });
        const id = String(opened['caseId']);
        await app.post(sup, `/api/cases/${id}/root-cause`, {
          causes: ['wear'],
          responsibleId: 'staff-zhou',
          plan: 'replace',
        });
        caseIds.add(id);
        if (++prepared % 50 === 0)
          opts.progress(`prepared ${prepared}/${opts.links} cases awaiting sign-off`);
      });
      opts.progress(
        `prepared ${prepared} cases in ${((performance.now() - t0) / 1000).toFixed(0)} s; collecting their links…`,
      );
      // Autocannon splits the requests evenly over the connections: each must get whole GET/POST pairs.
      const all = await collectLinks(stack.sesEndpoint, staffEmail, caseIds);
      const paths = all.slice(0, Math.max(opts.connections, all.length - (all.length % opts.connections)));
      const linkCount = paths.length;
      opts.progress(`${linkCount} fresh links; ${opts.ratePerSecond} requests/s, GET then POST each…`);

      const samplesMs: number[] = [];
      const pageMs: number[] = [];
      const signMs: number[] = [];
      let signed = 0;
      const instance = autocannon({
        url: app.baseUrl,
        connections: opts.connections,
        amount: paths.length * 2,
        overallRate: opts.ratePerSecond,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest(req, ctx) {
              // Should the links run out, a harmless page keeps autocannon (which stops on null) going.
              const path = paths.pop() ?? '/health';
              ctx['path'] = path;
              ctx['t0'] = performance.now();
              return { ...req, method: 'GET', path };
            },
            onResponse(_status, body, ctx) {
              pageMs.push(performance.now() - Number(ctx['t0']));
              const field = (name: string) =>
                new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';
              ctx['form'] = new URLSearchParams({
                csrf: field('csrf'),
                textHash: field('textHash'),
                choice: 'confirm',
              }).toString();
            },
          },
          {
            method: 'POST',
            setupRequest(req, ctx) {
              ctx['t0'] = performance.now();
              if (ctx['path'] === '/health') return { ...req, method: 'GET', path: '/health' };
              return {
                ...req,
                method: 'POST',
                path: String(ctx['path']),
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: String(ctx['form']),
              };
            },
            onResponse(status, _body, ctx) {
              signMs.push(performance.now() - Number(ctx['t0']));
              if (status < 400) signed++;
            },
          },
        ],
      });
      instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
        samplesMs.push(ms);
      });
      const stopper = setTimeout(() => instance.stop(), opts.maxSeconds * 1000);
      const r = await instance;
      clearTimeout(stopper);
      return {
        links: linkCount,
        requests: r.requests.total,
        connections: opts.connections,
        ratePerSecond: opts.ratePerSecond,
        seconds: r.duration,
        p50ms: r.latency.p50,
        p90ms: r.latency.p90,
        p99ms: r.latency.p99,
        maxMs: r.latency.max,
        statuses: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, Number(v.count)])),
        errors: r.errors + r.timeouts,
        signed,
        samplesMs,
        page: { p50ms: pct(pageMs, 50), p99ms: pct(pageMs, 99) },
        sign: { p50ms: pct(signMs, 50), p99ms: pct(signMs, 99) },
      };
    });
  } finally {
    await app.stop();
  }
}

/** The newest sign-off link of each case, read from the SES emulator once every email is there. */
async function collectLinks(sesEndpoint: string, to: string, caseIds: Set<string>): Promise<string[]> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const byCase = new Map<string, string>();
    for (const e of await storedEmails(sesEndpoint)) {
      const link = signOffLinkIn(e, to);
      if (!link) continue;
      const text = e.body.text ?? '';
      const path = link.replace(/^https?:\/\/[^/]+/, '');
      for (const id of caseIds) if (text.includes(id)) byCase.set(id, path);
    }
    if (byCase.size === caseIds.size) return [...byCase.values()];
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('not every sign-off email arrived within 5 minutes');
}
