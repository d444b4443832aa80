import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../infra/local/paths.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { saveDirectory } from '../../store/directory.ts';
import { demoDirectory, ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';

function qr(args: string[], vars: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(projectRoot, 'node_modules/.bin/tsx'),
      ['infra/local/qr.ts', ...args],
      { cwd: projectRoot, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars } },
      (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
    );
  });
}

describe('npm run qr', () => {
  it('prints the codes of a building the running directory holds (an admin import), not only the file', async () => {
    // Tables of its own: the directory here has a building the demo file does not.
    const tables = ownTables(uniqueId('qr'));
    const deps = testDeps(testEnv(tables));
    await ensureTables(deps.ddb, deps.tables);
    const demo = await demoDirectory();
    const source = demo.buildings[0]!;
    const added = {
      ...source,
      id: 'bldg-qr',
      name: { zh: '新建公寓楼', en: 'New hall' },
      floors: source.floors.map((f) => ({ ...f, id: `qr-${f.id}` })),
    };
    await saveDirectory(deps.ddb, deps.tables, { ...demo, buildings: [...demo.buildings, added] });
    const out = await mkdtemp(path.join(tmpdir(), 'qr-'));
    const r = await qr(['bldg-qr', out], { ...tables, DYNAMODB_ENDPOINT: inject('stack').dynamoEndpoint });
    expect(r.stderr).not.toContain("no building 'bldg-qr'");
    expect(r.code).toBe(0);
    const sheets = (await readdir(out)).filter((f) => /^sheet-\d+\.svg$/.test(f));
    expect(sheets.length).toBeGreaterThan(0);
    expect(await readFile(path.join(out, 'sheets.html'), 'utf8')).toContain('新建公寓楼 报修二维码');

    // A building neither holds is named with where it was looked for.
    const missing = await qr(['bldg-none', out], {
      ...tables,
      DYNAMODB_ENDPOINT: inject('stack').dynamoEndpoint,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no building 'bldg-none' in DynamoDB at http:\/\/.+; known: .*bldg-qr/);
  });
});
