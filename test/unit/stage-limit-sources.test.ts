import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGES, slaCatalogue } from '../../domain/sla.ts';
import { stageLimitSources } from '../../domain/stage-limit-sources.ts';
import { standardItem } from '../../domain/standards/catalogue.ts';

describe('where the stage time limits come from', () => {
  const stages = Object.keys(stageLimitSources) as (keyof typeof stageLimitSources)[];

  it('says no seed sets a limit exactly where every SLA rule takes the default', () => {
    for (const stage of stages) {
      const onlyDefault = slaCatalogue.rules.every(
        (r) => JSON.stringify(r.stages[stage]) === JSON.stringify(DEFAULT_STAGES[stage]),
      );
      const s = stageLimitSources[stage];
      expect(s.text.en.startsWith('No standard sets'), stage).toBe(onlyDefault);
      expect(s.text.zh.startsWith('标准未规定'), stage).toBe(onlyDefault);
      expect(s.cites.length === 0, stage).toBe(onlyDefault);
    }
  });

  it('cites items of the catalogue whose requirement states a limit the source quotes', () => {
    for (const stage of stages)
      for (const id of stageLimitSources[stage].cites) {
        const item = standardItem(id);
        expect(item, id).toBeDefined();
        expect(item?.requirement.zh, id).toMatch(/小时|分钟|当天|下班前/);
      }
    expect(standardItem('6t.management.11')?.requirement.zh).toContain('零星维修24小时内完成');
    expect(stageLimitSources.rectifying.text.en).toContain('minor repairs done within 24 hours');
    expect(stageLimitSources.rectifying.text.zh).toContain('零星维修24小时内完成');
  });

  it('reads in plain English: documents by their titles, no seed file numbers, no untranslated Chinese', () => {
    for (const stage of stages) {
      const { en } = stageLimitSources[stage].text;
      expect(en, stage).not.toMatch(/seeds? 0\d\d/);
      expect(en, stage).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
