// Longer than most modules because both sides of an email link (the page that shows and the POST that signs) share their outcome pages and signature recording.
import { linkTokenOf } from '../link-token-param.ts';
import { REPORT_VIEW_STEP, reportLinkPath } from '../../domain/report-link.ts';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import {
  checkLink,
  consumeLink,
  linkInUse,
  releaseLink,
  settleLink,
  type LinkCheck,
  type LinkDeps,
} from '../../store/links.ts';
import {
  isTerminal,
  readOnlyRefusal,
  type Actor,
  type CaseView,
  type LinkSignature,
} from '../../domain/case-model.ts';
import { withSupervision, type Directory, type Person } from '../../domain/directory.ts';
import type { LinkClaims } from '../../domain/link-token.ts';
import { splitBilingual, type Bilingual, type Lang } from '../../domain/text.ts';
import { stripInvisible } from '../../domain/safe-text.ts';
import {
  adjudicateUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
} from '../../workflows/rectification-case/messages.ts';
import type { ActionHandler, AppDeps, NextStep } from '../deps.ts';
import { casePagePath } from '../../domain/email-content.ts';
import { parseZeroLinkCaseId, ZERO_REPORT_STEP } from '../../domain/zero-report.ts';
import { raterConflict } from '../../domain/survey-rater.ts';
import {
  followUpScore,
  GENERAL_QUESTIONS,
  speltRating,
  SURVEY_COMMENT_MAX,
  surveyAspects,
  surveyComment,
  surveyCommentTooLong,
  type SurveyAspect,
} from '../../domain/survey-questions.ts';
import { characterCount } from '../../domain/characters.ts';
import { langFromAcceptLanguage, problemTypes, ProblemError, toProblem } from '../middleware/problems.ts';
import { SESSION_COOKIE } from '../middleware/session.ts';
import { findSession } from '../../store/sessions.ts';
import { bi, jsonSchemaOf, pageResponse } from './declare.ts';
import {
  ActionPage,
  isFieldName,
  type FieldName,
  type FormState,
  type RowPhotos,
} from '../pages/action-page.tsx';
import { describedPhotos, refsIn } from '../pages/description-photos.ts';
import { caseStepGone, peopleGone } from '../pages/step-gone.ts';
import { citedEvidenceProblem, evidenceUrl, getEvidence, parseEvidenceRef } from '../../store/evidence.ts';
import {
  caseActionContent,
  caseLinkSteps,
  csrfToken,
  nameOf,
  csrfValid,
  isCaseLinkStep,
  peopleNamed,
  statementHash,
  type ActionContent,
} from '../pages/action-statement.ts';
import {
  asBilingual,
  guardedPage,
  LinkPageShell,
  Both,
  NextLink,
  noLongerOpen,
  outcomePage,
  PageOutcome,
  renderLinkPage,
  type LinkPageKind,
} from '../pages/link-page.tsx';
import { readForm } from '../form-body.ts';
import { formatTime } from '../pages/ui.tsx';
import { getReport, trackUrlOf } from '../../store/reports.ts';
import { directoryOrFail, readCase } from '../reads.ts';
import { departedAmong } from '../directory-names.ts';
import { actionFormSchema, type ActionForm } from '../schemas.ts';

/**
 * /actions/{token}: one-click links from emails. Longer than most route
 * modules: the bilingual text of every way a link can fail, the form's
 * checks and the acts themselves stay together, read top to bottom.
 * GET shows the page and
 * changes nothing (mail scanners open links); POST from that page's form,
 * with its CSRF token, consumes the link once and does the act. Whether the
 * person may take the step is the running case's decision (its update
 * validator): the page only says when the step is over.
 */
const linkFailures: Record<
  Exclude<LinkCheck, { ok: true }>['reason'],
  [ContentfulStatusCode, Bilingual, Bilingual]
> = {
  malformed: [
    400,
    { zh: '链接格式不正确', en: 'This link is malformed' },
    {
      zh: '链接不完整或已损坏。请从邮件中完整复制链接后再打开。',
      en: 'The link is incomplete or damaged. Copy the whole link from the email and open it again.',
    },
  ],
  forged: [
    400,
    { zh: '链接无效：签名校验失败', en: 'This link is not genuine' },
    {
      zh: '链接内容或签名被改动过，无法使用。请只使用邮件中的原始链接；如有疑问请联系主管。',
      en: 'The link’s content or signature was altered, so it cannot be used. Use only the original link from the email; ask your supervisor if in doubt.',
    },
  ],
  unknown_key: [
    404,
    { zh: '无法识别的链接', en: 'This link is not recognised' },
    {
      zh: '签发该链接的密钥已停用或从未使用。请使用最新邮件中的链接，或联系主管重新发送。',
      en: 'The key that signed this link has been retired or was never ours. Use the link in the latest email, or ask your supervisor to send a new one.',
    },
  ],
  unknown: [
    404,
    { zh: '链接未登记', en: 'This link was never issued' },
    {
      zh: '系统中没有这条链接的记录。请使用邮件中的链接。',
      en: 'There is no record of this link. Use the link from your email.',
    },
  ],
  expired: [
    410,
    { zh: '链接已过期', en: 'This link has expired' },
    {
      zh: '该链接已超过有效期。最新的提醒邮件中有新的链接；也可以联系主管。',
      en: 'This link is past its expiry. The latest reminder email has a fresh link; or contact your supervisor.',
    },
  ],
  used: [
    410,
    { zh: '链接已使用', en: 'This link was already used' },
    {
      zh: '每个链接只能使用一次，此前的操作已被记录。如需更改，请联系主管。',
      en: 'Each link works once and the earlier action was recorded. To change it, contact your supervisor.',
    },
  ],
  superseded: [
    410,
    { zh: '链接已被新链接取代', en: 'This link was replaced by a newer one' },
    {
      zh: '之后又发送过一封包含新链接的邮件（例如提醒），旧链接随之失效。请使用最新邮件中的链接。',
      en: 'A later email (a reminder, for example) carried a new link, which replaced this one. Use the link in the latest email.',
    },
  ],
};

interface Prepared {
  claims: LinkClaims;
  lang: Lang;
  content: ActionContent;
  hash: string;
  /** Case steps: what is needed to perform; extra actions: their handler. */
  target:
    | { kind: 'case'; view: CaseView; actor: Actor; dir: Directory }
    | { kind: 'extra'; handler: ActionHandler };
}

