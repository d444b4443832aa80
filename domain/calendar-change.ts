/**
 * The case workflow's update that carries a saved calendar to a running case: named here so the
 * workflow that defines it and the activity that sends it agree without the activity importing
 * workflow code.
 */
export const CALENDAR_CHANGED_UPDATE = 'calendarChanged';
