/**
 * Which cases a department is asked to follow up with its students (seed 000 天天反馈提高 2: 每周将
 * 学生情况反馈相关院系，督促院系开展学生管理和教育工作), and what it is asked. Only cases where the
 * students' own conduct is the matter: a complaint or grid report about them, a room inspection
 * finding on hygiene, fire hazards (违规用电), order or waste sorting. A repair, a finding on the
 * staff's work or the service, or a complaint about staff is the department's business in no way.
 * Pure.
 */
import type { CaseView } from './case-model.ts';
import { isItemId } from './case-citation.ts';
import type { Bilingual } from './text.ts';

/** Categories about the building or the staff (intake's report kinds, domain/intake.ts). */
const NOT_THE_STUDENTS = new Set(['repair', 'staff', 'service', 'suggestion']);

/**
 * The 6T items (seed 000) that rate the students' conduct in their rooms rather than the staff's
 * work: 安全 3 消防隐患 (违规用电、私拉乱接), 安全 6 住宿秩序, 规范 7 住宿管理, 规范 8 寝室卫生, 育人 11 垃圾分类.
 */
const STUDENT_ITEMS = new Map<string, AskKey>([
  ['6t.safety.3', 'safety'],
  ['6t.safety.6', 'inspection'],
  ['6t.management.7', 'inspection'],
  ['6t.management.8', 'cleanliness'],
  ['6t.education.11', 'inspection'],
]);

type AskKey = 'complaint' | 'inspection' | 'grid_report' | 'cleanliness' | 'safety';

const ASK: Record<AskKey, Bilingual> = {
  complaint: {
    zh: '请院系了解相关学生的情况并反馈处理情况。',
    en: 'Please hear the students concerned and tell us how it was handled.',
  },
  inspection: {
    zh: '请院系提醒相关寝室学生遵守公寓管理规定，并反馈跟进情况。',
    en: 'Please remind the students of this room of the residence rules and report back.',
  },
  grid_report: {
    zh: '请院系辅导员跟进网格员反映的学生情况。',
    en: "Please have the counsellor follow up on the grid member's report about the students.",
  },
  cleanliness: {
    zh: '请院系提醒相关寝室学生保持寝室卫生，并反馈跟进情况。',
    en: 'Please remind the students of this room to keep it clean and report back.',
  },
  safety: {
    zh: '请院系提醒相关寝室学生消除安全隐患（如违规用电），并反馈跟进情况。',
    en: 'Please have the students of this room remove the safety hazard (such as prohibited appliances) and report back.',
  },
};

/** What the department is asked to do about a case, or undefined when its students are not the matter. */
export function studentFollowUpAsk(v: Pick<CaseView, 'source' | 'category'>): Bilingual | undefined {
  const category = v.category;
  if (category && NOT_THE_STUDENTS.has(category)) return undefined;
  if (category === 'cleanliness' || category === 'safety') return ASK[category];
  switch (v.source) {
    case 'complaint':
    case 'grid_report':
      return ASK[v.source];
    case 'inspection': {
      // A cited item names what was checked; one on the staff's work is not the students' matter.
      if (!isItemId(category)) return ASK.inspection;
      const key = STUDENT_ITEMS.get(category ?? '');
      return key && ASK[key];
    }
    default:
      return undefined;
  }
}

/**
 * Whether a follow-up of a stored digest is still asked of the department: digests stored before
 * this rule listed every case in its students' rooms, repairs and evaluation findings too, and a
 * week still tracked must not remind or escalate those.
 */
export const stillAsked = (item: { source: CaseView['source'] }): boolean =>
  item.source !== 'repair' && item.source !== 'evaluation';
