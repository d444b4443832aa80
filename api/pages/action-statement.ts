import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CaseView } from '../../domain/case-model.ts';
import type { Directory } from '../../domain/directory.ts';
import { textHash, type LinkClaims, type SigningKeys } from '../../domain/link-token.ts';
import type { Bilingual } from '../../domain/text.ts';
import { leftName } from '../../domain/departed-name.ts';
import { placeNameOf } from '../../domain/place-name.ts';
import { surveyQuestions, type SurveyQuestions } from '../../domain/survey-questions.ts';

/**
 * What an action page shows and what the person signs. The statement is built
 * from the case as it is now, so the POST can rebuild it and prove the person
 * signed exactly the text they were shown (its hash is recorded).
 */
export type ChoiceKind = 'sign_off' | 'adjudicate' | 'rate' | 'acknowledge';

/**
 * A row's value: one text (what a person wrote, ids), a list (joined in the reader's punctuation),
 * or a text per language (names the directory has in both: the reader's first, the other beneath).
 */
export type RowValue = string | string[] | Bilingual;

export interface ActionContent {
  title: Bilingual;
  rows: { label: Bilingual; value: RowValue }[];
  statement: Bilingual;
  choice: ChoiceKind;
  /** An acknowledgement's optional text field, by its label (sent as the form's `comment`). */
  note?: { label: Bilingual } | undefined;
  /** A rating's questions, worded for the kind of case (not part of the statement signed). */
  questions?: SurveyQuestions | undefined;
}

/** The case steps that email links drive, with the action each link must name. */
export const caseLinkSteps = {
  sign_off: 'sign_off',
  adjudication: 'adjudicate',
  follow_up: 'rate',
} as const;
export type CaseLinkStep = keyof typeof caseLinkSteps;
export const isCaseLinkStep = (step: string): step is CaseLinkStep => Object.hasOwn(caseLinkSteps, step);

/** A person as the directory names them, or their id when it doesn't know them. */
export const nameOf = (dir: Directory, id: string) => dir.people.find((p) => p.id === id)?.name ?? id;

/**
 * A person as a row names them: by the directory in force; someone who left it by the last name a
 * version gave them, said to have left (`departed`: api/directory-names.ts departedAmong); else the id.
 */
export function personValue(
  dir: Directory,
  id: string,
  departed: ReadonlyMap<string, string>,
): string | Bilingual {
  const now = dir.people.find((p) => p.id === id)?.name;
  if (now !== undefined) return now;
  const last = departed.get(id);
  return last === undefined ? id : { zh: leftName.zh(last), en: leftName.en(last) };
}

/** The dispute a case's adjudication is about: the newest one signed. */
const disputeOf = (v: CaseView) => [...v.signOffs].reverse().find((s) => s.decision === 'dispute');

/** The people a case step's page names in its rows, by id: whose names it must find. */
export function peopleNamed(step: CaseLinkStep, v: CaseView): string[] {
  if (step === 'sign_off') return [v.responsibleId];
  if (step === 'adjudication') return [disputeOf(v)?.by ?? v.responsibleId];
  return [];
}

/** Where a case is, in each language, as every page and mail names it (domain/place-name.ts). */
export const place = (dir: Directory, v: Pick<CaseView, 'location'>): Bilingual =>
  placeNameOf(dir, v.location);

/** A person as a statement names them: their one name, then their id in each language's brackets. */
export const signerOf = (name: string, id: string): Bilingual => ({
  zh: `${name}（${id}）`,
  en: `${name} (${id})`,
});