const tokenParams = z.object({ token: z.string() });

export const showActionRoute = createRoute({
  method: 'get',
  path: '/actions/{token}',
  operationId: 'showAction',
  tags: ['actions'],
  security: [],
  summary: bi({ zh: '邮件中的一键操作页面', en: 'The page behind an email action link' }),
  description: bi({
    zh: '显示案件摘要和待签署的声明，不做任何改动（邮件扫描器打开链接不会签字）。过期、已使用、已被新链接取代、伪造或被篡改的链接各有说明页面（4xx）。',
    en: 'Shows the case summary and the exact statement to sign, and changes nothing (mail scanners opening links sign nothing). Expired, used, superseded, forged or tampered links each get their own page (4xx).',
  }),
  request: { params: tokenParams },
  responses: {
    200: pageResponse({ zh: '操作页面', en: 'The action page' }),
    400: pageResponse({ zh: '伪造、篡改或格式错误的链接', en: 'Forged, tampered or malformed link' }),
    404: pageResponse({ zh: '无法识别的链接', en: 'Unknown link' }),
    409: pageResponse({ zh: '该步骤已不再需要', en: 'The step is no longer open' }),
    410: pageResponse({ zh: '已过期、已使用或已被取代', en: 'Expired, used or superseded' }),
    503: pageResponse({ zh: '尚未加载校园名录', en: 'No campus directory loaded' }),
  },
});

export const performActionRoute = createRoute({
  method: 'post',
  path: '/actions/{token}',
  operationId: 'performAction',
  tags: ['actions'],
  security: [],
  summary: bi({
    zh: '提交一键操作（签字、裁定、评价）',
    en: 'Do the act of an action link (sign, adjudicate, rate)',
  }),
  description: bi({
    zh: '由操作页面的表单提交，须带页面给出的 csrf 与 textHash。链接只能使用一次；签字记录令牌号、时间、IP、浏览器和所示文本的哈希。是否可以执行由进行中的案件决定。',
    en: 'Posted by the action page’s form with its csrf and textHash. A link works once; the signature records token id, time, IP, user agent and the hash of the text shown. Whether the step may be taken is the running case’s decision.',
  }),
  request: {
    params: tokenParams,
    // The page reads its own form (a bad one is a page, not a 400 body): documented, not validated here.
    body: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: jsonSchemaOf(actionFormSchema) } },
    },
  },
  responses: {
    200: pageResponse({ zh: '已完成', en: 'Done' }),
    400: pageResponse({ zh: '链接或表单无效', en: 'Invalid link or form' }),
    403: pageResponse({ zh: '案件拒绝（原因见页面）', en: 'Refused by the case (reason shown)' }),
    409: pageResponse({ zh: '案件已变化或步骤已结束', en: 'The case changed, or the step is over' }),
    410: pageResponse({ zh: '已过期、已使用或已被取代', en: 'Expired, used or superseded' }),
    415: pageResponse({ zh: '须为表单提交', en: 'Must be a form post' }),
    422: pageResponse({ zh: '表单内容有误', en: 'Invalid form content' }),
    503: pageResponse({ zh: '尚未加载校园名录', en: 'No campus directory loaded' }),
  },
});

export const actionLinkRouteDefinitions: RouteConfig[] = [showActionRoute, performActionRoute];

/**
 * What a link page may load: its inline style, its icon (a data: URL, FAVICON_HREF) and the
 * photos its case's description cites, from where their signed addresses point.
 */
const actionPagePolicy = (photoOrigins: string[]) =>
  `default-src 'none'; style-src 'unsafe-inline'; img-src ${[...photoOrigins, 'data:'].join(' ')}; form-action 'self'; frame-ancestors 'none'`;

const actionPages: LinkPageKind = {
  name: 'actions',
  headers: {
    // The token is in the URL: never hand it to another site or a cache.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': actionPagePolicy([]),
  },
  // A link whose claims cannot be trusted names no recipient: the browser's language decides.
  fallbackLang: (c) => langFromAcceptLanguage(c.req.header('accept-language')) ?? 'zh-CN',
  failedTitle: { zh: '暂时无法完成', en: 'This could not be done now' },
};

