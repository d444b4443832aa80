import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/local/paths.ts';
import { freePort } from '../../infra/local/servers.ts';

// `npm start` exactly as a person runs it (same entry, own ports and data
// folder): ready block, every URL answering, clean Ctrl-C, data kept.
const dataDir = mkdtempSync(path.join(tmpdir(), 'rectify-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

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
    };
    const first = await start(ports);
    expect(first.output()).toContain(`http://localhost:${ports.PORT}`);
    expect(first.output()).toContain(`http://localhost:${ports.TEMPORAL_UI_PORT}`);
    expect(first.output()).toContain(`http://localhost:${ports.SES_PORT}/`);
    expect(first.output()).toContain('created tables');
    expect(first.output()).toContain('loaded the campus directory');
    const health = await fetch(`http://localhost:${ports.PORT}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    expect((await fetch(`http://localhost:${ports.PORT}/docs`)).status).toBe(200);
    expect((await fetch(`http://localhost:${ports.TEMPORAL_UI_PORT}/`)).status).toBe(200);
    expect((await fetch(`http://localhost:${ports.SES_PORT}/`)).status).toBe(200);
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('[rectify] stopped');

    const second = await start(ports);
    expect(second.output()).not.toContain('created tables');
    expect(second.output()).not.toContain('loaded the campus directory');
    expect((await fetch(`http://localhost:${ports.PORT}/health`)).status).toBe(200);
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
});
