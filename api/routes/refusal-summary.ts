import type { Bilingual } from '../../domain/text.ts';
import type { FieldErrors, FieldLink, FlashMessage } from '../pages/ui.tsx';

/**
 * The error summary over a refused form (ui.tsx `Flash`): the refusal, each field in error linked
 * to its control (ui.tsx `Field` ids, `<idPrefix>-<name>`) and named by its label, or, when no
 * field is named, a link to the form itself (`formLink`; none when the page no longer shows one).
 */
export function refusalSummary(
  text: Bilingual,
  errors: FieldErrors,
  opts: {
    label: (field: string) => Bilingual | undefined;
    idPrefix?: string | undefined;
    formLink?: FieldLink | undefined;
  },
): FlashMessage {
  const fields = Object.entries(errors).filter(([k]) => k !== '_form');
  const links =
    fields.length > 0
      ? fields.map(([k, said]) => ({
          href: `#${opts.idPrefix ?? 'f'}-${k}`,
          text: labelled(opts.label(k), said),
        }))
      : opts.formLink
        ? [opts.formLink]
        : [];
  return { kind: 'error', text, links };
}

/** "房间：不能为空", the message after its field's label unless it names the field already. */
function labelled(label: Bilingual | undefined, said: Bilingual): Bilingual {
  if (!label) return said;
  return {
    zh: said.zh.includes(label.zh) ? said.zh : `${label.zh}：${said.zh}`,
    en: said.en.toLowerCase().includes(label.en.toLowerCase()) ? said.en : `${label.en}: ${said.en}`,
  };
}
