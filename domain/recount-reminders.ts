/**
 * The reminders a recounted deadline still sends, in order: those yet to come, and of those whose
 * time has already passed (a recount moved the due earlier) only the latest, once, while the due
 * is still ahead; none once the due itself has passed, when the breach says it all. Without this
 * every passed reminder would go in the same instant, each naming a time already gone.
 */
export function remindersAfterRecount<T>(
  reminders: readonly T[],
  wakeOf: (r: T) => string,
  due: string,
  now: number,
): T[] {
  const ahead = (r: T) => Date.parse(wakeOf(r)) > now;
  if (Date.parse(due) <= now) return reminders.filter(ahead);
  const lastPassed = reminders.filter((r) => !ahead(r)).at(-1);
  return reminders.filter((r) => ahead(r) || r === lastPassed);
}
