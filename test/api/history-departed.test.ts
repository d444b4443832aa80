import { describe, expect, it } from 'vitest';
import { issueLocalToken } from '../../api/auth.ts';
import { saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { editEntry, seedCase, testView } from '../support/audit-fixtures.ts';
import { putCases } from '../support/feedback-harness.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * Found by a probe: once a person left the directory, a case's history named them by a bare id
 * ("staff-cc1"), and an auditor could not tell who signed. Own tables, so removing a demo person
 * here touches no other test.
 */
const own = appOnOwnTables('histleft');
const { env, deps } = own;

describe('a case history after its actor left the directory', () => {
  it('names them as the newest version that had them did, marked as gone, after later saves', async () => {
    const demo = await demoDirectory();
    await saveDirectory(deps.ddb, deps.tables, demo);
    // A real case number: the case page takes only those.
    const caseId = `ZG-2099-${String(Math.floor(Math.random() * 900000) + 100000)}`;
    // Opened by sup-wang (王建国); its record as the workflow keeps it once the case is withdrawn.
    await seedCase(deps, caseId, 2);
    await putCases(deps, [
      { ...testView(caseId, { version: 2 }), stage: 'withdrawn', closedAt: new Date().toISOString() },
    ]);
    await saveDirectory(deps.ddb, deps.tables, {
      ...demo,
      people: demo.people.filter((p) => p.id !== 'sup-wang'),
    });
    // Two more versions: the one that still listed sup-wang is tidied away.
    await saveDirectory(deps.ddb, deps.tables, {
      ...demo,
      campus: { ...demo.campus, name: { zh: '改名', en: 'renamed' } },
      people: demo.people.filter((p) => p.id !== 'sup-wang'),
    });
    await saveDirectory(deps.ddb, deps.tables, {
      ...demo,
      people: demo.people.filter((p) => p.id !== 'sup-wang'),
    });

    const token = await issueLocalToken(env.JWT_SECRET!, 'audit-he');
    const history = async (lang: string) => {
      const res = await own.app.request(`/api/cases/${caseId}/history?lang=${lang}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { entries: { actor: { id: string; name: string } }[] }).entries;
    };
    expect((await history('zh-CN'))[0]?.actor).toEqual(
      expect.objectContaining({ id: 'sup-wang', name: '王建国（已离开名录）' }),
    );
    expect((await history('en'))[0]?.actor.name).toBe('王建国 (no longer in the directory)');

    // The case page names them the same way where it lists who opened it.
    const session = await createSession(deps, { personId: 'audit-he', via: 'link' });
    const page = await own.app.request(`/app/cases/${caseId}`, {
      headers: { cookie: `rectify_session=${session.id}` },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('王建国（已离开名录）');
    expect(html).not.toMatch(/>\s*sup-wang\s*·/);

    // The audit page's broken entry too, when the entry they wrote is the one tampered with.
    await editEntry(deps, caseId, 1, 'payload');
    const verify = await own.app.request(`/app/audit/verify?caseId=${caseId}`, {
      headers: { cookie: `rectify_session=${session.id}` },
    });
    expect(verify.status).toBe(200);
    const verified = await verify.text();
    expect(verified).toContain('王建国（已离开名录）');
    expect(verified).not.toMatch(/[,，]\s*sup-wang\s*[,，]/);
  });
});
