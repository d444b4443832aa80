// Longer than most modules because the pickers, their no-JavaScript fallback and the double-submit key belong to one form.
import { formOr400 } from '../../form-body.ts';
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Directory, Floor, Location, Person } from '../../../domain/directory.ts';
import { placeNameOf } from '../../../domain/place-name.ts';
import { severities, sources } from '../../../domain/sla.ts';
import { standardItem, standards } from '../../../domain/standards/catalogue.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { personChoiceLabels } from '../../../domain/person-option.ts';
import { reportKindInfo } from '../../../domain/intake.ts';
import { openablePlaces, openRefusal } from '../../middleware/access.ts';
import type { Caller } from '../../auth.ts';
import { openNewCase } from '../../case-service.ts';
import { directoryOrFail } from '../../reads.ts';
import type { AppDeps } from '../../deps.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { idempotencyKeySchema, newCaseSchema } from '../../schemas.ts';
import { listCases } from '../../../store/case-lists.ts';
import { findClaim } from '../../../store/idempotency.ts';
import type { CaseView } from '../../../domain/case-model.ts';
import { Csrf, Field, severityLabels, sourceLabels, type FieldErrors, type FieldLink } from '../ui.tsx';
import { EvidenceError, MAX_EVIDENCE_BYTES } from '../../../store/evidence.ts';
import { ProblemError } from '../../middleware/problems.ts';
import {
  adoptPhotos,
  chooseAgain,
  claimKept,
  keptOwner,
  keptPhotos,
  KEPT_FIELD,
  releaseKept,
  MAX_NEW_CASE_PHOTOS,
  notKept,
  PHOTO_FIELD,
  photoLineLength,
  photoProblem,
  photosOfClaim,
  postedPhotos,
  samePhotos,
  stageChosen,
  stagePhoto,
  withPhotoCount,
  stagingOwner,
  withPhotoLine,
  type KeptPhoto,
} from './new-case-photos.ts';
import { PHOTO_CHECK_ID, photoCheckScript } from './new-case-photo-check.ts';
import {
  formValues,
  optional,
  page,
  parseForm,
  redirectWithFlash,
  refusalOf,
  viewerOf,
  type WebContext,
} from './web-kit.tsx';

/** Roles that may open a case somewhere (access.ts openRefusal decides where). */
export const OPENER_ROLES = ['supervisor', 'grid_member', 'admin', 'working_group'] as const;
export const mayOpenCases = (viewer: Caller) =>
  viewer.person.roles.some((r) => (OPENER_ROLES as readonly string[]).includes(r));

/** Whether a page offers this viewer a new case: by role, and only where their grid covers a place. */
export const offersNewCase = (c: WebContext) => {
  const viewer = c.get('viewer');
  return !!viewer && mayOpenCases(viewer) && !(c.get('navHidden') ?? []).includes('/app/cases/new');
};

const staffKindLabels = {
  manager: { zh: '管理员', en: 'Managers' },
  duty: { zh: '值班员', en: 'Duty staff' },
  cleaner: { zh: '保洁员', en: 'Cleaners' },
  repair: { zh: '维修员', en: 'Repair staff' },
  other: { zh: '其他员工', en: 'Other staff' },
} as const;

/** The categories with rules of their own (SLA, questions, KPIs), each by its label. */
const namedCategories = Object.values(reportKindInfo).map((k) => ({ id: k.category, label: k.label }));

/**
 * The category a person typed: a named one's label in either language ("安全隐患", "safety hazard")
 * is that category ("safety"), as the hint and the suggestions name them; anything else (an id, a
 * category of the campus's own) is kept as typed.
 */
export function typedCategory(typed: string | undefined): string | undefined {
  const text = typed?.trim();
  if (!text) return undefined;
  const named = namedCategories.find(
    (c) => c.label.zh === text || c.label.en.toLowerCase() === text.toLowerCase(),
  );
  return named?.id ?? text;
}

const CATEGORY_CHOICES_ID = 'category-choices';

const formSchema = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  severity: z.string().optional(),
  category: z.string().optional(),
  itemId: z.string().optional(),
  buildingId: z.string().optional(),
  floorId: z.string().optional(),
  roomId: z.string().optional(),
  assigneeId: z.string().optional(),
  reporterName: z.string().optional(),
  reporterEmail: z.string().optional(),
  idempotencyKey: z.string().optional(),
  /** The earlier case's number, ticked on the form that names it: open this one all the same. */
  openAnyway: z.string().optional(),
});

/**
 * The place's fields against the campus grid, each wrong one named in words beside its field
 * (a room that is not on the chosen floor), not the API's "no such place" with the location's JSON.
 */
