import { beforeAll, describe, expect, it } from 'vitest';
import { saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * The inspection, zero-report and standards JSON routes say they take a bearer token or the page
 * session, but the bearer-only check on /api/* answered a signed-in browser 401 before they ran.
 * A session reads them now; a session's writes still need its CSRF token; no sign-in is still 401.
 */
const own = appOnOwnTables('sessjson');
let sup: { cookie: string; csrf: string };

beforeAll(async () => {
  await saveDirectory(own.deps.ddb, own.deps.tables, await demoDirectory());
  const session = await createSession(own.deps, { personId: 'sup-wang', via: 'link' });
  sup = { cookie: `rectify_session=${session.id}`, csrf: session.csrfToken };
});

describe('JSON routes with a page session', () => {
  it.each([
    ['/api/standards', 200],
    ['/api/inspections?from=2026-11-01&to=2026-11-30', 200],
    // No report was made that night on these tables: the route's own 404, past the sign-in.
    ['/api/zero-reports/2026-12-01', 404],
  ])('GET %s answers a signed-in browser (%i), and 401 without sign-in', async (path, status) => {
    const signedIn = await own.app.request(path, { headers: { cookie: sup.cookie } });
    expect(signedIn.status).toBe(status);
    const anonymous = await own.app.request(path);
    expect(anonymous.status).toBe(401);
  });

  it('GET /api/standards gives the catalogue to a session', async () => {
    const res = await own.app.request('/api/standards', { headers: { cookie: sup.cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: string };
    expect(body.version).toEqual(expect.any(String));
  });

  it('a session posting results without its CSRF token is refused with 403, with it reaches the route', async () => {
    const body = JSON.stringify({ results: [{ itemId: '6t.safety.1', result: 'pass' }], finish: false });
    const noCsrf = await own.app.request('/api/inspections/inspection.daily.none/results', {
      method: 'POST',
      headers: { cookie: sup.cookie, 'content-type': 'application/json' },
      body,
    });
    expect(noCsrf.status).toBe(403);
    const withCsrf = await own.app.request('/api/inspections/inspection.daily.none/results', {
      method: 'POST',
      headers: { cookie: sup.cookie, 'content-type': 'application/json', 'x-csrf-token': sup.csrf },
      body,
    });
    // Past the sign-in and the CSRF check: the round does not exist.
    expect(withCsrf.status).toBe(404);
  });
});
