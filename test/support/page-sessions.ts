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
