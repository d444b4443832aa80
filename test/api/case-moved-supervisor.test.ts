import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../domain/directory.ts';
import { loadDirectory, saveDirectory } from '../../store/directory.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { call, newCaseBody, startApiStackOn, type ApiStack } from './harness.ts';

/**
 * Found: a supervisor moved to another building who opened a case of their old one got the read
 * rule as the page's message, a clause starting lowercase ("you may read cases of buildings you
 * supervise, …"), which never said they had been moved. The page now says they no longer
 * supervise that building and which they supervise now; the API's refusal keeps its words.
 * Own tables: the directory changes.
 */
const tables = ownTables(uniqueId('moved'));
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  await s?.stop();
});

/** sup-smith moved from Dormitory A to Dormitory B. */
const smithMoved = (dir: Directory): Directory => ({
  ...dir,
  buildings: dir.buildings.map((b) =>
    b.id === 'bldg-a'
      ? { ...b, supervisorIds: ['sup-wang'] }
      : b.id === 'bldg-b'
        ? { ...b, supervisorIds: [...b.supervisorIds, 'sup-smith'] }
        : { ...b, supervisorIds: b.supervisorIds.filter((id) => id !== 'sup-smith') },
  ),
});

const errorText = (html: string) =>
  (/data-error-summary[^>]*>([^<]*)</.exec(html)?.[1] ?? '').replaceAll('&#39;', "'");

describe('a supervisor moved to another building opens a case of their old one', () => {
  it('is told, in sentences, that they no longer supervise that building and where they are now', async () => {
    const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    await saveDirectory(s.activityDeps.ddb, s.activityDeps.tables, smithMoved(s.dir));
    await loadDirectory(s.activityDeps.ddb, s.activityDeps.tables, true);

    const who = await as('sup-smith');
    const open = (lang: string) =>
      s.app.request(`/app/cases/${caseId}`, {
        headers: { cookie: `rectify_session=${who.id}`, 'accept-language': lang },
      });
    const en = await open('en');
    expect(en.status).toBe(403);
    expect(errorText(await en.text())).toMatch(
      new RegExp(
        `^You no longer supervise Dormitory A, where case ${caseId} is \\(you now supervise Dormitory B\\), so you can no longer see this case\\. `,
      ),
    );
    const zh = await open('zh-CN');
    expect(zh.status).toBe(403);
    expect(errorText(await zh.text())).toMatch(
      new RegExp(
        `^您已不再主管学生公寓A栋（案件 ${caseId} 所在楼栋，您现在主管学生公寓B栋），因此不能再查看此案件。`,
      ),
    );

    // The API's refusal keeps its contract: the rule, as it was.
    const api = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-smith' });
    expect(api.status).toBe(403);
    expect(((await api.json()) as { detail: string }).detail).toMatch(
      /^you may read cases of buildings you supervise/,
    );
  });
});
