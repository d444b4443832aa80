import { reportKindInfo } from './intake.ts';
import { splitBilingual, type Lang } from './text.ts';

/** A reader's language as the pages (zh-CN, en) and the mails' halves (zh, en) name it. */
type Reader = Lang | 'zh';

/**
 * A stored title with its report kind's prefix in the reader's language: a case opened from a
 * scanned report is named in the language its description was written in ("报修：水龙头漏水",
 * "Repair: The tap leaks", `reportCaseTitle`), and an English page or mail half reads
 * "Repair: 水龙头漏水", a Chinese one "报修：The tap leaks". The stored title is left as it is (the
 * audit chain vouches for it); any other title is shown as written.
 */
export function kindPrefixIn(title: string, reader: Reader): string {
  const en = reader === 'en';
  for (const { label } of Object.values(reportKindInfo)) {
    for (const prefix of [`${label.zh}：`, `${label.en}: `]) {
      if (title.startsWith(prefix) && title.length > prefix.length)
        return `${en ? `${label.en}: ` : `${label.zh}：`}${title.slice(prefix.length)}`;
    }
  }
  return title;
}

/**
 * A case's title in one language, as a mail's half or a one-language line reads it: a title
 * written in both ("… 不合格 / …: failed", a failed 6T item's) gives that language's half, and a
 * report kind's prefix reads in that language (`kindPrefixIn`).
 */
export function caseTitleIn(title: string, reader: Reader): string {
  const halves = splitBilingual(title);
  return kindPrefixIn(reader === 'en' ? halves.en : halves.zh, reader);
}

const HAN = /\p{Script=Han}/u;

/** One line of a case's text in one language, when it is written as `caseTextIn` reads them. */
function lineIn(line: string, en: boolean): string {
  const cut = line.indexOf(' / ');
  if (cut <= 0) return line;
  const zh = line.slice(0, cut);
  const after = line.slice(cut + 3);
  if (!HAN.test(zh) || zh.trim() === '') return line;
  // A label in both languages, then what follows it as written ("标准要求 / Requirement: …", a
  // round's name before the inspector's note): the English label ends at its colon.
  const colon = /：|: /u.exec(after);
  if (colon) {
    const label = after.slice(0, colon.index);
    if (label.trim() !== '' && !HAN.test(label) && !label.includes(' / ')) {
      const rest = after.slice(colon.index + colon[0].length);
      return en ? `${label}: ${rest}` : `${zh}：${rest}`;
    }
  }
  // A sentence in both languages (a missed duty's first line): the reader's half.
  if (after.trim() !== '' && !HAN.test(after) && !after.includes(' / ')) return en ? after : zh;
  return line;
}

/**
 * A case's description (or other text the system wrote for a case) in the reader's language:
 * the lines a failed 6T item's and a missed duty's case are written with, "中文 / English",
 * give the reader's half; a labelled line ("标准要求 / Requirement: …", "照片 / Photos: …", a
 * round's name before the inspector's note) keeps its label in the reader's language and what
 * follows it as written. Any other line is left as it is: what people wrote is never split. The
 * stored text is not changed (the audit chain vouches for it); this is how a page reads it.
 */
export function caseTextIn(text: string, reader: Reader): string {
  const en = reader === 'en';
  return text
    .split('\n')
    .map((line) => lineIn(line, en))
    .join('\n');
}
