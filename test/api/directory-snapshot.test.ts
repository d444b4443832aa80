import { describe, expect, it } from 'vitest';
import { issueLocalToken } from '../../api/auth.ts';
import { currentSnapshot, loadDirectory, saveDirectory } from '../../store/directory.ts';
import { issueLink } from '../../store/links.ts';
import { createSession } from '../../store/sessions.ts';
import { seedCase } from '../support/audit-fixtures.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory, TEST_SIGNING_KEYS, uniqueId } from '../support/stack.ts';

/**
 * Found on main: removing a person from the directory file revoked nothing, because a load only
 * ever added and replaced rows. A load is now a snapshot: whoever it no longer lists is gone,
 * and with them their bearer tokens, web sessions and email links. Own tables, so removing a
 * demo person here touches no other test.
 */
const own = appOnOwnTables('dirsnap');
const { env, deps } = own;

describe('directory loads are versioned snapshots', () => {
  it('removing a person ends their bearer tokens, sessions and email links at once', async () => {
    const demo = await demoDirectory();
    const first = await saveDirectory(deps.ddb, deps.tables, demo);
    // A case assigned to the person about to be removed.
    const openCase = uniqueId('ZG-DIR');
    await seedCase(deps, openCase, 1);
    expect(first).toMatchObject({ version: 1, removedPeople: [], people: demo.people.length });

    const token = await issueLocalToken(env.JWT_SECRET!, 'staff-zhou');
    const bearer = () =>
      own.app.request('/api/directory/buildings', { headers: { authorization: `Bearer ${token}` } });
    const session = await createSession(deps, { personId: 'staff-zhou', via: 'link' });
    const web = () => own.app.request('/app', { headers: { cookie: `rectify_session=${session.id}` } });
    const { token: link } = await issueLink(
      { ddb: deps.ddb, tables: deps.tables, keys: TEST_SIGNING_KEYS },
      { caseId: 'ZG-2026-999999', step: 'sign_off', round: 1, recipientId: 'staff-zhou', action: 'sign_off' },
    );
    const linkPage = async () => {
      const res = await own.app.request(`/actions/${link}`);
      return { status: res.status, outcome: /data-outcome="([^"]+)"/.exec(await res.text())?.[1] };
    };
    expect((await bearer()).status).toBe(200);
    expect((await web()).status).toBe(200);
    // The link is good; only its case is unknown here.
    expect(await linkPage()).not.toMatchObject({ outcome: 'refused' });

    const without = { ...demo, people: demo.people.filter((p) => p.id !== 'staff-zhou') };
    const second = await saveDirectory(deps.ddb, deps.tables, without);
    expect(second).toMatchObject({ version: 2, removedPeople: ['staff-zhou'] });
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(second);
    expect((await loadDirectory(deps.ddb, deps.tables, true))?.people.map((p) => p.id)).not.toContain(
      'staff-zhou',
    );

    const refused = await bearer();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toContain('staff-zhou');
    expect((await web()).status).not.toBe(200);
    expect(await linkPage()).toEqual({ status: 403, outcome: 'refused' });

    // Their open case is listed for reassignment, to admins only.
    const removedList = async (as: string) =>
      own.app.request('/api/directory/removed', {
        headers: { authorization: `Bearer ${await issueLocalToken(env.JWT_SECRET!, as)}` },
      });
    const listed = await removedList('admin-xu');
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({
      version: 2,
      at: second.at,
      removed: [
        {
          personId: 'staff-zhou',
          openCases: [
            expect.objectContaining({ caseId: openCase, stage: 'analysing', assigneeId: 'staff-zhou' }),
          ],
        },
      ],
      demoted: [],
      // A save outside an admin's apply (a file, as here) is not one whose stranded cases are mailed.
      told: null,
    });
    expect((await removedList('sup-wang')).status).toBe(403);
    const admin = await createSession(deps, { personId: 'admin-xu', via: 'link' });
    const adminPage = await (
      await own.app.request('/app/admin/directory', { headers: { cookie: `rectify_session=${admin.id}` } })
    ).text();
    expect(adminPage).toContain('data-removed');
    expect(adminPage).toContain(`/app/cases/${openCase}`);

    // Loaded again, the person is back: a snapshot, not a tombstone.
    const third = await saveDirectory(deps.ddb, deps.tables, demo);
    expect(third).toMatchObject({ version: 3, removedPeople: [] });
    expect((await bearer()).status).toBe(200);
  });
});