export function actionLinkRoutes(deps: AppDeps): OpenAPIHono {
  const app = new OpenAPIHono();
  const linkDeps: LinkDeps = { ddb: deps.aws.ddb, tables: deps.aws.tables, keys: deps.signingKeys };

  /** Everything GET and POST both need, read-only: the verified link, the case, the text. */
  async function prepare(token: string): Promise<Prepared> {
    const check = await checkLink(linkDeps, token);
    if (!check.ok) {
      if (check.reason === 'used' && check.claims)
        throw await usedOrInUse(check.claims, await recipientLanguage(check.claims));
      const lang = check.claims ? await recipientLanguage(check.claims) : undefined;
      // A genuine weekly-report link (never stored, so "never issued" here) opened at /actions/.
      if (check.reason === 'unknown' && check.claims?.step === REPORT_VIEW_STEP)
        throw new PageOutcome(
          404,
          'report_link',
          { zh: '这是周报链接', en: 'This is a weekly report link' },
          {
            zh: '此链接是周报邮件中的查看链接，不是办理事项的链接，请从下面的周报页面打开。',
            en: 'This link is the one from a weekly report email, for reading the report, not for taking a step: open it on the weekly report page below.',
          },
          lang,
          { href: reportLinkPath(token), label: { zh: '打开周报', en: 'Open the weekly report' } },
        );
      const [status, title, message] = linkFailures[check.reason];
      throw new PageOutcome(status, check.reason, title, message, lang);
    }
    const { claims } = check;
    const dir = await directoryOrFail(deps);
    // Someone removed from the directory loses their links with the rest of their access.
    // Reporters are not in the directory: their links name them by address.
    if (!claims.recipientId.startsWith('reporter:') && !dir.people.some((p) => p.id === claims.recipientId))
      throw linkNoLongerWorks({
        zh: '此链接的收件人已不在校园名录中，链接随之失效。如有疑问请联系管理员。',
        en: 'The person this link was sent to is no longer in the campus directory, so it no longer works. Ask an administrator if this is a mistake.',
      });
    if (isCaseLinkStep(claims.step)) {
      if (caseLinkSteps[claims.step] !== claims.action) {
        const [status, title, message] = linkFailures.malformed;
        throw new PageOutcome(status, 'malformed', title, message);
      }
      const { view } = await readCase(deps, claims.caseId);
      const lang = languageOf(claims, dir, view);
      const person = dir.people.find((p) => p.id === claims.recipientId);
      const actor: Actor = withSupervision(dir, {
        id: claims.recipientId,
        roles: person?.roles ?? [],
        via: 'link',
      });
      // Still in the directory, but no longer in a role that acts (staff made auditor): said at
      // once, as for someone removed, not after the form is filled in and refused on posting.
      if (readOnlyRefusal(actor))
        throw linkNoLongerWorks(
          {
            zh: '此链接的收件人在校园名录中的角色已变更，已不能办理此案件，链接随之失效。案件须由管理员重新指派；如有疑问请联系管理员。',
            en: 'The role of the person this link was sent to has changed in the campus directory: they can no longer act on this case, so the link no longer works. An administrator reassigns the case; ask one if this is a mistake.',
          },
          lang,
        );
      if (claims.round !== view.round) {
        if (claims.step === 'follow_up') {
          const moved = await ratedElsewhere(claims, view, lang);
          if (moved) throw moved;
        }
        throw new PageOutcome(
          410,
          'superseded',
          linkFailures.superseded[1],
          {
            zh: `此链接属于第 ${claims.round} 轮，案件已进入第 ${view.round} 轮。请使用最新邮件中的链接。`,
            en: `This link is for round ${claims.round}; the case is now in round ${view.round}. Use the link in the latest email.`,
          },
          lang,
        );
      }
      // A case that is over is said at once. Whether this person may take the step now is the
      // running case's decision (its validator, under its pinned policy), asked when the form is posted.
      if (isTerminal(view.stage)) throw noLongerOpen(view, lang);
      // Someone the page names who has left the directory (a disputer, a decider since removed) by
      // their last name: read once for the step-gone page and the form alike.
      const departed = await departedAmong(deps.aws, dir, [
        ...peopleGone(claims.step, view),
        ...peopleNamed(claims.step, view),
      ]);
      // Decided by someone else, moved on, or now a colleague's: said at once, with what happened.
      const gone = caseStepGone(claims.step, claims.recipientId, view, dir, deps.env.CAMPUS_TZ, departed);
      if (gone) throw inLang(gone, lang);
      // The survey link goes to the reporter's address: one the opener or the handler gave as their own
      // would let them grade their own case.
      const conflict = claims.step === 'follow_up' ? raterConflict(dir, view) : null;
      if (conflict)
        throw new PageOutcome(403, 'refused', { zh: '不能评价', en: 'Not allowed to rate' }, conflict, lang);
      const content = caseActionContent(claims.step, claims, view, dir, departed);
      return {
        claims,
        lang,
        content,
        hash: statementHash(content.statement),
        target: { kind: 'case', view, actor, dir },
      };
    }
    const handler = deps.extraActions?.[claims.step];
    const lang = languageOf(claims, dir);
    const described = handler ? await inLanguage(lang, () => handler.describe(claims)) : null;
    if (!handler || !described) {
      throw new PageOutcome(
        404,
        'unknown_action',
        { zh: '无法识别的操作', en: 'Unknown action' },
        {
          zh: '此链接对应的操作不存在或已不再需要。',
          en: 'The action of this link does not exist or is no longer needed.',
        },
        lang,
      );
    }
    const content: ActionContent = {
      title: described.title,
      // Said once when both languages read the same; else the reader's language first.
      rows: [{ label: { zh: '摘要', en: 'Summary' }, value: described.summary }],
      statement: described.statement,
      choice: 'acknowledge',
      ...(described.note ? { note: described.note } : {}),
    };
    return {
      claims,
      lang,
      content,
      hash: statementHash(content.statement),
      target: { kind: 'extra', handler },
    };
  }

  /**
   * A rating link of a round whose follow-up the reporter answered elsewhere: this link is unused and
   * still its round's newest, so the low rating that sent the case back to review came from the
   * report's tracking page. Says so, and what follows, rather than pointing to an email that may not
   * exist yet; links the tracking page where the report has one. Null when the round ended otherwise.
   */
  async function ratedElsewhere(claims: LinkClaims, view: CaseView, lang: Lang): Promise<PageOutcome | null> {
    // A low rating opens the next round and is recorded in it.
    const rated = view.timeline.find(
      (e) =>
        e.action === 'follow_up_low_score' &&
        e.round === claims.round + 1 &&
        e.actorId === claims.recipientId,
    );
    if (!rated) return null;
    const reportId = view.reporter?.reportId;
    const report = reportId ? await getReport(deps.aws, reportId).catch(() => null) : null;
    const trackUrl = report
      ? trackUrlOf({ keys: deps.signingKeys, publicBaseUrl: deps.publicBaseUrl }, report)
      : null;
    const at = formatTime(rated.at, deps.env.CAMPUS_TZ);
    const next: Bilingual =
      view.stage === 'closed'
        ? { zh: '案件此后已办结。', en: ' The case has since been closed.' }
        : view.stage === 'withdrawn'
          ? { zh: '案件此后已撤销。', en: ' The case has since been withdrawn.' }
          : view.stage === 'follow_up'
            ? {
                zh: '复查已再次通过：请使用之后收到的评价邮件中的链接，或在处理进度页面评价。',
                en: ' It has passed that review: rate it with the link in the later email, or on the tracking page.',
              }
            : {
                zh: '复查通过后会再发邮件请您评价；处理进度可在处理进度页面查看。',
                en: ' Once it passes that review you will get an email to rate it again; the tracking page shows where it stands.',
              };
    return new PageOutcome(
      409,
      'rated_elsewhere',
      { zh: '本轮已评价', en: 'This round was already rated' },
      {
        zh: `您已于 ${at} 在处理进度页面评价了案件 ${view.caseId} 第 ${claims.round} 轮的处理结果，评价未达满意，案件已重新复查。${next.zh}`,
        en: `You rated round ${claims.round} of case ${view.caseId} on the tracking page (${at}); your rating reopened the case for another review.${next.en}`,
      },
      lang,
      trackUrl ? { href: trackUrl, label: { zh: '查看处理进度', en: 'See where it stands' } } : undefined,
    );
  }

  /** The tracking page of the report a case was opened from, as a page's link; null without one. */
  async function trackingLink(view: CaseView): Promise<{ href: string; label: Bilingual } | null> {
    const reportId = view.reporter?.reportId;
    const report = reportId ? await getReport(deps.aws, reportId).catch(() => null) : null;
    const href = report
      ? trackUrlOf({ keys: deps.signingKeys, publicBaseUrl: deps.publicBaseUrl }, report)
      : null;
    return href ? { href, label: { zh: '查看处理进度', en: 'See where it stands' } } : null;
  }

  /**
   * A link used before. A reporter's rating link says they have rated (the score they gave, when
   * the case has it) and links their tracking page: they have no supervisor to ask for a change.
   * Any other link: the general page.
   */
  /**
   * A link consumed by a request still under way (a double tap, a second tab) is not used yet: its
   * act may be refused and the link given back, so the page says to wait and reload.
   */
  async function usedOrInUse(claims: LinkClaims, lang: Lang): Promise<PageOutcome> {
    if (!(await linkInUse(linkDeps, claims.tid))) return usedLink(claims, lang);
    return new PageOutcome(
      409,
      'in_use',
      { zh: '正在提交', en: 'Being submitted' },
      {
        zh: '此链接的操作正在另一个请求中提交（例如连点了两次，或在另一个窗口中打开）。请稍等片刻后刷新本页查看结果；如那次提交未能完成，链接仍可再用。',
        en: 'This link’s action is being submitted by another request (a double tap, or another window). Wait a moment, then reload this page to see how it ended; if that submission did not go through, the link still works.',
      },
      lang,
    );
  }

  async function usedLink(claims: LinkClaims, lang: Lang): Promise<PageOutcome> {
    const [status, title, message] = linkFailures.used;
    // Staff follow their case on its page, as the pages of a step no longer needed offer.
    if (isStaffCaseLink(claims))
      return new PageOutcome(
        status,
        'used',
        title,
        {
          zh: '每个链接只能使用一次，此前的操作已被记录。案件页面可查看最新进展（需使用学校账号登录）；如需更改，请联系主管。',
          en: 'Each link works once and the earlier action was recorded. The case page shows where it stands now (sign in with the school account); to change it, contact your supervisor.',
        },
        lang,
        { href: casePagePath(claims.caseId), label: { zh: '打开案件页面', en: 'Open the case page' } },
      );
    // A grid member corrects the night's report on its report page themselves: no supervisor needed.
    const zero = claims.step === ZERO_REPORT_STEP ? parseZeroLinkCaseId(claims.caseId) : null;
    if (zero)
      return new PageOutcome(
        status,
        'used',
        title,
        {
          zh: `每个链接只能使用一次，${zero.night} 晚的上报已经记录。如情况有变，请在当晚的零报告上报页面自行更正（需使用学校账号登录）。`,
          en: `Each link works once, and the report for the night of ${zero.night} was recorded. If things have changed, correct it yourself on that night's zero report page (sign in with the school account).`,
        },
        lang,
        {
          href: `${deps.publicBaseUrl.replace(/\/+$/, '')}/zero-report/${zero.night}/report`,
          label: { zh: '打开零报告上报页面', en: 'Open the zero report page' },
        },
      );
    if (!isReporterLink(claims)) return new PageOutcome(status, 'used', title, message, lang);
    const view = await readCase(deps, claims.caseId)
      .then((r) => r.view)
      .catch(() => null);
    // A low rating opens the next round and is recorded in it.
    const rated = view?.timeline.find(
      (e) =>
        (e.action === 'follow_up_rated' || e.action === 'follow_up_low_score') &&
        e.actorId === claims.recipientId &&
        (e.round === claims.round || e.round === claims.round + 1),
    );
    const given: Bilingual =
      rated && view
        ? ratingGiven(view, rated, deps.env.CAMPUS_TZ)
        : { zh: '您已评价过。', en: 'You have already rated it.' };
    const track = view ? await trackingLink(view) : null;
    return new PageOutcome(
      status,
      'used',
      { zh: '您已评价过', en: 'You have already rated this' },
      {
        zh: `${given.zh}每个评价链接只能使用一次。${track ? '处理进度可在处理进度页面查看。' : ''}`,
        en: `${given.en} Each rating link works once.${track ? ' The tracking page shows where your report stands.' : ''}`,
      },
      lang,
      track ?? undefined,
    );
  }

  async function recipientLanguage(claims: LinkClaims): Promise<Lang> {
    try {
      const dir = await directoryOrFail(deps);
      return languageOf(claims, dir);
    } catch {
      return 'zh-CN';
    }
  }

  /**
   * The photos the case's description cites (triage writes a report's as `照片 / Photos: evidence:…`),
   * for the page: the references out of the text; shown by short-lived signed addresses where the
   * link's bearer may see them (the reporter: their own report's; the case's people: the case's and
   * its report's, as on the case page); the rest counted: for the case's people, on the case page
   * after sign-in.
   */
  async function descriptionPhotos(p: Prepared): Promise<RowPhotos | undefined> {
    if (p.target.kind !== 'case') return undefined;
    const { view } = p.target;
    const row = p.content.rows.findIndex((r) => r.value === view.description);
    if (row === -1) return undefined;
    // The case's own photos, as the case page finds them; any other reference stays the text it is.
    const cited = refsIn(view.description);
    const ok = await Promise.all(cited.map(async (r) => !(await citedEvidenceProblem(deps, view.caseId, r))));
    const refs = cited.filter((_, i) => ok[i]);
    if (refs.length === 0) return undefined;
    const reporter = p.claims.step === 'follow_up';
    const urls = await Promise.all(
      refs.map(async (ref) => {
        const record = await getEvidence(deps, parseEvidenceRef(ref)!.evidenceId).catch(() => null);
        if (!record?.contentType.startsWith('image/')) return null;
        // A reporter has no sign-in: they see the photos they sent, not the case's other files.
        const maySee = !reporter || record.caseId === view.reporter?.reportId;
        return maySee ? evidenceUrl(deps, record).catch(() => null) : null;
      }),
    );
    const shown = urls.filter((u): u is string => u !== null);
    const rest = refs.length - shown.length;
    const more = shown.length > 0;
    return {
      row,
      text: describedPhotos(view.description, new Set(refs)).text,
      urls: shown,
      alt: { zh: '报告照片', en: 'Reported photo' },
      elsewhere:
        rest === 0
          ? undefined
          : reporter
            ? {
                zh: `${more ? '另有 ' : ''}${rest} 张照片未在此显示`,
                en: `${rest} ${more ? 'more ' : ''}photo${rest > 1 ? 's' : ''} not shown here`,
              }
            : {
                zh: `${more ? '另有 ' : ''}${rest} 张照片，登录后在案件页面查看`,
                en: `${rest} ${more ? 'more ' : ''}photo${rest > 1 ? 's' : ''}, on the case page after sign-in`,
              },
    };
  }

  /**
   * Who is signed in to the app on this browser (its session cookie), when the session is live and
   * names someone in the directory. A link acts for its recipient whoever opens it; this is only to
   * say so, and to keep who was at the browser with the signature.
   */
  async function signedIn(c: Context): Promise<{ person: Person; dir: Directory } | null> {
    const id = getCookie(c, SESSION_COOKIE);
    if (!id) return null;
    const session = await findSession(deps.aws, id).catch(() => null);
    if (!session) return null;
    const dir = await directoryOrFail(deps).catch(() => null);
    const person = dir?.people.find((x) => x.id === session.personId);
    return dir && person ? { person, dir } : null;
  }

  /** The link's recipient by name: a reporter as their case has them, staff as the directory does. */
  function recipientName(p: Prepared, dir: Directory): Bilingual {
    if (p.claims.recipientId.startsWith('reporter:')) {
      const name = p.target.kind === 'case' ? p.target.view.reporter?.name?.trim() : undefined;
      return name ? { zh: name, en: name } : { zh: '报告人', en: 'the reporter' };
    }
    const name = nameOf(dir, p.claims.recipientId);
    return { zh: name, en: name };
  }

  /**
   * Said at the top of the page when the browser is signed in as someone else than the link was
   * sent to: submitting signs as the recipient, which nothing else on the page would tell them.
   */
  async function otherPersonNotice(c: Context, p: Prepared): Promise<Bilingual | undefined> {
    const me = await signedIn(c);
    if (!me || me.person.id === p.claims.recipientId) return undefined;
    const them = recipientName(p, me.dir);
    return {
      zh: `您当前登录为 ${me.person.name}；此链接是发给 ${them.zh} 的，提交将以 ${them.zh} 的名义签署。`,
      en: `You are signed in as ${me.person.name}; this link was sent to ${them.en}, and submitting signs as ${them.en}.`,
    };
  }

  const formPage = async (
    c: Context,
    token: string,
    p: Prepared,
    status: ContentfulStatusCode,
    state?: FormState,
    error?: Bilingual,
    /** The fields `error` is about, as the checks that refused the form found them. */
    fields?: readonly FieldName[],
  ) => {
    const photos = await descriptionPhotos(p);
    const notice = await otherPersonNotice(c, p);
    // The page loads nothing from elsewhere but these photos, from where their signed addresses point.
    const origins = [...new Set((photos?.urls ?? []).map((u) => new URL(u).origin))];
    const kind: LinkPageKind = origins.length
      ? {
          ...actionPages,
          headers: { ...actionPages.headers, 'content-security-policy': actionPagePolicy(origins) },
        }
      : actionPages;
    return renderLinkPage(
      c,
      kind,
      status,
      <ActionPage
        lang={p.lang}
        content={p.content}
        photos={photos}
        notice={notice}
        form={{
          action: `/actions/${token}`,
          csrf: csrfToken(deps.signingKeys, token, p.claims.tid, p.hash),
          textHash: p.hash,
          state,
          error,
          fields,
        }}
      />,
    );
  };

  app.openapi(
    showActionRoute,
    guardedPage(actionPages, async (c) => {
      const token = linkTokenOf(c.req.param('token'));
      const p = await prepare(token);
      return formPage(c, token, p, 200);
    }),
  );

  app.openapi(
    performActionRoute,
    guardedPage(actionPages, async (c) => {
      const token = linkTokenOf(c.req.param('token'));
      const type = c.req.header('content-type') ?? '';
      if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type.trim())) {
        throw new PageOutcome(
          415,
          'unsupported',
          { zh: '请从页面提交', en: 'Submit from the page' },
          {
            zh: '请打开邮件中的链接，在页面上点击提交按钮。',
            en: 'Open the link from the email and use the page’s submit button.',
          },
        );
      }
      const p = await prepare(token);
      const raw = await formBody(c, p.lang);
      const parsed = actionFormSchema.safeParse(raw);
      const stale = new PageOutcome(
        400,
        'stale_form',
        { zh: '表单已失效', en: 'This form is no longer valid' },
        {
          zh: '提交的表单不是由本链接页面生成的，或已过时。请重新打开邮件中的链接。',
          en: 'The form was not made by this link’s page, or is out of date. Open the link from the email again.',
        },
        p.lang,
      );
      if (!parsed.success && (typeof raw.csrf !== 'string' || typeof raw.textHash !== 'string')) throw stale;
      const csrf = typeof raw.csrf === 'string' ? raw.csrf : '';
      const shownHash = typeof raw.textHash === 'string' ? raw.textHash : '';
      if (!csrfValid(deps.signingKeys, token, p.claims.tid, shownHash, csrf)) throw stale;
      if (shownHash !== p.hash) {
        throw new PageOutcome(
          409,
          'changed',
          { zh: '案件内容已变化', en: 'The case has changed' },
          {
            zh: '您打开页面后案件内容有了变化，所示声明已不是当前内容。请重新打开链接，阅读后再签字。',
            en: 'The case changed after you opened the page, so the statement shown is out of date. Open the link again and read it before signing.',
          },
          p.lang,
        );
      }
      // What the person chose and typed comes back with the field that was refused and why, so a
      // resubmit is what they meant (an empty form with the first choice ticked could sign the opposite).
      if (!parsed.success)
        return formPage(
          c,
          token,
          p,
          422,
          keptState(raw),
          refusedFields(parsed.error, p.content, raw),
          fieldsRefused(parsed.error),
        );
      const form = parsed.data;
      const problem = formProblem(p.content, form);
      if (problem) return formPage(c, token, p, 422, form, problem.text, problem.fields);

      const at = new Date().toISOString();
      // Whoever is signed in on this browser is kept with the signature when it is not the recipient.
      const me = await signedIn(c);
      const sessionPersonId = me && me.person.id !== p.claims.recipientId ? me.person.id : undefined;
      const evidence = {
        at,
        ip: clientIp(c, deps.env.TRUSTED_PROXY_HOPS),
        // Bounded: it is kept in the case record, which must stay within DynamoDB's item limit.
        userAgent: c.req.header('user-agent')?.slice(0, 512),
        textHash: p.hash,
        ...(sessionPersonId ? { sessionPersonId } : {}),
      };
      if (!(await consumeLink(linkDeps, p.claims.tid, evidence))) throw await usedOrInUse(p.claims, p.lang);
      try {
        const { message, next } = await perform(
          p,
          form,
          {
            tokenId: p.claims.tid,
            ip: evidence.ip,
            userAgent: evidence.userAgent,
            textHash: p.hash,
            ...(sessionPersonId ? { sessionPersonId } : {}),
          },
          evidence,
        );
        // Landed: the link is used for good (a use never settled is abandoned after a while).
        // Best effort: if this write fails, a retry after the abandonment delay is refused by the case.
        await settleLink(linkDeps, p.claims.tid).catch(() => undefined);
        // A reporter has no case page to go on to: their report's tracking page is where it stands.
        const track =
          p.target.kind === 'case' && isReporterLink(p.claims) ? await trackingLink(p.target.view) : null;
        if (track)
          return outcomePage(
            c,
            actionPages,
            new PageOutcome(200, 'done', { zh: '已完成', en: 'Done' }, message, p.lang, track),
          );
        return renderLinkPage(
          c,
          actionPages,
          200,
          <LinkPageShell lang={p.lang} outcome="done" title={{ zh: '已完成', en: 'Done' }}>
            <Both text={message} lang={p.lang} />
            {next && <NextLink next={next} lang={p.lang} />}
          </LinkPageShell>,
        );
      } catch (err) {
        // Refused or failed: the link was not really used, so the person can try again.
        await releaseLink(linkDeps, p.claims.tid);
        const refusal = toProblem(err);
        if (refusal) {
          throw new PageOutcome(
            problemTypes[refusal.type].status,
            'refused',
            { zh: '未能完成', en: 'Not done' },
            asBilingual(refusal.detail),
            p.lang,
          );
        }
        throw err;
      }
    }),
  );

  async function perform(
    p: Prepared,
    form: ActionForm,
    signature: LinkSignature,
    evidence: Parameters<ActionHandler['perform']>[1],
  ): Promise<{ message: Bilingual; next?: NextStep | undefined }> {
    if (p.target.kind === 'extra')
      return p.target.handler.perform(p.claims, {
        ...evidence,
        ...(p.content.note && form.comment ? { note: form.comment } : {}),
      });
    const { view, actor, dir } = p.target;
    const handle = deps.temporal.workflow.getHandle(view.caseId);
    switch (p.content.choice) {
      case 'sign_off': {
        const decision = form.choice === 'dispute' ? 'dispute' : 'confirm';
        await handle.executeUpdate(signOffUpdate, {
          args: [{ actor, decision, reason: form.reason, signature }],
        });
        // Confirmed, the assignee rectifies and reports it on the case page; disputed, the supervisor acts next.
        return decision === 'confirm'
          ? signedOff(view, actor, dir)
          : {
              message: {
                zh: `已就案件 ${view.caseId} 提出异议，主管将进行裁定。`,
                en: `Your dispute on case ${view.caseId} was recorded; a supervisor will adjudicate.`,
              },
            };
      }
      case 'adjudicate': {
        const decision = form.choice === 'revise' ? 'revise' : 'proceed';
        await handle.executeUpdate(adjudicateUpdate, {
          args: [{ actor, decision, notes: form.notes ?? '', signature }],
        });
        return {
          message: {
            zh: `已裁定案件 ${view.caseId}：${decision === 'revise' ? '退回重新分析' : '按方案整改'}。`,
            en: `Case ${view.caseId} adjudicated: ${decision === 'revise' ? 'back to analysis' : 'proceed with the plan'}.`,
          },
          next: toCasePage(
            view.caseId,
            decision === 'revise'
              ? { zh: '打开案件页面重新分析', en: 'Open the case page to redo the analysis' }
              : { zh: '打开案件页面', en: 'Open the case page' },
          ),
        };
      }
      case 'rate': {
        // Three aspects, as on the tracking page: the lowest is the score, each is in the comment.
        // A page opened before the aspects (one score) still signs as it was shown.
        const scores = aspectScores(form);
        const after = await handle.executeUpdate(submitFollowUpUpdate, {
          args: [
            {
              actor,
              score: scores ? followUpScore(scores) : (form.score ?? 0),
              comment: scores ? surveyComment(scores, form.comment, p.content.questions) : form.comment,
              signature,
            },
          ],
        });
        // A rating below satisfied sends the case back for another look: the reporter is told so.
        if (after.stage === 'reviewing')
          return {
            message: {
              zh: `感谢您的评价。由于评价未达满意，案件 ${view.caseId} 已退回主管重新复查；复查通过后我们会再发邮件告知您处理结果并请您再次评价。`,
              en: `Thank you for your rating. As it was not satisfied, case ${view.caseId} has gone back to the supervisors for re-inspection; once it passes, we will email you the result and ask you to rate it again.`,
            },
          };
        return { message: { zh: '感谢您的评价！', en: 'Thank you for your rating!' } };
      }
      case 'acknowledge':
        throw new ProblemError('internal', 'a case step cannot be acknowledged');
    }
  }

  return app;
}

