import { z } from 'zod';
import { slaCatalogue, severities } from '../sla.ts';
import data from './catalogue-6t.json' with { type: 'json' };

/**
 * The 6T standard for student residences (seed 000) as versioned data: every
 * item with its dimension, number, category, item and requirement in Chinese
 * exactly as the standard writes it, an English gloss beside each, and, where a
 * failed check of it should open a case, the SLA rule and severity to open it
 * with. The JSON is data a school may revise; this module validates it once.
 */
export const dimensionKeys = [
  'safety',
  'service',
  'management',
  'education',
  'evaluation',
  'feedback',
] as const;
export type DimensionKey = (typeof dimensionKeys)[number];

const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });

const itemSchema = z.strictObject({
  id: z.string().regex(/^6t\.[a-z]+\.\d+$/),
  dimension: z.enum(dimensionKeys),
  number: z.number().int().positive(),
  category: bilingual,
  item: bilingual,
  requirement: bilingual,
  slaRuleId: z.string().optional(),
  severity: z.enum(severities).optional(),
});
export type StandardItem = z.infer<typeof itemSchema>;

const catalogueSchema = z.strictObject({
  version: z.string(),
  source: z.string(),
  dimensions: z.array(
    z.strictObject({
      key: z.enum(dimensionKeys),
      name: bilingual,
      short: bilingual,
      goal: z.string(),
      items: z.array(itemSchema),
    }),
  ),
});
export type StandardsCatalogue = z.infer<typeof catalogueSchema>;

/** Parses a catalogue and checks what a schema cannot: ids unique, numbers in order, SLA rules that exist. */
export function parseStandards(raw: unknown): StandardsCatalogue {
  const cat = catalogueSchema.parse(raw);
  const ids = new Set<string>();
  const ruleIds = new Set(slaCatalogue.rules.map((r) => r.id));
  for (const dim of cat.dimensions) {
    dim.items.forEach((it, i) => {
      if (it.dimension !== dim.key) throw new Error(`${it.id}: listed under ${dim.key}`);
      if (it.number !== i + 1) throw new Error(`${it.id}: number ${it.number} out of order`);
      if (it.id !== `6t.${dim.key}.${it.number}`) throw new Error(`${it.id}: id does not match its place`);
      if (ids.has(it.id)) throw new Error(`${it.id}: listed twice`);
      ids.add(it.id);
      if (it.slaRuleId && !ruleIds.has(it.slaRuleId))
        throw new Error(`${it.id}: unknown SLA rule ${it.slaRuleId}`);
      if (Boolean(it.slaRuleId) !== Boolean(it.severity))
        throw new Error(`${it.id}: an SLA rule and a severity go together`);
    });
  }
  return cat;
}

export const standards: StandardsCatalogue = parseStandards(data);

const byId = new Map(standards.dimensions.flatMap((d) => d.items.map((it) => [it.id, it] as const)));

/** The item a case or a checklist cites, or undefined for an id the catalogue lacks. */
export const standardItem = (id: string): StandardItem | undefined => byId.get(id);

/**
 * An item by its dimension and number, "安全 1" / "Safety 1", as KPIs, reports and the standards
 * page cite it; an id the catalogue lacks is shown as written.
 */
export function itemShortName(id: string): { zh: string; en: string } {
  const item = byId.get(id);
  const dim = item && standards.dimensions.find((d) => d.key === item.dimension);
  return item && dim
    ? { zh: `${dim.short.zh} ${item.number}`, en: `${dim.short.en} ${item.number}` }
    : { zh: id, en: id };
}

/** How a cited item is written beside a case: "安全 1 消防管理" / "Safety 1 Fire management". */
export function citation(item: StandardItem): { zh: string; en: string } {
  const short = itemShortName(item.id);
  return { zh: `${short.zh} ${item.item.zh}`, en: `${short.en} ${item.item.en}` };
}
