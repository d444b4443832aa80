import { describe, expect, it } from 'vitest';
import { trendHeading } from '../../api/pages/app/dashboard-common.tsx';

// The dashboard's trend heading said 'The last 1 weeks' for a one-week trend.
describe('the dashboard trend heading', () => {
  it('agrees with its count in English and keeps the Chinese', () => {
    expect(trendHeading(1).en).toBe('The last week');
    expect(trendHeading(8).en).toBe('The last 8 weeks');
    expect(trendHeading(8).zh).toBe('近 8 周趋势');
    expect(trendHeading(1).zh).toBe('近 1 周趋势');
  });
});
