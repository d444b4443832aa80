import { z } from 'zod';
import { languages, roles, type Directory } from './directory.ts';
import { textFlaw, textFlawMessage } from './safe-text.ts';

/** The directory file a school writes by hand (JSON), validated as a whole before anything is stored. */
const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'ids use letters, digits, _ . : - (max 64)');
// Names end up in mail headers, subjects and pages: one line, well-formed, bounded (issue 11, item 1).
const name = z
  .string()
  .min(1)
  .max(200)
  .superRefine((s, ctx) => {
    const flaw = textFlaw(s, { singleLine: true });
    if (flaw)
      ctx.addIssue({ code: 'custom', message: `${textFlawMessage[flaw].zh} / ${textFlawMessage[flaw].en}` });
  });
const bilingual = z.object({ zh: name, en: name });

export const personSchema = z.object({
  id,
  name,
  email: z.email(),
  roles: z.array(z.enum(roles)).min(1),
  language: z.enum(languages).default('zh-CN'),
  staffKind: z.enum(['manager', 'duty', 'cleaner', 'repair']).optional(),
  departmentId: id.optional(),
});

export const directorySchema = z
  .object({
    campus: z.object({ name: bilingual, workingGroupIds: z.array(id), leadershipIds: z.array(id) }),
    people: z.array(personSchema).min(1),
    buildings: z.array(
      z.object({
        id,
        name: bilingual,
        // A public area (canteen, laundry, gate, sports ground) sits outside the dormitory grid:
        // no floors, and its supervisors are the team that owns it.
        kind: z.enum(['dormitory', 'public_area']).optional(),
        supervisorIds: z.array(id),
        gridMemberIds: z.array(id),
        floors: z.array(
          z.object({
            id,
            name: bilingual,
            gridMemberIds: z.array(id),
            clusters: z.array(z.object({ id, gridMemberIds: z.array(id), rooms: z.array(name).min(1) })),
          }),
        ),
      }),
    ),
    departments: z.array(
      z.object({
        id,
        name: bilingual,
        contactIds: z.array(id),
        rooms: z.array(name).optional(),
      }),
    ),
  })
  .superRefine((dir, ctx) => {
    const people = new Map(dir.people.map((p) => [p.id, p]));
    const seen = new Set<string>();
    const emails = new Set<string>();
    dir.people.forEach((p, i) => {
      if (seen.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `duplicate person id ${p.id}` });
      seen.add(p.id);
      const e = p.email.toLowerCase();
      if (emails.has(e))
        ctx.addIssue({ code: 'custom', path: ['people', i, 'email'], message: `duplicate email ${p.email}` });
      emails.add(e);
    });
    const ref = (pid: string, path: (string | number)[]) => {
      if (!people.has(pid)) ctx.addIssue({ code: 'custom', path, message: `unknown person ${pid}` });
    };
    dir.campus.workingGroupIds.forEach((p, i) => ref(p, ['campus', 'workingGroupIds', i]));
    dir.campus.leadershipIds.forEach((p, i) => ref(p, ['campus', 'leadershipIds', i]));
    dir.buildings.forEach((b, bi) => {
      b.supervisorIds.forEach((p, i) => ref(p, ['buildings', bi, 'supervisorIds', i]));
      b.gridMemberIds.forEach((p, i) => ref(p, ['buildings', bi, 'gridMemberIds', i]));
      b.floors.forEach((f, fi) => {
        f.gridMemberIds.forEach((p, i) => ref(p, ['buildings', bi, 'floors', fi, 'gridMemberIds', i]));
        f.clusters.forEach((c, ci) =>
          c.gridMemberIds.forEach((p, i) =>
            ref(p, ['buildings', bi, 'floors', fi, 'clusters', ci, 'gridMemberIds', i]),
          ),
        );
      });
    });
    const depts = new Set(dir.departments.map((d) => d.id));
    dir.departments.forEach((d, di) =>
      d.contactIds.forEach((p, i) => ref(p, ['departments', di, 'contactIds', i])),
    );
    dir.people.forEach((p, i) => {
      if (p.departmentId && !depts.has(p.departmentId))
        ctx.addIssue({
          code: 'custom',
          path: ['people', i, 'departmentId'],
          message: `unknown department ${p.departmentId}`,
        });
    });
  });

export interface DirectoryProblem {
  /** e.g. people[3].email — the row and the field. */
  where: string;
  message: string;
}

/** Validates a parsed directory file; every problem is reported, nothing is returned half-valid. */
export function validateDirectory(
  raw: unknown,
): { ok: true; directory: Directory } | { ok: false; problems: DirectoryProblem[] } {
  const r = directorySchema.safeParse(raw);
  if (r.success) return { ok: true, directory: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => ({
      where:
        i.path.reduce<string>(
          (acc, part) =>
            typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
          '',
        ) || '(file)',
      message: i.message,
    })),
  };
}