/**
 * The done page of a confirmed sign-off: who rectifies next. The responsible person who signs is
 * often not the assignee who does the work (the case mails the assignee), so a signer told "please
 * rectify" was given someone else's work.
 */
function signedOff(
  view: Pick<CaseView, 'caseId' | 'assigneeId'>,
  signer: Pick<Actor, 'id'>,
  dir: Directory,
): { message: Bilingual; next: NextStep } {
  if (signer.id === view.assigneeId)
    return {
      message: {
        zh: `已确认案件 ${view.caseId} 的整改方案。请您按方案整改，完成后在案件页面报告整改（附照片）。`,
        en: `You confirmed the plan of case ${view.caseId}. Please carry it out, then report the rectification (with photos) on the case page.`,
      },
      next: toCasePage(view.caseId, {
        zh: '打开案件页面报告整改',
        en: 'Open the case page to report the rectification',
      }),
    };
  const doer = dir.people.find((x) => x.id === view.assigneeId)?.name;
  return {
    message: {
      zh: `已确认案件 ${view.caseId} 的整改方案。接下来由${doer ? ` ${doer} ` : '被指派人'}按方案整改，并在案件页面报告整改；您可在案件页面查看进展。`,
      en: `You confirmed the plan of case ${view.caseId}. ${doer ?? 'The assignee'} carries it out next and reports the rectification on the case page, where you can follow it.`,
    },
    next: toCasePage(view.caseId, { zh: '打开案件页面', en: 'Open the case page' }),
  };
}

