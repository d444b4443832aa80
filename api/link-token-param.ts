/**
 * The token of a signed link as its path segment carries it. Mail clients and people copying a
 * link take along what follows it in the text: a space (%20), a full stop, a bracket or a comma
 * ("…/actions/v1.k1.abc.def." at the end of a sentence). A token is base64url pieces joined by
 * dots and never ends in anything else, so what trails it is dropped before it is verified, and
 * the link opens rather than being called malformed.
 */
export function linkTokenOf(segment: string | undefined): string {
  // `%20` may arrive still encoded as well as decoded: a token holds no `%`, so either is trailing.
  return (segment ?? '').trim().replace(/(?:%[0-9A-Fa-f]{2}|[^A-Za-z0-9_-])+$/u, '');
}
