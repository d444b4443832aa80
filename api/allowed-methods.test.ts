import { describe, expect, it } from 'vitest';
import { allowedMethods } from './allowed-methods.ts';

const at = allowedMethods([
  { method: 'get', path: '/api/cases/{caseId}' },
  { method: 'post', path: '/api/cases/{caseId}/comments' },
  { method: 'post', path: '/api/cases' },
  { method: 'get', path: '/api/cases' },
  { method: 'get', path: '/api/kpis.csv' },
]);

describe('the methods declared at a path', () => {
  it('matches path parameters as one segment each', () => {
    expect(at('/api/cases/ZG-2026-000001')).toEqual(['GET', 'HEAD']);
    expect(at('/api/cases/ZG-2026-000001/comments')).toEqual(['POST']);
    expect(at('/api/cases')).toEqual(['GET', 'HEAD', 'POST']);
    expect(at('/api/cases/a/b')).toEqual([]);
  });

  it('matches a path with a trailing slash to nothing, as the router does', () => {
    expect(at('/api/cases/')).toEqual([]);
    expect(at('/api/cases/ZG-2026-000001/')).toEqual([]);
  });

  it('reads the declared path literally', () => {
    expect(at('/api/kpis.csv')).toEqual(['GET', 'HEAD']);
    expect(at('/api/kpisXcsv')).toEqual([]);
    expect(at('/api/nothing')).toEqual([]);
  });
});