/**
 * What a used rating link says was given. The case keeps one score, the lowest aspect, which read
 * alone passed for the overall score ("评分 3/5" after 5/4/3): the aspects are said as they were
 * rated, from the case's follow-up while it is this rating's. A rating the case has since replaced
 * (a later round's) keeps only that lowest score, so it is named as such.
 */
function ratingGiven(
  view: Pick<CaseView, 'timeline' | 'followUp'>,
  rated: CaseView['timeline'][number],
  tz: string,
): Bilingual {
  const at = formatTime(rated.at, tz);
  const latest = view.timeline.findLast(
    (e) => e.action === 'follow_up_rated' || e.action === 'follow_up_low_score',
  );
  const spelt = latest === rated ? speltRating(view.followUp?.comment) : undefined;
  if (spelt) {
    const each = (lang: 'zh' | 'en') =>
      surveyAspects.map((a) => `${spelt.questions[a][lang]} ${spelt.scores[a]}/5`);
    return {
      zh: `您已于 ${at} 评价过：${each('zh').join('，')}。`,
      en: `You rated it on ${at}: ${each('en').join(', ')}.`,
    };
  }
  if (!rated.score) return { zh: `您已于 ${at} 评价过。`, en: `You rated it on ${at}.` };
  return {
    zh: `您已于 ${at} 评价过，各项中最低 ${rated.score}/5。`,
    en: `You rated it on ${at}; your lowest aspect was ${rated.score}/5.`,
  };
}

