import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';

let setprivUsable: boolean | undefined;
function canTie(): boolean {
  if (process.platform !== 'linux') return false;
  setprivUsable ??= spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;
  return setprivUsable;
}

/**
 * Spawns a local server that dies with this process, however this process ends: on Linux
 * through util-linux's `setpriv --pdeathsig TERM`, which asks the kernel to send SIGTERM
 * to the child when its parent is gone (even after a SIGKILL, which no exit handler sees),
 * then execs the command itself (the child's pid and command line are the server's).
 * Elsewhere a plain spawn; `npm start` then stops such a leftover at its next start
 * (see leftovers.ts). `argv` is the server's own command line, for that record.
 */
export function spawnTied(
  cmd: string,
  args: string[],
  options: SpawnOptions,
): { child: ChildProcess; argv: string[] } {
  const argv = [cmd, ...args];
  const child = canTie()
    ? spawn('setpriv', ['--pdeathsig', 'TERM', '--', ...argv], options)
    : spawn(cmd, args, options);
  return { child, argv };
}
