import { Client, Connection } from '@temporalio/client';
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest';
import { createApp } from '../../api/app.ts';
import { COLUMNS, directoryToTable, tableToCsv } from '../../api/pages/app/admin-import.ts';
import type { Building, Directory } from '../../domain/directory.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { currentSnapshot, loadDirectory, saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { auditAppDeps } from '../support/audit-app.ts';
import { applyFormFields, postImportApply, postImportFile } from '../support/import-apply-form.ts';
import { demoDirectory, ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';

/**
 * Found by an outside probe of /app/admin/directory: a file with a building (or department, or
 * cluster) id twice passed the check, and its apply then failed with a 500 (DynamoDB refuses two
 * writes of one key in a batch) or, the two rows in different batches, "succeeded" with the later
 * row wiping the first building's floors; a building too large for one DynamoDB item passed the
 * preview and failed half-written on apply. The check now refuses both, before anything is
 * written. Own tables: the applies here touch no other test's directory.
 */
const env = testEnv(ownTables(uniqueId('dirimport')));
const deps = testDeps(env);
let connection: Connection;
let app: Hono;
let demo: Directory;
let admin: { cookie: string; csrf: string };

beforeAll(async () => {
  await ensureTables(deps.ddb, deps.tables);
  connection = await Connection.connect({ address: inject('stack').temporalAddress });
  app = createApp(auditAppDeps(env, deps, new Client({ connection })));
  demo = await demoDirectory();
  const session = await (async () => {
    await saveDirectory(deps.ddb, deps.tables, demo);
    return createSession(deps, { personId: 'admin-xu', via: 'link' });
  })();
  admin = { cookie: `rectify_session=${session.id}`, csrf: session.csrfToken };
});
afterAll(async () => {
  await connection?.close();
});
// Each test starts from the demo campus as stored.
beforeEach(async () => {
  await saveDirectory(deps.ddb, deps.tables, demo);
});

const headers = () => ({ cookie: admin.cookie, 'x-csrf-token': admin.csrf });

const preview = (table: string[][]) => postImportFile(app, admin, tableToCsv(table));

const post = (fields: URLSearchParams) => postImportApply(app, admin, fields);
/** A directory posted by hand to the apply, as the form once carried it: never applied. */
const apply = async (directory: unknown): Promise<number> =>
  (await post(new URLSearchParams({ _csrf: admin.csrf, directory: JSON.stringify(directory) }))).status;
/** Previews the directory as a file (it must pass), then posts that preview's own apply form. */
async function previewed(directory: Directory): Promise<URLSearchParams> {
  const page = await preview(directoryToTable(directory));
  if (page.status !== 200) throw new Error(`the preview was refused: ${page.status}`);
  return applyFormFields(page.html);
}
const applied = async (directory: Directory) => post(await previewed(directory));

const row = (cells: Partial<Record<(typeof COLUMNS)[number], string>>) => COLUMNS.map((c) => cells[c] ?? '');
const stored = async () => {
  const dir = await loadDirectory(deps.ddb, deps.tables, true);
  if (!dir) throw new Error('no directory stored');
  return dir;
};
const floorsOf = (dir: Directory, id: string) => dir.buildings.find((b) => b.id === id)?.floors;
const filler = (n: number): Building[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `area-filler-${i}`,
    name: { zh: `空地 ${i}`, en: `Lot ${i}` },
    kind: 'public_area' as const,
    supervisorIds: [],
    gridMemberIds: [],
    floors: [],
  }));

