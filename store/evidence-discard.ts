import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { evidenceClient, parseEvidenceRef, type EvidenceDeps } from './evidence.ts';
import { opsKey } from './keys.ts';

/**
 * Removes what a request stored for an owner it then did not keep (a public report whose second
 * photo could not be stored): every object under the owner's keys (a file stored only in part
 * included, whose reference the request never got), the records of the files it confirmed and
 * the owner's upload count.
 * Only for an owner no one else can hold: the id was made by this request and never handed out.
 * Returns how many objects it removed.
 */
export async function discardOwnerEvidence(
  deps: EvidenceDeps,
  owner: string,
  refs: readonly string[],
): Promise<number> {
  const s3 = evidenceClient(deps.env);
  const bucket = deps.env.EVIDENCE_BUCKET;
  // Where putEvidence and confirmUpload write an owner's bytes (store/evidence.ts reserve, sealedKeyOf).
  const prefixes = [`evidence/${owner}/`, `sealed/evidence/${owner}/`];
  let removed = 0;
  for (const prefix of prefixes) {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
        removed += 1;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  for (const ref of refs) {
    const parsed = parseEvidenceRef(ref);
    if (!parsed) continue;
    await deps.aws.ddb.send(
      new DeleteItemCommand({
        TableName: deps.aws.tables.ops,
        Key: marshall(opsKey.evidence(parsed.evidenceId)),
      }),
    );
  }
  // The owner's upload count goes with them: nothing will upload for this owner again.
  await deps.aws.ddb.send(
    new DeleteItemCommand({ TableName: deps.aws.tables.ops, Key: marshall(opsKey.evidenceUploads(owner)) }),
  );
  return removed;
}