function placeErrors(dir: Directory, loc: Location): FieldErrors {
  const building = dir.buildings.find((b) => b.id === loc.buildingId);
  if (!building) return {};
  const floor = loc.floorId ? building.floors.find((f) => f.id === loc.floorId) : undefined;
  if (loc.floorId && !floor)
    return {
      floorId: {
        zh: `所选楼层不在「${building.name.zh}」中，请重新选择楼层`,
        en: `the floor chosen is not in ${building.name.en}; choose the floor again`,
      },
    };
  if (!loc.roomId) return {};
  const on = (f: Floor) => f.clusters.some((c) => c.rooms.includes(loc.roomId ?? ''));
  if (floor ? on(floor) : building.floors.some(on)) return {};
  const elsewhere = building.floors.find(on);
  return {
    roomId: floor
      ? {
          zh: `房间 ${loc.roomId} 不在所选楼层「${floor.name.zh}」${elsewhere ? `（它在「${elsewhere.name.zh}」）` : ''}，请重新选择房间或楼层`,
          en: `room ${loc.roomId} is not on the floor chosen (${floor.name.en})${elsewhere ? `; it is on ${elsewhere.name.en}` : ''}: choose the room or the floor again`,
        }
      : {
          zh: `房间 ${loc.roomId} 不在「${building.name.zh}」中，请重新选择房间`,
          en: `room ${loc.roomId} is not in ${building.name.en}; choose the room again`,
        },
  };
}

// Errors come keyed by the API body's paths; the form's fields have flat names.
const fieldFor: Record<string, string> = {
  'location.buildingId': 'buildingId',
  'location.floorId': 'floorId',
  'location.roomId': 'roomId',
  location: 'roomId',
  'reporter.name': 'reporterName',
  'reporter.email': 'reporterEmail',
  reporter: 'reporterName',
};
const fieldNames: Record<string, { zh: string; en: string }> = {
  title: { zh: '问题标题', en: 'Title' },
  description: { zh: '问题描述', en: 'Description' },
  photos: { zh: '照片', en: 'Photos' },
  source: { zh: '来源', en: 'Source' },
  severity: { zh: '严重程度', en: 'Severity' },
  category: { zh: '类别', en: 'Category' },
  buildingId: { zh: '楼栋', en: 'Building' },
  floorId: { zh: '楼层', en: 'Floor' },
  roomId: { zh: '房间', en: 'Room' },
  assigneeId: { zh: '负责人', en: 'Assignee' },
  itemId: { zh: '引用标准条目', en: 'Cited 6T item' },
  reporterName: { zh: '报告人姓名', en: 'Reporter’s name' },
  reporterEmail: { zh: '报告人邮箱', en: 'Reporter’s email' },
};

/** The labels by the API body's paths, for parseForm to name each field as the form does. */
const bodyLabels: Record<string, Bilingual> = Object.fromEntries(
  Object.entries(fieldNames).map(([k, v]) => [
    Object.entries(fieldFor).find(([, flat]) => flat === k)?.[0] ?? k,
    v,
  ]),
);

/**
 * The form's dropdowns: any value the schema refuses there came from no option of the list (an
 * empty choice, a tampered page), so it is told as a choice to make, not as the API's id rules
 * ("须为名录中员工的编号，如 staff-zhou").
 */
const choices: Record<string, Bilingual> = {
  source: { zh: '来源', en: 'the source' },
  severity: { zh: '严重程度', en: 'the severity' },
  itemId: { zh: '引用的标准条目', en: 'the 6T item' },
  buildingId: { zh: '楼栋', en: 'the building' },
  floorId: { zh: '楼层', en: 'the floor' },
  roomId: { zh: '房间', en: 'the room' },
};

function choiceError(field: string, value: string): Bilingual | undefined {
  // Named as the field's label is (负责人 / Assignee), so the banner and its item agree.
  if (field === 'assigneeId')
    return value.trim() === ''
      ? { zh: '请选择负责人', en: 'Choose the assignee' }
      : { zh: '请从列表中选择负责人', en: 'Choose the assignee from the list' };
  const what = choices[field];
  if (!what) return undefined;
  return value.trim() === ''
    ? { zh: `请选择${what.zh}`, en: `Choose ${what.en}` }
    : { zh: `请从列表中选择${what.zh}`, en: `Choose ${what.en} from the list` };
}

/** The banner over a refused form: which fields to correct, by their labels. */
function fieldsBanner(errors: FieldErrors): { zh: string; en: string } | null {
  const named = Object.keys(errors).flatMap((k) => (fieldNames[k] ? [fieldNames[k]] : []));
  if (named.length === 0) return null;
  return {
    zh: `没有新建案件，请修改：${named.map((n) => n.zh).join('、')}`,
    en: `No case was opened; correct: ${named.map((n) => n.en).join(', ')}`,
  };
}

