import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { PREVIEW_ID, type PreviewStoreDeps } from './import-previews.ts';
import { opsKey } from './keys.ts';

// Only what the page after an apply reads of a preview's head row (store/import-previews.ts writes it).
const appliedHead = z.object({
  personId: z.string(),
  state: z.literal('applied'),
  result: z.string(),
});

/**
 * What the apply of the preview `id` answered, once it is applied, for the admin who made it; the
 * page after an apply shows it from here rather than from counts a link could carry. Undefined
 * for an id that is not an applied preview of theirs (never made, not applied, gone by its TTL).
 */
export async function appliedImportResult(
  deps: PreviewStoreDeps,
  id: string,
  personId: string,
): Promise<string | undefined> {
  if (!PREVIEW_ID.test(id)) return undefined;
  const { Item } = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.importPreviewHead(id)),
      ConsistentRead: true,
    }),
  );
  const head = appliedHead.safeParse(Item ? unmarshall(Item) : undefined);
  return head.success && head.data.personId === personId ? head.data.result : undefined;
}