/** A reporter's rating link (reporters are not in the directory: their links name them by address). */
const isReporterLink = (claims: LinkClaims) =>
  claims.step === 'follow_up' && claims.recipientId.startsWith('reporter:');

/** A link of a case's own step mailed to staff (sign-off, adjudication, arrival): theirs to follow on the case page. */
const isStaffCaseLink = (claims: LinkClaims) =>
  !claims.recipientId.startsWith('reporter:') && (isCaseLinkStep(claims.step) || claims.step === 'arrived');

/** The case page as the next place to go (through sign-in when signed out). */
const toCasePage = (caseId: string, label: Bilingual): NextStep => ({ href: casePagePath(caseId), label });

const fieldLabels: Record<string, Bilingual> = {
  reason: { zh: '异议理由', en: 'Reason for the dispute' },
  notes: { zh: '裁定说明', en: 'Notes' },
  comment: { zh: '意见', en: 'Comment' },
  choice: { zh: '选项', en: 'Choice' },
  score: { zh: '评分', en: 'Score' },
};

/** A text over its limit: the limit, and how long the text was (it stays in the form to shorten). */
/** A link its recipient may no longer use (gone from the directory, or no longer in a role that acts). */
const linkNoLongerWorks = (why: Bilingual, lang?: Lang) =>
  new PageOutcome(403, 'refused', { zh: '链接已失效', en: 'This link no longer works' }, why, lang);

