import { z } from 'zod';
import { languages, roleNames, roles, type Directory } from './directory.ts';
import { refuseFlaws } from './safe-text.ts';
import { splitBilingual, type Bilingual } from './text.ts';

type Path = (string | number)[];

/** `['buildings', 0, 'floors', 1, 'id']` → `buildings[0].floors[1].id`. */
const where = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    '',
  ) || '(file)';

/**
 * The most one directory entry (a building with all its floors and clusters, a person, a
 * department, the campus) may take once stored: DynamoDB refuses an item over 400 KB, and a
 * margin keeps a file that passed the check from failing half-written on apply.
 */
export const DIRECTORY_ENTRY_MAX_BYTES = 350 * 1024;

const utf8 = new TextEncoder();

/**
 * An entry's size as DynamoDB would count it stored alone as the item
 * `{ kind, id, data: JSON.stringify(entry) }`: each attribute's name plus its string value, in UTF-8.
 * Directories are stored whole now (split over as many rows as they need), but one entry stays
 * within an item's size: that is how earlier releases stored it, and a bound on what one building
 * may hold.
 */
export function storedEntryBytes(kind: string, id: string, data: unknown): number {
  const attrs: [string, string][] = [
    ['kind', kind],
    ['id', id],
    ['data', JSON.stringify(data)],
  ];
  return attrs.reduce((n, [k, v]) => n + utf8.encode(k).length + utf8.encode(v).length, 0);
}

/** The directory file a school writes by hand (JSON), validated as a whole before anything is stored. */
const id = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/,
    'id 只能由字母、数字和 _ . : - 组成（最多 64 个字符） / ids use letters, digits, _ . : - (max 64)',
  );
// Names end up in mail headers, subjects and pages: one line, well-formed, bounded (issue 11, item 1).
const name = z
  .string()
  .min(1, '不能为空 / must not be empty')
  .max(200, '最多 200 个字符 / at most 200 characters')
  .superRefine(refuseFlaws({ singleLine: true }));
const bilingual = z.object({ zh: name, en: name });

// Roles said as a person reads them (the import page shows them by row and column); each message
// carries both languages, as the id's does, and validateDirectory splits them.
const roleMessage = `角色须为以下之一：${roles.map((r) => roleNames[r].zh).join('、')}（填英文代码 ${roles.join('、')}） / a role must be one of ${roles.map((r) => `${r} (${roleNames[r].en})`).join(', ')}`;
const staffKinds = ['manager', 'duty', 'cleaner', 'repair'] as const;

export const personSchema = z.object({
  id,
  name,
  // The name in English where the person has one (the import's name_en beside name_zh): kept so
  // an export gives back what was imported, and English pages may say it.
  nameEn: name.optional(),
  email: z.email(
    '不是有效的邮箱地址（例如 zhang.san@example.edu.cn） / not a valid email address (e.g. zhang.san@example.edu.cn)',
  ),
  roles: z.array(z.enum(roles, roleMessage)).min(1, '至少填写一个角色 / list at least one role'),
  language: z
    .enum(
      languages,
      `语言须为 ${languages.join(' 或 ')}（可留空，默认 zh-CN） / the language must be ${languages.join(' or ')} (empty means zh-CN)`,
    )
    .default('zh-CN'),
  staffKind: z
    .enum(
      staffKinds,
      `员工类别须为以下之一：${staffKinds.join('、')}（经理、值班、保洁、维修） / the staff kind must be one of ${staffKinds.join(', ')} (manager, duty, cleaner, repair)`,
    )
    .optional(),
  departmentId: id.optional(),
});

