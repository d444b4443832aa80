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
 * The key naming a report's text at its place (the store keeps only its hash, as for a form's
 * submission key); a contact's letter case does not matter (an email address).
 */
export function sameReportKey(r: ReportSameness): string {
  const parts = [
    'same-report',
    r.placeCode,
    folded(r.name),
    folded(r.contact).toLowerCase(),
    folded(r.description),
  ];
  return JSON.stringify(parts);
}
