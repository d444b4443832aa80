import type { Role } from './directory.ts';

/**
 * The roles a person needs to take their part in a case they hold (assignee, responsible,
 * supervisor): checkStep in case-model.ts leaves someone with none of them nothing but to read
 * (an auditor), or nothing at all. A directory change that takes the last of them from a person
 * with open cases leaves those cases to be reassigned.
 */
export const CASE_ACTING_ROLES: readonly Role[] = ['supervisor', 'staff', 'admin', 'working_group'];

export const actsOnCases = (roles: readonly Role[]): boolean =>
  roles.some((r) => CASE_ACTING_ROLES.includes(r));

/** Who of `before` is still in `after` but no longer holds any role that acts on cases. */
export function lostCaseRoles(
  before: readonly { id: string; roles: readonly Role[] }[],
  after: readonly { id: string; roles: readonly Role[] }[],
): string[] {
  const now = new Map(after.map((p) => [p.id, p.roles]));
  return before
    .filter((p) => {
      const roles = now.get(p.id);
      return roles !== undefined && actsOnCases(p.roles) && !actsOnCases(roles);
    })
    .map((p) => p.id)
    .sort();
}
