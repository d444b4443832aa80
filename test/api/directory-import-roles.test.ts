import { beforeEach, describe, expect, it } from 'vitest';
import { issueLocalToken } from '../../api/auth.ts';
import { COLUMNS, directoryToTable, tableToCsv, type Column } from '../../api/pages/app/admin-import.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { appendAudit } from '../../store/audit-chain.ts';
import { currentSnapshot, loadDirectory, saveDirectory } from '../../store/directory.ts';
import { issueLink } from '../../store/links.ts';
import { createSession } from '../../store/sessions.ts';
import { testView } from '../support/audit-fixtures.ts';
import { applyFormFields, postImportApply, postImportFile } from '../support/import-apply-form.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory, TEST_SIGNING_KEYS, uniqueId } from '../support/stack.ts';

/**
 * Found by a probe of /app/admin/directory as admin-xu. A replace-mode file without admin-xu
 * offered to apply ("确认导入并移除 1 人") and, applied, left nobody to reach the page. A merge
 * making staff an auditor said only "roles, staffKind": their open cases were listed nowhere to
 * reassign, and their sign-off link showed the form, refusing only on submit. Removing the only
 * supervisor of a place whose case was in review said "无未结案件". Who saved a directory version
 * was not kept. Own tables.
 */
const own = appOnOwnTables('dirroles');
const { env, deps } = own;

let admin: { cookie: string; csrf: string };
beforeEach(async () => {
  await saveDirectory(deps.ddb, deps.tables, await demoDirectory());
  const s = await createSession(deps, { personId: 'admin-xu', via: 'link' });
  admin = { cookie: `rectify_session=${s.id}`, csrf: s.csrfToken };
});

const col = (name: Column) => COLUMNS.indexOf(name);
const row = (cells: Partial<Record<Column, string>>) => COLUMNS.map((c) => cells[c] ?? '');
const preview = (table: string[][], mode: string, lang = '') =>
  postImportFile(own.app, admin, tableToCsv(table), { mode, lang });
const applyFrom = (html: string) => postImportApply(own.app, admin, applyFormFields(html));
const adminPage = async () =>
  (await own.app.request('/app/admin/directory', { headers: { cookie: admin.cookie } })).text();
const exported = async () => directoryToTable(await demoDirectory());
const personRow = async (id: string, roles: string) => {
  const r = (await exported()).find((x) => x[0] === 'person' && x[1] === id);
  if (!r) throw new Error(`no ${id}`);
  return r.map((v, i) => (i === col('roles') ? roles : i === col('staff_kind') ? '' : v));
};
const listOf = (html: string, id: string) =>
  new RegExp(`<ul aria-labelledby="${id}"[\\s\\S]*?</ul>`).exec(html)?.[0] ?? '';

/** A case record at a stage, written as the workflow writes it. */
async function seedAt(caseId: string, view: Partial<CaseView>) {
  await appendAudit(deps.ddb, deps.tables, {
    caseId,
    stepId: 'step-1',
    at: new Date().toISOString(),
    actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
    action: 'detected',
    payload: {},
    view: { ...testView(caseId), ...view },
  });
}

describe('an import never leaves the directory without an admin or a working group', () => {
  it('the export minus the only admin is refused, not offered to apply; nothing is written', async () => {
    const before = await currentSnapshot(deps.ddb, deps.tables);
    const page = await preview(
      (await exported()).filter((r) => !(r[0] === 'person' && r[1] === 'admin-xu')),
      'replace',
    );
    expect(page.status).toBe(400);
    expect(page.html).toContain('data-import="invalid"');
    expect(page.html).toContain('至少保留一名具有 admin 角色的人员');
    expect(page.html).not.toContain('/app/admin/directory/apply');
    expect((await currentSnapshot(deps.ddb, deps.tables))?.version).toBe(before?.version);
  });

  it('an empty working group is refused, in English too', async () => {
    const t = await exported();
    t.find((r) => r[0] === 'campus')![col('working_group')] = '';
    const page = await preview(t, 'merge', '?lang=en');
    expect(page.status).toBe(400);
    expect(page.html).toContain('list at least one working-group member');
  });

  it('with another admin, removing oneself is allowed but flagged as oneself', async () => {
    const demo = await demoDirectory();
    await saveDirectory(deps.ddb, deps.tables, {
      ...demo,
      people: demo.people.map((p) => (p.id === 'sup-wang' ? { ...p, roles: ['supervisor', 'admin'] } : p)),
    });
    const t = directoryToTable((await loadDirectory(deps.ddb, deps.tables, true))!);
    const page = await preview(
      t.filter((r) => !(r[0] === 'person' && r[1] === 'admin-xu')),
      'replace',
    );
    expect(page.status).toBe(200);
    expect(listOf(page.html, 'removing-h')).toMatch(
      /data-person="admin-xu"[^>]*>[^<]*<strong data-self[^>]*>（这是您本人）/,
    );

    const demote = await preview([[...COLUMNS], await personRow('admin-xu', 'auditor')], 'merge', '?lang=en');
    expect(demote.status).toBe(200);
    expect(listOf(demote.html, 'demoted-h')).toContain('(this is you)');
    expect(listOf(demote.html, 'demoted-h')).toContain('loses admin');
  });
});

