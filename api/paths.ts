/**
 * Whether a path is the API's (its clients read problem+json and send a bearer token), as
 * opposed to a page a person opens in a browser.
 */
export const isApiPath = (path: string): boolean =>
  path === '/api' || path.startsWith('/api/') || path === '/openapi.json';
