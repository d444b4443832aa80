import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DataDirInUse,
  claimDataDir,
  processIdentity,
  recordProcess,
  releaseDataDir,
} from '../../infra/local/leftovers.ts';

// Real processes (idle node scripts) stand in for the servers a crashed npm start left behind.
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function idle(tag: string): { child: ChildProcess; argv: string[] } {
  const argv = [process.execPath, '-e', 'setInterval(() => {}, 1000)', tag];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  children.push(child);
  return { child, argv };
}

const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
const exited = (c: ChildProcess) => new Promise<void>((r) => (alive(c) ? c.once('exit', () => r()) : r()));

async function started(c: ChildProcess, argv: string[]) {
  // The kernel shows the new command line once exec is done.
  for (let i = 0; i < 100 && processIdentity(c.pid!)?.argv !== argv.join('\0'); i++)
    await new Promise((r) => setTimeout(r, 20));
}

function dataDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'rectify-leftovers-'));
  dirs.push(d);
  return d;
}

describe('leftovers of a crashed npm start', () => {
  it('stops the servers recorded for this data folder and records this start', async () => {
    const dir = dataDir();
    const server = idle('temporal');
    await started(server.child, server.argv);
    recordProcess(dir, 'temporal', server.child.pid!, server.argv);
    const said = await claimDataDir(dir, 2_000);
    await exited(server.child);
    expect(alive(server.child)).toBe(false);
    expect(said.join('\n')).toContain(`stopped temporal (pid ${server.child.pid})`);
    // Only this start's own record is left.
    expect(readdirSync(path.join(dir, 'run'))).toEqual(['start.json']);
    releaseDataDir(dir);
    expect(existsSync(path.join(dir, 'run'))).toBe(false);
  });

  it('never touches a process that is not the one recorded (pid reused, another command)', async () => {
    const dir = dataDir();
    const foreign = idle('someone else on the port');
    await started(foreign.child, foreign.argv);
    // A record naming that pid with the command line of one of our servers: the pid was reused.
    recordProcess(dir, 'dynamodb', foreign.child.pid!, [
      process.execPath,
      '-e',
      'setInterval(() => {}, 1000)',
      'dynamodb',
    ]);
    const said = await claimDataDir(dir, 2_000);
    expect(said).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(foreign.child)).toBe(true);
    // The stale record is gone, so the next start does not look at it again.
    expect(readdirSync(path.join(dir, 'run'))).toEqual(['start.json']);
  });

  it('leaves a record whose process has exited, or is unreadable, and starts', async () => {
    const dir = dataDir();
    const gone = idle('gone');
    await started(gone.child, gone.argv);
    recordProcess(dir, 's3', gone.child.pid!, gone.argv);
    gone.child.kill('SIGKILL');
    await exited(gone.child);
    writeFileSync(path.join(dir, 'run', 'junk.json'), '{not json');
    expect(await claimDataDir(dir, 2_000)).toEqual([]);
    expect(readdirSync(path.join(dir, 'run'))).toEqual(['start.json']);
  });

  it('refuses while another npm start runs on the same data folder, and stops nothing', async () => {
    const dir = dataDir();
    const other = idle('npm start');
    const server = idle('its temporal');
    await started(other.child, other.argv);
    await started(server.child, server.argv);
    mkdirSync(path.join(dir, 'run'), { recursive: true });
    recordProcess(dir, 'start', other.child.pid!, other.argv);
    recordProcess(dir, 'temporal', server.child.pid!, server.argv);
    await expect(claimDataDir(dir, 2_000)).rejects.toThrow(DataDirInUse);
    await expect(claimDataDir(dir, 2_000)).rejects.toThrow(
      `another npm start (pid ${other.child.pid}) is running on the data folder ${dir}`,
    );
    expect(alive(server.child)).toBe(true);
  });
});