describe('the directory import refuses what its apply cannot store', () => {
  it('a building id twice: the preview is a 400 naming both rows, in Chinese by default', async () => {
    const table = directoryToTable(demo);
    const first = table.findIndex((r) => r[0] === 'building' && r[1] === 'bldg-a') + 1;
    table.push(row({ kind: 'building', id: 'bldg-a', name_zh: 'A 栋（新）', name_en: 'Hall A (new)' }));
    const { status, html } = await preview(table);
    expect(status).toBe(400);
    expect(html).toContain('data-import="invalid"');
    expect(html).toContain(`data-row="${table.length}" data-column="id"`);
    expect(html).toContain('楼栋 id bldg-a 重复');
    expect(html).toContain(`第 ${first} 行与第 ${table.length} 行`);
  });

  it('posted straight to apply (no preview), a building twice is a 400 and nothing is written, in one batch or two', async () => {
    const before = await currentSnapshot(deps.ddb, deps.tables);
    const [a] = demo.buildings;
    if (!a) throw new Error('the demo has no building');
    const again = { ...a, floors: [] };
    // Next to each other (one 25-write batch: DynamoDB refused the batch, a 500) and 30 rows apart
    // (two batches: the later row won and Dormitory A lost its floors).
    for (const buildings of [
      [...demo.buildings, again],
      [a, ...filler(30), ...demo.buildings.slice(1), again],
    ]) {
      expect(await apply({ ...demo, buildings })).toBe(400);
      expect(floorsOf(await stored(), 'bldg-a')).toEqual(a.floors);
    }
    // A department twice, and a cluster id twice with its room listed again, likewise.
    const [cs] = demo.departments;
    expect(await apply({ ...demo, departments: [...demo.departments, { ...cs, rooms: [] }] })).toBe(400);
    const clashing = structuredClone(a);
    clashing.floors[1]?.clusters.push({ id: 'a-f1-c1', gridMemberIds: [], rooms: ['A101'] });
    expect(await apply({ ...demo, buildings: [clashing, ...demo.buildings.slice(1)] })).toBe(400);
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(before);
  });

  it('20,000 clusters under one floor: the preview is a 400 naming the building, the apply a 400, nothing written', async () => {
    const table = directoryToTable(demo);
    const buildingRow = table.findIndex((r) => r[0] === 'building' && r[1] === 'bldg-a') + 1;
    for (let i = 0; i < 20_000; i++)
      table.push(row({ kind: 'cluster', id: `a-f1-x${i}`, parent: 'a-f1', rooms: `X${i}` }));
    const { status, html } = await preview(table);
    expect(status).toBe(400);
    expect(html).toContain(`data-row="${buildingRow}" data-column=""`);
    expect(html).toMatch(/楼栋 bldg-a 存储后约 \d+ KB，超过单条记录的上限 350 KB/);
    expect(html).toContain('拆成几栋');

    const before = await currentSnapshot(deps.ddb, deps.tables);
    const [a] = demo.buildings;
    if (!a) throw new Error('the demo has no building');
    const [f1, ...rest] = a.floors;
    if (!f1) throw new Error('bldg-a has no floor');
    const huge = {
      ...a,
      floors: [
        {
          ...f1,
          clusters: Array.from({ length: 20_000 }, (_, i) => ({
            id: `a-f1-x${i}`,
            gridMemberIds: [],
            rooms: [`X${i}`],
          })),
        },
        ...rest,
      ],
    };
    // Last, after every person and department: before the check it failed after writing them.
    expect(await apply({ ...demo, buildings: [...demo.buildings.slice(1), huge] })).toBe(400);
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(before);
    expect(floorsOf(await stored(), 'bldg-a')).toEqual(a.floors);
  });

  it('one floor id in two buildings (one zero-report cell): a 400 naming the floor and both buildings; distinct ids go through', async () => {
    // In the file itself: the preview names the row.
    const floor = (id: string) =>
      row({ kind: 'floor', id, parent: 'bldg-b', name_zh: 'B 栋九层', name_en: 'Hall B F9' });
    const table = directoryToTable(demo);
    table.push(floor('a-f1'));
    const { status, html } = await preview(table);
    expect(status).toBe(400);
    expect(html).toContain(`data-row="${table.length}" data-column="id"`);
    expect(html).toContain('楼层 id a-f1 同时出现在楼栋 bldg-a 与楼栋 bldg-b 中');

    // A file right by itself that clashes with the directory stored after its preview: the apply
    // refuses it, saying so.
    const b = demo.buildings.find((x) => x.id === 'bldg-b');
    const a = demo.buildings.find((x) => x.id === 'bldg-a');
    if (!b || !a) throw new Error('the demo has no bldg-a or bldg-b');
    // A merge keeps the floors a file does not list, so the file adds a floor (a renamed one would
    // keep the old beside it, its rooms then in two clusters).
    const renamed = (id: string): Directory => ({
      ...demo,
      buildings: [
        {
          ...b,
          floors: [
            ...b.floors,
            { id, name: { zh: 'B 栋新层', en: 'Hall B new' }, gridMemberIds: [], clusters: [] },
          ],
        },
      ],
    });
    const form = await previewed(renamed('b-f1-new'));
    const extraFloor = {
      id: 'b-f1-new',
      name: { zh: 'A 栋九层', en: 'Hall A F9' },
      gridMemberIds: [],
      clusters: [],
    };
    await saveDirectory(deps.ddb, deps.tables, {
      ...demo,
      buildings: demo.buildings.map((x) =>
        x.id === 'bldg-a' ? { ...a, floors: [...a.floors, extraFloor] } : x,
      ),
    });
    const before = await currentSnapshot(deps.ddb, deps.tables);
    const clash = await post(form);
    expect(clash.status).toBe(400);
    expect(clash.html).toContain('与现有名录合并后');
    expect(clash.html).toContain('楼层 id b-f1-new 同时出现在楼栋 bldg-a 与楼栋 bldg-b 中');
    // The entry by its id and name, not its index in a merged directory the admin never saw.
    expect(clash.html).toMatch(/与现有名录合并后：楼栋 bldg-b（[^）]+）的 floors/);
    expect(clash.html).not.toMatch(/buildings\[\d+\]/);
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(before);

    await saveDirectory(deps.ddb, deps.tables, demo);
    const distinct = directoryToTable(demo);
    distinct.push(floor('b-f9'));
    expect((await preview(distinct)).status).toBe(200);
    expect((await applied(renamed('b-f1-new'))).status).toBe(303);
    expect(floorsOf(await stored(), 'bldg-b')?.map((f) => f.id)).toEqual(['b-f1', 'b-f2', 'b-f1-new']);
  });

  it('an AREA row is previewed and applied as a public area', async () => {
    const table = directoryToTable(demo);
    table.push(row({ kind: 'AREA', id: 'area-east-gate', name_zh: '东门', name_en: 'East gate' }));
    const { status, html } = await preview(table);
    expect(status).toBe(200);
    const done = await post(applyFormFields(html));
    expect(done.status).toBe(303);
    expect((await stored()).buildings.find((b) => b.id === 'area-east-gate')?.kind).toBe('public_area');
    // The page after says what the preview said: one added, the rest unchanged.
    // Floor and cluster rows are entries of the file too.
    const floors = demo.buildings.flatMap((b) => b.floors);
    const entries =
      demo.people.length +
      demo.buildings.length +
      floors.length +
      floors.flatMap((f) => f.clusters).length +
      demo.departments.length;
    // The link names the applied preview; the counts are read from what the apply stored.
    expect(done.location).toMatch(/^\/app\/admin\/directory\?applied=[0-9a-f-]{36}$/);
    const after = await (await app.request(done.location, { headers: headers() })).text();
    expect(after).toContain(`已导入名录：新增 1 条，修改 0 条，${entries} 条不变。`);
    // Counts typed into the link are not an import: the page shows none.
    for (const typed of ['0.0.0.5', '00000000-0000-4000-8000-000000000000']) {
      const page = await (
        await app.request(`/app/admin/directory?applied=${typed}`, { headers: headers() })
      ).text();
      expect(page, typed).not.toContain('data-applied');
      expect(page, typed).not.toContain('已导入名录');
    }
  });

  it('two admins applying at once: both imports land, neither undoes the other', async () => {
    const area = (id: string): Directory => ({
      ...demo,
      buildings: [
        ...demo.buildings,
        {
          id,
          name: { zh: `区域 ${id}`, en: `Area ${id}` },
          kind: 'public_area' as const,
          supervisorIds: [],
          gridMemberIds: [],
          floors: [],
        },
      ],
    });
    const before = (await currentSnapshot(deps.ddb, deps.tables))?.version ?? 0;
    const ids = ['area-north', 'area-south', 'area-west'];
    // Each previewed against the same directory, then applied at once.
    const forms = await Promise.all(ids.map((id) => previewed(area(id))));
    const statuses = await Promise.all(forms.map(async (form) => (await post(form)).status));
    expect(statuses).toEqual([303, 303, 303]);
    const now = await stored();
    for (const id of ids)
      expect(
        now.buildings.some((b) => b.id === id),
        id,
      ).toBe(true);
    expect((await currentSnapshot(deps.ddb, deps.tables))?.version).toBe(before + 3);
  });
});
