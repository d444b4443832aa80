import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * What `npm start` leaves in its data folder about the processes it runs, so that the next
 * start after a crash (SIGKILL, a terminal closed hard) can stop what is left of the last one
 * for the same folder, and only that: a process is stopped only while its pid, its start time
 * and its command line all still match the record. A pid reused by someone else, or a foreign
 * listener on a port, is never touched (the port check then refuses as before).
 */
const recordSchema = z.object({
  name: z.string(),
  pid: z.number().int().positive(),
  /** Kernel start time (Linux: clock ticks since boot) or `ps` lstart: tells a reused pid apart. */
  startedAt: z.string(),
  /** The argv it was started with, joined by NUL. */
  argv: z.string(),
});
type ProcessRecord = z.infer<typeof recordSchema>;

/** Another `npm start` is live on the same data folder: said in one line, nothing stopped. */
export class DataDirInUse extends Error {
  override name = 'DataDirInUse';
}

const runDir = (dataDir: string) => path.join(dataDir, 'run');
const recordFile = (dataDir: string, name: string) =>
  path.join(runDir(dataDir), `${name.replace(/[^a-z0-9-]/gi, '_')}.json`);

/** How the system sees a live process now; undefined when there is none with that pid. */
export function processIdentity(pid: number): { startedAt: string; argv: string } | undefined {
  if (existsSync('/proc/self/stat')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name in parentheses may hold spaces; the fields after it are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // A zombie has exited already: it holds no port and no file.
      if (fields[0] === 'Z') return undefined;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '');
      return { startedAt: fields[19] ?? '', argv };
    } catch {
      return undefined;
    }
  }
  // macOS and the BSDs: no /proc, but `ps` gives the start time and the arguments.
  const r = spawnSync('ps', ['-ww', '-o', 'lstart=,args=', '-p', String(pid)], { encoding: 'utf8' });
  const line = r.status === 0 ? r.stdout.trim() : '';
  if (!line) return undefined;
  // lstart is a fixed five-word date ("Fri Dec  4 21:30:11 2026"); args follow.
  const words = line.split(/\s+/);
  return { startedAt: words.slice(0, 5).join(' '), argv: words.slice(5).join('\0') };
}

const sameArgv = (recorded: string, now: string) =>
  // `ps` separates arguments by spaces only, so compare the words where /proc is absent.
  existsSync('/proc/self/stat')
    ? recorded === now
    : recorded.split(/[\0\s]+/).join(' ') === now.split(/[\0\s]+/).join(' ');

function matches(r: ProcessRecord): boolean {
  const now = processIdentity(r.pid);
  return !!now && now.startedAt === r.startedAt && sameArgv(r.argv, now.argv);
}

function readRecords(dataDir: string): { file: string; record?: ProcessRecord }[] {
  const dir = runDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const file = path.join(dir, f);
      try {
        const parsed = recordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        return { file, record: parsed.success ? parsed.data : undefined };
      } catch {
        return { file };
      }
    });
}

/**
 * Notes a process this start runs. `argv` is what it was spawned with (after any wrapper
 * execs it), so the record does not depend on when the kernel shows the new command line.
 */
export function recordProcess(dataDir: string, name: string, pid: number, argv: readonly string[]): void {
  const now = processIdentity(pid);
  // Gone already (it failed at once): nothing to leave behind.
  if (!now) return;
  mkdirSync(runDir(dataDir), { recursive: true });
  const record: ProcessRecord = { name, pid, startedAt: now.startedAt, argv: argv.join('\0') };
  writeFileSync(recordFile(dataDir, name), JSON.stringify(record));
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (!processIdentity(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !processIdentity(pid);
}

/**
 * Before anything starts: refuses while another `npm start` runs on this data folder, stops
 * the servers a crashed one left (SIGTERM, then SIGKILL after `graceMs`), drops stale records
 * and records this process. Returns what it stopped, as lines to show.
 */
export async function claimDataDir(dataDir: string, graceMs = 10_000): Promise<string[]> {
  const said: string[] = [];
  const records = readRecords(dataDir);
  const live = records.find(
    (r) => r.record?.name === 'start' && r.record.pid !== process.pid && matches(r.record),
  );
  if (live?.record)
    throw new DataDirInUse(
      `another npm start (pid ${live.record.pid}) is running on the data folder ${dataDir}: stop it first, or set RECTIFY_DATA_DIR to another folder`,
    );
  for (const { file, record } of records) {
    if (record && record.name !== 'start' && record.pid !== process.pid && matches(record)) {
      process.kill(record.pid, 'SIGTERM');
      if (!(await waitGone(record.pid, graceMs))) {
        // Still ours (same start time): a hard stop, as a crash would have done.
        if (matches(record)) process.kill(record.pid, 'SIGKILL');
        await waitGone(record.pid, 5_000);
      }
      said.push(
        `stopped ${record.name} (pid ${record.pid}) left running by an npm start that ended without stopping it`,
      );
    }
    rmSync(file, { force: true });
  }
  // This process as the kernel shows it (loaders may have changed what process.argv says).
  const self = processIdentity(process.pid);
  if (self) {
    mkdirSync(runDir(dataDir), { recursive: true });
    writeFileSync(recordFile(dataDir, 'start'), JSON.stringify({ name: 'start', pid: process.pid, ...self }));
  }
  return said;
}

/** After a clean stop: nothing of this start is left to recognise. */
export function releaseDataDir(dataDir: string): void {
  rmSync(runDir(dataDir), { recursive: true, force: true });
}
