/**
 * Whether two texts plausibly describe the same problem: a report and an open case at its place
 * and of its kind are offered as a likely duplicate only when they share what the problem is
 * (水龙头漏水 / 水龙头一直在漏水), not merely the room and the kind (a dripping tap and a
 * broken lock are both repairs in A101). Words are compared as campus users write them: Chinese
 * in runs of characters without spaces (so by pairs of adjacent characters), English by words.
 */

/**
 * Words that name a place, a kind of report, that something is broken, or nothing in particular:
 * every report at a place may say them, so sharing one says nothing about the problem. They are
 * cut out before the pairs are taken, so that no pair spans one (宿舍问题 gives no 舍问).
 */
const GENERIC_ZH = [
  // Places inside a building.
  ...['宿舍', '寝室', '房间', '走廊', '楼道', '楼梯间', '楼梯', '阳台', '浴室', '厕所', '水房'],
  ...['卫生间', '洗手间', '门口', '一楼', '二楼', '三楼', '四楼', '五楼', '六楼', '公共区域'],
  ...['大厅', '楼层', '洗衣房'],
  // Kinds of report (a case opened from a report is titled 报修：…).
  ...['报修', '报告', '投诉', '服务', '建议', '意见', '安全隐患', '安全', '隐患', '维修', '卫生'],
  // That something is broken, whatever it is (as 'broken' in English).
  ...['坏了', '损坏', '故障', '不好用'],
  // Saying that something is wrong, and asking for it to be dealt with.
  ...['问题', '反映', '希望', '尽快', '处理', '解决', '同学', '学生', '已经', '一直', '没有'],
  ...['现在', '今天', '昨天', '发现', '情况', '出现', '严重', '影响', '麻烦', '谢谢', '一下'],
  ...['可以', '不能', '无法', '有人', '这个', '那个', '我们', '他们', '时候', '好几天', '几天'],
  // A case's own lines (its scanned report, its photos), which no problem shares.
  ...['扫码', '照片', '附件'],
  // Words that only join others.
  ...['的', '了', '在', '是', '和', '与', '很', '都', '也', '请', '把', '被', '还', '又'],
];
/** The generic words, longest first, so that 楼梯间 is cut out whole before 楼梯. */
const GENERIC_ZH_PATTERN = new RegExp([...GENERIC_ZH].sort((a, b) => b.length - a.length).join('|'), 'gu');

const GENERIC_WORDS = new Set(
  (
    'the and for with not but are was were has have had been this that there their they our you ' +
    'from into since still again please room floor building dorm corridor hall report reported ' +
    'repair problem issue broken working work does cannot can any some very today yesterday ' +
    'days scanned photos photo case'
  ).split(' '),
);

const HAN = /\p{Script=Han}+/gu;
const LATIN = /[a-z]+/g;

/** What a text says, as the pairs of Chinese characters and the English words it uses (generic ones left out). */
export function problemTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const [run] of text.replace(GENERIC_ZH_PATTERN, ' ').matchAll(HAN)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) terms.add(`${chars[i]}${chars[i + 1]}`);
  }
  // Letters only: a room number or a report number names the place or the record, not the problem.
  for (const [word] of text.toLowerCase().matchAll(LATIN))
    if (word.length >= 3 && !GENERIC_WORDS.has(word)) terms.add(word);
  return terms;
}

/**
 * The share of the shorter text's terms the other uses too: a short report about the tap that a
 * long case description also names scores high, two long texts with one word in common low.
 */
export function termOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / small.size;
}

/** How much of the shorter text another must share to be taken for the same problem. */
export const SAME_PROBLEM_OVERLAP = 0.25;

/** Whether two texts plausibly describe the same problem (see the module's note). */
export const sameProblem = (a: string, b: string): boolean =>
  termOverlap(problemTerms(a), problemTerms(b)) >= SAME_PROBLEM_OVERLAP;
