/**
 * What the people of a week's feedback did with it, as its report shows them: each staff member's
 * acknowledgement of their digest (seed 000 反馈 1) and each department follow-up marked handled
 * (反馈 2), scoped to the summary's building or the campus. Pure: the store reads the marks.
 */
import { z } from 'zod';
import type { AreaSummary, DepartmentDigest } from './digest.ts';

const bilingual = z.object({ zh: z.string(), en: z.string() });

export const staffAckSchema = z.object({
  personId: z.string(),
  /** When they acknowledged through their mail's link; null while they have not. */
  acknowledgedAt: z.string().nullable(),
});

export const followUpMarkSchema = z.object({
  departmentId: z.string(),
  department: bilingual,
  caseId: z.string(),
  title: z.string(),
  /** The place by the directory's names (ids in follow-ups stored before names were kept). */
  place: bilingual,
  /** Null while the department has not marked it handled. */
  handled: z
    .object({
      at: z.string(),
      by: z.string(),
      /** What the department said it did, when it said. */
      note: z.string().optional(),
    })
    .nullable(),
});

export const weeklyMarksSchema = z.object({
  acknowledgements: z.array(staffAckSchema),
  followUps: z.array(followUpMarkSchema),
});
export type WeeklyMarks = z.infer<typeof weeklyMarksSchema>;
export type FollowUpMark = z.infer<typeof followUpMarkSchema>;

/** The summary as the report's readers get it: the stored figures and the marks read now. */
export type MarkedSummary = AreaSummary & { feedback?: WeeklyMarks | undefined };

/** Marks of the week as the store keeps them. */
export interface WeekMarkRows {
  acks: { personId: string; at: string }[];
  handled: { departmentId: string; caseId: string; by: string; at: string; note?: string | undefined }[];
}

/**
 * The marks a summary shows: the acknowledgement of each staff member it lists, and the follow-ups
 * of cases in its building (every one for the campus's).
 */
export function marksForSummary(
  s: AreaSummary,
  departments: readonly DepartmentDigest[],
  rows: WeekMarkRows,
): WeeklyMarks {
  const acked = new Map(rows.acks.map((a) => [a.personId, a.at]));
  const handled = new Map(rows.handled.map((h) => [`${h.departmentId}\u0000${h.caseId}`, h]));
  // Follow-ups stored before they kept their building are placed by the summary's own cases.
  const listed = new Set(s.cases.map((c) => c.caseId));
  const inScope = (i: DepartmentDigest['items'][number]) =>
    s.kind === 'working_group' ||
    (i.buildingId !== undefined ? i.buildingId === s.buildingId : listed.has(i.caseId));
  return {
    acknowledgements: s.byStaff.map((r) => ({
      personId: r.personId,
      acknowledgedAt: acked.get(r.personId) ?? null,
    })),
    followUps: departments.flatMap((d) =>
      d.items.filter(inScope).map((i) => {
        const h = handled.get(`${d.departmentId}\u0000${i.caseId}`);
        return {
          departmentId: d.departmentId,
          department: d.name,
          caseId: i.caseId,
          title: i.title,
          place: i.placeName ?? { zh: i.place, en: i.place },
          handled: h ? { at: h.at, by: h.by, ...(h.note ? { note: h.note } : {}) } : null,
        };
      }),
    ),
  };
}