describe('taking away the role a person’s cases need', () => {
  it('lists their open cases in the preview and to reassign, and their link says so at once', async () => {
    const caseId = uniqueId('ZG-DEMOTE');
    await seedAt(caseId, {
      stage: 'awaiting_signoff',
      assigneeId: 'staff-zhou',
      responsibleId: 'staff-zhou',
    });
    const { token: link } = await issueLink(
      { ddb: deps.ddb, tables: deps.tables, keys: TEST_SIGNING_KEYS },
      { caseId, step: 'sign_off', round: 1, recipientId: 'staff-zhou', action: 'sign_off' },
    );
    const linkPage = async () => {
      const res = await own.app.request(`/actions/${link}`);
      const html = await res.text();
      return { status: res.status, outcome: /data-outcome="([^"]+)"/.exec(html)?.[1], html };
    };
    expect((await linkPage()).status).toBe(200);

    const page = await preview([[...COLUMNS], await personRow('staff-zhou', 'auditor')], 'merge');
    expect(page.status).toBe(200);
    const demoted = listOf(page.html, 'demoted-h');
    expect(demoted).toMatch(/data-person="staff-zhou" data-open-cases="1"/);
    expect(demoted).toContain('失去员工');
    expect(demoted).toContain('1 件未结案件需重新指派');

    expect((await applyFrom(page.html)).status).toBe(303);
    expect((await currentSnapshot(deps.ddb, deps.tables))?.demotedPeople).toEqual(['staff-zhou']);
    const listed = await own.app.request('/api/directory/removed', {
      headers: { authorization: `Bearer ${await issueLocalToken(env.JWT_SECRET!, 'admin-xu')}` },
    });
    expect(await listed.json()).toMatchObject({
      removed: [],
      demoted: [{ personId: 'staff-zhou', openCases: [expect.objectContaining({ caseId })] }],
    });
    const after = await adminPage();
    expect(after).toContain('data-removed');
    expect(after).toContain(`/app/cases/${caseId}`);

    const refused = await linkPage();
    expect(refused).toMatchObject({ status: 403, outcome: 'refused' });
    expect(refused.html).toContain('角色已变更');
    expect(refused.html).not.toContain('<textarea');
  });

  it('counts the cases in review at a place whose only supervisor is removed', async () => {
    const caseId = uniqueId('ZG-REVIEW');
    await seedAt(caseId, {
      stage: 'reviewing',
      location: { buildingId: 'bldg-b', floorId: 'b-f1' },
      assigneeId: 'staff-wu',
      responsibleId: 'staff-wu',
    });
    const t = (await exported())
      .filter((r) => !(r[0] === 'person' && r[1] === 'sup-li'))
      .map((r) =>
        r[col('supervisors')] === 'sup-li' ? r.map((v, i) => (i === col('supervisors') ? 'sup-wang' : v)) : r,
      );
    const page = await preview(t, 'replace');
    expect(page.status).toBe(200);
    expect(listOf(page.html, 'removing-h')).toMatch(/data-person="sup-li" data-open-cases="1"/);
  });
});

describe('who saved each directory version', () => {
  it('is kept with the version and shown on the directory page', async () => {
    const page = await preview(
      [
        [...COLUMNS],
        row({
          kind: 'person',
          id: 'staff-new',
          name_zh: '新员工',
          email: 'new.staff@demo.edu.cn',
          roles: 'staff',
        }),
      ],
      'merge',
    );
    expect((await applyFrom(page.html)).status).toBe(303);
    expect((await currentSnapshot(deps.ddb, deps.tables))?.savedBy).toBe('admin-xu');
    expect(await adminPage()).toMatch(/data-saved-by="admin-xu"/);
  });
});
