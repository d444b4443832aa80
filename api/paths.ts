/**
 * Whether a path is the API's (its clients read problem+json and send a bearer token), as
 * opposed to a page a person opens in a browser.
 */
export const isApiPath = (path: string): boolean =>
  path === '/api' || path.startsWith('/api/') || path === '/openapi.json';

/**
 * Whether a person's browser asked: a page address (not the API, whose clients read
 * problem+json) requested for HTML. Scripts and tests that ask for nothing keep the JSON.
 */
export function wantsPage(path: string, accept: string | undefined): boolean {
  if (isApiPath(path)) return false;
  // Where an email's link or a printed code leads, the answer is a page whatever the client asked.
  if (/^\/(actions|t|r)(\/|$)/.test(path)) return true;
  return (accept ?? '').includes('text/html');
}
