import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import type { CaseExport } from '../../audit/export.ts';
import { runAuditCli } from '../support/audit-cli.ts';
import { editEntry, seedCase } from '../support/audit-fixtures.ts';
import { seedDemo, testDeps, uniqueId } from '../support/stack.ts';

const deps = testDeps();

/** Runs `npm run audit -- …` against the test tables only. */
function audit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stack = inject('stack');
  return runAuditCli(args, {
    DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    TABLE_CASES: stack.tables.cases,
    TABLE_AUDIT: stack.tables.audit,
    TABLE_DIRECTORY: stack.tables.directory,
    TABLE_OPS: stack.tables.ops,
  });
}

beforeAll(async () => {
  await seedDemo(deps);
});

describe('npm run audit', () => {
  it('verify --case: intact exits 0; after an edit in the table, exits 1 naming the entry', async () => {
    const caseId = uniqueId('ZG-CLI');
    await seedCase(deps, caseId, 3);
    const ok = await audit(['verify', '--case', caseId]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`${caseId}: intact`);
    await editEntry(deps, caseId, 2, 'action');
    const bad = await audit(['verify', '--case', caseId]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`${caseId}: broken at entry 2 \\(hash_mismatch\\)`));
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, broken: { seq: 2 } });
  });

  it('verify (all) reports the broken case and exits 1', async () => {
    const caseId = uniqueId('ZG-CLI-ALL');
    await seedCase(deps, caseId, 2);
    await editEntry(deps, caseId, 1, 'prevHash');
    const r = await audit(['verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${caseId}: broken at entry 1 (prev_mismatch)`);
    expect(r.stderr).toMatch(/\d+ cases: \d+ intact/);
  });

  it('export --out writes the period, one building, as JSON', async () => {
    const inside = uniqueId('ZG-CLI-IN');
    await seedCase(deps, inside, 2, { openedAt: '2018-06-01T02:00:00.000Z', buildingId: 'bldg-b' });
    await seedCase(deps, uniqueId('ZG-CLI-A'), 1, {
      openedAt: '2018-06-01T03:00:00.000Z',
      buildingId: 'bldg-a',
    });
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'audit-cli-')), 'june.json');
    const r = await audit([
      'export',
      '--from',
      '2018-06-01',
      '--to',
      '2018-06-01',
      '--building',
      'bldg-b',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const body = JSON.parse(await readFile(out, 'utf8')) as { cases: CaseExport[] };
    expect(body.cases.map((c) => c.caseId)).toEqual([inside]);
    expect(body.cases[0]?.trail).toHaveLength(2);
  });

  it('beside npm start, without DYNAMODB_ENDPOINT or AWS credentials, reads the local stack; unreachable, says so in a line', async () => {
    const stack = inject('stack');
    const home = await mkdtemp(path.join(tmpdir(), 'audit-home-')); // no ~/.aws here
    const tables = {
      TABLE_CASES: stack.tables.cases,
      TABLE_AUDIT: stack.tables.audit,
      TABLE_DIRECTORY: stack.tables.directory,
      TABLE_OPS: stack.tables.ops,
    };
    const port = new URL(stack.dynamoEndpoint).port;
    const caseId = uniqueId('ZG-CLI-LOCAL');
    await seedCase(deps, caseId, 2);
    const ok = await runAuditCli(['verify', '--case', caseId], {
      ...tables,
      HOME: home,
      DYNAMODB_PORT: port,
    });
    expect(ok.stderr).toContain(`reading the local stack's tables at http://127.0.0.1:${port}`);
    expect(ok.stderr).toContain(`${caseId}: intact`);
    expect(ok.code).toBe(0);

    // Nothing listening: one line naming where it looked and what to do, exit 2, no stack trace.
    const down = await runAuditCli(['verify'], { ...tables, HOME: home, DYNAMODB_PORT: '9' });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('cannot reach http://127.0.0.1:9: start the local stack (npm start)');
    expect(down.stderr).not.toMatch(/^\s+at /m);
  });

  it('bad usage exits 2 with the usage text', async () => {
    const r = await audit(['export', '--from', 'June']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('export needs --from and --to');
    expect(r.stderr).toContain('usage:');
    const r2 = await audit(['frobnicate']);
    expect(r2.code).toBe(2);
  });
});
