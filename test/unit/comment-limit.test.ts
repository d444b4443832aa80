import { describe, expect, it } from 'vitest';
import { componentSchemas } from '../../api/openapi.ts';
import { CASE_BUDGETS } from '../../domain/case-budgets.ts';

describe('the comment limit', () => {
  it('is the case budget in the API document, as the case enforces it', () => {
    const comment = componentSchemas().Comment as { properties: { text: { maxLength?: number } } };
    expect(comment.properties.text.maxLength).toBe(CASE_BUDGETS.commentLength);
  });
});
