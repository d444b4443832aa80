import { beforeAll, describe, expect, it } from 'vitest';
import { roles, type Directory } from '../../domain/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { seedDemo } from '../support/stack.ts';

/**
 * Found by a probe: leadership, department contacts, auditors and admins may read the zero-report
 * board but the menu did not offer it, so they could not find it. Whoever the board lets in finds
 * it in the menu, and nobody else does. Own tables.
 */
const own = appOnOwnTables('zero-menu');
let dir: Directory;

beforeAll(async () => {
  dir = await seedDemo(own.deps);
});

const navHrefs = (html: string) =>
  [...(/<nav[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '').matchAll(/href="([^"?]+)/g)].map((m) => m[1]);

async function as(personId: string, path: string): Promise<Response> {
  const s = await createSession(own.deps, { personId, via: 'link' });
  return own.app.request(path, { headers: { cookie: `rectify_session=${s.id}` } });
}

describe('the menu item 零报告 / Zero report', () => {
  it('shows for every role the board admits, and for no other', async () => {
    const readers: string[] = [];
    for (const role of roles) {
      const person = dir.people.find((p) => p.roles.length === 1 && p.roles[0] === role);
      if (!person) throw new Error(`the demo campus has nobody who is only ${role}`);
      // A night never opened: the board's role rule answers first (403), else there is no such night.
      const board = await as(person.id, '/zero-report/2099-01-01');
      expect([403, 404], role).toContain(board.status);
      const home = await as(person.id, '/app');
      expect(home.status, role).toBe(200);
      expect(navHrefs(await home.text()).includes('/zero-report'), role).toBe(board.status === 404);
      if (board.status === 404) readers.push(role);
    }
    expect(readers.sort()).toEqual(
      [
        'auditor',
        'admin',
        'department_contact',
        'grid_member',
        'leadership',
        'supervisor',
        'working_group',
      ].sort(),
    );
  });
});
