// Longer than most modules because reserving, presigning, confirming, sniffing, putting and re-checking a file all move one record through its states.
import { createHash, randomBytes } from 'node:crypto';
import { EXPIRES_AT } from './tables.ts';
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { EVIDENCE_REF_PATTERN } from '../domain/evidence-ref.ts';
import { isWellFormed } from './image-check.ts';
import { quoted, refuseFlaws, textFlaw, textFlawMessage } from '../domain/safe-text.ts';
import type { Bilingual } from '../domain/text.ts';
import type { Env } from '../infra/config.ts';
import type { AwsDeps } from './clients.ts';
import { opsKey } from './keys.ts';
import { sourceReportOf } from './reports.ts';

/**
 * The evidence store: photos and files of a case, in a private S3 bucket.
 *
 * A browser uploads straight to the bucket with a presigned PUT whose
 * Content-Type and Content-Length are part of the signature, so the store
 * itself refuses another type or size. The server then reads the object back,
 * checks that its bytes are what the declared type says (a photo is kept as the
 * photo type its bytes are, whatever was declared: `keptAs`), hashes it, and
 * keeps an evidence record (ops table, `EVIDENCE#<id>`). The case step carries
 * `evidence:<id>#sha256=<hex>`, which the workflow writes into the audit chain:
 * re-hashing the object later tells whether it is still the file that was signed for.
 */

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
/** A presigned upload is for now, not for later: long enough for a slow phone on campus Wi-Fi. */
export const UPLOAD_URL_SECONDS = 10 * 60;
/** A presigned download lives as long as a page view needs it. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;
/** A reservation nobody confirmed is dropped by the table's TTL after a day. */
const PENDING_TTL_SECONDS = 24 * 3600;
/**
 * Uploads one case, report or round takes, counted when reserved: a step cites at most the case's
 * evidence budget, so this only stops a client filling the bucket under one case (2 GB at most).
 */
export const MAX_UPLOADS_PER_OWNER = 200;

export const EVIDENCE_TYPES = {
  'image/jpeg': { extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], name: 'JPEG' },
  'image/png': { extensions: ['png'], name: 'PNG' },
  'image/webp': { extensions: ['webp'], name: 'WebP' },
  'application/pdf': { extensions: ['pdf'], name: 'PDF' },
} as const;
export type EvidenceType = keyof typeof EVIDENCE_TYPES;
export const evidenceTypes = Object.keys(EVIDENCE_TYPES) as EvidenceType[];
const isEvidenceType = (t: string): t is EvidenceType => Object.hasOwn(EVIDENCE_TYPES, t);

export const evidenceIdSchema = z.string().regex(/^ev_[A-Za-z0-9_-]{16}$/);
export const evidenceFileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f/\\]+$/, 'no control characters or slashes / 不能含控制字符或斜杠')
  // A name is shown on pages and in the download's header: no direction marks (photo\u202Egpj.png
  // reads as photogpj… .exe), no bytes that were not UTF-8, as for every text a person types.
  .superRefine(refuseFlaws({ singleLine: true }));

/** `evidence:<id>#sha256=<hex>`: what a case step carries and the audit chain keeps. */
export const evidenceRef = (evidenceId: string, sha256: string) => `evidence:${evidenceId}#sha256=${sha256}`;
// Defined in the domain, where the mails that leave references out of the notes they quote read it.
export { EVIDENCE_REF_PATTERN };

export function parseEvidenceRef(ref: string): { evidenceId: string; sha256: string } | null {
  const m = /^evidence:(ev_[A-Za-z0-9_-]{16})#sha256=([0-9a-f]{64})$/.exec(ref);
  return m?.[1] && m[2] ? { evidenceId: m[1], sha256: m[2] } : null;
}

export type EvidenceErrorCode =
  | 'unsupported_type'
  | 'too_large'
  | 'empty'
  | 'bad_name'
  | 'not_found'
  | 'not_uploaded'
  | 'not_confirmed'
  | 'mismatch'
  | 'too_many';

/** A refusal the API turns into a problem response; the message is for the person who uploaded. */
export class EvidenceError extends Error {
  override name = 'EvidenceError';
  constructor(
    readonly code: EvidenceErrorCode,
    readonly text: Bilingual,
    readonly field?: 'contentType' | 'size' | 'fileName' | 'file',
  ) {
    super(text.en);
  }
}

