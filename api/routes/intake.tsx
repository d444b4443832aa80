// Longer than most modules because the public report form, its validation and the tracking page with its survey share their form state and bilingual messages.
import { createHash, randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { isTerminal, reporterActorId, type CaseView, type DeadlineView } from '../../domain/case-model.ts';
import { clockStatuses } from '../../domain/case-clocks.ts';
import {
  emergencyAdvice,
  followUpScore,
  ratingWords,
  speltAspects,
  reportReasonIn,
  surveyComment,
  unrecordedPromise,
  reportKindInfo,
  reportKinds,
  reportStatusLabel,
  surveyAspects,
  trackedStatus,
  trackedStatusLabel,
  type ReportKind,
  type SurveyAspect,
} from '../../domain/intake.ts';
import { listPlaces, placeByCode, type Place } from '../../domain/places.ts';
import { contactHint, contactLabel, contactRefusal, normalContact } from '../../domain/contact.ts';
import {
  acceptedWork,
  caseProgress,
  caseProgressLabel,
  numberedStep,
  reviewOutcomeLabel,
  stepStanding,
  stepsInOrder,
  trackedDeadlineLabel,
  trackedStepLabel,
} from '../../domain/tracked-progress.ts';
import { textFlaw, textFlawMessage } from '../../domain/safe-text.ts';
import { characterCount } from '../../domain/characters.ts';
import { SURVEY_COMMENT_MAX, surveyQuestions } from '../../domain/survey-questions.ts';
import { inLang, languages, upFirst, type Bilingual, type Lang } from '../../domain/text.ts';
import { raterConflict } from '../../domain/survey-rater.ts';
import { ratingScoreLabel, ratingScores } from '../../domain/rating-scale.ts';
import {
  editedSubmissionKey,
  resentUnchanged,
  sameReportKey,
  type ResentReport,
} from '../../domain/report-sameness.ts';
import {
  checkedFile,
  EvidenceError,
  evidenceUrl,
  getEvidence,
  MAX_EVIDENCE_BYTES,
  parseEvidenceRef,
} from '../../store/evidence.ts';
import { chosenPhotos, discardReportPhotos, emptyPhotosText, storeReportPhotos } from '../intake-photos.ts';
import {
  DuplicateSubmissionError,
  getReport,
  isSubmissionKey,
  newReportId,
  recordSurvey,
  reportByToken,
  reportOfSubmission,
  saveReport,
  submissionKeyAt,
  trackTokenOf,
  type Report,
} from '../../store/reports.ts';
import { submitFollowUpUpdate } from '../../workflows/rectification-case/messages.ts';
import { assertBuilding, directoryOrFail, readCase } from '../reads.ts';
import { notifyReporter, startTriageChase } from '../report-notices.ts';
import type { AppDeps } from '../deps.ts';
import { LANG_COOKIE, sessionMiddleware, type WebEnv } from '../middleware/session.ts';
import { Layout } from '../pages/layout.tsx';
import { Flash, type FlashMessage } from '../pages/ui.tsx';
import { clientIp } from './action-links.tsx';
import { validQuery } from '../repeated-params.ts';
import { bodyWithin } from '../body-within.ts';
import { readForm, unreadableForm } from '../form-body.ts';
import { buildingIdSchema } from '../schemas.ts';
import { formSubmissions, intakeLimits, type IntakeLimit } from '../intake-limits.ts';

/**
 * The public side of intake, no account needed: the places and their codes,
 * the report form a printed code opens (`/r/{code}`), and the tracking page
 * the reporter keeps (`/t/{token}`) with the return-visit survey at the end.
 */

const MAX_PHOTOS = 3;
/** The form's text fields with room to spare: what a report without photos takes. */
const FORM_TEXT_BYTES = 64 * 1024;
/**
 * The most a report's body may be before it is refused unread: twice the photos it may carry (a
 * phone's photo is often over 10 MB, and a person may choose one too many), so a report past the
 * photo limits is still read and comes back with what was typed and each photo's refusal. Only a
 * body past this is cut off, and what was typed goes with it (`tooLarge`).
 */
const MAX_REPORT_BYTES = 2 * MAX_PHOTOS * MAX_EVIDENCE_BYTES + FORM_TEXT_BYTES;
type Ctx = Context<WebEnv>;

const t = (lang: Lang, text: Bilingual) => inLang(text, lang);
const isLang = (v: string | undefined): v is Lang => (languages as readonly string[]).includes(v ?? '');
/** English text takes ASCII punctuation. */
const colon = (lang: Lang) => (lang === 'en' ? ': ' : '：');
/** An aside in the reader's brackets: " (…)" in English, "（…）" in Chinese. */
const paren = (lang: Lang, text: string) => (lang === 'en' ? ` (${text})` : `（${text}）`);

function publicPage(
  c: Ctx,
  title: Bilingual,
  body: Child,
  status: 200 | 400 | 403 | 404 | 409 | 413 | 429 = 200,
) {
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
  const u = new URL(c.req.url);
  return c.html(
    <Layout title={title} lang={c.get('lang')} currentUrl={`${u.pathname}${u.search}`} error={status >= 400}>
      {body}
    </Layout>,
    status,
  );
}

/** An over-long text's issue: the limit and how many characters were sent, so the person knows how much to cut. */
const overMax = (max: number, text: string) => `max:${max}:${characterCount(text.trim())}`;
const safe = (max: number, opts: { singleLine?: boolean } = {}) =>
  z
    .string()
    // A bound on what is read at all; past it the person is told the real limit, as below.
    .max(max * 4, { error: (iss) => overMax(max, typeof iss.input === 'string' ? iss.input : '') })
    .transform((s) => s.trim())
    .superRefine((s, ctx) => {
      if (characterCount(s) > max) ctx.addIssue({ code: 'custom', message: overMax(max, s) });
      const flaw = textFlaw(s, opts);
      if (flaw) ctx.addIssue({ code: 'custom', message: `flaw:${flaw}` });
    });

// Kept as `normalContact` writes it: what a Chinese keyboard types (１３８…, (010) 6275-1234转123) is taken.
const contactSchema = z.string().transform((typed, ctx) => {
  const contact = normalContact(typed);
  if (contact === null) {
    ctx.addIssue({ code: 'custom', message: 'contact' });
    return z.NEVER;
  }
  return contact;
});

const reportFormSchema = z.object({
  kind: z.enum(reportKinds),
  description: safe(2000).pipe(z.string().min(1, 'required')),
  name: safe(40, { singleLine: true }).optional(),
  contact: z
    .string()
    .trim()
    .max(254)
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(contactSchema.optional()),
});

const fieldLabels: Record<string, Bilingual> = {
  kind: { zh: '问题类型', en: 'What is wrong' },
  description: { zh: '问题描述', en: 'Description' },
  name: { zh: '姓名', en: 'Name' },
  // Named as the field's label reads, so its error points at the field a person sees.
  contact: contactLabel,
  photo: { zh: '照片', en: 'Photos' },
};

/** Turns zod's issue into a sentence a person can act on, in both languages. */
function issueText(field: string, message: string): Bilingual {
  if (message.startsWith('flaw:')) return textFlawMessage[message.slice(5) as keyof typeof textFlawMessage];
  if (message.startsWith('max:')) {
    const [max, has] = message.slice(4).split(':');
    return {
      zh: `最多 ${max} 个字（现有 ${has} 个），请删减`,
      en: `at most ${max} characters (this has ${has}); shorten it`,
    };
  }
  if (message === 'required') return { zh: '请填写', en: 'please fill this in' };
  if (field === 'contact') return contactRefusal;
  if (field === 'kind') return { zh: '请选择问题类型', en: 'choose what is wrong' };
  return { zh: '格式不正确', en: 'not in the expected form' };
}

type FormErrors = Record<string, Bilingual>;
/** The survey's fields as a refused rating sent them. */
type SurveyValues = Partial<Record<SurveyAspect | 'comment', string>>;
interface FormValues {
  kind?: string | undefined;
  description?: string | undefined;
  name?: string | undefined;
  contact?: string | undefined;
  /** The form's own submission key: the same form sent again unchanged answers the first report. */
  submissionKey?: string | undefined;
}

/** A file input cannot be filled again by the page: a re-shown form's photos were not kept and must be chosen anew. */
const choosePhotosAgain: Bilingual = { zh: '照片需重新选择', en: 'choose the photos again' };

/** The form-level refusal of a submission key that is not one the form gave (altered). */
const alteredForm: Bilingual = {
  zh: `表单已被改动，无法确认是否重复提交。请检查内容后重新提交（${choosePhotosAgain.zh}）。`,
  en: `The form was altered, so a repeated submit cannot be told apart. Check it and send it again (${choosePhotosAgain.en}).`,
};

/**
 * Said beside the photo field of a re-shown form whose post carried photos: the file input comes
 * back empty, and a person who only corrects the marked field would send the report without them.
 * Photos are not stored for a form that is refused: an anonymous post that is never kept must
 * not leave files behind, nor count against the uploads a report may take.
 */
const photosNotKept = (count: number): Bilingual => ({
  zh: `${choosePhotosAgain.zh}：刚才选的 ${count} 张照片没有随表单保存。`,
  en: `${upFirst(choosePhotosAgain.en)}: ${count === 1 ? 'the photo' : `the ${count} photos`} you chose ${count === 1 ? 'was' : 'were'} not kept with the form.`,
});

/**
 * The public pages' few rules of their own on top of the app shell's: a choice is a row a thumb
 * can hit (44 px, as the inspection checklist's), and a field's error reads as one.
 */
const INTAKE_CSS = `label.choice{display:flex;align-items:center;gap:.5rem;min-height:44px;margin:0;font-weight:400}label.choice input{margin:0}p.error{color:#b91c1c;margin:.25rem 0 0}p.photos-again{font-weight:600;color:#7f1d1d;margin:.25rem 0 0}`;
/**
 * A refused form's message over it (ui.tsx Flash: where the keyboard lands), each field in error
 * linked to its control by the words beside it; a refusal of the whole form (altered) links none.
 */
function formSummary(errors: FormErrors, dropped: number): FlashMessage | undefined {
  if (errors.form) return { kind: 'error', text: errors.form };
  const fields = Object.entries(errors);
  if (fields.length === 0) return undefined;
  return {
    kind: 'error',
    text:
      dropped > 0
        ? {
            zh: '请修改下面标出的内容，并重新选择照片后再提交。',
            en: 'Please correct the fields marked below and choose the photos again.',
          }
        : { zh: '请修改下面标出的内容后再提交。', en: 'Please correct the fields marked below.' },
    links: fields.map(([f, why]) => {
      const label = fieldLabels[f] ?? { zh: f, en: f };
      return { href: `#${f}`, text: { zh: `${label.zh}：${why.zh}`, en: `${label.en}: ${why.en}` } };
    }),
  };
}

/**
 * A refusal page's message as the shared summary has it (ui.tsx Flash): where the keyboard lands
 * when the page loads, so a screen reader says it first.
 */
const REFUSAL_FOCUS = { tabindex: -1, autofocus: true, 'data-error-summary': true } as const;

const IntakeStyle = () => <style dangerouslySetInnerHTML={{ __html: INTAKE_CSS }} />;

function ReportForm(props: {
  lang: Lang;
  place: Place;
  values: FormValues;
  errors: FormErrors;
  anonymousAllowed: boolean;
  /** Photos the post carried that were not kept (the form comes back with its file input empty). */
  photosDropped?: number | undefined;
}) {
  const { lang, place, values, errors } = props;
  const dropped = props.photosDropped ?? 0;
  const err = (f: string) =>
    errors[f] ? (
      <p class="error" id={`${f}-error`}>
        {t(lang, fieldLabels[f]!)}
        {colon(lang)}
        {t(lang, errors[f])}
      </p>
    ) : null;
  const described = (f: string) =>
    errors[f] ? { 'aria-describedby': `${f}-error`, 'aria-invalid': 'true' } : {};
  const optional = props.anonymousAllowed ? t(lang, { zh: '（选填）', en: ' (optional)' }) : '';
  const photoDescribedBy = ['photo-hint', dropped > 0 ? 'photo-again' : '', errors.photo ? 'photo-error' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <form method="post" enctype="multipart/form-data" action={`/r/${place.code}`} class="stack">
      <IntakeStyle />
      <p>
        <strong>{t(lang, { zh: '地点：', en: 'Place: ' })}</strong>
        {t(lang, place.name)}{' '}
        <span class="muted">{lang === 'en' ? `(${place.code})` : `（${place.code}）`}</span>
      </p>
      <input type="hidden" name="submissionKey" value={values.submissionKey ?? randomUUID()} />
      {/* The language the reporter read the form in: the report keeps it for their mails. */}
      <input type="hidden" name="lang" value={lang} />
      <Flash flash={formSummary(errors, dropped)} lang={lang} />
      <fieldset {...described('kind')}>
        <legend>{t(lang, fieldLabels.kind!)}</legend>
        {reportKinds.map((k) => (
          <>
            <label class="choice">
              <input
                type="radio"
                // The first choice carries the group's id: the error summary links to it.
                id={k === reportKinds[0] ? 'kind' : undefined}
                name="kind"
                value={k}
                required
                checked={values.kind === k}
                {...(k === 'safety' ? { 'aria-describedby': 'safety-hint' } : {})}
              />{' '}
              {t(lang, reportKindInfo[k].label)}
            </label>
            {/* Under the choice itself, without script: a report waits for triage, danger does not. */}
            {k === 'safety' ? (
              <p class="hint" id="safety-hint" data-emergency>
                {t(lang, emergencyAdvice)}
              </p>
            ) : null}
          </>
        ))}
        {err('kind')}
      </fieldset>
      <label for="description">{t(lang, fieldLabels.description!)}</label>
      <textarea
        id="description"
        name="description"
        rows={5}
        // No maxlength: a browser would cut a longer paste without a word; the server counts it and says how much to cut.
        required
        {...described('description')}
      >
        {values.description ?? ''}
      </textarea>
      {err('description')}
      <label for="photo">
        {t(lang, fieldLabels.photo!)}
        {t(lang, {
          zh: `（选填，最多 ${MAX_PHOTOS} 张，每张不超过 10 MB）`,
          en: ` (optional, up to ${MAX_PHOTOS}, 10 MB each)`,
        })}
      </label>
      {/* No `capture`: on Android it opens the camera at once, and a photo taken earlier could not be chosen. */}
      <input
        id="photo"
        name="photo"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        multiple
        aria-describedby={photoDescribedBy}
        {...(errors.photo ? { 'aria-invalid': 'true' } : {})}
      />
      <p class="hint" id="photo-hint">
        {t(lang, { zh: '可拍照或从相册选择', en: 'Take a photo or choose one from the gallery' })}
      </p>
      {dropped > 0 ? (
        <p class="photos-again" id="photo-again" data-photos-again>
          {t(lang, photosNotKept(dropped))}
        </p>
      ) : null}
      {err('photo')}
      <label for="name">
        {t(lang, fieldLabels.name!)}
        {optional}
      </label>
      <input
        id="name"
        name="name"
        autocomplete="name"
        maxlength={40}
        value={values.name ?? ''}
        {...described('name')}
      />
      {err('name')}
      <label for="contact">
        {t(lang, fieldLabels.contact!)}
        {optional}
      </label>
      {/* It takes a mobile, a landline or an email, so neither `email` nor `tel` (a browser would then
          offer only addresses, or only numbers) and no inputmode (a phone would open the keypad or the
          address keyboard, and the other could not be typed): the keyboard the person has, their past
          entries offered. No capital or spelling fix forced onto an address. */}
      <input
        id="contact"
        name="contact"
        type="text"
        autocomplete="on"
        autocapitalize="off"
        spellcheck={false}
        maxlength={254}
        value={values.contact ?? ''}
        // What is taken is said before an error is: the hint, then the error (as the photo field's).
        aria-describedby={['contact-hint', errors.contact ? 'contact-error' : ''].filter(Boolean).join(' ')}
        {...(errors.contact ? { 'aria-invalid': 'true' } : {})}
      />
      <p class="muted" id="contact-hint" data-contact-hint>
        {t(lang, contactHint)}
        {lang === 'en' ? ' ' : ''}
        {t(lang, {
          zh: '留下邮箱可收到受理和处理结果通知；不留也可凭下一页的跟踪链接查看进度。',
          en: 'Leave an email to be told when your report is taken up and resolved; without one, the tracking link on the next page shows its progress.',
        })}
      </p>
      {err('contact')}
      {/* Bots fill every field; people never see this one. */}
      <div aria-hidden="true" style="position:absolute;left:-10000px">
        <label for="website">Website</label>
        <input id="website" name="website" tabindex={-1} autocomplete="off" />
      </div>
      <button type="submit">{t(lang, { zh: '提交报告', en: 'Send report' })}</button>
    </form>
  );
}

/** One aspect's score as the form sends it: a single digit 1–5 (not 0x5, 5.0 or ' 5'). */
const aspectScore = z
  .string()
  .regex(/^[1-5]$/)
  .transform(Number);
const surveySchema = z.object({
  attitude: aspectScore,
  quality: aspectScore,
  cleanup: aspectScore,
  comment: safe(SURVEY_COMMENT_MAX).optional(),
});

/**
 * Whether the reporter may rate the case here: it waits for their rating, or it closed without
 * one. A case the reporter already rated through the emailed link has its rating: a second one
 * here would sit on the report alone, disagreeing with the case.
 */
const surveyOpen = (view: CaseView | null, report: Report) =>
  view !== null && (view.stage === 'follow_up' || (view.stage === 'closed' && !ratedByLink(view, report)));
/**
 * Whether this report is the case's own reporter's: the report triage opened the case from (the
 * case names it, or, in cases opened before reporters carried their report, the report that made
 * it). A report merged into the case is another reporter's: their rating is never the case's.
 */
const ownReport = (view: CaseView, report: Report) =>
  report.status === 'case' &&
  report.caseId === view.caseId &&
  view.reporter !== undefined &&
  (view.reporter.reportId === undefined || view.reporter.reportId === report.reportId);
/** The case's reporter is this report's, and rated the case through the emailed link. */
const ratedByLink = (view: CaseView, report: Report) =>
  view.stage === 'closed' && view.followUp?.outcome === 'rated' && ownReport(view, report);

/**
 * The reporter's page rating reopened the case (or their emailed one did, after a page rating), and
 * the case, reviewed again, waits for their rating once more. The report keeps only its first page
 * rating: this one goes to the case alone, which takes one rating per follow-up.
 */
const ratesAgain = (view: CaseView | null, report: Report) =>
  view !== null &&
  report.survey !== undefined &&
  ownReport(view, report) &&
  view.stage === 'follow_up' &&
  view.followUp?.outcome === 'reopened';

/** How far the API's clock (a page rating's time) may run ahead of the workflow's (the case's record of it). */
const CLOCK_SLACK_MS = 5000;

/** A follow-up rating as the case took it: its score, and each aspect where its comment spells them. */
interface TakenRating {
  score: number;
  scores?: Record<SurveyAspect, number> | undefined;
  /** The reporter's own words with it. */
  comment?: string | undefined;
  at: string;
  outcome: 'rated' | 'reopened';
}

/**
 * The case's own reporter's ratings as the case took them: its latest follow-up rating (from the page
 * or the emailed link), whether this page's rating is that one, and whether this page's rating sent
 * the case back to review. A report keeps only its first page rating; the case keeps each in its
 * timeline, so a low page rating followed by another one (the emailed round-2 link) is told apart.
 */
function caseRatings(view: CaseView, report: Report) {
  if (!ownReport(view, report)) return undefined;
  const f = view.followUp;
  const latest: TakenRating | undefined =
    f?.score !== undefined && (f.outcome === 'rated' || f.outcome === 'reopened')
      ? {
          score: f.score,
          scores: spelt(f.comment, f.score),
          comment: ratingWords(f.comment),
          at: f.at,
          outcome: f.outcome,
        }
      : undefined;
  const actorId = reporterActorId(view.reporter);
  const taken = view.timeline.filter(
    (e) => (e.action === 'follow_up_rated' || e.action === 'follow_up_low_score') && e.actorId === actorId,
  );
  const page = report.survey;
  // The page's rating reached the case as the first of the reporter's ratings from its time on, with its score.
  const pageEntry = page
    ? taken.findIndex(
        (e) =>
          Date.parse(e.at) >= Date.parse(page.at) - CLOCK_SLACK_MS && e.score === followUpScore(page.scores),
      )
    : -1;
  return {
    latest,
    // Cases from before the timeline carried scores: the page's rating stands, as it always did.
    pageIsLatest: page !== undefined && (taken.length === 0 || pageEntry === taken.length - 1),
    pageReopened: pageEntry !== -1 && taken[pageEntry]!.action === 'follow_up_low_score',
  };
}

/** The aspects a follow-up comment spells, when they agree with its score (one-score ratings spell none). */
function spelt(comment: string | undefined, score: number): Record<SurveyAspect, number> | undefined {
  const scores = speltAspects(comment);
  return scores && followUpScore(scores) === score ? scores : undefined;
}

/** What a limit's refusal says (the wait and what to do meanwhile follow it). */
function limitText(limit: IntakeLimit): Bilingual {
  if (limit.scope === 'place')
    return {
      zh: '这个地点刚收到很多报告，管理人员已在处理，请稍后再试。',
      en: 'This place has just had many reports and staff are on it; please try again later.',
    };
  return limit.safety
    ? {
        zh: `同一网络一小时内最多提交 ${limit.max} 份安全隐患报告，请稍后再试或直接联系宿舍管理员。`,
        en: `At most ${limit.max} safety-hazard reports an hour from one network; try later or tell the dormitory office.`,
      }
    : {
        zh: `同一网络一小时内最多提交 ${limit.max} 份报告，请稍后再试或直接联系宿舍管理员。`,
        en: `At most ${limit.max} reports an hour from one network; try later or tell the dormitory office.`,
      };
}

/** What to do in immediate danger, where a report (which waits for triage) is not enough: never muted. */
function EmergencyAdvice(props: { lang: Lang; prominent?: boolean }) {
  return (
    <p {...(props.prominent ? { class: 'flash error' } : {})} data-emergency>
      <strong>{t(props.lang, emergencyAdvice)}</strong>
    </p>
  );
}

/**
 * What a post of the form carries, as a report it may repeat is compared with it: the contact as
 * typed (`sameReportKey` compares it as it would be kept), each photo by its SHA-256.
 */
async function resentReport(
  placeCode: string,
  values: FormValues,
  photos: readonly File[],
): Promise<ResentReport> {
  return {
    placeCode,
    kind: values.kind,
    name: values.name,
    contact: values.contact,
    description: values.description ?? '',
    photoSha256: await Promise.all(
      photos.map(async (p) =>
        createHash('sha256')
          .update(new Uint8Array(await p.arrayBuffer()))
          .digest('hex'),
      ),
    ),
  };
}

/** How long until a fixed one-hour abuse window (rateWindow) starts again, in whole seconds. */
const retryAfterSeconds = (now = Date.now()) => 3600 - (Math.floor(now / 1000) % 3600);

/**
 * POST /r/{code}'s fields as the document states them (the handler reads the multipart form itself:
 * reportFormSchema, the photo checks, the school's anonymity setting).
 */
export const reportFormFields = z.object({
  kind: z.enum(reportKinds).describe('问题类型 / what is wrong'),
  description: z
    .string()
    .min(1)
    .max(2000)
    .describe('问题描述，最多 2000 字 / the description, up to 2000 characters'),
  name: z
    .string()
    .max(40)
    .optional()
    .describe('姓名（学校要求实名时必填）/ name (required where the school asks)'),
  contact: z
    .string()
    .max(254)
    .optional()
    .describe(
      '手机号、座机号码（可带区号、分机）或电子邮箱；留邮箱可收到通知 / a mobile or landline number (area code and extension allowed) or an email, which is told of each step',
    ),
  photo: z
    .array(z.file())
    .max(MAX_PHOTOS)
    .optional()
    .describe(
      `照片，最多 ${MAX_PHOTOS} 张（JPEG、PNG、WebP，每张 ≤ 10 MB）/ photos, up to ${MAX_PHOTOS} (JPEG, PNG, WebP, 10 MB each)`,
    ),
  submissionKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{22,64}$/)
    .optional()
    .describe(
      '表单自带的提交键：同一表单原样再次提交时转到第一次的跟踪页；内容改过（文字、类型或新照片）则另存为新报告，其跟踪页链接第一次的报告 / the form’s own key: the form sent again unchanged goes to the first report’s tracking page; sent with something changed (text, kind or a new photo) it is kept as a new report whose page links the first',
    ),
  website: z.string().max(0).optional().describe('留空（防机器人字段）/ leave empty (a honeypot)'),
  lang: z
    .enum(languages)
    .optional()
    .describe(
      '表单的语言：报告人的通知以此语言在前，跟踪页默认以此语言显示；缺省或其他值时取页面语言 / the form’s language: the reporter’s mails put it first and the tracking page opens in it; absent or another value, the page’s language',
    ),
});