/** The banner's way to each field it names: the control's id is `f-` and its name (ui.tsx Field). */
const fieldLinks = (errors: FieldErrors): FieldLink[] =>
  Object.entries(errors).flatMap(([k, text]) => (fieldNames[k] ? [{ href: `#f-${k}`, text }] : []));

/** newCaseSchema's bound on the description, which the photo line shares with what was typed. */
const DESCRIPTION_MAX = 5000;

/** How long after a case the same person's same case (title, place, assignee) is taken for a repeat. */
export const REPEAT_WINDOW_MINUTES = 10;

/**
 * The case this person opened in the last minutes with the same title, place and assignee: a
 * form sent again after Back (a fresh page carries a fresh submission key) is most likely a repeat.
 */
async function recentTwin(
  deps: AppDeps,
  viewer: Caller,
  body: { title: string; location: Location; assigneeId: string },
): Promise<CaseView | null> {
  const same = (a: string | undefined, b: string | undefined) => (a ?? '') === (b ?? '');
  const found = await listCases(deps.aws.ddb, deps.aws.tables, {
    filters: {
      assigneeId: body.assigneeId,
      from: new Date(Date.now() - REPEAT_WINDOW_MINUTES * 60_000).toISOString(),
    },
    limit: 1,
    keep: (v) =>
      v.openedBy === viewer.person.id &&
      v.title.trim() === body.title.trim() &&
      same(v.location.buildingId, body.location.buildingId) &&
      same(v.location.floorId, body.location.floorId) &&
      same(v.location.roomId, body.location.roomId),
  });
  return found.items[0] ?? null;
}

const flatErrors = (errors: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [fieldFor[k] ?? k, v]));

// Without JavaScript every level lists everything (grouped); this only narrows the lower lists.
const PICKER_SCRIPT = `(function(){
var b=document.getElementById('f-buildingId'),f=document.getElementById('f-floorId'),r=document.getElementById('f-roomId');
if(!b||!f||!r)return;
function sync(){
  f.querySelectorAll('optgroup').forEach(function(g){var on=!b.value||g.dataset.building===b.value;g.hidden=!on;g.disabled=!on;});
  if(f.selectedOptions[0]&&f.selectedOptions[0].parentElement.disabled)f.value='';
  r.querySelectorAll('optgroup').forEach(function(g){var on=(!b.value||g.dataset.building===b.value)&&(!f.value||g.dataset.floor===f.value);g.hidden=!on;g.disabled=!on;});
  if(r.selectedOptions[0]&&r.selectedOptions[0].parentElement.disabled)r.value='';
}
b.addEventListener('change',sync);f.addEventListener('change',sync);sync();
})();`;

/** The line over the photos a refused form kept, which names their list. */
const KEPT_NOTE_ID = 'f-photos-kept';