// The stored row, checked on the way out: the ops table is shared with other records.
const evidenceRecordSchema = z.object({
  evidenceId: z.string(),
  caseId: z.string(),
  fileName: z.string(),
  contentType: z.enum(evidenceTypes as [EvidenceType, ...EvidenceType[]]),
  size: z.number().int(),
  uploaderId: z.string(),
  key: z.string(),
  /**
   * Where a confirmed upload's bytes are kept: copied at confirm to a key no upload URL can
   * write, so a second PUT to the upload URL (valid for its 10 minutes) cannot swap the file.
   * Absent for files confirmed before this was kept.
   */
  sealedKey: z.string().optional(),
  createdAt: z.string(),
  status: z.enum(['pending', 'confirmed', 'rejected']),
  sha256: z.string().optional(),
  confirmedAt: z.string().optional(),
  rejected: z.object({ zh: z.string(), en: z.string() }).optional(),
});
export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>;

export interface ConfirmedEvidence {
  evidenceId: string;
  caseId: string;
  ref: string;
  sha256: string;
  size: number;
  contentType: EvidenceType;
  fileName: string;
}

/** What the evidence functions need: AppDeps and the worker's deps both fit. */
export interface EvidenceDeps {
  env: Env;
  aws: AwsDeps;
}

/**
 * What reading a stored file back needs: the configuration, or (the worker, which has no
 * configuration) the evidence bucket's client and name as its result store holds them.
 */
export type EvidenceReadDeps = { aws: AwsDeps } & (
  { env: Env } | { store: { client: S3Client; bucket: string } }
);
const bucketOf = (deps: EvidenceReadDeps) =>
  'store' in deps ? deps.store : { client: evidenceClient(deps.env), bucket: deps.env.EVIDENCE_BUCKET };

