// The workflow bundle's entry: workflow functions only.
export { rectificationCase, rectificationCaseV2 } from './rectification-case/workflow.ts';
export { weeklyFeedback } from './weekly-feedback/workflow.ts';
export { dailyBrief } from './daily-brief/workflow.ts';
export { auditAnchor } from './audit-anchor/workflow.ts';
export { zeroReportNight } from './zero-report/workflow.ts';
export { inspectionRound, inspectionRounds } from './inspection-round/workflow.ts';
export { reportTriage } from './report-triage/workflow.ts';
export { reportSweep } from './report-triage/sweep.ts';
export { calendarWatch } from './calendar-watch/workflow.ts';
export { calendarBroadcast } from './calendar-broadcast/workflow.ts';
export { auditJob } from './audit-job/workflow.ts';
export { dutyCalendar, dutyOccurrence } from './duty/workflow.ts';
export { reviewDigest } from './review-digest/workflow.ts';