/** POST /t/{token}/survey's fields as the document states them (the handler validates with surveySchema). */
export const surveyFormFields = z.object({
  attitude: z
    .string()
    .regex(/^[1-5]$/)
    .describe('服务态度 1–5 / staff’s attitude, 1–5'),
  quality: z
    .string()
    .regex(/^[1-5]$/)
    .describe(
      '处理质量 1–5（问法随案件类别，如维修质量）/ how well the problem was dealt with, 1–5 (worded for the case’s kind)',
    ),
  cleanup: z
    .string()
    .regex(/^[1-5]$/)
    .describe(
      '扫尾工作 1–5（现场清理或回复跟进）/ the finishing off (clean-up, or being kept informed), 1–5',
    ),
  comment: z
    .string()
    .max(SURVEY_COMMENT_MAX)
    .optional()
    .describe(`意见，最多 ${SURVEY_COMMENT_MAX} 字 / a comment, up to ${SURVEY_COMMENT_MAX} characters`),
});

/** GET /api/places' query (exported for the document): one building of the directory, or every one. */
export const placesQuery = z.object({ buildingId: buildingIdSchema.optional() });

export function publicIntakeRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const anonymousAllowed = deps.env.INTAKE_ALLOW_ANONYMOUS === 'true';
  // A code's address with a slash at its end (typed, or a link shortener's) is the same page: sent
  // there, rather than to the app's "no such page", which points to a menu the public pages lack.
  app.use('/r/*', async (c, next) => {
    const bare = /^(\/r\/[^/]+)\/+$/.exec(c.req.path)?.[1];
    if (bare && (c.req.method === 'GET' || c.req.method === 'HEAD'))
      return c.redirect(`${bare}${new URL(c.req.url).search}`, 301);
    return next();
  });
  app.use('/r/*', sessionMiddleware(deps));
  app.use('/t/*', sessionMiddleware(deps));
  app.use('/api/places', sessionMiddleware(deps));

  // Before an admin loads a directory a scanned code answers 503 with a page saying so, not a 500.
  const directory = () => directoryOrFail(deps);

  app.get('/api/places', async (c) => {
    const { buildingId } = validQuery(c, placesQuery);
    // Like every other read of the directory: 503 before it is loaded, 404 for a building it lacks.
    const dir = await directoryOrFail(deps);
    assertBuilding(dir, buildingId);
    const places = listPlaces(dir, buildingId);
    return c.json({
      items: places.map((p) => ({
        code: p.code,
        kind: p.kind,
        location: p.location,
        name: p.name,
        buildingName: p.buildingName,
        reportUrl: `${deps.publicBaseUrl}/r/${p.code}`,
      })),
    });
  });

  const placeOr404 = async (c: Ctx): Promise<Place | Response> => {
    // A code typed or scanned in lower case, or with O for 0, names the same place (typedPlaceCode).
    const place = placeByCode(await directory(), c.req.param('code') ?? '');
    if (place) return place;
    return publicPage(
      c,
      { zh: '未找到该地点', en: 'Place not found' },
      <p {...REFUSAL_FOCUS} class="flash error" role="alert">
        {t(c.get('lang'), {
          zh: '这个二维码对应的地点不存在或已撤销。请联系宿舍管理员。',
          en: 'This code names no place (it may have been withdrawn). Please tell the dormitory office.',
        })}
      </p>,
      404,
    );
  };

  // Before /r/:code, which would take `thanks` for a place code.
  app.get('/r/thanks', (c) =>
    publicPage(
      c,
      { zh: '已收到', en: 'Received' },
      <p role="status">{t(c.get('lang'), reportStatusLabel.received)}</p>,
    ),
  );

  app.get('/r/:code', async (c) => {
    const place = await placeOr404(c);
    if (place instanceof Response) return place;
    return publicPage(
      c,
      { zh: '报告问题', en: 'Report a problem' },
      <ReportForm
        lang={c.get('lang')}
        place={place}
        values={{}}
        errors={{}}
        anonymousAllowed={anonymousAllowed}
      />,
    );
  });

  /**
   * A body past MAX_REPORT_BYTES, cut off unread: the page says the report was not received, that
   * what was typed could not be read either (so it is not shown here), what to do, what to do in
   * danger meanwhile (as the form says beside 安全隐患), and leads back to this place's form.
   */
  const tooLarge = (c: Ctx, place: Place) => {
    const lang = c.get('lang');
    const mb = (bytes: number) => Math.floor(bytes / 1024 / 1024);
    return publicPage(
      c,
      { zh: '报告未收到：内容过大', en: 'Report not received: too large' },
      <>
        <p {...REFUSAL_FOCUS} class="flash error" role="alert" data-not-received>
          {t(lang, {
            zh: `报告未收到：提交的内容（含照片）超过 ${mb(MAX_REPORT_BYTES)} MB，没有被读取。每份报告最多 ${MAX_PHOTOS} 张照片，每张不超过 ${mb(MAX_EVIDENCE_BYTES)} MB。`,
            en: `Your report was not received: what you sent (photos included) is over ${mb(MAX_REPORT_BYTES)} MB and was not read. A report takes at most ${MAX_PHOTOS} photos of up to ${mb(MAX_EVIDENCE_BYTES)} MB each.`,
          })}
        </p>
        <EmergencyAdvice lang={lang} />
        <p>
          {t(lang, {
            zh: '您填写的文字也未能读取，无法在此显示。请返回上一页（浏览器通常仍保留您填写的内容），减少照片或选择较小的照片后再提交；如内容已不在，请重新填写。',
            en: 'What you typed could not be read either, so it cannot be shown here. Go back a page (the browser usually keeps what you typed), choose fewer or smaller photos and send it again; if the text is gone, please fill the form in again.',
          })}
        </p>
        <p>
          <a href={`/r/${place.code}`}>{t(lang, { zh: '返回报告表单', en: 'Back to the report form' })}</a>
        </p>
      </>,
      413,
    );
  };

  app.post('/r/:code', async (c) => {
    let lang = c.get('lang');
    const place = await placeOr404(c);
    if (place instanceof Response) return place;
    // Over a limit: when to come back (Retry-After, and said on the page), what to do in danger
    // meanwhile, the way back to the form, and what was typed, kept in the form below for when
    // the window has passed. `values` is null when the post was refused unread: nothing typed to keep.
    const refuse = (limit: IntakeLimit, values: FormValues | null, photosDropped = 0) => {
      const wait = retryAfterSeconds();
      const minutes = Math.ceil(wait / 60);
      c.header('Retry-After', String(wait));
      return publicPage(
        c,
        { zh: '请稍后再试', en: 'Please try again later' },
        <>
          <p {...REFUSAL_FOCUS} class="flash error" role="alert">
            {t(lang, limitText(limit))}
            {lang === 'en' ? ' ' : ''}
            {t(lang, {
              zh: `约 ${minutes} 分钟后可再提交。`,
              en: `You can send it again in about ${minutes} min.`,
            })}
          </p>
          <EmergencyAdvice lang={lang} />
          {limit.safety ? null : (
            <p>
              {t(lang, {
                zh: '安全隐患报告不受此限制：如需报告安全隐患，请在表单中选择“安全隐患”后提交。',
                en: 'Safety-hazard reports are not held by this limit: to report one, choose “Safety hazard” in the form and send it.',
              })}
            </p>
          )}
          {values === null ? (
            <>
              <p>
                {t(lang, {
                  zh: '本次提交的内容（含照片）未被接收。返回上一页，您填写的内容通常仍在，届时可再提交。',
                  en: 'What you sent (photos included) was not taken. Going back a page usually keeps what you typed, to send then.',
                })}
              </p>
              <p>
                <a href={`/r/${place.code}`}>
                  {t(lang, { zh: '返回报告表单', en: 'Back to the report form' })}
                </a>
              </p>
            </>
          ) : values.description ? (
            <>
              <p>
                {t(lang, {
                  zh: `您填写的内容保留在下面，届时可直接提交（${choosePhotosAgain.zh}）。`,
                  en: `What you typed is kept below, to send then (${choosePhotosAgain.en}).`,
                })}
              </p>
              <ReportForm
                lang={lang}
                place={place}
                values={values}
                errors={{}}
                anonymousAllowed={anonymousAllowed}
                photosDropped={photosDropped}
              />
            </>
          ) : (
            <p>
              <a href={`/r/${place.code}`}>
                {t(lang, { zh: '返回报告表单', en: 'Back to the report form' })}
              </a>
            </p>
          )}
        </>,
        429,
      );
    };
    // The form again, with what was typed, what to correct, and how many photos to choose again.
    const formAgain = (values: FormValues, errors: FormErrors, photosDropped = 0) =>
      publicPage(
        c,
        { zh: '报告问题', en: 'Report a problem' },
        <ReportForm
          lang={lang}
          place={place}
          values={values}
          errors={errors}
          anonymousAllowed={anonymousAllowed}
          photosDropped={photosDropped}
        />,
        400,
      );
    const limits = intakeLimits(deps.aws, {
      address: clientIp(c, deps.env.TRUSTED_PROXY_HOPS) ?? 'unknown',
      placeCode: place.code,
      perAddress: deps.env.INTAKE_REPORTS_PER_ADDRESS_HOUR,
      perPlace: deps.env.INTAKE_REPORTS_PER_PLACE_HOUR,
    });
    // Over a limit already: refused before the photos are read, so a flood of large posts costs
    // a few counter reads, not the uploads. A safety report has limits of its own, so the body is
    // read unless those are used up too. A post the size of the text alone is still read: its
    // page keeps what was typed, and a form sent twice still finds its first report (below).
    const ordinaryOver = await limits.spent(false);
    const everyOver = ordinaryOver && (await limits.spent(true)) ? ordinaryOver : null;
    if (!(await bodyWithin(c, everyOver ? FORM_TEXT_BYTES : MAX_REPORT_BYTES)))
      return everyOver ? refuse(everyOver, null) : tooLarge(c, place);
    const body = await readForm(c, { all: true });
    if (!body) return formAgain({}, { description: unreadableForm });
    const { chosen, photos, empty } = chosenPhotos(body.photo);
    const one = (k: string) => {
      const v = body[k];
      const first = Array.isArray(v) ? v[0] : v;
      return typeof first === 'string' ? first : undefined;
    };
    // The language the form was read in (its own field), over the one this request would pick:
    // the pages answering it, the report and the reporter's mails are in it.
    const formLang = one('lang');
    if (isLang(formLang)) {
      lang = formLang;
      c.set('lang', formLang);
    }
    const values: FormValues = {
      kind: one('kind'),
      description: one('description'),
      name: one('name'),
      contact: one('contact'),
      submissionKey: one('submissionKey') || undefined,
    };
    // A filled honeypot is a bot: answer as if accepted, keep nothing.
    if (one('website')) return c.redirect('/r/thanks', 303);
    // The same form sent again (a double tap, a reload that resends): its first report's page.
    const key = values.submissionKey;
    if (key !== undefined && !isSubmissionKey(key))
      return formAgain({ ...values, submissionKey: undefined }, { form: alteredForm }, chosen.length);
    // The key this place holds the form under: its own, unless another place's report holds it.
    const formKey = key ? await submissionKeyAt(deps.aws, key, place.code) : undefined;
    // What this post carries, to tell a resend of a kept report from an edit of it (read once).
    let resentOnce: Promise<ResentReport> | undefined;
    const resent = () => (resentOnce ??= resentReport(place.code, values, photos));
    // The key the report is kept under: the form's, or for an edit of a report the form already
    // kept (Back, a change, Send: the browser kept the hidden key), one of the edit's own; the
    // report the form kept first is then named on the new one's page.
    let saveKey = formKey;
    let earlier: Report | undefined;
    const editOf = async (first: Report) => {
      earlier = first;
      saveKey = editedSubmissionKey(formKey ?? '', await resent());
      return reportOfSubmission(deps.aws, saveKey, place.code);
    };
    const firstOfForm = formKey ? await reportOfSubmission(deps.aws, formKey, place.code) : null;
    if (firstOfForm) {
      // The same form sent again unchanged (a double tap, a reload): its report, kept once.
      if (resentUnchanged(firstOfForm, await resent())) return trackedRedirect(c, firstOfForm);
      const firstOfEdit = await editOf(firstOfForm);
      if (firstOfEdit) return trackedRedirect(c, firstOfEdit, earlier);
    }
    // The same text sent again from a fresh form (Back after sending serves a new key, and the
    // browser refills what was typed): the first report's page, for a while (SAME_TEXT_SECONDS).
    // Browsers refill text, not photos: one sent again with photos chosen anew adds something,
    // so it is kept as a report of its own (triage merges the two), never answered by the first
    // with its photos dropped. Nor is one whose kind was changed: the text key does not hold it.
    let textKey =
      values.description?.trim() && chosen.length === 0
        ? sameReportKey({
            placeCode: place.code,
            name: values.name,
            contact: values.contact,
            description: values.description,
          })
        : undefined;
    const firstOfText = textKey ? await reportOfSubmission(deps.aws, textKey, place.code) : null;
    if (firstOfText) {
      if (resentUnchanged(firstOfText, await resent())) return trackedRedirect(c, firstOfText);
      // Kept beside the first, which holds the text key meanwhile.
      textKey = undefined;
    }

    // The form sent twice at once (a double tap with photos, where the text key does not apply):
    // the second waits for the first's report rather than counting against the limits again.
    const submissions = saveKey ? formSubmissions(deps.aws, saveKey) : null;
    if (submissions && !(await submissions.first())) {
      const first = await submissions.reportOfFirst(place.code);
      // The first, unless this one was changed while the first was on its way (then it is an edit).
      if (first && resentUnchanged(first, await resent())) return trackedRedirect(c, first, earlier);
      if (first && !earlier) {
        const firstOfEdit = await editOf(first);
        if (firstOfEdit) return trackedRedirect(c, firstOfEdit, earlier);
      }
    }
    let kept = false;
    // Validates, counts and keeps the report; `kept` once there is a report for the form.
    const keepReport = async (): Promise<Response> => {
      const safety = values.kind === 'safety';
      // Over a limit already: answered before the photos are checked or stored; what was typed is
      // kept on the page. Only a kept report counts (below).
      const over = safety ? await limits.spent(true) : ordinaryOver;
      if (over) return refuse(over, values, chosen.length);

      const errors: FormErrors = {};
      const parsed = reportFormSchema.safeParse({
        kind: values.kind,
        description: values.description ?? '',
        name: values.name || undefined,
        contact: values.contact || undefined,
      });
      if (!parsed.success)
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? 'description');
          errors[field] ??= issueText(field, issue.message);
        }
      if (!anonymousAllowed && parsed.success) {
        if (!parsed.data.name) errors.name = { zh: '本校要求实名报告', en: 'this school asks for your name' };
        if (!parsed.data.contact)
          errors.contact = { zh: '本校要求留下联系方式', en: 'this school asks for a contact' };
      }
      if (chosen.length > MAX_PHOTOS)
        errors.photo = { zh: `最多 ${MAX_PHOTOS} 张照片`, en: `at most ${MAX_PHOTOS} photos` };
      // An empty file is no photo: said, naming it, rather than the report going in without it.
      else if (empty.length > 0) errors.photo = emptyPhotosText(empty);
      if (!errors.photo) {
        for (const photo of photos) {
          const refused = await checkedFile({ file: photo, photosOnly: true }).then(
            () => null,
            (err: unknown) => {
              if (err instanceof EvidenceError) return err;
              throw err;
            },
          );
          if (refused) {
            errors.photo = refused.text;
            break;
          }
        }
      }
      if (!parsed.success || Object.keys(errors).length > 0) return formAgain(values, errors, chosen.length);

      // Only a report that would be kept counts against the limits: one a person must correct
      // (its text or its photos) does not.
      const overNow = await limits.count(safety);
      if (overNow) return refuse(overNow, values, chosen.length);

      const reportId = newReportId();
      let evidence: string[];
      try {
        // All or none: a photo that cannot be stored takes those stored before it away with it.
        evidence = await storeReportPhotos(deps, reportId, photos);
      } catch (err) {
        if (!(err instanceof EvidenceError)) throw err;
        return formAgain(values, { photo: err.text }, chosen.length);
      }
      const save = () =>
        saveReport(
          deps.aws,
          {
            reportId,
            placeCode: place.code,
            location: place.location,
            kind: parsed.data.kind,
            description: parsed.data.description,
            evidence,
            name: parsed.data.name || undefined,
            contact: parsed.data.contact,
            language: lang,
            receivedAt: new Date().toISOString(),
          },
          { keys: deps.signingKeys, submissionKey: saveKey, textKey },
        );
      // Kept, or the report a submit racing this one kept for the same form or text.
      const saveOrFirst = async () => {
        try {
          return { saved: await save() };
        } catch (err) {
          if (!(err instanceof DuplicateSubmissionError)) throw err;
          return { err, first: await getReport(deps.aws, err.reportId) };
        }
      };
      let outcome: Awaited<ReturnType<typeof saveOrFirst>>;
      try {
        outcome = await saveOrFirst();
        // An edit sent while the form's first submit was on its way (the wait for it ran out):
        // kept beside that report under the edit's own key, not answered by it.
        if (outcome.first && !earlier && !resentUnchanged(outcome.first, await resent())) {
          earlier = outcome.first;
          saveKey = editedSubmissionKey(formKey ?? '', await resent());
          textKey = undefined;
          outcome = await saveOrFirst();
        }
      } catch (err) {
        if (evidence.length > 0) await discardReportPhotos(deps, reportId, evidence);
        throw err;
      }
      if (!outcome.saved) {
        // Not kept: the photos stored for it are cited by nothing.
        if (evidence.length > 0) await discardReportPhotos(deps, reportId, evidence);
        // Two submits of one form (or one text) at once: the other kept the report; this answers it.
        kept = true;
        const { first } = outcome;
        if (first)
          return trackedRedirect(c, first, first.reportId === earlier?.reportId ? undefined : earlier);
        throw outcome.err;
      }
      kept = true;
      const { report, trackToken } = outcome.saved;
      const trackUrl = `${deps.publicBaseUrl}/t/${trackToken}`;
      await notifyReporter(deps, report, 'received', { trackUrl });
      await startTriageChase(deps, await directory(), report);
      return c.redirect(trackedAddress(trackToken, earlier), 303);
    };
    try {
      return await keepReport();
    } finally {
      // A later submission of the form then need not wait for this one's report.
      if (submissions && !kept) await submissions.endedUnkept();
    }
  });

  const tokenOf = (report: Report) =>
    report.trackKid ? trackTokenOf(deps.signingKeys, report.reportId, report.trackKid) : null;
  /**
   * A fresh report's tracking page; with the report its form kept before (an edit kept as a new
   * report), which that page names and links (`earlier`, its own tracking token).
   */
  const trackedAddress = (token: string, earlier?: Report) => {
    const before = earlier ? tokenOf(earlier) : null;
    return `/t/${token}?new=1${before ? `&earlier=${before}` : ''}`;
  };
  /** The tracking page of a report already kept (its token re-made from its id, trackTokenOf). */
  const trackedRedirect = (c: Ctx, report: Report, earlier?: Report) => {
    const token = tokenOf(report);
    return token ? c.redirect(trackedAddress(token, earlier), 303) : c.redirect('/r/thanks', 303);
  };

  /**
   * The report a tracking link names, its page in the language the report was made in unless its
   * reader chose one (`?lang=`, or remembered): the link is opened from a mail, maybe elsewhere.
   */
  const trackedOr404 = async (c: Ctx): Promise<Report | Response> => {
    const report = await reportByToken(deps.aws, c.req.param('token') ?? '');
    if (report) {
      const chosen = isLang(c.req.query('lang')) || isLang(getCookie(c, LANG_COOKIE));
      if (report.language && !chosen) c.set('lang', report.language);
      return report;
    }
    return publicPage(
      c,
      { zh: '链接无效', en: 'Link not valid' },
      <p {...REFUSAL_FOCUS} class="flash error" role="alert">
        {t(c.get('lang'), {
          zh: '这个跟踪链接不存在。请检查链接是否完整。',
          en: 'This tracking link names no report. Check that the link is complete.',
        })}
      </p>,
      404,
    );
  };

  /** The tracking page of a report, with the survey's field errors when a rating was refused. */
  const trackingPage = async (
    c: Ctx,
    report: Report,
    opts: {
      errors?: FormErrors;
      values?: SurveyValues;
      fresh?: boolean;
      earlier?: EarlierReport | undefined;
      status?: 200 | 400;
    } = {},
  ) => {
    const lang = c.get('lang');
    const dir = await directory();
    const place = placeByCode(dir, report.placeCode);
    const view = await caseViewOf(report);
    const photos = await signedPhotos(report.evidence, report.reportId);
    // The work the case's passed review accepted: its photos, the case's own files only (a
    // rectification may also cite the reporter's photos, which show the problem, not the result).
    const accepted = view ? acceptedWork(view) : undefined;
    const resultPhotos = accepted && view ? await signedPhotos(accepted.fixed.evidence, view.caseId) : [];
    // The page loads nothing from elsewhere but these photos, from where their short-lived signed
    // addresses point; the token in its address is handed to no one.
    const origins = [...new Set([...photos, ...resultPhotos].map((u) => new URL(u).origin))];
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'unsafe-inline'; img-src data:${origins.map((o) => ` ${o}`).join('')}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    c.header('Referrer-Policy', 'no-referrer');
    return publicPage(
      c,
      { zh: '报告进度', en: 'Report progress' },
      <TrackingView
        tz={deps.env.CAMPUS_TZ}
        lang={lang}
        token={c.req.param('token') ?? ''}
        report={report}
        placeName={place ? t(lang, place.name) : report.placeCode}
        kindLabel={t(lang, reportKindInfo[report.kind as ReportKind].label)}
        view={view}
        photos={photos}
        resultPhotos={resultPhotos}
        reportAgainUrl={place ? `/r/${place.code}` : null}
        fresh={opts.fresh ?? false}
        earlier={opts.earlier}
        trackUrl={`${deps.publicBaseUrl}/t/${c.req.param('token') ?? ''}`}
        errors={opts.errors ?? {}}
        values={opts.values ?? {}}
        raterConflict={view ? raterConflict(dir, view) : null}
      />,
      opts.status ?? 200,
    );
  };

  /**
   * Photos the page may show, as short-lived signed addresses: of the references given, only the
   * owner's own files (stored under the report's or the case's id), confirmed images whose hash is
   * the one cited; never a document. One that cannot be read is left out rather than failing the page.
   */
  const signedPhotos = async (refs: string[], owner: string): Promise<string[]> => {
    const urls = await Promise.all(
      refs.map(async (ref) => {
        const parsed = parseEvidenceRef(ref);
        if (!parsed) return null;
        const record = await getEvidence(deps, parsed.evidenceId).catch(() => null);
        if (
          !record ||
          record.caseId !== owner ||
          !record.contentType.startsWith('image/') ||
          (record.sha256 !== undefined && record.sha256 !== parsed.sha256)
        )
          return null;
        return evidenceUrl(deps, record).catch(() => null);
      }),
    );
    return urls.filter((u): u is string => u !== null);
  };

  /** The case a report became, as the workflow or its record tells it (none yet, or unreadable: null). */
  const caseViewOf = (report: Report): Promise<CaseView | null> =>
    report.caseId
      ? readCase(deps, report.caseId)
          .then((r) => r.view)
          .catch(() => null)
      : Promise.resolve(null);

  app.get('/t/:token', async (c) => {
    const report = await trackedOr404(c);
    if (report instanceof Response) return report;
    const fresh = c.req.query('new') === '1';
    // The report the same form kept before this one, when this one is an edit of it kept apart:
    // named by its own tracking token, so the address shows no one a report they could not open.
    const earlierToken = fresh ? c.req.query('earlier') : undefined;
    const before = earlierToken ? await reportByToken(deps.aws, earlierToken) : null;
    const earlier =
      before && before.reportId !== report.reportId && before.placeCode === report.placeCode
        ? { reportId: before.reportId, href: `/t/${earlierToken}` }
        : undefined;
    return trackingPage(c, report, { fresh, earlier });
  });

  // The survey's address read by itself (a reload or a bookmark of a refused rating's page): the
  // tracking page, where the survey is, rather than a 404.
  app.get('/t/:token/survey', (c) => {
    const lang = c.req.query('lang');
    const query = lang ? `?${new URLSearchParams({ lang }).toString()}` : '';
    return c.redirect(`/t/${encodeURIComponent(c.req.param('token'))}${query}#survey`, 303);
  });

  app.post('/t/:token/survey', async (c) => {
    const report = await trackedOr404(c);
    if (report instanceof Response) return report;
    const lang = c.get('lang');
    const view = await caseViewOf(report);
    // A rating refused whole: why, and the way back to the report's page (no dead end).
    const surveyRefused = (text: Bilingual, status: 400 | 403 | 409) =>
      publicPage(
        c,
        { zh: '回访', en: 'Survey' },
        <>
          <p {...REFUSAL_FOCUS} class="flash error" role="alert">
            {t(lang, text)}
          </p>
          <p>
            <a href={`/t/${c.req.param('token')}`} data-back-to-tracking>
              {t(lang, { zh: '返回报告进度页面', en: 'Back to your report’s page' })}
            </a>
          </p>
        </>,
        status,
      );
    const alreadyRated = () =>
      surveyRefused({ zh: '您已评价过，谢谢。', en: 'You have already rated this; thank you.' }, 409);
    const again = ratesAgain(view, report);
    if ((report.survey && !again) || (view && ratedByLink(view, report))) return alreadyRated();
    if (!surveyOpen(view, report))
      return surveyRefused({ zh: '处理完成后才能评价。', en: 'You can rate it once the work is done.' }, 409);
    // The case's own opener or handler, reporting under their own address, never grades their work.
    const conflict = view ? raterConflict(await directory(), view) : null;
    if (conflict) return surveyRefused(conflict, 403);
    const form = await readForm(c);
    if (!form) return surveyRefused(unreadableForm, 400);
    const parsed = surveySchema.safeParse({
      ...form,
      comment: typeof form.comment === 'string' && form.comment.trim() ? form.comment : undefined,
    });
    if (!parsed.success) {
      const errors: FormErrors = {};
      for (const i of parsed.error.issues) {
        const f = String(i.path[0]);
        errors[f] =
          f === 'comment'
            ? issueText(f, i.message)
            : { zh: '请选择 1–5 分', en: 'choose a score from 1 to 5' };
      }
      // The scores already chosen and the comment stay on the page, to finish rather than redo.
      const values: SurveyValues = {};
      for (const f of [...surveyAspects, 'comment'] as const) {
        const v = form[f];
        if (typeof v === 'string') values[f] = v;
      }
      return trackingPage(c, report, { errors, values, status: 400 });
    }
    const { comment, ...scores } = parsed.data;
    if (again && view && report.caseId) {
      const taken = await deps.temporal.workflow
        .getHandle(report.caseId)
        .executeUpdate(submitFollowUpUpdate, {
          args: [
            {
              actor: { id: reporterActorId(view.reporter)!, roles: [], via: 'link' },
              score: followUpScore(scores),
              comment: surveyComment(scores, comment, surveyQuestions(view)),
            },
          ],
        })
        .then(
          () => true,
          async (err: unknown) => {
            // Refused because another rating (a second submit, the emailed link) got there first.
            if (!ratesAgain(await caseViewOf(report), report)) return false;
            throw err;
          },
        );
      if (!taken) return alreadyRated();
      return c.redirect(`/t/${c.req.param('token')}?rated=1`, 303);
    }
    const at = new Date().toISOString();
    const first = await recordSurvey(deps.aws, report.reportId, { scores, comment, at });
    // Two submissions at once: the one recorded counts, the other is told so rather than thanked.
    if (!first) return alreadyRated();
    // The case's own follow-up step takes its own reporter's rating while it waits for one (with
    // or without an email): the lowest aspect is its score, so any poor aspect reopens the case for
    // review as an emailed rating does. A merged report's rating stays on that report: it is not
    // the case's reporter's, and is never recorded in their name.
    const reporterId = view && ownReport(view, report) ? reporterActorId(view.reporter) : undefined;
    if (view?.stage === 'follow_up' && reporterId && report.caseId) {
      await deps.temporal.workflow
        .getHandle(report.caseId)
        .executeUpdate(submitFollowUpUpdate, {
          args: [
            {
              actor: { id: reporterId, roles: [], via: 'link' },
              score: followUpScore(scores),
              comment: surveyComment(scores, comment, surveyQuestions(view)),
            },
          ],
        })
        .catch((err: unknown) => {
          // The rating is kept on the report either way; a case that stopped waiting only misses the copy.
          console.warn(`[intake] follow-up of ${report.caseId} not taken`, err);
        });
    }
    return c.redirect(`/t/${c.req.param('token')}?rated=1`, 303);
  });

  return app;
}

