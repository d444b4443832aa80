import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { afterAll, describe, expect, it } from 'vitest';
import { issueLocalToken } from '../../api/auth.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { freePort } from '../../infra/local/servers.ts';

// `npm start` exactly as a person runs it (same entry, own ports and data
// folder): ready block, every URL answering, clean Ctrl-C, data kept; and a
// start that fails or is stopped half-way leaves no server process behind.
const dataDir = mkdtempSync(path.join(tmpdir(), 'rectify-start-'));
const dirs = [dataDir];
const freshDataDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'rectify-start-'));
  dirs.push(d);
  return d;
};

/** Processes whose command line names a data folder of this file: the servers npm start spawned there. */
function serversUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

afterAll(() => {
  for (const d of dirs) {
    // Only if a test failed: what it started there, by pid.
    for (const pid of serversUsing(d)) process.kill(pid, 'SIGKILL');
    rmSync(d, { recursive: true, force: true });
  }
});

function spawnStart(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'infra/local/start.ts')], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/** Until the output shows `line`, or the start exits; the output goes with a failure. */
async function expectOutput(s: { child: ChildProcess; output: () => string }, line: string): Promise<void> {
  const shown = await waitUntil(() => s.output().includes(line) || s.child.exitCode !== null, 240_000);
  expect(shown && s.output().includes(line), `no "${line}" in:\n${s.output()}`).toBe(true);
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((r) => {
    if (child.exitCode !== null) r(child.exitCode);
    else child.once('exit', r);
  });

async function allPorts(): Promise<Record<string, string>> {
  const names = [
    'PORT',
    'TEMPORAL_PORT',
    'TEMPORAL_UI_PORT',
    'DYNAMODB_PORT',
    'SES_PORT',
    'OIDC_PORT',
    'S3_PORT',
  ];
  const out: Record<string, string> = {};
  for (const n of names) out[n] = String(await freePort());
  return out;
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

async function start(ports: Record<string, number>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'infra/local/start.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      RECTIFY_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${out}`)), 240_000);
    const check = setInterval(() => {
      if (out.includes('Rectify is ready')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
  return { child, output: () => out };
}

async function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.once('exit', (code) => resolve(code));
    s.child.kill('SIGINT');
  });
}

describe('npm start', () => {
  it('brings everything up, answers on every URL it prints, stops on Ctrl-C and keeps its data', async () => {
    const ports = {
      PORT: await freePort(),
      TEMPORAL_PORT: await freePort(),
      TEMPORAL_UI_PORT: await freePort(),
      DYNAMODB_PORT: await freePort(),
      SES_PORT: await freePort(),
      OIDC_PORT: await freePort(),
      S3_PORT: await freePort(),
    };
    const first = await start(ports);
    expect(first.output()).toContain(`http://localhost:${ports.PORT}`);
    expect(first.output()).toContain(`http://localhost:${ports.TEMPORAL_UI_PORT}`);
    expect(first.output()).toContain(`http://localhost:${ports.SES_PORT}/`);
    // The evidence store: a real S3 server that checks signatures (an unsigned request is refused).
    expect(first.output()).toContain(`http://127.0.0.1:${ports.S3_PORT}/rectify-evidence`);
    expect((await fetch(`http://127.0.0.1:${ports.S3_PORT}/rectify-evidence`)).status).toBe(403);
    expect(first.output()).toContain('created tables');
    expect(first.output()).toContain('loaded the campus directory');
    const health = await fetch(`http://localhost:${ports.PORT}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    expect((await fetch(`http://localhost:${ports.PORT}/docs`)).status).toBe(200);
    expect((await fetch(`http://localhost:${ports.TEMPORAL_UI_PORT}/`)).status).toBe(200);
    expect((await fetch(`http://localhost:${ports.SES_PORT}/`)).status).toBe(200);
    // Sign-in: the page, and the local identity provider the app discovers.
    expect(first.output()).toContain(`http://localhost:${ports.PORT}/login`);
    expect((await fetch(`http://localhost:${ports.PORT}/login`)).status).toBe(200);
    const discovery = await fetch(`http://localhost:${ports.OIDC_PORT}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(
      `http://localhost:${ports.OIDC_PORT}`,
    );
    // The app discovers it and sends the browser there with a PKCE challenge.
    const signIn = await fetch(`http://localhost:${ports.PORT}/auth/start`, { redirect: 'manual' });
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get('location')).toMatch(
      new RegExp(`^http://localhost:${ports.OIDC_PORT}/auth\\?.*code_challenge_method=S256`),
    );
    // A message in the mailbox, to be found again after the restart.
    const subject = `kept across restarts ${Date.now()}`;
    const ses = new SESClient({
      endpoint: `http://localhost:${ports.SES_PORT}`,
      region: 'ap-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ses.send(
      new SendEmailCommand({
        Source: 'rectify@campus.example.edu.cn',
        Destination: { ToAddresses: ['zhou.qiang@demo.edu.cn'] },
        Message: { Subject: { Data: subject }, Body: { Text: { Data: '整改 rectify' } } },
      }),
    );
    ses.destroy();
    const subjects = async () => {
      const res = await fetch(`http://localhost:${ports.SES_PORT}/store`);
      const body = (await res.json()) as { emails: { subject: string }[] };
      return body.emails.map((e) => e.subject);
    };
    expect(await subjects()).toContain(subject);
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('[rectify] stopped');
    // In order: no more requests, the worker drained, then Temporal, then the stores.
    const order = [
      '[rectify] API closed',
      '[rectify] worker stopped\n',
      '[rectify] Temporal stopped',
      '[rectify] DynamoDB Local, the SES emulator and the S3 server stopped',
      '[rectify] stopped',
    ].map((line) => first.output().indexOf(line));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(first.output()).not.toContain('worker stopped:');
    expect(serversUsing(dataDir)).toEqual([]);

    const second = await start(ports);
    expect(second.output()).not.toContain('created tables');
    expect(second.output()).not.toContain('loaded the campus directory');
    expect((await fetch(`http://localhost:${ports.PORT}/health`)).status).toBe(200);
    // The mailbox too: the message once, not lost and not doubled.
    expect((await subjects()).filter((s) => s === subject)).toEqual([subject]);
    expect(await stop(second)).toBe(0);
  }, 600_000);

  it('names the port and the variable when a port is taken', async () => {
    const busy = await freePort();
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ port: busy, host: '127.0.0.1' }, () => r()));
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(projectRoot, 'infra/local/start.ts')],
        {
          cwd: projectRoot,
          env: {
            ...process.env,
            SES_PORT: String(busy),
            PORT: String(await freePort()),
            RECTIFY_DATA_DIR: dataDir,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code).toBe(1);
      expect(err).toContain(`port ${busy} is already in use: set SES_PORT to a free port`);
    } finally {
      blocker.close();
    }
  }, 120_000);

  it('names PORT in one line when the API port is taken after the check, and stops the stack', async () => {
    const dir = freshDataDir();
    const ports = await allPorts();
    const s = spawnStart({ ...ports, RECTIFY_DATA_DIR: dir });
    const blocker = net.createServer();
    try {
      // The servers are up; the API listens only after the tables, directory and worker.
      await expectOutput(s, 'are up');
      await new Promise<void>((r) =>
        blocker.listen({ port: Number(ports.PORT), host: '0.0.0.0' }, () => r()),
      );
      expect(await exitOf(s.child)).toBe(1);
      const out = s.output();
      expect(out).toContain(`port ${ports.PORT} is already in use: set PORT to a free port`);
      expect(out).not.toMatch(/^\s+at /m);
      expect(out).toContain('[rectify] Temporal stopped');
      expect(out).not.toContain('Rectify is ready');
      expect(await waitUntil(() => serversUsing(dir).length === 0, 15_000)).toBe(true);
    } finally {
      blocker.close();
    }
  }, 300_000);

  it('stops the servers already started when another fails to start', async () => {
    const dir = freshDataDir();
    // A folder where the Temporal database file should be: the dev server exits at once.
    mkdirSync(path.join(dir, 'temporal.db'), { recursive: true });
    const s = spawnStart({ ...(await allPorts()), RECTIFY_DATA_DIR: dir });
    expect(await exitOf(s.child)).toBe(1);
    expect(s.output()).toContain('Temporal dev server exited');
    // DynamoDB Local (java, -dbPath in this folder) must not outlive the failed start.
    expect(await waitUntil(() => serversUsing(dir).length === 0, 15_000)).toBe(true);
    // ... nor start after it: look again a little later.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(serversUsing(dir)).toEqual([]);
  }, 240_000);

  it('after a SIGKILL of npm start, its servers go with it, the next start comes up on the same ports, and no mail is lost', async () => {
    const dir = freshDataDir();
    const ports = await allPorts();
    const first = spawnStart({ ...ports, RECTIFY_DATA_DIR: dir });
    await expectOutput(first, 'Rectify is ready');
    const servers = serversUsing(dir);
    // Temporal, DynamoDB Local and VersityGW: each recorded in the data folder for the next start.
    expect(servers.length).toBeGreaterThanOrEqual(3);
    expect(readdirSync(path.join(dir, 'run')).sort()).toEqual([
      'dynamodb.json',
      's3.json',
      'start.json',
      'temporal.json',
    ]);
    const subjects = [`before the crash 1 ${Date.now()}`, `before the crash 2 ${Date.now()}`];
    const ses = new SESClient({
      endpoint: `http://127.0.0.1:${ports.SES_PORT}`,
      region: 'ap-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (const subject of subjects)
      await ses.send(
        new SendEmailCommand({
          Source: 'rectify@campus.example.edu.cn',
          Destination: { ToAddresses: ['zhou.qiang@demo.edu.cn'] },
          Message: { Subject: { Data: subject }, Body: { Text: { Data: '整改 rectify' } } },
        }),
      );
    ses.destroy();
    // As when a terminal is closed hard: only npm start is killed, nothing is told to stop.
    first.child.kill('SIGKILL');
    await exitOf(first.child);
    // Its servers follow it (the kernel tells them their parent is gone).
    expect(await waitUntil(() => serversUsing(dir).length === 0, 30_000)).toBe(true);

    const second = spawnStart({ ...ports, RECTIFY_DATA_DIR: dir });
    await expectOutput(second, 'Rectify is ready');
    expect(second.output()).not.toContain('already in use');
    const store = (await (await fetch(`http://127.0.0.1:${ports.SES_PORT}/store`)).json()) as {
      emails: { subject: string }[];
    };
    for (const subject of subjects)
      expect(store.emails.filter((e) => e.subject === subject).map((e) => e.subject)).toEqual([subject]);
    second.child.kill('SIGINT');
    expect(await exitOf(second.child)).toBe(0);
    // A clean stop leaves no record behind.
    expect(existsSync(path.join(dir, 'run'))).toBe(false);
  }, 600_000);

  it('stops on Ctrl-C without an uncaught exception while an effect retries and a request waits on it', async () => {
    const dir = freshDataDir();
    const ports = await allPorts();
    // Every email fails (nothing listens on the relay's port) and is retried: the case's effects stay pending.
    const s = spawnStart({
      ...ports,
      RECTIFY_DATA_DIR: dir,
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: 'smtp://127.0.0.1:1',
      SMTP_TLS: 'optional',
    });
    await expectOutput(s, 'Rectify is ready');
    const { jwtSecret } = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as {
      jwtSecret: string;
    };
    const token = await issueLocalToken(jwtSecret, 'sup-wang');
    const post = (p: string, body: unknown) =>
      fetch(`http://127.0.0.1:${ports.PORT}${p}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const opened = await post('/api/cases', {
      title: '停止测试 stop test',
      description: 'x',
      source: 'repair',
      severity: 'routine',
      location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
      assigneeId: 'staff-zhou',
    });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    // Queued behind the failing email: this request is still waiting when Ctrl-C comes.
    const waiting = post(`/api/cases/${caseId}/root-cause`, {
      causes: ['wear'],
      responsibleId: 'staff-zhou',
      plan: 'replace',
    }).catch(() => undefined);
    expect(await waitUntil(() => s.output().includes('Activity failed'), 60_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    s.child.kill('SIGINT');
    expect(await exitOf(s.child)).toBe(0);
    await waiting;
    const out = s.output();
    expect(out).toContain('[rectify] stopped');
    expect(out).not.toContain('Channel has been shut down');
    expect(out).not.toContain('while stopping');
    expect(await waitUntil(() => serversUsing(dir).length === 0, 15_000)).toBe(true);
  }, 600_000);

  it('stops what it spawned when SIGTERM arrives during start-up', async () => {
    const dir = freshDataDir();
    const s = spawnStart({ ...(await allPorts()), RECTIFY_DATA_DIR: dir });
    // Both server processes exist, neither is known healthy yet.
    expect(await waitUntil(() => serversUsing(dir).length >= 2, 120_000)).toBe(true);
    s.child.kill('SIGTERM');
    expect(await exitOf(s.child)).toBe(0);
    expect(s.output()).toContain('[rectify] stopped');
    expect(await waitUntil(() => serversUsing(dir).length === 0, 15_000)).toBe(true);
  }, 240_000);
});