export const directorySchema = z
  .object({
    campus: z.object({ name: bilingual, workingGroupIds: z.array(id), leadershipIds: z.array(id) }),
    people: z.array(personSchema).min(1, '至少列出一名人员 / list at least one person'),
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
            clusters: z.array(
              z.object({
                id,
                gridMemberIds: z.array(id),
                rooms: z.array(name).min(1, '至少填写一个房间 / list at least one room'),
              }),
            ),
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
    const say = (path: Path, text: Bilingual, also?: Path, alone?: Bilingual) =>
      ctx.addIssue({
        code: 'custom',
        path,
        message: `${text.zh} / ${text.en}`,
        params: { ...text, also, alone },
      });
    // Ids that key a stored row or a grid cell: a second one would overwrite the first on apply,
    // or (in one batch) make DynamoDB refuse the whole write.
    const unique = (what: Bilingual) => {
      const first = new Map<string, Path>();
      return (key: string, shown: string | Bilingual, path: Path, at: Path) => {
        const [zh, en] = typeof shown === 'string' ? [shown, shown] : [shown.zh, shown.en];
        const prev = first.get(key);
        if (prev)
          say(
            path,
            {
              zh: `${what.zh} ${zh} 重复（${where(prev)} 已使用）`,
              en: `duplicate ${what.en} ${en} (${where(prev)} has it too)`,
            },
            prev,
            { zh: `${what.zh} ${zh} 重复`, en: `duplicate ${what.en} ${en}` },
          );
        else first.set(key, at);
      };
    };
    const people = new Map(dir.people.map((p) => [p.id, p]));
    const personId = unique({ zh: '人员 id', en: 'person id' });
    const email = unique({ zh: '邮箱', en: 'email' });
    dir.people.forEach((p, i) => {
      personId(p.id, p.id, ['people', i, 'id'], ['people', i]);
      email(p.email.toLowerCase(), p.email, ['people', i, 'email'], ['people', i]);
    });
    const ref = (pid: string, path: Path) => {
      if (!people.has(pid))
        say(path, {
          zh: `未知的人员 ${pid}（名录的人员中没有此 id）`,
          en: `unknown person ${pid} (no person has this id)`,
        });
    };
    dir.campus.workingGroupIds.forEach((p, i) => ref(p, ['campus', 'workingGroupIds', i]));
    dir.campus.leadershipIds.forEach((p, i) => ref(p, ['campus', 'leadershipIds', i]));
    const buildingId = unique({ zh: '楼栋 id', en: 'building id' });
    const clusterId = unique({ zh: '房间组 id', en: 'cluster id' });
    // Floor ids key the level-2 grid cells campus-wide (zero reports): the same floor id in two
    // buildings would make their floors one cell. A repeat within one building is floorId's to say.
    const floorIn = new Map<string, { buildingId: string; at: Path }>();
    dir.buildings.forEach((b, bi) => {
      buildingId(b.id, b.id, ['buildings', bi, 'id'], ['buildings', bi]);
      const floorId = unique({ zh: `楼栋 ${b.id} 内的楼层 id`, en: `floor id in building ${b.id}` });
      const room = unique({ zh: `楼栋 ${b.id} 内的房间`, en: `room in building ${b.id}:` });
      b.supervisorIds.forEach((p, i) => {
        const at: Path = ['buildings', bi, 'supervisorIds', i];
        ref(p, at);
        // Reviews, adjudications and the triage of a place are a supervisor's to do (checkStep asks
        // for the role): one listed without it would leave the place's cases with nobody to review.
        const person = people.get(p);
        // No roles at all is refused at the person's row already.
        if (person && person.roles.length > 0 && !person.roles.includes('supervisor'))
          say(at, {
            zh: `人员 ${p} 是${b.kind === 'public_area' ? '公共区域' : '楼栋'} ${b.id} 的主管，但其角色中没有「${roleNames.supervisor.zh}」（supervisor）：请给此人加上 supervisor 角色，或从主管中移除`,
            en: `person ${p} supervises ${b.kind === 'public_area' ? 'public area' : 'building'} ${b.id} but does not hold the ${roleNames.supervisor.en} role: give them the supervisor role or take them off the supervisors`,
          });
      });
      b.gridMemberIds.forEach((p, i) => ref(p, ['buildings', bi, 'gridMemberIds', i]));
      b.floors.forEach((f, fi) => {
        const fp: Path = ['buildings', bi, 'floors', fi];
        floorId(f.id, f.id, [...fp, 'id'], fp);
        const other = floorIn.get(f.id);
        if (!other) floorIn.set(f.id, { buildingId: b.id, at: fp });
        else if (other.buildingId !== b.id)
          say([...fp, 'id'], floorInTwoBuildings(f.id, other.buildingId, b.id), other.at);
        f.gridMemberIds.forEach((p, i) => ref(p, [...fp, 'gridMemberIds', i]));
        f.clusters.forEach((c, ci) => {
          const cp: Path = [...fp, 'clusters', ci];
          // Cluster ids key the level-3 grid cells campus-wide (zero reports), not per building.
          clusterId(c.id, c.id, [...cp, 'id'], cp);
          c.gridMemberIds.forEach((p, i) => ref(p, [...cp, 'gridMemberIds', i]));
          c.rooms.forEach((r, i) => room(r, { zh: `「${r}」`, en: `"${r}"` }, [...cp, 'rooms', i], cp));
        });
      });
      tooLarge('building', b.id, b, ['buildings', bi], {
        zh: `请把楼栋 ${b.id} 拆成几栋（例如按楼层拆成 ${b.id}-1、${b.id}-2，各自列出自己的楼层和房间组），或减少房间组`,
        en: `split building ${b.id} into several (by floors, say ${b.id}-1 and ${b.id}-2, each listing its own floors and clusters), or list fewer clusters`,
      });
    });
    const departmentId = unique({ zh: '院系 id', en: 'department id' });
    dir.departments.forEach((d, di) => {
      departmentId(d.id, d.id, ['departments', di, 'id'], ['departments', di]);
      d.contactIds.forEach((p, i) => ref(p, ['departments', di, 'contactIds', i]));
      tooLarge('department', d.id, d, ['departments', di], {
        zh: `请把院系 ${d.id} 拆分，或缩短它的房间列表`,
        en: `split department ${d.id} or shorten its room list`,
      });
    });
    const depts = new Set(dir.departments.map((d) => d.id));
    dir.people.forEach((p, i) => {
      if (p.departmentId && !depts.has(p.departmentId))
        say(['people', i, 'departmentId'], {
          zh: `未知的院系 ${p.departmentId}`,
          en: `unknown department ${p.departmentId}`,
        });
      tooLarge('person', p.id, p, ['people', i], {
        zh: `请缩短人员 ${p.id} 的角色列表`,
        en: `shorten the role list of person ${p.id}`,
      });
    });
    tooLarge('campus', 'campus', dir.campus, ['campus'], {
      zh: '请缩短校园行的工作小组与校领导名单',
      en: "shorten the campus row's working group and leadership lists",
    });

    function tooLarge(kind: string, key: string, data: unknown, path: Path, fix: Bilingual) {
      const bytes = storedEntryBytes(kind, key, data);
      if (bytes <= DIRECTORY_ENTRY_MAX_BYTES) return;
      const kb = Math.ceil(bytes / 1024);
      const max = DIRECTORY_ENTRY_MAX_BYTES / 1024;
      say(path, {
        zh: `${kindNames[kind]?.zh ?? kind} ${key} 存储后约 ${kb} KB，超过单条记录的上限 ${max} KB（数据库每条最多 400 KB），无法写入：${fix.zh}`,
        en: `${kindNames[kind]?.en ?? kind} ${key} would be stored as about ${kb} KB, over the ${max} KB limit for one entry (the database takes at most 400 KB), so it cannot be written: ${fix.en}`,
      });
    }
  });

