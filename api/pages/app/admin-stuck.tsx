import type { Hono } from 'hono';
import { STUCK_EFFECTS_PAGE } from '../../../domain/email-content.ts';
import { casePagePath } from '../../../domain/email-content.ts';
import { inLang, type Bilingual } from '../../../domain/text.ts';
import { caseTitleIn } from '../../../domain/case-title.ts';
import { describeEntry, formatWhen } from '../../audit-timeline.ts';
import type { AppDeps } from '../../deps.ts';
import { ProblemError, problemTypes, toProblem } from '../../middleware/problems.ts';
import type { WebEnv } from '../../middleware/session.ts';
import {
  effectParams,
  handleStuckEffect,
  mayHandleStuck,
  STUCK_RULE,
  stuckCases,
} from '../../routes/stuck-cases.ts';
import { Csrf } from '../ui.tsx';
import { refusedPage } from './dashboard-common.tsx';
import { page, redirectWithFlash, viewerOf } from './web-kit.tsx';

/**
 * /app/admin/stuck: the automatic steps of cases that failed for good (a refused mail, a
 * record not written), each with Retry and Dismiss: the page the effect_stuck mail links to,
 * for admins signed in through the identity provider, who have no bearer token. It lists and
 * acts through the same functions as /api/admin/stuck-cases.
 */

/** The page's address, as the failed-step mail links it. */
const STUCK_PAGE = STUCK_EFFECTS_PAGE;
// The nav's words (layout.tsx), so the link and the page it opens have one name.
const TITLE: Bilingual = { zh: '失败操作', en: 'Failed steps' };

const ACTIONS = {
  retry: { button: { zh: '重试', en: 'Retry' } },
  dismiss: { button: { zh: '忽略', en: 'Dismiss' } },
} as const;

function doneText(action: 'retry' | 'dismiss', caseId: string, effectId: string, still: boolean): Bilingual {
  if (action === 'dismiss')
    return {
      zh: `已忽略案件 ${caseId} 的失败操作 ${effectId}，不再重试。`,
      en: `Dismissed failed step ${effectId} of case ${caseId}: it will not be tried again.`,
    };
  return still
    ? {
        zh: `已重试案件 ${caseId} 的操作 ${effectId}，但再次失败，已作为新的操作列在下方。`,
        en: `Retried step ${effectId} of case ${caseId}; it failed again and is listed below as a new step.`,
      }
    : {
        zh: `已重试案件 ${caseId} 的操作 ${effectId}，这次成功完成。`,
        en: `Retried step ${effectId} of case ${caseId}; it went through this time.`,
      };
}

export function stuckPageRoutes(app: Hono<WebEnv>, deps: AppDeps): void {
  app.get('/admin/stuck', async (c) => {
    if (!mayHandleStuck(viewerOf(c))) return refusedPage(c, TITLE, STUCK_RULE);
    const lang = c.get('lang');
    const t = (b: Bilingual) => inLang(b, lang);
    const tz = deps.env.CAMPUS_TZ;
    const cases = await stuckCases(deps.temporal);
    const csrf = c.get('csrfToken') ?? '';
    return page(
      c,
      TITLE,
      <>
        <p class="hint">
          {t({
            zh: '这些自动操作（邮件、记录写入）已多次失败，不会再自动重试；案件本身继续推进。排除原因后点“重试”，不再需要则点“忽略”。两者都会记入案件时间线。',
            en: 'These automatic steps (mails, record writes) failed for good and will not be tried again on their own; their cases move on. Fix the cause and retry, or dismiss a step no longer needed. Both are recorded on the case timeline.',
          })}
        </p>
        {cases.length === 0 ? (
          <p class="card" data-stuck-empty>
            {t({ zh: '目前没有待处理的失败操作。', en: 'Nothing is waiting: no automatic step has failed.' })}
          </p>
        ) : (
          cases.map((sc) => (
            <section class="card" data-stuck-case={sc.caseId}>
              <h2 style="margin-top:0">
                <a href={casePagePath(sc.caseId)}>{sc.caseId}</a> {caseTitleIn(sc.title, lang)}
              </h2>
              <ul>
                {sc.stuck.map((e) => {
                  // The same words the case timeline gives the failure.
                  const { detail } = describeEntry(
                    {
                      caseId: sc.caseId,
                      seq: 0,
                      at: e.at,
                      actor: { id: 'system' },
                      action: 'effect_failed',
                      payload: {
                        payload: { kind: e.kind, what: e.what, reason: e.reason, message: e.message },
                      },
                      prevHash: '',
                      hash: '',
                    },
                    lang,
                    { person: () => undefined },
                    tz,
                  );
                  return (
                    <li data-effect={e.id}>
                      <p>
                        <strong>{e.id}</strong> {detail}
                        <br />
                        <span class="muted">
                          {t({ zh: '失败时间：', en: 'Failed at: ' })}
                          {formatWhen(e.at, tz)}
                        </span>
                      </p>
                      <p class="actions">
                        {(['retry', 'dismiss'] as const).map((action) => (
                          <form
                            method="post"
                            action={`${STUCK_PAGE}/${encodeURIComponent(sc.caseId)}/effects/${encodeURIComponent(e.id)}/${action}`}
                            style="display:inline"
                          >
                            <Csrf token={csrf} />
                            <button type="submit" class={action === 'dismiss' ? 'secondary' : undefined}>
                              {t(ACTIONS[action].button)}
                            </button>
                          </form>
                        ))}
                      </p>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))
        )}
      </>,
    );
  });

  for (const action of ['retry', 'dismiss'] as const) {
    app.post(`/admin/stuck/:caseId/effects/:effectId/${action}`, async (c) => {
      const viewer = viewerOf(c);
      if (!mayHandleStuck(viewer)) return refusedPage(c, TITLE, STUCK_RULE);
      const parsed = effectParams.safeParse(c.req.param());
      if (!parsed.success)
        throw new ProblemError('validation', {
          zh: '案件编号或操作编号不正确；请从“失败操作”列表中点按钮',
          en: 'not a case number and step id the list shows; use the buttons of the Failed steps list',
        });
      const { caseId, effectId } = parsed.data;
      try {
        const done = await handleStuckEffect(deps.temporal, viewer, action, caseId, effectId);
        if (done.gone)
          return redirectWithFlash(c, STUCK_PAGE, {
            kind: 'error',
            text: {
              zh: `案件 ${caseId} 的操作 ${effectId} 已不在待处理列表中（可能已被重试或忽略），未做任何更改。`,
              en: `Step ${effectId} of case ${caseId} is no longer waiting (it was already retried or dismissed); nothing was changed.`,
            },
          });
        const still = action === 'retry' && done.failedAgain;
        return redirectWithFlash(c, STUCK_PAGE, {
          kind: still ? 'error' : 'ok',
          text: doneText(action, caseId, effectId, still),
        });
      } catch (err) {
        // Refused by the case (handled meanwhile by another admin) or no such case: said on the list.
        const problem = toProblem(err);
        if (!problem || problemTypes[problem.type].status >= 500) throw err;
        const text =
          typeof problem.detail === 'string' ? { zh: problem.detail, en: problem.detail } : problem.detail;
        return redirectWithFlash(c, STUCK_PAGE, { kind: 'error', text });
      }
    });
  }
}
