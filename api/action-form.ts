import { z } from 'zod';
import { schemaRegistry } from './schemas.ts';

// Browsers send empty inputs as '': treat them as absent.
const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max).optional(),
  );

/** The form an action page posts back: which page it came from (csrf, textHash) and the person's choice. */
export const actionFormSchema = z.object({
  csrf: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  textHash: z.string().regex(/^[0-9a-f]{64}$/),
  choice: z.enum(['confirm', 'dispute', 'revise', 'proceed', 'acknowledge']).optional(),
  reason: optionalText(2000),
  notes: optionalText(5000),
  score: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z.number().int().min(1).max(5).optional(),
  ),
  comment: optionalText(2000),
});
schemaRegistry.add(actionFormSchema, {
  id: 'ActionForm',
  description: 'The form posted from an action page / 一键操作表单',
});
export type ActionForm = z.output<typeof actionFormSchema>;