export function caseActionContent(
  step: CaseLinkStep,
  claims: LinkClaims,
  v: CaseView,
  dir: Directory,
  /** The last names of those the rows name who left the directory (peopleNamed, departedAmong). */
  departed: ReadonlyMap<string, string> = new Map(),
): ActionContent {
  const signer =
    step === 'follow_up' ? (v.reporter?.name ?? claims.recipientId) : nameOf(dir, claims.recipientId);
  const who = signerOf(signer, claims.recipientId);
  const rows: ActionContent['rows'] = [
    { label: { zh: '案件编号', en: 'Case' }, value: v.caseId },
    { label: { zh: '问题', en: 'Problem' }, value: v.title },
    { label: { zh: '位置', en: 'Place' }, value: place(dir, v) },
    { label: { zh: '描述', en: 'Description' }, value: v.description },
  ];
  const causes = v.rootCause?.causes ?? [];
  const plan = v.rootCause?.plan ?? '';
  switch (step) {
    case 'sign_off':
      rows.push(
        { label: { zh: '原因', en: 'Causes' }, value: causes },
        { label: { zh: '整改方案', en: 'Plan' }, value: plan },
        { label: { zh: '责任人', en: 'Responsible' }, value: personValue(dir, v.responsibleId, departed) },
      );
      return {
        title: { zh: '整改签字确认', en: 'Sign-off of a rectification' },
        rows,
        choice: 'sign_off',
        statement: {
          zh: `本人${who.zh}已阅读案件 ${v.caseId}「${v.title}」第 ${v.round} 轮的问题认定与整改方案（原因：${causes.join('；')}；整改方案：${plan}），现在下方选择“确认”或“提出异议”并签字负责。`,
          en: `I, ${who.en}, have read the finding and rectification plan of case ${v.caseId} "${v.title}", round ${v.round} (causes: ${causes.join('; ')}; plan: ${plan}), and sign my choice below, to confirm or to dispute it.`,
        },
      };
    case 'adjudication': {
      const dispute = disputeOf(v);
      rows.push(
        { label: { zh: '原因', en: 'Causes' }, value: causes },
        { label: { zh: '整改方案', en: 'Plan' }, value: plan },
        {
          label: { zh: '异议人', en: 'Disputed by' },
          value: personValue(dir, dispute?.by ?? v.responsibleId, departed),
        },
        { label: { zh: '异议理由', en: 'Reason' }, value: dispute?.reason ?? '' },
      );
      return {
        title: { zh: '异议裁定', en: 'Adjudication of a dispute' },
        rows,
        choice: 'adjudicate',
        statement: {
          zh: `本人${who.zh}作为楼栋主管，对案件 ${v.caseId}「${v.title}」中的异议（理由：${dispute?.reason ?? ''}）作出如下裁定：退回重新分析，或按原方案整改。`,
          en: `I, ${who.en}, as supervisor of the building, adjudicate the dispute on case ${v.caseId} "${v.title}" (reason: ${dispute?.reason ?? ''}) as chosen below: back to analysis, or on with the plan.`,
        },
      };
    }
    case 'follow_up': {
      const last = v.rectifications[v.rectifications.length - 1];
      rows.push({ label: { zh: '整改情况', en: 'What was done' }, value: last?.summary ?? '' });
      return {
        title: { zh: '处理结果评价（回访）', en: 'Rate the result (return visit)' },
        rows,
        choice: 'rate',
        questions: surveyQuestions(v),
        statement: {
          zh: `我是案件 ${v.caseId}「${v.title}」的报告人${signer}，对整改结果（${last?.summary ?? ''}）作出如下评价（1-5 分）。`,
          en: `I, ${signer}, who reported case ${v.caseId} "${v.title}", rate the result (${last?.summary ?? ''}) as below (1-5).`,
        },
      };
    }
  }
}

/** The exact text signed: both languages, as shown on the page. */
export const statementText = (s: Bilingual): string => `${s.zh}\n${s.en}`;
export const statementHash = (s: Bilingual): string => textHash(statementText(s));

const csrfInput = (tid: string, hash: string) => `rectify-action-csrf.v1|${tid}|${hash}`;
const kidOf = (token: string) => token.split('.')[1] ?? '';

/**
 * A CSRF token bound to one page: an HMAC over the link's id and the hash of
 * the text shown, under the key that signed the link. Stateless, so a GET
 * still writes nothing.
 */
export function csrfToken(keys: SigningKeys, token: string, tid: string, hash: string): string {
  const secret = keys.keys[kidOf(token)] ?? keys.keys[keys.current] ?? '';
  return createHmac('sha256', secret).update(csrfInput(tid, hash)).digest('base64url');
}

export function csrfValid(
  keys: SigningKeys,
  token: string,
  tid: string,
  hash: string,
  given: string,
): boolean {
  const want = Buffer.from(csrfToken(keys, token, tid, hash), 'ascii');
  const got = Buffer.from(given, 'ascii');
  return want.length === got.length && timingSafeEqual(want, got);
}
