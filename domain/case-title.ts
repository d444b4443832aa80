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
