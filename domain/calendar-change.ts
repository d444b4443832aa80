/**
 * The case workflow's update that carries a saved calendar to a running case: named here so the
 * workflow that defines it and the activity that sends it agree without the activity importing
 * workflow code.
 */
export const CALENDAR_CHANGED_UPDATE = 'calendarChanged';

/**
 * The failure type of a calendar broadcast pass that ended with running cases not told (they did
 * not answer): every other case took it, and the daily check starts the broadcast again.
 */
export const CASES_NOT_TOLD = 'CasesNotTold';