/**
 * The refusal of one floor id in two buildings (the directory file, and the import table whose
 * clusters name their floor by id alone): the zero report keys its level-2 cells by floor id.
 */
export const floorInTwoBuildings = (floorId: string, first: string, second: string): Bilingual => ({
  zh: `楼层 id ${floorId} 同时出现在楼栋 ${first} 与楼栋 ${second} 中；楼层 id 须全校唯一（每日零报告按楼层 id 统计），请改用如 ${second}-${floorId} 的 id`,
  en: `floor id ${floorId} is in both building ${first} and building ${second}; floor ids must be unique campus-wide (the nightly zero report counts floors by id), so use an id such as ${second}-${floorId}`,
});

const kindNames: Record<string, Bilingual> = {
  building: { zh: '楼栋', en: 'building' },
  department: { zh: '院系', en: 'department' },
  person: { zh: '人员', en: 'person' },
  campus: { zh: '校园行', en: 'the campus row' },
};

export interface DirectoryProblem {
  /** e.g. people[3].email — the row and the field. */
  where: string;
  /** In English, as the command line has always printed it. */
  message: string;
  /** The same in both languages (Chinese first), for a page. */
  text: Bilingual;
  /** For a duplicate: where the first of them is (e.g. buildings[0]). */
  also?: string;
  /**
   * For a duplicate: the text without `also`, for a reader told where both are in their own
   * terms (an import's rows): an index into the merged directory means nothing to them.
   */
  alone?: Bilingual;
}

