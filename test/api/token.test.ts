import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { projectRoot } from '../../infra/local/paths.ts';
import { seedDemo, testDeps } from '../support/stack.ts';

/** `npm run token` as a user runs it: a child process, stdout only the token. */
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'rectify-token-'));
  await seedDemo(testDeps());
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function runToken(args: string[], env: Record<string, string> = {}) {
  const stack = inject('stack');
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      path.join(projectRoot, 'node_modules/.bin/tsx'),
      [path.join(projectRoot, 'infra/local/token.ts'), ...args],
      {
        cwd: projectRoot,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          RECTIFY_DATA_DIR: dataDir,
          DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
          TABLE_CASES: stack.tables.cases,
          TABLE_AUDIT: stack.tables.audit,
          TABLE_DIRECTORY: stack.tables.directory,
          TABLE_OPS: stack.tables.ops,
          ...env,
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const secret = async () =>
  new TextEncoder().encode(
    (JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as { jwtSecret: string })
      .jwtSecret,
  );

describe('npm run token', () => {
  it('prints only a token for a person, or the first of a role, signed with the local secret', async () => {
    // The first run creates the data folder's secret; the others then share it.
    const byId = await runToken(['sup-wang']);
    const [byRole, fromFile] = await Promise.all([
      runToken(['--role', 'auditor']),
      // DynamoDB not up: the directory file is read instead.
      runToken(['staff-zhou'], { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' }),
    ]);
    for (const r of [byId, byRole, fromFile]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    }
    const key = await secret();
    expect((await jwtVerify(byId.stdout.trim(), key)).payload.sub).toBe('sup-wang');
    expect((await jwtVerify(byRole.stdout.trim(), key)).payload.sub).toBe('audit-he');
    expect((await jwtVerify(fromFile.stdout.trim(), key)).payload.sub).toBe('staff-zhou');
  });

  it('refuses unknown people, bad arguments and production mode, with a message and no token', async () => {
    const [unknown, badRole, production] = await Promise.all([
      runToken(['nobody-here']),
      runToken(['--role', 'wizard']),
      runToken(['sup-wang'], { RECTIFY_MODE: 'production' }),
    ]);
    for (const r of [unknown, badRole, production]) {
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
    }
    expect(unknown.stderr).toContain('no person nobody-here');
    expect(badRole.stderr).toContain('--role needs one of');
    expect(production.stderr).toContain('RECTIFY_MODE=production');
  });
});
