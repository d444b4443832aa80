import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  citation,
  itemShortName,
  parseStandards,
  standardItem,
  standards,
} from '../../domain/standards/catalogue.ts';
import raw from '../../domain/standards/catalogue-6t.json' with { type: 'json' };

const seeds = path.resolve(import.meta.dirname, '../../../shared/seeds');
const seed000 = existsSync(seeds) ? readdirSync(seeds).find((f) => f.startsWith('000_')) : undefined;

describe('the 6T catalogue', () => {
  it('has every item of the six dimensions (10, 9, 11, 11, 9, 10)', () => {
    expect(standards.dimensions.map((d) => [d.name.zh, d.items.length])).toEqual([
      ['天天安全保障', 10],
      ['天天人性服务', 9],
      ['天天规范管理', 11],
      ['天天行为育人', 11],
      ['天天检查评估', 9],
      ['天天反馈提高', 10],
    ]);
  });

  it('writes every item and requirement exactly as seed 000 does', () => {
    // The standard itself sits beside the project in CI and on every development machine.
    expect(seed000, `seed 000 not found under ${seeds}`).toBeDefined();
    const text = readFileSync(path.join(seeds, seed000!), 'utf8');
    const lines = text.split('\n').map((l) => l.trim());
    for (const dim of standards.dimensions) {
      const start = lines.indexOf(dim.name.zh);
      expect(start, dim.name.zh).toBeGreaterThanOrEqual(0);
      for (const it of dim.items) {
        const at = lines.indexOf(it.requirement.zh, start);
        expect(at, it.id).toBeGreaterThan(start);
        // The item's name is the nearest non-empty line above its requirement.
        const above = lines.slice(start, at).filter(Boolean);
        expect(above.at(-1), it.id).toBe(it.item.zh);
        expect(lines.slice(start, at).includes(it.category.zh), it.id).toBe(true);
      }
    }
  });

  it('glosses every text in English', () => {
    for (const it of standards.dimensions.flatMap((d) => d.items)) {
      for (const t of [it.category, it.item, it.requirement]) expect(t.en).toMatch(/^[\x20-\x7e’]+$/);
    }
  });

  it('finds items by id and cites them by dimension and number', () => {
    const fire = standardItem('6t.safety.1')!;
    expect(fire.item.zh).toBe('消防管理');
    expect(fire.requirement.zh).toContain('每年一次以上');
    expect(citation(fire)).toEqual({ zh: '安全 1 消防管理', en: 'Safety 1 Fire management' });
    expect(citation(standardItem('6t.management.11')!).zh).toBe('规范 11 日常维修');
    expect(standardItem('6t.safety.11')).toBeUndefined();
  });

  it('names an item short by dimension and number, and an unknown id as written', () => {
    expect(itemShortName('6t.safety.2')).toEqual({ zh: '安全 2', en: 'Safety 2' });
    expect(itemShortName('6t.management.11')).toEqual({ zh: '规范 11', en: 'Management 11' });
    // Well formed but not in the catalogue: no invented "安全 11".
    expect(itemShortName('6t.safety.11')).toEqual({ zh: '6t.safety.11', en: '6t.safety.11' });
    expect(itemShortName('nonsense')).toEqual({ zh: 'nonsense', en: 'nonsense' });
  });

  it('refuses a catalogue with a repeated item, a wrong number or an unknown SLA rule', () => {
    const clone = () => structuredClone(raw) as unknown as typeof raw;
    const twice = clone();
    twice.dimensions[0]!.items.push(twice.dimensions[0]!.items[0]!);
    expect(() => parseStandards(twice)).toThrow(/out of order|listed twice/);
    const badRule = clone();
    (badRule.dimensions[0]!.items[0] as { slaRuleId?: string }).slaRuleId = 'no.such.rule';
    expect(() => parseStandards(badRule)).toThrow(/unknown SLA rule no.such.rule/);
    const noSeverity = clone();
    delete (noSeverity.dimensions[0]!.items[0] as { severity?: string }).severity;
    expect(() => parseStandards(noSeverity)).toThrow(/go together/);
  });
});
