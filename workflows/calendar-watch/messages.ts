export interface CalendarWatchConfig {
  timeZone: string;
}

export interface CalendarWatchWorkflowInput {
  /** Campus date of the check; default: the (scheduled) start's date in the campus time zone. */
  date?: string | undefined;
  config?: Partial<CalendarWatchConfig> | undefined;
}

export const CalendarWatchFailure = {
  InvalidDate: 'CalendarWatchInvalidDate',
} as const;
