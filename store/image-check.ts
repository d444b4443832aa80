/**
 * Whether a file's bytes are built like the type its first bytes claim: a signature alone is a
 * few bytes anyone can type before anything else, and a file that is no image would be served
 * back as one (a supervisor sees a broken picture). These are structural checks only, no decoding.
 */

type Checked = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));
const at = (b: Uint8Array, i: number, bytes: readonly number[]) =>
  i >= 0 && i + bytes.length <= b.length && bytes.every((x, k) => b[i + k] === x);
const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32be = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const u32le = (b: Uint8Array, i: number) =>
  ((b[i + 3]! << 24) >>> 0) + (b[i + 2]! << 16) + (b[i + 1]! << 8) + b[i]!;

/** The length without trailing zero bytes: some cameras and scanners pad a file to a block. */
function unpaddedLength(b: Uint8Array): number {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return end;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// An IEND chunk never varies: length 0, its type, and the CRC of its type.
const PNG_IEND = [0, 0, 0, 0, ...ascii('IEND'), 0xae, 0x42, 0x60, 0x82];

function isPng(b: Uint8Array): boolean {
  if (!at(b, 0, PNG_SIGNATURE) || !at(b, 8, [0, 0, 0, 13, ...ascii('IHDR')])) return false;
  if (b.length < 33 + PNG_IEND.length) return false;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  // The format caps each side at 2^31 - 1.
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return false;
  const ends = (end: number) => at(b, end - PNG_IEND.length, PNG_IEND);
  return ends(b.length) || ends(unpaddedLength(b));
}

/** SOF0-SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * A JPEG: its header segments, walked by their lengths up to the scan, hold a frame with a size,
 * and the scan ends with the end-of-image marker. What follows it is not read: a phone's "motion
 * photo" carries its video there, and cameras pad to a block.
 */
function isJpeg(b: Uint8Array): boolean {
  if (!at(b, 0, [0xff, 0xd8, 0xff])) return false;
  const end = b.length;
  let sawFrame = false;
  let i = 2;
  while (i < end) {
    if (b[i] !== 0xff) return false;
    while (i < end && b[i] === 0xff) i++; // fill bytes may precede a marker
    const marker = b[i++];
    if (marker === undefined) return false;
    // Markers that stand alone, without a length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || i + 2 > end) return false;
    const length = u16be(b, i);
    if (length < 2 || i + length > end) return false;
    if (isFrameMarker(marker)) {
      if (length < 8 || u16be(b, i + 3) === 0 || u16be(b, i + 5) === 0) return false;
      sawFrame = true;
    }
    // The scan's coded data runs to the end-of-image marker: inside it a 0xFF is always followed by
    // 0x00 or a restart marker, so the first FF D9 after the scan header is the image's end.
    if (marker === 0xda) return sawFrame && endOfImageFrom(b, i + length);
    i += length;
  }
  return false;
}

function endOfImageFrom(b: Uint8Array, from: number): boolean {
  for (let k = from; k + 1 < b.length; k++) if (b[k] === 0xff && b[k + 1] === 0xd9) return true;
  return false;
}

const WEBP_CHUNKS = ['VP8 ', 'VP8L', 'VP8X'].map(ascii);

function isWebp(b: Uint8Array): boolean {
  if (b.length < 20 || !at(b, 0, ascii('RIFF')) || !at(b, 8, ascii('WEBP'))) return false;
  if (u32le(b, 4) !== b.length - 8) return false;
  return WEBP_CHUNKS.some((fourcc) => at(b, 12, fourcc)) && u32le(b, 16) <= b.length - 20;
}

// Readers look for the end-of-file marker within the last kilobyte.
const PDF_TAIL = 1024;

function isPdf(b: Uint8Array): boolean {
  if (!at(b, 0, ascii('%PDF-'))) return false;
  const tail = Buffer.from(b.subarray(Math.max(5, b.length - PDF_TAIL))).toString('latin1');
  return tail.includes('%%EOF');
}

const checks: Record<Checked, (b: Uint8Array) => boolean> = {
  'image/jpeg': isJpeg,
  'image/png': isPng,
  'image/webp': isWebp,
  'application/pdf': isPdf,
};

/** Whether the whole file is built like a `type` (whose signature it already starts with). */
export const isWellFormed = (type: Checked, bytes: Uint8Array): boolean => checks[type](bytes);
