import { createSession } from '../../store/sessions.ts';

type SessionStore = Parameters<typeof createSession>[0];

/**
 * Web sessions of a test file, one per person, made on first use through the real session store:
 * `as(personId)` answers the session id (for the cookie) and its CSRF token (for the forms).
 */
export function pageSessions(store: () => SessionStore) {
  const sessions = new Map<string, { id: string; csrf: string }>();
  return async function as(personId: string) {
    let known = sessions.get(personId);
    if (!known) {
      const session = await createSession(store(), { personId, via: 'link' });
      known = { id: session.id, csrf: session.csrfToken };
      sessions.set(personId, known);
    }
    return known;
  };
}

/**
 * A routine repair in room A101 of Dormitory A opened through the new-case form as a person with
 * `session`, assigned to 赵伟; answers its case id (the form's redirect). `title` tells it apart.
 */
export async function openRepairByForm(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  session: { id: string; csrf: string },
  title: string,
): Promise<string> {
  const opened = await app.request('/app/cases/new', {
    method: 'POST',
    headers: { cookie: `rectify_session=${session.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      title,
      description: '水龙头滴水',
      source: 'repair',
      severity: 'routine',
      buildingId: 'bldg-a',
      floorId: 'a-f1',
      roomId: 'A101',
      assigneeId: 'staff-zhao',
      _csrf: session.csrf,
    }).toString(),
  });
  if (opened.status !== 303) throw new Error(`the new-case form answered ${opened.status}`);
  const caseId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(opened.headers.get('location') ?? '')?.[1];
  if (!caseId) throw new Error(`the new-case form redirected to ${opened.headers.get('location')}`);
  return caseId;
}
