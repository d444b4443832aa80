import { describe, expect, it } from 'vitest';
import { ClockTable } from '../../api/pages/app/dashboard-clocks.tsx';
import type { ClockKpi } from '../../domain/kpi.ts';

const html = async (props: Parameters<typeof ClockTable>[0]) => String(await ClockTable(props).toString());

const clocks: ClockKpi[] = [
  {
    id: 'on_site_arrival',
    label: { zh: '维修到场', en: 'On-site arrival' },
    met: 3,
    breached: 1,
    pending: 2,
    value: 0.75,
    target: 1,
  },
  {
    id: 'leadership_report',
    label: { zh: '重大问题48小时内上报校领导', en: 'Major problem reported to leadership within 48 hours' },
    met: 0,
    breached: 0,
    pending: 1,
    value: null,
    target: 1,
  },
];

describe('the dashboard’s standard clocks', () => {
  it('lists each clock with met, breached, running, the rate and its seed, as cards on a phone', async () => {
    const zh = await html({ clocks, lang: 'zh-CN' });
    expect(zh).toContain('class="stacked"');
    const row = zh.match(/<tr data-clock="on_site_arrival"[^]*?<\/tr>/)?.[0] ?? '';
    expect(row).toContain('<td>维修到场</td>');
    expect(row).toContain('<td data-label="按时">3</td>');
    expect(row).toContain('<td data-label="超时">1</td>');
    expect(row).toContain('<td data-label="计时中">2</td>');
    expect(row).toContain('<td data-label="按时率">75%</td>');
    expect(row).toContain('《学生公寓“6T”现场管理标准》：一般维修2小时到场');
    const lead = zh.match(/<tr data-clock="leadership_report"[^]*?<\/tr>/)?.[0] ?? '';
    expect(lead).toContain('<td data-label="按时率">—</td>');
    expect(lead).toContain('《学校后勤管理与服务指南（标准版）》');
    const en = await html({ clocks, lang: 'en' });
    expect(en).toContain('<td>Major problem reported to leadership within 48 hours</td>');
    expect(en).toContain('<td data-label="Breached">1</td>');
    expect(en).toContain('the school logistics service guide: ');
  });

  it('says when no case of the period runs a clock', async () => {
    expect(await html({ clocks: [], lang: 'en' })).toContain('No case opened in this period runs');
  });
});
