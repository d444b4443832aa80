import type { CasePolicy } from './case-model.ts';
import { resolveSla, slaCatalogue, type SlaRule, type Source } from './sla.ts';
import {
  citation,
  standardItem,
  standards,
  type DimensionKey,
  type StandardItem,
} from './standards/catalogue.ts';
import type { Bilingual } from './text.ts';

/**
 * A case that cites a 6T item (seed 000) keeps the item's id in its `category`,
 * the field inspection rounds already open their cases with: one place, so a
 * case opened by hand and one opened by a failed check are counted alike.
 * Pure: no I/O.
 */
export interface CaseCitation {
  itemId: string;
  dimension: DimensionKey;
  number: number;
  /** The dimension's full name, e.g. 天天安全保障 / Safety assured every day. */
  dimensionName: Bilingual;
  /** "安全 1 消防管理" / "Safety 1 Fire management". */
  label: Bilingual;
}

export const isItemId = (s: string | undefined): boolean => s !== undefined && /^6t\.[a-z]+\.\d+$/.test(s);

function citationOfItem(item: StandardItem): CaseCitation {
  const dim = standards.dimensions.find((d) => d.key === item.dimension)!;
  return {
    itemId: item.id,
    dimension: item.dimension,
    number: item.number,
    dimensionName: dim.name,
    label: citation(item),
  };
}

/** The item a case cites, or undefined when its category is free text or not in the catalogue. */
export function caseCitation(v: { category?: string | undefined }): CaseCitation | undefined {
  if (!isItemId(v.category)) return undefined;
  const item = standardItem(v.category!);
  return item ? citationOfItem(item) : undefined;
}

/**
 * The SLA rule a case of `source` citing `item` runs under, where the item's rule binds it. A
 * complaint's rule binds only a complaint: its limits (record a complaint before the day's end,
 * answer the complainant) say nothing of a finding, so an inspection finding on an item whose
 * rule is a complaint's (育人 7, the staff's manners) keeps its own source's rule.
 */
export function itemRule(item: StandardItem, source: Source): SlaRule | undefined {
  const rule = slaCatalogue.rules.find((r) => r.id === item.slaRuleId);
  if (!rule || (rule.source === 'complaint' && source !== 'complaint')) return undefined;
  return rule;
}

/** The rule the case a failed check of `item` opens runs under (the standards page says it). */
export function findingRule(item: StandardItem): SlaRule | undefined {
  if (!item.slaRuleId || !item.severity) return undefined;
  return itemRule(item, 'inspection') ?? resolveSla({ source: 'inspection', severity: item.severity }).rule;
}

/**
 * The policy of a case citing an item: where the item's rule binds a case of its source
 * (`itemRule`), the case runs under it (a citation is not one of the SLA's own categories), the
 * same as a case a failed inspection item opens; else the policy as it came.
 */
export function withItemRule(policy: CasePolicy, item: StandardItem, source: Source): CasePolicy {
  const rule = itemRule(item, source);
  if (!rule) return policy;
  return {
    ...policy,
    slaRuleId: rule.id,
    slaLabel: rule.label,
    stageDurations: { ...rule.stages },
    leadershipNotice: rule.leadershipNotice,
  };
}