/** A report the same form kept before, as a fresh report's page links it. */
interface EarlierReport {
  reportId: string;
  /** Its tracking page. */
  href: string;
}

/**
 * Said on the page of a report kept from a form that had already been sent (Back, a change, Send
 * again, the browser keeping the form's hidden key): what was changed is this new report, and the
 * earlier one stands as it was sent, so nobody takes their change to have replaced it.
 */
const editKeptApart = (earlierId: string): Bilingual => ({
  zh: `这是一份新报告，内容是您修改后提交的。您之前用同一表单提交的报告 ${earlierId} 也已收到，内容保持原样，没有被修改。负责人员会看到两份报告；如果这次只是更正前一份，无需再做什么，他们可以把两份合并处理。`,
  en: `This is a new report, with what you changed. The report you sent earlier from the same form, ${earlierId}, was received too and stays as it was sent: it was not changed. Staff see both; if you only meant to correct the earlier one, there is nothing more to do: they can handle the two as one.`,
});

function TrackingView(props: {
  lang: Lang;
  token: string;
  report: Report;
  placeName: string;
  kindLabel: string;
  view: CaseView | null;
  /** Signed addresses of the reporter's own photos. */
  photos: string[];
  /** Signed addresses of the photos of the work the passed review accepted. */
  resultPhotos: string[];
  /** The report form of the report's place, to report again (null when the place is gone). */
  reportAgainUrl: string | null;
  fresh: boolean;
  /** The report the same form kept before this one, of which this one is an edit. */
  earlier?: EarlierReport | undefined;
  trackUrl: string;
  errors: FormErrors;
  /** What a refused rating sent, put back in the survey. */
  values: SurveyValues;
  raterConflict: Bilingual | null;
  /** The campus time zone (CAMPUS_TZ) times are told in. */
  tz: string;
}) {
  const { lang, report, view } = props;
  const when = (iso: string) =>
    new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: props.tz,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
  const status = trackedStatus(report.status, view?.stage);
  const withdrawn = status === 'withdrawn';
  // The case clocks the standards promise the reporter (on site within 2 hours, done within 24 …).
  const clocks = view ? clockStatuses(view, Date.now()) : [];
  const accepted = view ? acceptedWork(view) : undefined;
  // The survey is shown: not rated here yet (or the case waits for a new rating), and open.
  const rateable = !((report.survey && !ratesAgain(view, report)) || !surveyOpen(view, report));
  // Where the case stands for this reader, while it runs (an ended one is its status).
  const progress =
    view && (status === 'case' || status === 'merged')
      ? caseProgress(view, rateable && !props.raterConflict)
      : undefined;
  // A step that came more than once is told with its turn (the first re-inspection, the second).
  const sameStep = (d: DeadlineView) => view?.deadlines.filter((x) => x.stage === d.stage) ?? [d];
  const merged = view !== null && report.status === 'merged';
  // The case's rating by its reporter, when it is another than this page's (say the emailed link's).
  const ratings = view ? caseRatings(view, report) : undefined;
  const caseRating = ratings && !ratings.pageIsLatest ? ratings.latest : undefined;
  // The survey asks what fits the case (a repair's quality, a complaint's handling …).
  const questions = surveyQuestions(view ?? reportKindInfo[report.kind]);
  const scoresText = (r: { score?: number; scores?: Record<SurveyAspect, number> | undefined }) =>
    r.scores
      ? surveyAspects.map((a) => `${t(lang, questions[a])} ${r.scores![a]}/5`).join(' · ')
      : `${r.score ?? ''}/5`;
  // The reporter's own words with a rating, given back as they wrote them.
  const commentText = (comment: string | undefined) =>
    comment ? (
      <span data-rating-comment style="display:block;white-space:pre-wrap;overflow-wrap:anywhere">
        {t(lang, { zh: '您的意见：', en: 'Your comment: ' })}
        {comment}
      </span>
    ) : null;
  // The reporter's own low rating sent the case back to review; the case is on it until rated again.
  const reopened =
    view !== null &&
    ownReport(view, report) &&
    view.followUp?.outcome === 'reopened' &&
    !isTerminal(view.stage);
  const refused = Object.keys(props.errors).length > 0;
  return (
    <div class="stack">
      {refused ? (
        // The survey sits below the report's facts, past the first screen of a phone: say so up here.
        <div tabindex={-1} autofocus data-error-summary class="flash error" role="alert" data-survey-refused>
          {t(lang, {
            zh: '评价未提交：请修改下面回访评价中标出的内容后再提交。',
            en: 'Your rating was not sent: correct what is marked in the survey below, then send it.',
          })}{' '}
          <a href="#survey">{t(lang, { zh: '转到回访评价', en: 'Go to the survey' })}</a>
        </div>
      ) : null}
      {props.fresh ? (
        <div class="flash ok" role="status">
          {t(lang, {
            zh: '报告已收到。请保存本页链接（收藏或截图），随时查看处理进度。',
            en: 'Your report was received. Keep this page’s link (bookmark or screenshot) to follow it.',
          })}
          <p>
            <code>{props.trackUrl}</code>
          </p>
        </div>
      ) : null}
      {props.fresh && props.earlier ? (
        <div class="flash" role="status" data-edit-kept-apart>
          <p>
            {t(lang, editKeptApart(props.earlier.reportId))}{' '}
            <a href={props.earlier.href}>
              {t(lang, { zh: '查看之前的报告 ', en: 'See the earlier report ' })}
              {props.earlier.reportId}
            </a>
          </p>
        </div>
      ) : null}
      {/* A safety report waits for triage like any other: until its case ends, say what not to wait for. */}
      {report.kind === 'safety' && (status === 'received' || status === 'case' || status === 'merged') ? (
        <EmergencyAdvice lang={lang} prominent={props.fresh} />
      ) : null}
      <dl class="facts">
        <dt>{t(lang, { zh: '报告编号', en: 'Report' })}</dt>
        <dd>{report.reportId}</dd>
        <dt>{t(lang, { zh: '地点', en: 'Place' })}</dt>
        <dd>{props.placeName}</dd>
        <dt>{t(lang, { zh: '类型', en: 'Kind' })}</dt>
        <dd>{props.kindLabel}</dd>
        <dt>{t(lang, { zh: '报告时间', en: 'Reported at' })}</dt>
        <dd>{when(report.receivedAt)}</dd>
        <dt>{t(lang, { zh: '状态', en: 'Status' })}</dt>
        <dd data-status={status} data-progress={progress}>
          <strong>
            {t(
              lang,
              progress && status === 'case' ? caseProgressLabel[progress] : trackedStatusLabel[status],
            )}
          </strong>
          {progress && status === 'merged' ? (
            <p data-case-progress>
              {t(lang, { zh: '案件进度：', en: 'Where the case stands: ' })}
              {t(lang, caseProgressLabel[progress])}
            </p>
          ) : null}
          {report.reason ? (
            <p>
              {t(lang, { zh: '原因：', en: 'Reason: ' })}
              {reportReasonIn(report.reason, lang)}
            </p>
          ) : null}
          {status === 'rejected' ? (
            <p data-next-step>
              {t(lang, {
                zh: '如果问题仍然存在，可以补充更多细节（具体位置、现象、照片）后重新报告，或直接联系本楼的宿舍管理员或楼层网格员。',
                en: 'If the problem is still there, you can report it again with more detail (exactly where, what you see, a photo), or tell the building’s dormitory office or your floor’s grid member directly.',
              })}
              {props.reportAgainUrl ? (
                <>
                  {' '}
                  <a href={props.reportAgainUrl}>{t(lang, { zh: '重新报告', en: 'Report it again' })}</a>
                </>
              ) : null}
            </p>
          ) : null}
          {reopened ? (
            <p data-reopened>
              {t(
                lang,
                view?.stage === 'follow_up'
                  ? {
                      zh: '您的评价未达满意，案件已退回重新复查；复查已再次通过，请重新评价。',
                      en: 'Your rating sent the case back for another re-inspection; it has passed it: please rate it again.',
                    }
                  : {
                      zh: '您的评价未达满意，案件已退回重新复查；复查通过后可再次评价。',
                      en: 'As your rating was not satisfied, the case was sent back for another re-inspection; once it passes, you can rate it again.',
                    },
              )}
            </p>
          ) : null}
          {withdrawn && view?.withdrawal ? (
            <p data-withdrawal-reason>
              {t(lang, { zh: '原因：', en: 'Reason: ' })}
              {reportReasonIn(view.withdrawal.reason, lang)}
            </p>
          ) : null}
        </dd>
        {report.caseId ? (
          <>
            <dt>{t(lang, { zh: '案件编号', en: 'Case' })}</dt>
            <dd>{report.caseId}</dd>
          </>
        ) : null}
      </dl>
      <section data-reported>
        <h2>{t(lang, { zh: '您报告的内容', en: 'What you reported' })}</h2>
        <p style="white-space:pre-wrap;overflow-wrap:anywhere">{report.description}</p>
        {props.photos.length > 0 ? (
          <div class="thumbs" data-report-photos>
            {props.photos.map((src, n) => (
              <a href={src}>
                <img src={src} alt={`${t(lang, { zh: '您拍的照片', en: 'Your photo' })} ${n + 1}`} />
              </a>
            ))}
          </div>
        ) : null}
      </section>
      {view && clocks.length > 0 ? (
        <section>
          <h2>{t(lang, { zh: '服务承诺', en: 'What we promised' })}</h2>
          <ul class="clocks">
            {clocks.map((k) => (
              <li data-clock={k.id} data-state={k.state}>
                {t(lang, k.label)}
                {colon(lang)}
                {when(k.due)} · {t(lang, unrecordedPromise(k, view.stage) ?? trackedDeadlineLabel[k.state])}
                {k.metAt ? ` (${when(k.metAt)})` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {view && !withdrawn ? (
        <section>
          <h2>{t(lang, { zh: '处理进度', en: 'Progress' })}</h2>
          <ul>
            {stepsInOrder(view.deadlines).map((d) => {
              const turns = sameStep(d);
              const step = t(
                lang,
                turns.length > 1 ? numberedStep(d.stage, turns.indexOf(d) + 1) : trackedStepLabel[d.stage],
              );
              // A re-inspection is told by what it found, when it found it; its deadline says nothing of that.
              const review =
                d.stage === 'reviewing' ? view.reviews.find((r) => r.round === d.round) : undefined;
              // Done: when, on time or late; running: by when (a deadline is no time of doing).
              const standing = stepStanding(d);
              return review ? (
                <li data-step={d.stage} data-review={review.passed ? 'passed' : 'failed'}>
                  {step}
                  {colon(lang)}
                  {t(lang, reviewOutcomeLabel(review))}
                  {paren(lang, when(review.at))}
                </li>
              ) : (
                <li data-step={d.stage} data-state={d.state}>
                  {step}
                  {colon(lang)}
                  {t(lang, standing.text)}
                  {paren(
                    lang,
                    `${standing.due ? t(lang, { zh: '期限 ', en: 'due ' }) : ''}${when(standing.at)}`,
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {accepted ? (
        <section data-result>
          <h2>{t(lang, { zh: '处理结果', en: 'The result' })}</h2>
          <p>{accepted.fixed.summary}</p>
          {props.resultPhotos.length > 0 ? (
            <div class="thumbs" data-result-photos>
              {props.resultPhotos.map((src, n) => (
                <a href={src}>
                  <img
                    src={src}
                    alt={`${t(lang, { zh: '整改后的照片', en: 'Photo after the work' })} ${n + 1}`}
                  />
                </a>
              ))}
            </div>
          ) : null}
          <p class="muted">
            {t(lang, { zh: '整改完成：', en: 'Work reported: ' })}
            {when(accepted.fixed.at)} · {t(lang, { zh: '复查通过：', en: 'Passed re-inspection: ' })}
            {when(accepted.passed.at)}
          </p>
        </section>
      ) : null}
      {merged && surveyOpen(view, report) ? (
        <p class="muted" data-merged-survey>
          {t(lang, {
            zh: `您的报告已并入案件 ${report.caseId ?? ''}，该案件由最先报告的人回访评价。您的评价只记录在本报告上，供管理人员参考，不计入该案件的回访结果。`,
            en: `Your report was merged into case ${report.caseId ?? ''}, which the first reporter rates. Your rating is kept with this report for the staff to read; it does not count as the case's rating.`,
          })}
        </p>
      ) : null}
      {caseRating?.outcome === 'rated' ? (
        <p class="flash ok" role="status" data-rating="closing">
          {t(lang, {
            zh: '感谢您的评价，案件已按此办结：',
            en: 'Thank you for rating; the case closed on it: ',
          })}
          {scoresText(caseRating)}
          {commentText(caseRating.comment)}
        </p>
      ) : caseRating ? (
        <p class="flash" role="status" data-rating="latest">
          {t(lang, { zh: '您的评价：', en: 'Your rating: ' })}
          {scoresText(caseRating)}
          {commentText(caseRating.comment)}
        </p>
      ) : null}
      {report.survey && caseRating ? (
        <p class="muted" data-rating="earlier">
          {lang === 'en'
            ? `Your earlier rating on this page (${when(report.survey.at)}): `
            : `您此前在本页的评价（${when(report.survey.at)}）：`}
          {scoresText(report.survey)}
          {ratings?.pageReopened
            ? t(lang, {
                zh: '；未达满意，案件因此退回重新复查',
                en: '; it sent the case back for another re-inspection',
              })
            : ''}
          {commentText(report.survey.comment)}
        </p>
      ) : report.survey ? (
        <p class="flash ok" role="status">
          {t(lang, { zh: '感谢您的评价：', en: 'Thank you for rating: ' })}
          {scoresText(report.survey)}
          {merged
            ? t(lang, {
                zh: '（仅记录在本报告上，不计入案件的回访结果）',
                en: ' (kept with this report only; not the case’s rating)',
              })
            : ''}
          {commentText(report.survey.comment)}
        </p>
      ) : null}
      {!rateable ? null : props.raterConflict ? (
        <p class="flash" role="status">
          {t(lang, props.raterConflict)}
        </p>
      ) : (
        <form method="post" action={`/t/${props.token}/survey`} class="stack" id="survey">
          <IntakeStyle />
          <h2>{t(lang, { zh: '回访评价', en: 'How did we do?' })}</h2>
          {surveyAspects.map((a) => (
            <fieldset
              {...(props.errors[a] ? { 'aria-describedby': `${a}-error`, 'aria-invalid': 'true' } : {})}
            >
              <legend>{t(lang, questions[a])}</legend>
              {ratingScores.map((n) => (
                <label class="choice">
                  <input
                    type="radio"
                    name={a}
                    value={String(n)}
                    required
                    checked={props.values[a] === String(n)}
                  />{' '}
                  {t(lang, ratingScoreLabel(n))}
                </label>
              ))}
              {props.errors[a] ? (
                <p class="error" id={`${a}-error`}>
                  {t(lang, props.errors[a])}
                </p>
              ) : null}
            </fieldset>
          ))}
          <label for="comment">{t(lang, { zh: '意见（选填）', en: 'Comment (optional)' })}</label>
          <textarea
            id="comment"
            name="comment"
            rows={3}
            maxlength={SURVEY_COMMENT_MAX}
            {...(props.errors.comment ? { 'aria-describedby': 'comment-error', 'aria-invalid': 'true' } : {})}
          >
            {props.values.comment ?? ''}
          </textarea>
          {props.errors.comment ? (
            <p class="error" id="comment-error">
              {t(lang, props.errors.comment)}
            </p>
          ) : null}
          <button type="submit">{t(lang, { zh: '提交评价', en: 'Send rating' })}</button>
        </form>
      )}
    </div>
  );
}
