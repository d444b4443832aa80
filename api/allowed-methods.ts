/**
 * The methods the API takes at a path, from its declared routes: a request with another method at
 * a path that exists is told so (405 with `Allow`) rather than that the path does not exist.
 * Paths match exactly, as the router matches them: `/api/cases/` is not `/api/cases` (the app
 * sends the one to the other; a 405 there would list the very method it refused).
 */
export interface DeclaredRoute {
  method: string;
  /** OpenAPI form: /api/cases/{caseId}. */
  path: string;
}

const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** A matcher of concrete paths to the methods declared for them (GET brings HEAD). */
export function allowedMethods(declared: readonly DeclaredRoute[]): (path: string) => string[] {
  const patterns = declared.map((r) => ({
    method: r.method.toUpperCase(),
    re: new RegExp(
      `^${r.path
        .split(/\{[^}/]+\}/)
        .map(escape)
        .join('[^/]+')}$`,
    ),
  }));
  return (path) => {
    const found = new Set(patterns.filter((p) => p.re.test(path)).map((p) => p.method));
    if (found.has('GET')) found.add('HEAD');
    return [...found].sort();
  };
}
