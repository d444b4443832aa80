export interface DailyBriefConfig {
  timeZone: string;
  lookbackDays: number;
}

export const defaultDailyBriefConfig: DailyBriefConfig = { timeZone: 'Asia/Shanghai', lookbackDays: 120 };

/** Failure types the morning brief raises; caller-caused ones are non-retryable. */
export const DailyBriefFailure = {
  InvalidDate: 'DailyBriefInvalidDate',
} as const;

export interface DailyBriefWorkflowInput {
  /** Local 'YYYY-MM-DD' of the morning; default: the (scheduled) start's date in the campus time zone. */
  date?: string | undefined;
  config?: Partial<DailyBriefConfig> | undefined;
}
