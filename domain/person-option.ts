import type { Person, Role } from './directory.ts';
import type { Bilingual, Lang } from './text.ts';

/** What a staff member does, said short, as a pick-list needs it. */
const staffKindWord: Record<NonNullable<Person['staffKind']>, Bilingual> = {
  manager: { zh: '管理', en: 'manager' },
  duty: { zh: '值班', en: 'duty' },
  cleaner: { zh: '保洁', en: 'cleaning' },
  repair: { zh: '维修', en: 'repair' },
};

const roleWord: Record<Role, Bilingual> = {
  supervisor: { zh: '主管', en: 'supervisor' },
  staff: { zh: '员工', en: 'staff' },
  grid_member: { zh: '网格员', en: 'grid member' },
  auditor: { zh: '审计员', en: 'auditor' },
  admin: { zh: '管理员', en: 'admin' },
  leadership: { zh: '校领导', en: 'leadership' },
  working_group: { zh: '工作小组', en: 'working group' },
  department_contact: { zh: '院系联络人', en: 'department contact' },
};

/**
 * A person as an option of a pick-list: name, then id and trade (or role) in the page's
 * language, "吴磊（staff-wu，维修）" / "吴磊 (staff-wu, repair)". Two people of one name or one
 * trade are told apart, and an English reader who cannot read the name has the id and trade.
 */
export function personOptionLabel(
  p: Pick<Person, 'id' | 'name' | 'roles' | 'staffKind'>,
  lang: Lang,
): string {
  const what = p.staffKind ? staffKindWord[p.staffKind] : p.roles[0] ? roleWord[p.roles[0]] : undefined;
  return lang === 'en'
    ? `${p.name} (${p.id}${what ? `, ${what.en}` : ''})`
    : `${p.name}（${p.id}${what ? `，${what.zh}` : ''}）`;
}