// One client per configuration, made on first use: never one per request.
const clients = new WeakMap<Env, S3Client>();
export function evidenceClient(env: Env): S3Client {
  let client = clients.get(env);
  if (!client) {
    const local =
      env.S3_ENDPOINT && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined;
    client = new S3Client({
      region: env.AWS_REGION,
      ...(env.S3_ENDPOINT
        ? { endpoint: env.S3_ENDPOINT, forcePathStyle: true, ...(local ? { credentials: local } : {}) }
        : {}),
      // Checksums the SDK would add on its own go into a presigned URL as parameters a browser
      // never sends; the hash that matters is the one computed at confirm.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    clients.set(env, client);
  }
  return client;
}

const itemKey = (evidenceId: string) => marshall(opsKey.evidence(evidenceId));
const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
const allowedNames = evidenceTypes.map((t) => EVIDENCE_TYPES[t].name).join(', ');

function checkDeclared(input: { fileName: string; contentType: string; size: number }): EvidenceType {
  const { contentType, size } = input;
  if (!isEvidenceType(contentType)) {
    throw new EvidenceError(
      'unsupported_type',
      {
        zh: `不支持的文件类型 ${contentType}：只能上传 JPEG、PNG、WebP 图片或 PDF 文件`,
        en: `files of type ${contentType} are not accepted: upload a JPEG, PNG or WebP photo or a PDF (${allowedNames})`,
      },
      'contentType',
    );
  }
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new EvidenceError('empty', { zh: '文件为空', en: 'the file is empty' }, 'size');
  }
  if (size > MAX_EVIDENCE_BYTES) {
    throw new EvidenceError(
      'too_large',
      {
        zh: `文件过大（${mb(size)}）：每个文件不能超过 ${mb(MAX_EVIDENCE_BYTES)}`,
        en: `the file is too large (${mb(size)}): each file may be at most ${mb(MAX_EVIDENCE_BYTES)}`,
      },
      'size',
    );
  }
  const name = evidenceFileNameSchema.safeParse(input.fileName);
  if (!name.success) {
    const flaw = textFlaw(input.fileName, { singleLine: true });
    throw new EvidenceError(
      'bad_name',
      flaw
        ? {
            zh: `文件名${textFlawMessage[flaw].zh}；请改名后再上传`,
            en: `the file name ${textFlawMessage[flaw].en}; rename the file and upload it again`,
          }
        : {
            zh: '文件名须为 1-255 个字符，不能含控制字符或斜杠',
            en: 'the file name must be 1-255 characters without control characters or slashes',
          },
      'fileName',
    );
  }
  const ext = extensionOf(name.data)?.[1]?.toLowerCase();
  const expected: readonly string[] = EVIDENCE_TYPES[contentType].extensions;
  if (ext !== undefined && !expected.includes(ext)) {
    throw new EvidenceError(
      'unsupported_type',
      {
        zh: `文件名 ${quoted(name.data)} 的扩展名与类型 ${EVIDENCE_TYPES[contentType].name} 不符（应为 .${expected.join('/.')}）`,
        en: `the name ${quoted(name.data)} does not fit its type ${EVIDENCE_TYPES[contentType].name} (expected .${expected.join('/.')})`,
      },
      'fileName',
    );
  }
  return contentType;
}

/** What the first bytes of a file say it is, among the accepted types. */
export function sniffType(head: Uint8Array): EvidenceType | null {
  const at = (i: number, bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at(0, ascii('RIFF')) && at(8, ascii('WEBP'))) return 'image/webp';
  if (at(0, ascii('%PDF-'))) return 'application/pdf';
  return null;
}

// The photos among the accepted types: what a form that asks for photos takes.
const PHOTO_TYPES: readonly string[] = evidenceTypes.filter((t) => t.startsWith('image/'));
/** The extensions a phone names a photo with: those of the accepted photo types, and HEIC's. */
const PHOTO_EXTENSIONS: readonly string[] = [
  ...evidenceTypes.filter((t) => PHOTO_TYPES.includes(t)).flatMap((t) => EVIDENCE_TYPES[t].extensions),
  'heic',
  'heif',
];
const extensionOf = (name: string) => /\.([A-Za-z0-9]{1,8})$/.exec(name);

/**
 * The type and name a file is kept under. A photo is what its bytes are, whatever type was
 * declared for it: a phone saves a PNG or WebP under a .jpg name, its browser declares the type
 * from that name, and the person cannot change either. So bytes of an accepted photo type under
 * a photo's name (or none) are kept as that type, the name taking its extension (IMG_1.jpg
 * holding a PNG is kept as IMG_1.png). Anything else (a PDF, unknown bytes, a name that is no
 * photo's such as shell.php) is kept as declared, and its bytes must be that (`contentRefusal`).
 * One rule for every form and the upload API.
 */
export function keptAs(
  declared: { fileName: string; contentType: string },
  head: Uint8Array,
): { fileName: string; contentType: string } {
  const found = sniffType(head);
  if (!found || !PHOTO_TYPES.includes(found)) return declared;
  const ext = extensionOf(declared.fileName.trim());
  if (!ext) return { fileName: declared.fileName, contentType: found };
  const name = ext[1]!.toLowerCase();
  if (!PHOTO_EXTENSIONS.includes(name)) return declared;
  const fits = (EVIDENCE_TYPES[found].extensions as readonly string[]).includes(name);
  return {
    fileName: fits
      ? declared.fileName
      : `${declared.fileName.trim().slice(0, ext.index)}.${EVIDENCE_TYPES[found].extensions[0]}`,
    contentType: found,
  };
}

/** The accepted types other than the declared one: "PNG、WebP 或 PDF" / "PNG, WebP or PDF". */
function othersThan(declared: EvidenceType): { zh: string; en: string } {
  const names = evidenceTypes.filter((t) => t !== declared).map((t) => EVIDENCE_TYPES[t].name);
  const last = names.pop() ?? '';
  if (names.length === 0) return { zh: last, en: last };
  return { zh: `${names.join('、')} 或 ${last}`, en: `${names.join(', ')} or ${last}` };
}

/**
 * Why a file's bytes are not the declared type, or null when they are: its first bytes name the
 * type, and the whole file must be built like one (a signature typed before anything else is not).
 */
function contentRefusal(
  declared: EvidenceType,
  file: { name: string; bytes: Uint8Array },
): EvidenceError | null {
  const found = sniffType(file.bytes.subarray(0, 16));
  const want = EVIDENCE_TYPES[declared].name;
  if (found === declared) {
    if (isWellFormed(declared, file.bytes)) return null;
    const photo = declared !== 'application/pdf';
    return new EvidenceError(
      'mismatch',
      {
        zh: `文件 ${quoted(file.name)} 不是可读的 ${want} ${photo ? '图片' : '文件'}（内容不完整或已损坏）；请上传${photo ? '手机拍摄的原始照片' : ' PDF 原件'}`,
        en: `the file ${quoted(file.name)} is not a readable ${want} ${photo ? 'image' : 'file'} (its content is incomplete or damaged); upload the ${photo ? 'photo as your phone took it' : 'original PDF'}`,
      },
      'file',
    );
  }
  // Named, as the damaged file above is: a person uploading several must know which one it is.
  const name = quoted(file.name);
  return new EvidenceError(
    'mismatch',
    found
      ? {
          zh: `文件 ${name} 的内容是 ${EVIDENCE_TYPES[found].name}，与声明的 ${want} 不符；请按实际类型重新上传`,
          en: `the content of the file ${name} is ${EVIDENCE_TYPES[found].name}, not the declared ${want}; upload it again with its real type`,
        }
      : {
          zh: `文件 ${name} 的内容不是 ${want}（也不是 ${othersThan(declared).zh}）；请上传照片或 PDF 原件`,
          en: `the content of the file ${name} is not ${want} (nor ${othersThan(declared).en}); upload the original photo or PDF`,
        },
    'file',
  );
}

export async function getEvidence(
  deps: { aws: AwsDeps },
  evidenceId: string,
): Promise<EvidenceRecord | null> {
  if (!evidenceIdSchema.safeParse(evidenceId).success) return null;
  const out = await deps.aws.ddb.send(
    new GetItemCommand({ TableName: deps.aws.tables.ops, Key: itemKey(evidenceId), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  return evidenceRecordSchema.parse(unmarshall(out.Item));
}

const notFound = (evidenceId: string) =>
  new EvidenceError('not_found', { zh: `没有证据 ${evidenceId}`, en: `there is no evidence ${evidenceId}` });

/** Counts one more upload for its owner, refused once the owner has taken its most. */
async function countUpload(deps: EvidenceDeps, owner: string): Promise<void> {
  try {
    await deps.aws.ddb.send(
      new UpdateItemCommand({
        TableName: deps.aws.tables.ops,
        Key: marshall(opsKey.evidenceUploads(owner)),
        UpdateExpression: 'ADD uploads :one',
        ConditionExpression: 'attribute_not_exists(uploads) OR uploads < :most',
        ExpressionAttributeValues: marshall({ ':one': 1, ':most': MAX_UPLOADS_PER_OWNER }),
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    throw new EvidenceError('too_many', {
      zh: `${owner} 已上传 ${MAX_UPLOADS_PER_OWNER} 个文件，已达上限，不能再上传；请引用已上传的文件`,
      en: `${owner} has taken ${MAX_UPLOADS_PER_OWNER} uploads, the most it takes; cite the files already uploaded`,
    });
  }
}

async function reserve(
  deps: EvidenceDeps,
  input: { caseId: string; fileName: string; contentType: string; size: number; uploaderId: string },
): Promise<EvidenceRecord> {
  const contentType = checkDeclared(input);
  await countUpload(deps, input.caseId);
  const evidenceId = `ev_${randomBytes(12).toString('base64url')}`;
  const createdAt = new Date().toISOString();
  const record: EvidenceRecord = {
    evidenceId,
    caseId: input.caseId,
    fileName: input.fileName.trim(),
    contentType,
    size: input.size,
    uploaderId: input.uploaderId,
    key: `evidence/${input.caseId}/${evidenceId}.${EVIDENCE_TYPES[contentType].extensions[0]}`,
    createdAt,
    status: 'pending',
  };
  await deps.aws.ddb.send(
    new PutItemCommand({
      TableName: deps.aws.tables.ops,
      Item: {
        ...itemKey(evidenceId),
        ...marshall({
          ...record,
          // An upload never confirmed goes by the table's TTL; confirming it takes this away.
          [EXPIRES_AT]: Math.floor(Date.parse(createdAt) / 1000) + PENDING_TTL_SECONDS,
        }),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return record;
}

export interface PresignedUpload {
  evidenceId: string;
  method: 'PUT';
  uploadUrl: string;
  /** Send exactly these headers; the body must be exactly `size` bytes (Content-Length is signed too). */
  headers: { 'Content-Type': EvidenceType };
  expiresAt: string;
}

/** Reserves an evidence id for a case and returns the presigned PUT the browser uploads with. */
export async function presignUpload(
  deps: EvidenceDeps,
  input: { caseId: string; fileName: string; contentType: string; size: number; uploaderId: string },
): Promise<PresignedUpload> {
  const record = await reserve(deps, input);
  const uploadUrl = await getSignedUrl(
    evidenceClient(deps.env),
    new PutObjectCommand({
      Bucket: deps.env.EVIDENCE_BUCKET,
      Key: record.key,
      ContentType: record.contentType,
      ContentLength: record.size,
    }),
    {
      expiresIn: UPLOAD_URL_SECONDS,
      // The presigner leaves Content-Type out of the signature unless told otherwise; signing both
      // is what makes the store refuse another type or another size.
      signableHeaders: new Set(['content-type', 'content-length']),
    },
  );
  return {
    evidenceId: record.evidenceId,
    method: 'PUT',
    uploadUrl,
    headers: { 'Content-Type': record.contentType },
    expiresAt: new Date(Date.now() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  };
}

/** The key a file's bytes are read from: sealed at confirm (files confirmed before keep their upload key). */
const storedKey = (r: EvidenceRecord) => r.sealedKey ?? r.key;
/**
 * Where confirmed bytes are kept: beside no upload URL, named by their hash so two confirms never
 * mix, with the extension of the type they are kept as (a photo uploaded as another, `keptAs`).
 */
const sealedKeyOf = (r: Pick<EvidenceRecord, 'key'>, sha256: string, type?: EvidenceType) =>
  `sealed/${type ? r.key.replace(/\.[a-z]+$/, `.${EVIDENCE_TYPES[type].extensions[0]}`) : r.key}.${sha256}`;

interface ReadBack {
  sha256: string;
  size: number;
  head: Uint8Array;
  contentType: string | undefined;
}

const isMissing = (err: unknown) =>
  err instanceof NoSuchKey || (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404);

/** Streams an object through SHA-256, keeping its first bytes; stops past `limit` bytes. Null when absent. */
async function readBack(
  deps: EvidenceReadDeps,
  key: string,
  limit = MAX_EVIDENCE_BYTES,
  keep?: Uint8Array[],
): Promise<ReadBack | null> {
  let out;
  try {
    const { client, bucket } = bucketOf(deps);
    out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  const hash = createHash('sha256');
  let size = 0;
  const head = new Uint8Array(16);
  let headLen = 0;
  for await (const chunk of body ?? []) {
    if (headLen < head.length) {
      const take = chunk.subarray(0, head.length - headLen);
      head.set(take, headLen);
      headLen += take.length;
    }
    size += chunk.length;
    if (size > limit) {
      body?.destroy?.();
      return { sha256: '', size, head: head.subarray(0, headLen), contentType: out.ContentType };
    }
    hash.update(chunk);
    keep?.push(chunk);
  }
  return { sha256: hash.digest('hex'), size, head: head.subarray(0, headLen), contentType: out.ContentType };
}

const confirmed = (r: EvidenceRecord, sha256: string): ConfirmedEvidence => ({
  evidenceId: r.evidenceId,
  caseId: r.caseId,
  ref: evidenceRef(r.evidenceId, sha256),
  sha256,
  size: r.size,
  contentType: r.contentType,
  fileName: r.fileName,
});

async function reject(
  deps: EvidenceDeps,
  record: EvidenceRecord,
  why: EvidenceError,
  key = record.key,
): Promise<never> {
  await deps.aws.ddb
    .send(
      new UpdateItemCommand({
        TableName: deps.aws.tables.ops,
        Key: itemKey(record.evidenceId),
        UpdateExpression: 'SET #s = :rejected, rejected = :why',
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({
          ':rejected': 'rejected',
          ':pending': 'pending',
          ':why': why.text,
        }),
      }),
    )
    .catch((err: unknown) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
  // A refused file is not kept: nothing can cite it, and it may be anything.
  await evidenceClient(deps.env).send(
    new DeleteObjectCommand({ Bucket: deps.env.EVIDENCE_BUCKET, Key: key }),
  );
  throw why;
}

/**
 * Reads an uploaded object back and, if it is what was declared, records its
 * SHA-256 and returns the reference a case step can carry. Idempotent: a
 * confirmed upload returns the same reference again without reading.
 */
export async function confirmUpload(
  deps: EvidenceDeps,
  evidenceId: string,
  // Where the server itself stored the bytes, already under their sealed key (putEvidence).
  storedAt?: string,
): Promise<ConfirmedEvidence> {
  const record = await getEvidence(deps, evidenceId);
  if (!record) throw notFound(evidenceId);
  if (record.status === 'confirmed' && record.sha256) return confirmed(record, record.sha256);
  if (record.status === 'rejected') {
    // The refused bytes are gone and this upload is spent: uploading again to its URL cannot help.
    const why = record.rejected ?? { zh: '该文件已被拒收', en: 'this file was refused' };
    throw new EvidenceError(
      'mismatch',
      {
        zh: `${why.zh}。此次上传已作废：请重新申请上传地址，再上传并确认`,
        en: `${why.en}. This upload is void: ask for a new upload URL, then upload and confirm again`,
      },
      'file',
    );
  }
  const bytes: Uint8Array[] = [];
  const readFrom = storedAt ?? record.key;
  const got = await readBack(deps, readFrom, MAX_EVIDENCE_BYTES, bytes);
  if (!got) {
    // A confirm that raced this one may have sealed the file and removed the upload meanwhile.
    const now = await getEvidence(deps, evidenceId);
    if (now?.status === 'confirmed' && now.sha256) return confirmed(now, now.sha256);
    throw new EvidenceError('not_uploaded', {
      zh: '文件尚未上传（或上传未成功）：请先用上传地址 PUT 文件再确认',
      en: 'the file has not been uploaded (or the upload failed): PUT it to the upload URL first, then confirm',
    });
  }
  if (got.size > MAX_EVIDENCE_BYTES) {
    await reject(
      deps,
      record,
      new EvidenceError(
        'too_large',
        {
          zh: `文件超过 ${mb(MAX_EVIDENCE_BYTES)}`,
          en: `the file is larger than ${mb(MAX_EVIDENCE_BYTES)}`,
        },
        'file',
      ),
      readFrom,
    );
  }
  if (got.size !== record.size || got.contentType !== record.contentType) {
    // The signature covers both, so only a write that bypassed the presigned URL gets here.
    await reject(
      deps,
      record,
      new EvidenceError(
        'mismatch',
        {
          zh: `存储中的文件 ${quoted(record.fileName)}（${got.size} 字节，${got.contentType ?? '无类型'}）与申请上传时声明的（${record.size} 字节，${record.contentType}）不符`,
          en: `the stored file ${quoted(record.fileName)} (${got.size} bytes, ${got.contentType ?? 'no type'}) is not what was declared (${record.size} bytes, ${record.contentType})`,
        },
        'file',
      ),
      readFrom,
    );
  }
  const whole = Buffer.concat(bytes);
  // A photo is kept as what its bytes are, whatever type was declared for it (`keptAs`).
  const kept = keptAs(record, whole.subarray(0, 16));
  const type = isEvidenceType(kept.contentType) ? kept.contentType : record.contentType;
  const refusal = contentRefusal(type, { name: kept.fileName, bytes: whole });
  if (refusal) await reject(deps, record, refusal, readFrom);
  const keptRecord: EvidenceRecord = { ...record, contentType: type, fileName: kept.fileName };
  // The bytes just hashed, and no others, are what the reference will vouch for: kept under a key
  // of their own (named by their hash, so two confirms racing over different bytes cannot mix).
  const sealedKey = sealedKeyOf(record, got.sha256, type);
  if (sealedKey !== storedAt)
    await evidenceClient(deps.env).send(
      new PutObjectCommand({
        Bucket: deps.env.EVIDENCE_BUCKET,
        Key: sealedKey,
        Body: whole,
        ContentType: type,
      }),
    );
  const confirmedAt = new Date().toISOString();
  try {
    await deps.aws.ddb.send(
      new UpdateItemCommand({
        TableName: deps.aws.tables.ops,
        Key: itemKey(record.evidenceId),
        UpdateExpression:
          'SET #s = :confirmed, sha256 = :h, confirmedAt = :at, sealedKey = :k, contentType = :ct, fileName = :fn REMOVE expiresAt, expiresAtEpoch',
        // Two confirms racing agree on the hash; a confirm after the object changed does not.
        ConditionExpression: '#s = :pending OR (#s = :confirmed AND sha256 = :h)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({
          ':confirmed': 'confirmed',
          ':pending': 'pending',
          ':h': got.sha256,
          ':at': confirmedAt,
          ':k': sealedKey,
          ':ct': type,
          ':fn': kept.fileName,
        }),
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const now = await getEvidence(deps, evidenceId);
    if (now?.status === 'confirmed' && now.sha256) return confirmed(now, now.sha256);
    throw new EvidenceError(
      'mismatch',
      now?.rejected ?? { zh: '该文件已被拒收', en: 'this file was refused' },
    );
  }
  // The upload's own object is no longer read; a later PUT to its URL lands where nothing looks.
  if (!storedAt)
    await evidenceClient(deps.env)
      .send(new DeleteObjectCommand({ Bucket: deps.env.EVIDENCE_BUCKET, Key: record.key }))
      .catch(() => undefined);
  return confirmed(keptRecord, got.sha256);
}

/** Where only a photo is asked for (a scanned report's form): a PDF or anything else is not one. */
const notAPhoto = (field: 'contentType' | 'file') =>
  new EvidenceError(
    'unsupported_type',
    {
      zh: '只能上传照片（JPEG、PNG 或 WebP）；请上传手机拍摄的原始照片',
      en: 'only photos are taken here (JPEG, PNG or WebP): upload the photo as your phone took it',
    },
    field,
  );

/**
 * What a form's file would store: its metadata as it is kept (a photo under the type its bytes
 * are, `keptAs`) and its bytes. Throws EvidenceError. `photosOnly`: JPEG, PNG or WebP by content,
 * where a form asks for photos.
 */
export async function checkedFile(input: {
  file: Blob;
  fileName?: string;
  contentType?: string;
  photosOnly?: boolean;
}): Promise<{ declared: { fileName: string; contentType: string; size: number }; bytes: Uint8Array }> {
  const head = new Uint8Array(await input.file.slice(0, 16).arrayBuffer());
  const { fileName, contentType } = keptAs(
    {
      fileName: input.fileName ?? (input.file instanceof File ? input.file.name : ''),
      contentType: input.contentType ?? input.file.type,
    },
    head,
  );
  const declared = { fileName, contentType, size: input.file.size };
  if (input.photosOnly && !PHOTO_TYPES.includes(contentType)) throw notAPhoto('contentType');
  // Where only photos are taken, bytes that are no photo at all are told so first, not that the
  // name's extension does not fit the type the browser (or a client) declared for them.
  const photoBytes = PHOTO_TYPES.includes(sniffType(head) ?? '');
  if (input.photosOnly && input.file.size > 0 && !photoBytes) throw notAPhoto('file');
  const type = checkDeclared(declared);
  const bytes = new Uint8Array(await input.file.arrayBuffer());
  const refusal = contentRefusal(type, { name: fileName.trim(), bytes });
  // A damaged photo is told so; a PDF or unknown bytes are not a photo.
  if (refusal) throw input.photosOnly && !photoBytes ? notAPhoto('file') : refusal;
  return { declared: { ...declared, contentType: type }, bytes };
}

/**
 * The server-side upload for forms without JavaScript (a multipart body):
 * the same declared-type, size and content checks, then the same record.
 */
export async function putEvidence(
  deps: EvidenceDeps,
  input: {
    caseId: string;
    uploaderId: string;
    file: Blob;
    fileName?: string;
    contentType?: string;
    photosOnly?: boolean;
  },
): Promise<ConfirmedEvidence> {
  // Refused before anything is stored: a form post has the bytes in hand already.
  const { declared, bytes } = await checkedFile(input);
  const record = await reserve(deps, { ...declared, caseId: input.caseId, uploaderId: input.uploaderId });
  // No upload URL was issued: the bytes go where confirmed bytes are kept, and the confirm reads
  // them back from there (one write, one read).
  const storedAt = sealedKeyOf(record, createHash('sha256').update(bytes).digest('hex'));
  await evidenceClient(deps.env).send(
    new PutObjectCommand({
      Bucket: deps.env.EVIDENCE_BUCKET,
      Key: storedAt,
      Body: bytes,
      ContentType: record.contentType,
      ContentLength: record.size,
    }),
  );
  return confirmUpload(deps, record.evidenceId, storedAt);
}

/**
 * Hands a confirmed file stored before its case had a number (an inspection checklist's photo,
 * kept under the round's id) to the case that cites it: from then on the case may cite it, its
 * audit finds it its own, and whoever reads the case reads it. Only from `from`, or already
 * `to` (a retried hand-over): another owner's file is never taken, and the hash must be the one
 * the reference carries. False when it may not be handed over.
 */
export async function adoptEvidence(
  deps: { aws: AwsDeps },
  ref: string,
  owners: { from: string; to: string },
): Promise<boolean> {
  const parsed = parseEvidenceRef(ref);
  if (!parsed) return false;
  try {
    await deps.aws.ddb.send(
      new UpdateItemCommand({
        TableName: deps.aws.tables.ops,
        Key: itemKey(parsed.evidenceId),
        UpdateExpression: 'SET #c = :to',
        ConditionExpression: '#s = :confirmed AND sha256 = :h AND (#c = :from OR #c = :to)',
        ExpressionAttributeNames: { '#c': 'caseId', '#s': 'status' },
        ExpressionAttributeValues: marshall({
          ':to': owners.to,
          ':from': owners.from,
          ':confirmed': 'confirmed',
          ':h': parsed.sha256,
        }),
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** A short-lived presigned GET of a confirmed file (for an <img> or a download link). */
export async function evidenceUrl(
  deps: EvidenceDeps,
  evidence: string | EvidenceRecord,
  expiresIn = DOWNLOAD_URL_SECONDS,
): Promise<string> {
  const record = typeof evidence === 'string' ? await getEvidence(deps, evidence) : evidence;
  if (!record) throw notFound(typeof evidence === 'string' ? evidence : evidence.evidenceId);
  if (record.status !== 'confirmed') {
    throw new EvidenceError('not_confirmed', {
      zh: '该文件尚未确认（或已被拒收），不能查看',
      en: 'this file has not been confirmed (or was refused), so it cannot be shown',
    });
  }
  return getSignedUrl(
    evidenceClient(deps.env),
    new GetObjectCommand({
      Bucket: deps.env.EVIDENCE_BUCKET,
      Key: storedKey(record),
      ResponseContentType: record.contentType,
      ResponseContentDisposition: `inline; filename*=UTF-8''${encodeURIComponent(record.fileName)}`,
    }),
    { expiresIn },
  );
}

/**
 * Every evidence reference a step's input carries, wherever it sits (a list, a summary, notes),
 * as the audit's check finds them later; and anything that claims to be one without parsing.
 */
export function citedRefsIn(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(EVIDENCE_REF_PATTERN)) found.add(m[0]);
      // A value that opens as a reference claims to be one, whatever follows the scheme.
      const claim = /^evidence:\S+/i.exec(v.trim())?.[0];
      if (claim && !parseEvidenceRef(claim)) found.add(claim);
    } else if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) visit(x);
  };
  visit(value);
  return [...found];
}

/**
 * Whether a step may cite what its input carries: every evidence reference in it (`citedRefsIn`)
 * must name a file confirmed for this case, or a photo of the report triage opened it from, with
 * the hash it carries (a record lookup, no re-read). Other references (a work order number, a note)
 * pass as they are. Returns the first that may not, with why, or null.
 */
export async function citedEvidenceProblem(
  deps: EvidenceDeps,
  caseId: string,
  input: unknown,
): Promise<{ ref: string; text: Bilingual } | null> {
  // The source report is asked for only when a file is not the case's own, and once.
  let sourceReport: Promise<string | null> | undefined;
  const citable = async (owner: string) =>
    owner === caseId || owner === (await (sourceReport ??= sourceReportOf(deps.aws, caseId)));
  for (const ref of citedRefsIn(input)) {
    const parsed = parseEvidenceRef(ref);
    const record = parsed ? await getEvidence(deps, parsed.evidenceId) : null;
    if (!parsed || !record || record.status !== 'confirmed')
      return {
        ref,
        text: { zh: `证据引用无效或文件未确认：${ref}`, en: `not a confirmed file of this case: ${ref}` },
      };
    if (!(await citable(record.caseId)))
      return {
        ref,
        text: { zh: `该文件属于其他案件，不能引用：${ref}`, en: `this file belongs to another case: ${ref}` },
      };
    if (record.sha256 !== parsed.sha256)
      return {
        ref,
        text: {
          zh: `引用中的 sha256 与该文件不符：${ref}`,
          en: `the sha256 in the reference is not the file's: ${ref}`,
        },
      };
  }
  return null;
}

export type EvidenceProblem =
  'malformed' | 'unknown' | 'unconfirmed' | 'other_case' | 'record_mismatch' | 'missing' | 'swapped';

export type EvidenceCheck =
  | { ref: string; ok: true; evidenceId: string; sha256: string; size: number }
  | {
      ref: string;
      ok: false;
      evidenceId: string | null;
      problem: EvidenceProblem;
      /** The hash the reference vouches for, and what was found instead (when there is something). */
      expected?: string;
      found?: string;
    };

/**
 * Re-hashes the object a reference names and compares it with the hash in the
 * reference (the one the audit chain keeps): a swapped, altered or deleted
 * file fails. `caseId`, when given, must be the case the file was uploaded to,
 * or `sourceReportId` the report it was (the report triage opened the case from).
 */
export async function checkEvidence(
  deps: EvidenceReadDeps,
  ref: string,
  opts: { caseId?: string; sourceReportId?: string | null } = {},
): Promise<EvidenceCheck> {
  const parsed = parseEvidenceRef(ref);
  if (!parsed) return { ref, ok: false, evidenceId: null, problem: 'malformed' };
  const { evidenceId, sha256 } = parsed;
  const fail = (problem: EvidenceProblem, found?: string): EvidenceCheck => ({
    ref,
    ok: false,
    evidenceId,
    problem,
    expected: sha256,
    ...(found !== undefined ? { found } : {}),
  });
  const record = await getEvidence(deps, evidenceId);
  if (!record) return fail('unknown');
  if (record.status !== 'confirmed') return fail('unconfirmed');
  if (opts.caseId !== undefined && record.caseId !== opts.caseId && record.caseId !== opts.sourceReportId)
    return fail('other_case', record.caseId);
  if (record.sha256 !== sha256) return fail('record_mismatch', record.sha256);
  const got = await readBack(deps, storedKey(record), Number.MAX_SAFE_INTEGER);
  if (!got) return fail('missing');
  if (got.sha256 !== sha256) return fail('swapped', got.sha256);
  return { ref, ok: true, evidenceId, sha256, size: got.size };
}

/**
 * The stored type of every evidence file cited anywhere in `shown` (a page's data), by id, read
 * once each: a page shows a PDF as a file to open, not as an image that cannot load. A file
 * with no record is left out (shown as an image, as before).
 */
export async function evidenceTypesIn(
  deps: EvidenceDeps,
  shown: unknown,
): Promise<Map<string, EvidenceType>> {
  const ids = [...new Set([...JSON.stringify(shown).matchAll(EVIDENCE_REF_PATTERN)].map((m) => m[1]!))];
  const records = await Promise.all(ids.map((id) => getEvidence(deps, id)));
  return new Map(records.flatMap((r) => (r ? [[r.evidenceId, r.contentType] as const] : [])));
}
