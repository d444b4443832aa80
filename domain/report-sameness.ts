import { normalContact } from './contact.ts';

/**
 * What makes two posts of the report form the same report: the place, who left it (name and
 * contact, or none) and the description, whitespace folded. Back after sending serves a fresh
 * form (a new submission key) that the browser refills with what was typed; sending it again is
 * this report again, not a second one. A different description is a different report.
 */
export interface ReportSameness {
  placeCode: string;
  name?: string | undefined;
  contact?: string | undefined;
  description: string;
}

const folded = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/**
 * The contact as the report would keep it (`normalContact`: "138 0013 8000" and "13800138000"
 * are one number, a full-width ＠ an @), as typed when it is none, so a resend typed another way
 * is still the same report; an address's letter case does not matter. A contact already kept
 * comes out as it went in, so a held report's key is the one its resend makes.
 */
const sameContact = (contact: string | undefined) => {
  const typed = folded(contact);
  return (normalContact(typed) ?? typed).toLowerCase();
};

/**
 * The key naming a report's text at its place (the store keeps only its hash, as for a form's
 * submission key).
 */
export function sameReportKey(r: ReportSameness): string {
  const parts = ['same-report', r.placeCode, folded(r.name), sameContact(r.contact), folded(r.description)];
  return JSON.stringify(parts);
}

/** A form sent again under a key that already holds a report: its fields, and its photos' SHA-256. */
export interface ResentReport extends ReportSameness {
  kind: string | undefined;
  /** Hex SHA-256 of each photo it carries, as an evidence reference names the stored file's. */
  photoSha256: readonly string[];
}

/** The report a submission key holds, as far as sameness goes. */
export interface HeldReport extends ReportSameness {
  kind: string;
  /** Its photos' references (`evidence:<id>#sha256=<hex>`). */
  evidence: readonly string[];
}

const sha256Of = (ref: string) => /#sha256=([0-9a-f]{64})$/.exec(ref)?.[1];

/**
 * Whether a form sent again under the key of a report already kept is that report once more (a
 * double tap, a reload, Back then Send), to be answered by it: the same kind and text (as
 * `sameReportKey` folds it), and no photo the report lacks. Browsers refill text after Back, not
 * files, so a resend without its photos is still the report; a changed word or kind, or a photo
 * it lacks, is what the person meant to send now, and is never answered by the report without it.
 */
export function resentUnchanged(held: HeldReport, resent: ResentReport): boolean {
  if (resent.kind !== held.kind || sameReportKey(resent) !== sameReportKey(held)) return false;
  const kept = new Set(held.evidence.map(sha256Of));
  return resent.photoSha256.every((h) => kept.has(h));
}

/**
 * The submission key an edited resend is kept under: the form's key and what it carries, so the
 * edit sent twice (a double tap of it) is one report, and another edit of the same form another.
 */
export function editedSubmissionKey(formKey: string, resent: ResentReport): string {
  return JSON.stringify([
    'edited',
    formKey,
    resent.kind ?? '',
    sameReportKey(resent),
    [...resent.photoSha256].sort(),
  ]);
}
