import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../infra/local/paths.ts';

/** Runs `npm run audit -- …` the way an auditor would, with only the variables given (and PATH, HOME). */
export function runAuditCli(
  args: string[],
  vars: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(projectRoot, 'node_modules/.bin/tsx'),
      ['infra/audit-cli.ts', ...args],
      { cwd: projectRoot, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