const zhErrors = z.locales.zhCN().localeError;
const enErrors = z.locales.en().localeError;

/** Validates a parsed directory file; every problem is reported, nothing is returned half-valid. */
export function validateDirectory(
  raw: unknown,
): { ok: true; directory: Directory } | { ok: false; problems: DirectoryProblem[] } {
  const zh = directorySchema.safeParse(raw, { error: zhErrors });
  if (zh.success) return { ok: true, directory: zh.data };
  // zod's own messages, in each language (the two parses report the same issues in the same order).
  const en = directorySchema.safeParse(raw, { error: enErrors });
  const enIssues = en.success ? [] : en.error.issues;
  return {
    ok: false,
    problems: zh.error.issues.map((i, n) => {
      const own =
        i.code === 'custom'
          ? (i.params as Partial<Bilingual & { also: Path; alone: Bilingual }> | undefined)
          : undefined;
      const enMessage = enIssues[n]?.message ?? i.message;
      const text: Bilingual =
        own?.zh !== undefined && own.en !== undefined
          ? { zh: own.zh, en: own.en }
          : // A schema's own wording is the same under both locales: it carries both languages itself.
            enMessage === i.message
            ? splitBilingual(i.message)
            : { zh: i.message, en: enMessage };
      return {
        where: where(i.path),
        message: text.en,
        text,
        ...(own?.also ? { also: where(own.also) } : {}),
        ...(own?.alone ? { alone: own.alone } : {}),
      };
    }),
  };
}

/**
 * What an import may not take away: an admin (only admins import the directory, so without one
 * nobody could put it right from the app) and a working-group member (every escalation ends with
 * the working group). Checked on import, not in the schema: a directory file given at start is the
 * operator's, who can correct it without the app.
 */
export function keepsStewards(dir: Directory): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  const add = (where: string, text: Bilingual) => problems.push({ where, message: text.en, text });
  if (!dir.people.some((p) => p.roles.includes('admin')))
    add('people', {
      zh: `导入后名录中将没有${roleNames.admin.zh}（admin），此后无人能再导入或修正名录：请至少保留一名具有 admin 角色的人员`,
      en: `after the import no one would hold the ${roleNames.admin.en} role, and no one could import or correct the directory again: keep at least one person with the admin role`,
    });
  if (dir.campus.workingGroupIds.length === 0)
    add('campus.workingGroupIds', {
      zh: `导入后${roleNames.working_group.zh}（校园行的 working_group）将为空，案件升级将无人接收：请至少列出一名工作小组成员`,
      en: `after the import the ${roleNames.working_group.en} (the campus row's working_group) would be empty, and escalations would reach no one: list at least one working-group member`,
    });
  return problems;
}