function NewCaseForm(props: {
  lang: Lang;
  dir: Directory;
  viewer: Caller;
  csrfToken: string;
  values: Record<string, string>;
  errors: FieldErrors;
  /** An earlier case this form seems to repeat: named, with a box to open this one anyway. */
  twin?: CaseView | null | undefined;
  /** Photos a refused post already stored: offered again, ticked, so they are not taken twice or lost. */
  kept: KeptPhoto[];
}) {
  const { lang, dir, values, errors } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const buildings = openablePlaces(props.viewer, dir);
  // A floor's or a room's grid member may not open a case for a whole building (or floor): the
  // form offers no blank choice the API would then refuse, and the first place is preselected.
  const opens = (loc: Location) => openRefusal(props.viewer, dir, loc) === null;
  const wholeBuilding = buildings.some((b) => opens({ buildingId: b.id }));
  const wholeFloor = buildings.some((b) => b.floors.some((f) => opens({ buildingId: b.id, floorId: f.id })));
  const staff = dir.people.filter((p) => p.roles.includes('staff'));
  const kinds = Object.keys(staffKindLabels) as (keyof typeof staffKindLabels)[];
  const staffOf = (k: keyof typeof staffKindLabels): Person[] =>
    staff.filter((p) => (p.staffKind ?? 'other') === k);
  // Name and trade, not the directory's id (the option's value): "赵伟（管理）".
  const staffLabels = personChoiceLabels(staff, lang, dir.departments);
  const common = { lang, errors };
  return (
    <form method="post" action="/app/cases/new" enctype="multipart/form-data" class="card" novalidate>
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="idempotencyKey" value={values.idempotencyKey ?? randomUUID()} />
      <Field
        {...common}
        name="title"
        label={{ zh: '问题标题', en: 'Title' }}
        control={(a) => <input {...a} type="text" required maxlength={200} value={values.title ?? ''} />}
      />
      <Field
        {...common}
        name="description"
        label={{ zh: '问题描述', en: 'Description' }}
        control={(a) => (
          <textarea {...a} required maxlength={DESCRIPTION_MAX}>
            {values.description ?? ''}
          </textarea>
        )}
      />
      <Field
        {...common}
        name={PHOTO_FIELD}
        label={{ zh: '照片', en: 'Photos' }}
        hint={{
          zh: `可选，可直接拍照；最多 ${MAX_NEW_CASE_PHOTOS} 张，每张不超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB（JPEG、PNG、WebP）`,
          en: `optional, take them or choose them; up to ${MAX_NEW_CASE_PHOTOS}, ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB each (JPEG, PNG, WebP)`,
        }}
        control={(a) => (
          <>
            <input
              {...a}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              multiple
            />
            <p class="field-error" id={PHOTO_CHECK_ID} role="alert" hidden></p>
            {props.kept.length > 0 && (
              <p class="hint" id={KEPT_NOTE_ID}>
                {t(
                  '以下照片已保存，再次提交时一并附上，无需重新选择：',
                  'These photos are stored and go with the form when you submit it again; no need to choose them again:',
                )}
              </p>
            )}
            {props.kept.length > 0 && (
              <ul class="kept-photos" data-kept-photos aria-labelledby={KEPT_NOTE_ID}>
                {props.kept.map((k, n) => (
                  <li>
                    <label>
                      <input type="checkbox" name={KEPT_FIELD} value={k.ref} checked />{' '}
                      {t(
                        `已保存的照片 ${n + 1}：${k.fileName}（取消勾选则不附上）`,
                        `Photo ${n + 1} already stored: ${k.fileName} (untick to leave it out)`,
                      )}
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      />
      <div class="grid">
        <Field
          {...common}
          name="source"
          label={{ zh: '来源', en: 'Source' }}
          control={(a) => (
            <select {...a} required>
              {sources.map((s) => (
                <option value={s} selected={(values.source ?? 'inspection') === s}>
                  {inLang(sourceLabels[s], lang)}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          {...common}
          name="severity"
          label={{ zh: '严重程度', en: 'Severity' }}
          control={(a) => (
            <select {...a} required>
              {severities.map((s) => (
                <option value={s} selected={(values.severity ?? 'routine') === s}>
                  {inLang(severityLabels[s], lang)}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          {...common}
          name="category"
          label={{ zh: '类别', en: 'Category' }}
          // Named by their labels, never the stored ids ("safety"), which a campus user does not
          // read; the field's suggestions list them all, the hint a few (a narrow column).
          hint={{
            zh: `可选，如${namedCategories
              .slice(0, 3)
              .map((c) => c.label.zh)
              .join('、')}等，也可自行填写`,
            en: `optional, e.g. ${namedCategories
              .slice(0, 3)
              .map((c) => c.label.en.toLowerCase())
              .join(', ')}, or your own`,
          }}
          control={(a) => (
            <>
              <input
                {...a}
                type="text"
                maxlength={64}
                list={CATEGORY_CHOICES_ID}
                value={values.category ?? ''}
              />
              <datalist id={CATEGORY_CHOICES_ID}>
                {namedCategories.map((c) => (
                  <option value={inLang(c.label, lang)} />
                ))}
              </datalist>
            </>
          )}
        />
        <Field
          {...common}
          name="itemId"
          label={{ zh: '引用标准条目', en: 'Cited 6T item' }}
          hint={{ zh: '可选，见“6T标准”页', en: 'optional, see the 6T standards page' }}
          control={(a) => (
            <select {...a}>
              <option value="">{t('（不引用）', '(none)')}</option>
              {standards.dimensions.map((d) => (
                <optgroup label={inLang(d.name, lang)}>
                  {d.items.map((it) => (
                    <option value={it.id} selected={values.itemId === it.id}>
                      {`${inLang(d.short, lang)} ${it.number} ${inLang(it.item, lang)}`}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        />
      </div>
      <fieldset>
        <legend>{t('位置', 'Place')}</legend>
        <div class="grid">
          <Field
            {...common}
            name="buildingId"
            label={{ zh: '楼栋', en: 'Building' }}
            control={(a) => (
              <select {...a} required>
                <option value="">{t('请选择', 'Choose')}</option>
                {buildings.map((b) => (
                  <option value={b.id} selected={values.buildingId === b.id}>
                    {inLang(b.name, lang)}
                  </option>
                ))}
              </select>
            )}
          />
          <Field
            {...common}
            name="floorId"
            label={{ zh: '楼层', en: 'Floor' }}
            hint={wholeBuilding ? { zh: '可选', en: 'optional' } : undefined}
            control={(a) => (
              <select {...a} required={!wholeBuilding}>
                {wholeBuilding ? <option value="">{t('（整栋）', '(whole building)')}</option> : null}
                {buildings.map((b) => (
                  <optgroup label={inLang(b.name, lang)} data-building={b.id}>
                    {b.floors.map((f) => (
                      <option value={f.id} selected={values.floorId === f.id}>
                        {inLang(f.name, lang)}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          />
          <Field
            {...common}
            name="roomId"
            label={{ zh: '房间', en: 'Room' }}
            hint={wholeFloor ? { zh: '可选', en: 'optional' } : undefined}
            control={(a) => (
              <select {...a} required={!wholeFloor}>
                {wholeFloor ? (
                  <option value="">{t('（整层或公共区域）', '(whole floor or public area)')}</option>
                ) : null}
                {buildings.flatMap((b) =>
                  b.floors.map((f) => (
                    <optgroup
                      label={inLang(placeNameOf(dir, { buildingId: b.id, floorId: f.id }), lang)}
                      data-building={b.id}
                      data-floor={f.id}
                    >
                      {f.clusters
                        .flatMap((c) => c.rooms)
                        .map((room) => (
                          <option value={room} selected={values.roomId === room}>
                            {room}
                          </option>
                        ))}
                    </optgroup>
                  )),
                )}
              </select>
            )}
          />
        </div>
      </fieldset>
      <Field
        {...common}
        name="assigneeId"
        label={{ zh: '负责人（员工）', en: 'Assignee (staff)' }}
        control={(a) => (
          <select {...a} required>
            <option value="">{t('请选择', 'Choose')}</option>
            {kinds.map((k) =>
              staffOf(k).length === 0 ? null : (
                <optgroup label={inLang(staffKindLabels[k], lang)}>
                  {staffOf(k).map((p) => (
                    <option value={p.id} selected={values.assigneeId === p.id}>
                      {staffLabels.get(p.id)}
                    </option>
                  ))}
                </optgroup>
              ),
            )}
          </select>
        )}
      />
      <fieldset>
        <legend>{t('报告人（可选，结案后回访）', 'Reporter (optional, asked to rate the result)')}</legend>
        <div class="grid">
          <Field
            {...common}
            name="reporterName"
            label={{ zh: '姓名', en: 'Name' }}
            control={(a) => <input {...a} type="text" maxlength={100} value={values.reporterName ?? ''} />}
          />
          <Field
            {...common}
            name="reporterEmail"
            label={{ zh: '邮箱', en: 'Email' }}
            control={(a) => (
              <input
                {...a}
                type="email"
                maxlength={254}
                autocomplete="off"
                value={values.reporterEmail ?? ''}
              />
            )}
          />
        </div>
      </fieldset>
      {props.twin && (
        <fieldset class="flash error" data-repeat-of={props.twin.caseId}>
          <legend>{t('可能是重复提交', 'This may be a repeat')}</legend>
          <p id={`${OPEN_ANYWAY_ID}-why`}>
            {t(
              `您在 ${REPEAT_WINDOW_MINUTES} 分钟内已新建过标题、位置和负责人都相同的案件 `,
              `Within ${REPEAT_WINDOW_MINUTES} minutes you opened a case with the same title, place and assignee: `,
            )}
            <a href={`/app/cases/${encodeURIComponent(props.twin.caseId)}`}>
              {props.twin.caseId} {props.twin.title}
            </a>
            {t('。本次没有新建案件。', '. No case was opened this time.')}
          </p>
          <label>
            <input
              type="checkbox"
              id={OPEN_ANYWAY_ID}
              name="openAnyway"
              value={props.twin.caseId}
              aria-describedby={`${OPEN_ANYWAY_ID}-why`}
            />{' '}
            {inLang(OPEN_ANYWAY_TEXT, lang)}
          </label>
        </fieldset>
      )}
      <div class="actions">
        <button type="submit">{t('创建案件', 'Open the case')}</button>
        <a class="button secondary" href="/app/cases">
          {t('取消', 'Cancel')}
        </a>
      </div>
      <script dangerouslySetInnerHTML={{ __html: PICKER_SCRIPT }} />
      <script dangerouslySetInnerHTML={{ __html: photoCheckScript(lang) }} />
    </form>
  );
}

const TITLE = { zh: '新建整改案件', en: 'New rectification case' };

/** The box that confirms a likely repeat: where the page's summary of the repeat leads. */
const OPEN_ANYWAY_ID = 'f-openAnyway';
const OPEN_ANYWAY_TEXT: Bilingual = {
  zh: '这是另一个问题，仍然新建案件',
  en: 'This is another problem: open a new case anyway',
};
/** The form's address: its post may carry photos, so its body limit is the photo forms' (routes.tsx). */
export const NEW_CASE_PATH = '/app/cases/new';

/** GET and POST /app/cases/new. */
export function newCaseRoutes(app: Hono<WebEnv>, deps: AppDeps): void {
  const render = async (
    c: WebContext,
    values: Record<string, string>,
    errors: FieldErrors,
    status: ContentfulStatusCode = 200,
    flash: { zh: string; en: string } | null = null,
    twin: CaseView | null = null,
    kept: KeptPhoto[] = [],
  ) => {
    const viewer = viewerOf(c);
    const dir = await directoryOrFail(deps);
    const lang = c.get('lang');
    if (!mayOpenCases(viewer) || openablePlaces(viewer, dir).length === 0) {
      return page(
        c,
        TITLE,
        <p>
          <a href="/app">{inLang({ zh: '返回工作台', en: 'Back to the workbench' }, lang)}</a>
        </p>,
        {
          status: 403,
          // The page's error summary, where the keyboard lands.
          flash: {
            kind: 'error',
            text: {
              zh: '只有主管、网格员、工作小组和管理员可以在其负责范围内新建案件。',
              en: 'Only supervisors, grid members, the working group and admins open cases, within their own area.',
            },
          },
        },
      );
    }
    return page(
      c,
      TITLE,
      <NewCaseForm
        lang={lang}
        dir={dir}
        viewer={viewer}
        csrfToken={c.get('csrfToken')}
        values={values}
        errors={errors}
        twin={twin}
        kept={kept}
      />,
      {
        status,
        flash: flash
          ? {
              kind: 'error',
              text: flash,
              // A likely repeat is confirmed by the box below the form: the summary leads there.
              links: [
                ...fieldLinks(errors),
                ...(twin ? [{ href: `#${OPEN_ANYWAY_ID}`, text: OPEN_ANYWAY_TEXT }] : []),
              ],
            }
          : null,
      },
    );
  };

  // The standards page links here with ?itemId= so a case can be opened citing that item.
  app.get('/cases/new', (c) => {
    const itemId = c.req.query('itemId');
    return render(c, itemId && standardItem(itemId) ? { itemId } : {}, {});
  });

  app.post('/cases/new', async (c) => {
    const viewer = viewerOf(c);
    const lang = c.get('lang');
    const posted = await formOr400(c, { all: true });
    const raw = formValues(posted);
    // Photos a refused post of this form already stored come back ticked: every answer below
    // offers them again, so they are neither lost nor stored twice.
    const held = await keptPhotos(deps, viewer.person.id, posted);
    let kept = held.kept;
    const again = (
      values: Record<string, string>,
      errors: FieldErrors,
      status: ContentfulStatusCode,
      flash: Bilingual | null,
      twin: CaseView | null = null,
    ) => render(c, values, errors, status, flash, twin, kept);
    // The form sends each field once (photos aside): a field sent twice (a script, a tampered
    // form) is no value.
    const repeated = Object.keys(posted).filter(
      (k) => Array.isArray(posted[k]) && k !== PHOTO_FIELD && k !== KEPT_FIELD,
    );
    if (repeated.length > 0)
      return again(
        raw,
        Object.fromEntries(
          repeated.map((k) => [
            k,
            {
              zh: '该字段提交了多次，只能有一个值',
              en: 'this field was sent more than once; give one value',
            },
          ]),
        ),
        400,
        {
          zh: `表单字段重复（${repeated.join('、')}），没有新建案件。请在本页修改后重新提交。`,
          en: `A field came more than once (${repeated.join(', ')}); no case was opened. Correct the form on this page and submit again.`,
        },
      );
    const form = formSchema.parse(raw);
    const files = postedPhotos(posted);
    const reporterName = optional(form.reporterName);
    const reporterEmail = optional(form.reporterEmail);
    const body = {
      title: form.title ?? '',
      description: form.description ?? '',
      source: form.source,
      severity: form.severity,
      category: typedCategory(form.category),
      itemId: optional(form.itemId),
      location: {
        buildingId: form.buildingId ?? '',
        floorId: optional(form.floorId),
        roomId: optional(form.roomId),
      },
      assigneeId: form.assigneeId ?? '',
      reporter:
        reporterName || reporterEmail
          ? { name: reporterName ?? '', email: reporterEmail ?? '', language: lang }
          : undefined,
    };
    const parsed = parseForm(newCaseSchema, body, bodyLabels);
    const key = idempotencyKeySchema.safeParse(form.idempotencyKey);
    const errors: FieldErrors = parsed.ok ? {} : flatErrors(parsed.errors);
    for (const field of Object.keys(errors)) {
      const chosen = choiceError(field, raw[field] ?? '');
      if (chosen) errors[field] = chosen;
    }
    // A name alone (a student who called in) failed as "invalid email" on the empty field: say why
    // the email is needed instead.
    if (reporterName && !reporterEmail)
      errors.reporterEmail = {
        zh: '填写报告人时也请填写其邮箱：结案后的回访评价通过邮件发送。不需回访请清空姓名。',
        en: 'Give the reporter’s email too: the request to rate the result is sent there. Clear the name if no survey is wanted.',
      };
    // An email alone: the survey addresses the reporter by name, so the name is asked for, and why.
    if (reporterEmail && !reporterName)
      errors.reporterName = {
        zh: '填写报告人邮箱时也请填写其姓名：回访邮件以此称呼报告人。不需回访请清空邮箱。',
        en: 'Give the reporter’s name too: the survey email addresses them by it. Clear the email if no survey is wanted.',
      };
    const photoError = await photoProblem(files, kept.length);
    if (photoError) errors[PHOTO_FIELD] = photoError;
    else if (held.dropped)
      errors[PHOTO_FIELD] = {
        zh: '之前保存的照片有的已不能使用，请重新选择这些照片',
        en: 'some photos stored earlier can no longer be used; choose those photos again',
      };
    // The photos are cited on a line of the description: what was typed must leave room for it.
    const lineLength = photoLineLength(files.length + kept.length);
    if (parsed.ok && lineLength > 0 && parsed.data.description.length + lineLength > DESCRIPTION_MAX)
      errors.description = {
        zh: `附照片时问题描述最多 ${DESCRIPTION_MAX - lineLength} 个字符（照片的引用占 ${lineLength} 个），请删减`,
        en: `with photos the description may have at most ${DESCRIPTION_MAX - lineLength} characters (the photos' references take ${lineLength}); shorten it`,
      };
    if (parsed.ok) Object.assign(errors, placeErrors(await directoryOrFail(deps), parsed.data.location));
    // Photos that passed their check are stored before the form goes back, offered ticked: a
    // file input comes back empty, and the resubmission would open the case without them.
    const keepChosen = async (fields: FieldErrors) => {
      if (photoError || files.length === 0) return fields;
      const { staged, failed } = await stageChosen(deps, viewer.person.id, files);
      kept = [...kept, ...staged];
      return failed ? { ...fields, [PHOTO_FIELD]: notKept } : fields;
    };
    if (!parsed.ok || Object.keys(errors).length > 0) {
      const fields = await keepChosen(errors);
      return again(raw, fields, 400, fieldsBanner(fields));
    }
    // The key is the page's own hidden field: one that does not fit was altered, and a second
    // submit would open a second case, so nothing is opened without it.
    if (form.idempotencyKey !== undefined && form.idempotencyKey !== '' && !key.success)
      return again({ ...raw, idempotencyKey: randomUUID() }, await keepChosen({}), 400, {
        zh: '表单的提交编号无效（页面可能被修改），没有新建案件。请检查内容后重新提交。',
        en: 'The form’s submission key is not valid (the page may have been altered); no case was opened. Check the form and submit again.',
      });
    // The same key again (a double click, a retry) is answered by openNewCase as the first was;
    // a fresh key with what this person opened minutes ago (Back, then submit) is asked about first.
    const claimed = key.success
      ? await findClaim(deps.aws.ddb, deps.aws.tables, viewer.person.id, key.data)
      : null;
    // A key already used for another submission would be refused again on every resubmit: the
    // form comes back with a fresh one, and says so in the page's words (not the API's key).
    // Photos chosen in its file input were not stored when the key had already opened a case
    // (otherwise they are offered as kept): the field says to choose them again.
    const keyUsed = (caseId: string, fields: FieldErrors = {}) =>
      again(
        { ...raw, idempotencyKey: randomUUID() },
        claimed && files.length > 0 ? { ...fields, [PHOTO_FIELD]: chooseAgain } : fields,
        409,
        {
          zh: `这份表单已经新建了案件 ${caseId}，本次没有新建案件；如要新建另一个案件，请检查内容后再次提交。`,
          en: `This form already opened case ${caseId}, so no case was opened this time; to open another, check it and send it again.`,
        },
      );
    let photos: string[];
    // The owner this post took its kept photos under, given back if it opens no case.
    let claimedBy: string | null = null;
    const giveBack = async () => {
      if (claimedBy) await releaseKept(deps, held.kept, claimedBy);
    };
    if (claimed) {
      // The case this form opened keeps the photos it was opened with: the same ones sent again
      // (or none, a resend whose file input was emptied) answer as the first post did.
      photos = photosOfClaim(claimed.payload);
      if (!(await samePhotos(photos, files, kept))) return keyUsed(claimed.resultId);
    } else {
      const twin = await recentTwin(deps, viewer, parsed.data);
      const repeat = twin && form.openAnyway !== twin.caseId ? twin : null;
      // A kept photo goes to one case only: another form's post that took it first leaves this
      // one to be sent back, so no case opens citing a photo it does not own.
      claimedBy = keptOwner(viewer.person.id, key.success ? key.data : undefined);
      const lost = await claimKept(deps, kept, claimedBy);
      if (lost.length > 0) {
        await giveBack();
        kept = kept.filter((k) => !lost.includes(k.ref));
        const taken = {
          zh: '之前保存的照片已被另一次提交使用，本次没有新建案件；其他内容已保留，请重新选择照片后再提交',
          en: 'a photo stored earlier was already used by another submission, so no case was opened; everything else is kept, choose the photos again and submit',
        };
        return again(raw, { [PHOTO_FIELD]: taken }, 409, fieldsBanner({ [PHOTO_FIELD]: taken }));
      }
      // Stored before the case has a number, each under the submission's own owner; handed to the
      // case once it is open. One stored before a failure is offered again with the form.
      const owner = stagingOwner();
      try {
        for (const file of files) kept = [...kept, await stagePhoto(deps, viewer.person.id, owner, file)];
      } catch (err) {
        await giveBack();
        if (err instanceof EvidenceError)
          return again(raw, { [PHOTO_FIELD]: err.text }, 400, fieldsBanner({ [PHOTO_FIELD]: err.text }));
        console.error('[web] new case: storing a photo failed', err);
        return again(raw, {}, 503, {
          zh: '照片暂时无法保存，没有新建案件。已保存的照片列在下方，其余请重新选择后再提交。',
          en: 'The photos could not be stored just now, so no case was opened. Those already stored are listed below; choose the others again and submit.',
        });
      }
      // Asked about before opening, the photos already stored: the form offers them ticked, so
      // the confirmed resubmit carries them instead of losing them.
      if (repeat) {
        await giveBack();
        return again(
          raw,
          {},
          409,
          {
            zh: `看起来是重复提交：案件 ${repeat.caseId} 刚以相同内容新建，本次没有新建案件。如确是另一个问题，请勾选下方选项后再提交。`,
            en: `This looks like a repeat: case ${repeat.caseId} was just opened with the same details, so no case was opened. If this is another problem, tick the box below and submit again.`,
          },
          repeat,
        );
      }
      photos = kept.map((k) => k.ref);
    }
    try {
      const opened = await openNewCase(
        deps,
        viewer,
        { ...parsed.data, description: withPhotoLine(parsed.data.description, photos) },
        key.success ? key.data : undefined,
        lang,
      ).catch(async (err: unknown) => {
        // Two posts of one form at once, each storing its own copy of the same photos: the one
        // that took the case number answers both (the other's copies stay unused in the store).
        const raced =
          err instanceof ProblemError && err.type === 'conflict' && key.success && !claimed
            ? await findClaim(deps.aws.ddb, deps.aws.tables, viewer.person.id, key.data)
            : null;
        const theirs = raced ? photosOfClaim(raced.payload) : [];
        if (!raced || theirs.length === 0 || !(await samePhotos(theirs, [], kept))) throw err;
        photos = theirs;
        return openNewCase(
          deps,
          viewer,
          { ...parsed.data, description: withPhotoLine(parsed.data.description, theirs) },
          key.data,
          lang,
        );
      });
      const { view, replayed } = opened;
      const attached =
        photos.length === 0 ||
        (await adoptPhotos(deps, photos, view.caseId).catch((err: unknown) => {
          console.error(`[web] new case ${view.caseId}: handing its photos to it failed`, err);
          return false;
        }));
      if (!attached)
        return redirectWithFlash(c, `/app/cases/${view.caseId}`, {
          kind: 'error',
          text: {
            zh: `案件 ${view.caseId} 已创建，但 ${photos.length} 张照片未能附到案件上，案件页不显示它们（照片已存储，其编号写在问题描述中）。请告知管理员。`,
            en: `Case ${view.caseId} is open, but its photos (${photos.length}) could not be attached to it, so the case page does not show them (they are stored; the description names them). Please tell an admin.`,
          },
        });
      const withPhotos = withPhotoCount(photos.length);
      return redirectWithFlash(c, `/app/cases/${view.caseId}`, {
        kind: 'ok',
        text: replayed
          ? {
              zh: `案件 ${view.caseId} 已创建${withPhotos.zh}（重复提交未再建新案件）`,
              en: `Case ${view.caseId} was opened${withPhotos.en} (the repeated submit made no second case)`,
            }
          : {
              zh: `案件 ${view.caseId} 已创建${withPhotos.zh}`,
              en: `Case ${view.caseId} opened${withPhotos.en}`,
            },
      });
    } catch (err) {
      await giveBack();
      const { text, fields, status } = refusalOf(err);
      // The API's conflicts name its Idempotency-Key: the page says what happened to this form.
      if (status === 409) {
        const used =
          claimed ??
          (key.success ? await findClaim(deps.aws.ddb, deps.aws.tables, viewer.person.id, key.data) : null);
        if (used) return keyUsed(used.resultId, flatErrors(fields));
        return again(raw, flatErrors(fields), 409, {
          zh: '这份表单的上一次提交仍在处理中，本次没有新建案件；请稍候再次提交。',
          en: 'This form’s previous submission is still being handled, so no case was opened this time; wait a moment and send it again.',
        });
      }
      return again(raw, flatErrors(fields), status, text);
    }
  });
}