function tooLong(max: number, given: unknown): Bilingual {
  const n = typeof given === 'string' ? characterCount(given.trim()) : undefined;
  return {
    zh: `最多 ${max} 个字符${n === undefined ? '' : `，现为 ${n} 个`}，请删减后重新提交`,
    en: `at most ${max} characters${n === undefined ? '' : ` (this has ${n})`}; shorten it and submit again`,
  };
}

/** Each refused field by its label with the schema's reason, in both languages. */
function refusedFields(
  error: z.ZodError,
  content: ActionContent,
  raw: Record<string, string | File>,
): Bilingual {
  const kind = content.choice;
  const labels: Record<string, Bilingual> = { ...fieldLabels, ...(content.questions ?? GENERAL_QUESTIONS) };
  const parts = error.issues.map((i) => {
    const field = String(i.path[0] ?? '');
    const label = labels[field] ?? { zh: field, en: field };
    const own = splitBilingual(i.message);
    // A text's flaw is worded by the schema in both languages; a text too long says its limit
    // (zod says it in English alone); a score or choice is just invalid.
    const why =
      own.zh !== own.en
        ? own
        : i.code === 'too_big' && i.origin === 'string'
          ? tooLong(
              field === 'comment' && kind === 'rate' ? SURVEY_COMMENT_MAX : Number(i.maximum),
              raw[field],
            )
          : field in labels && field !== 'reason' && field !== 'notes' && field !== 'comment'
            ? { zh: '请重新选择', en: 'choose again' }
            : { zh: '内容无效', en: 'invalid' };
    return { zh: `${label.zh}：${why.zh}`, en: `${label.en}: ${why.en}` };
  });
  if (parts.length === 0) return invalidForm(kind);
  return { zh: parts.map((x) => x.zh).join('；'), en: parts.map((x) => x.en).join('; ') };
}

/** The page's fields the schema refused, once each, in the order it found them. */
function fieldsRefused(error: z.ZodError): FieldName[] {
  const names = error.issues.map((i) => String(i.path[0] ?? '')).filter(isFieldName);
  return [...new Set(names)];
}

/** The choice and texts of a refused form, to show again: texts without their invisible marks. */
function keptState(raw: Record<string, string | File>): FormState {
  // Bounded for the page, well past every field's limit: a text refused as too long comes back whole to be shortened.
  const text = (v: unknown) => (typeof v === 'string' ? stripInvisible(v).slice(0, 20_000) : undefined);
  const digit = (v: unknown) => (typeof v === 'string' && /^[1-5]$/.test(v) ? Number(v) : undefined);
  const choice = typeof raw.choice === 'string' && /^[a-z_]{1,20}$/.test(raw.choice) ? raw.choice : undefined;
  return {
    choice,
    reason: text(raw.reason),
    notes: text(raw.notes),
    comment: text(raw.comment),
    score: digit(raw.score),
    attitude: digit(raw.attitude),
    quality: digit(raw.quality),
    cleanup: digit(raw.cleanup),
  };
}

