import { roleNames, type Department, type Person } from './directory.ts';
import type { Bilingual, Lang } from './text.ts';

/** What a staff member does, said short, as a pick-list needs it. */
const staffKindWord: Record<NonNullable<Person['staffKind']>, Bilingual> = {
  manager: { zh: '管理', en: 'manager' },
  duty: { zh: '值班', en: 'duty' },
  cleaner: { zh: '保洁', en: 'cleaning' },
  repair: { zh: '维修', en: 'repair' },
};

/** What a person does, as a choice shows it: their trade, else their first role. */
const whatTheyDo = (p: Pick<Person, 'roles' | 'staffKind'>): Bilingual | undefined =>
  p.staffKind ? staffKindWord[p.staffKind] : p.roles[0] ? roleNames[p.roles[0]] : undefined;

/**
 * A person as a choice on a page: name, then trade (or role) and department in the page's
 * language, "赵伟（管理）" / "赵伟 (manager)". The id stays the option's value, never its text:
 * ids are the directory's keys, not what colleagues know each other by.
 */
export function personChoiceLabel(
  p: Pick<Person, 'name' | 'roles' | 'staffKind'>,
  lang: Lang,
  department?: Bilingual | undefined,
): string {
  const parts = [whatTheyDo(p), department].filter((x): x is Bilingual => x !== undefined);
  if (parts.length === 0) return p.name;
  return lang === 'en'
    ? `${p.name} (${parts.map((x) => x.en).join(', ')})`
    : `${p.name}（${parts.map((x) => x.zh).join('，')}）`;
}

/**
 * The labels of a pick-list of people, by id: each as `personChoiceLabel` says it, and two whose
 * labels would read the same (one name, one trade) told apart by their email, which they know,
 * rather than by the directory's id.
 */
export function personChoiceLabels(
  people: readonly Pick<Person, 'id' | 'name' | 'email' | 'roles' | 'staffKind' | 'departmentId'>[],
  lang: Lang,
  departments: readonly Pick<Department, 'id' | 'name'>[] = [],
): Map<string, string> {
  const deptOf = (id: string | undefined) => departments.find((d) => d.id === id)?.name;
  const plain = people.map((p) => [p, personChoiceLabel(p, lang, deptOf(p.departmentId))] as const);
  const seen = new Map<string, number>();
  for (const [, label] of plain) seen.set(label, (seen.get(label) ?? 0) + 1);
  return new Map(
    plain.map(([p, label]) => [p.id, (seen.get(label) ?? 0) > 1 ? `${label} · ${p.email}` : label]),
  );
}
