import { roleNames, type Person } from './directory.ts';
import type { Bilingual, Lang } from './text.ts';

/** What a staff member does, said short, as a pick-list needs it. */
const staffKindWord: Record<NonNullable<Person['staffKind']>, Bilingual> = {
  manager: { zh: '管理', en: 'manager' },
  duty: { zh: '值班', en: 'duty' },
  cleaner: { zh: '保洁', en: 'cleaning' },
  repair: { zh: '维修', en: 'repair' },
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
  const what = p.staffKind ? staffKindWord[p.staffKind] : p.roles[0] ? roleNames[p.roles[0]] : undefined;
  return lang === 'en'
    ? `${p.name} (${p.id}${what ? `, ${what.en}` : ''})`
    : `${p.name}（${p.id}${what ? `，${what.zh}` : ''}）`;
}