function invalidForm(kind: ActionContent['choice']): Bilingual {
  return kind === 'rate'
    ? { zh: '请为每一项选择 1-5 分', en: 'Choose a score from 1 to 5 for each aspect' }
    : { zh: '表单内容有误，请检查后重新提交', en: 'The form has invalid values; check and submit again' };
}

/** The three aspects of a rating when all were given. */
function aspectScores(f: ActionForm): Record<SurveyAspect, number> | undefined {
  const { attitude, quality, cleanup } = f;
  return attitude !== undefined && quality !== undefined && cleanup !== undefined
    ? { attitude, quality, cleanup }
    : undefined;
}

/**
 * What the chosen act needs beyond the schema (a reason to dispute, notes to adjudicate, a score),
 * and the fields it is about.
 */
function formProblem(
  content: ActionContent,
  f: ActionForm,
): { text: Bilingual; fields: FieldName[] } | undefined {
  const kind = content.choice;
  switch (kind) {
    case 'sign_off':
      if (f.choice !== 'confirm' && f.choice !== 'dispute')
        return {
          text: { zh: '请选择确认或提出异议', en: 'Choose to confirm or to dispute' },
          fields: ['choice'],
        };
      if (f.choice === 'dispute' && !f.reason)
        return { text: { zh: '提出异议须写明理由', en: 'A dispute needs a reason' }, fields: ['reason'] };
      return undefined;
    case 'adjudicate':
      if (f.choice !== 'revise' && f.choice !== 'proceed')
        return { text: { zh: '请选择裁定结果', en: 'Choose a decision' }, fields: ['choice'] };
      if (!f.notes) return { text: { zh: '请填写裁定说明', en: 'Notes are required' }, fields: ['notes'] };
      return undefined;
    case 'rate': {
      // The schema's comment bound is an acknowledgement's note's; a rating's words take what the tracking page's do.
      if (surveyCommentTooLong(f.comment)) {
        const why = tooLong(SURVEY_COMMENT_MAX, f.comment);
        const label = fieldLabels.comment!;
        return { text: { zh: `${label.zh}：${why.zh}`, en: `${label.en}: ${why.en}` }, fields: ['comment'] };
      }
      return aspectScores(f) || (f.score !== undefined && !surveyAspects.some((a) => f[a] !== undefined))
        ? undefined
        : { text: invalidForm('rate'), fields: surveyAspects.filter((a) => f[a] === undefined) };
    }
    case 'acknowledge':
      return undefined;
  }
}

/** An outcome said in the recipient's language when it names none. */
const inLang = (o: PageOutcome, lang: Lang): PageOutcome =>
  o.lang ? o : new PageOutcome(o.status, o.outcome, o.title, o.text, lang, o.link);

/** A handler's outcome said in the recipient's language when it names none. */
async function inLanguage<T>(lang: Lang, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PageOutcome) throw inLang(err, lang);
    throw err;
  }
}

/** The page's language: the recipient's own (reporters: as they gave it; zh-CN by default). */
function languageOf(claims: LinkClaims, dir: Directory, view?: CaseView): Lang {
  if (claims.recipientId.startsWith('reporter:')) return view?.reporter?.language ?? 'zh-CN';
  return dir.people.find((p) => p.id === claims.recipientId)?.language ?? 'zh-CN';
}

/**
 * The posted form. A body that doesn't parse as its Content-Type says (multipart without a
 * boundary, truncated parts) is the sender's fault: a 400 page, not a 500.
 */
async function formBody(c: Context, lang: Lang): Promise<Record<string, string | File>> {
  const body = await readForm(c, { all: true });
  if (body === undefined)
    throw new PageOutcome(
      400,
      'bad_form',
      { zh: '表单无法读取', en: 'The form could not be read' },
      {
        zh: '提交的表单内容已损坏或格式不正确。请重新打开邮件中的链接，在页面上点击提交按钮。',
        en: 'The submitted form is damaged or malformed. Open the link from the email again and use the page’s submit button.',
      },
      lang,
    );
  // The page sends each field once: a choice sent twice (confirm and dispute) is no choice.
  const repeated = Object.keys(body).filter((k) => Array.isArray(body[k]));
  if (repeated.length > 0)
    throw new PageOutcome(
      400,
      'bad_form',
      { zh: '表单无法读取', en: 'The form could not be read' },
      {
        zh: `表单字段重复（${repeated.join('、')}）。请重新打开邮件中的链接，在页面上选择一项后提交。`,
        en: `A field came more than once (${repeated.join(', ')}). Open the link from the email again, choose one option and submit.`,
      },
      lang,
    );
  return body as Record<string, string | File>;
}

/**
 * The client's address as recorded with a signature. On Lambda, the source
 * address AWS saw (no header can change it). Behind `hops` trusted proxies,
 * the X-Forwarded-For entry the outermost of them appended (entries further
 * left are whatever the client sent). With no proxy configured the header is
 * ignored, as anyone can write it: the socket's address counts.
 */
export function clientIp(c: Context, hops: number): string | undefined {
  const env: unknown = c.env;
  const lambda = (env as { requestContext?: LambdaRequestContext } | undefined)?.requestContext;
  const fromAws = lambda?.http?.sourceIp ?? lambda?.identity?.sourceIp;
  if (fromAws) return fromAws;
  if (hops > 0) {
    const chain = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h.length > 0);
    // Fewer entries than proxies: the request did not come the configured way; the socket decides.
    const forwarded = chain.length >= hops ? chain[chain.length - hops] : undefined;
    if (forwarded) return forwarded;
  }
  if (typeof env === 'object' && env !== null && 'incoming' in env) {
    const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } }).incoming;
    return incoming?.socket?.remoteAddress;
  }
  return undefined;
}

/** The parts of a Lambda event's request context that carry the caller's address (URL / HTTP API, REST API). */
interface LambdaRequestContext {
  http?: { sourceIp?: string };
  identity?: { sourceIp?: string };
}
