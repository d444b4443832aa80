import { checkBudgets, type BudgetedChange } from '../../domain/case-budgets.ts';
import { refuse, type CaseState } from './state.ts';

/**
 * patched() id: the case pins the budgets of domain/case-budgets.ts (total text, comments,
 * evidence, review and survey rounds, disputes, reassignments, pauses) and its validators
 * refuse a step that would go over one (added after v5 histories). Cases opened before keep
 * only the comment and pause caps they always had.
 */
export const CASE_BUDGETS_PATCH = 'case-budgets';

/** Refuses, in an update's validator, a step that would take the case over one of its pinned budgets. */
export function guardBudgets(s: CaseState, change: BudgetedChange): void {
  const r = checkBudgets(s.budgets, s.view, change);
  if (r) refuse(r);
}
