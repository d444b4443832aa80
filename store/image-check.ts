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

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// An IEND chunk never varies: length 0, its type, and the CRC of its type.
const PNG_IEND = Buffer.from([0, 0, 0, 0, ...ascii('IEND'), 0xae, 0x42, 0x60, 0x82]);
// The signature and the IHDR chunk (length, type, 13 bytes of header, CRC) come first.
const PNG_AFTER_IHDR = 33;

/**
 * A PNG: an IHDR with a size, and an IEND after it. Readers stop at IEND, so what follows it (a
 * block's zero padding, an editor's trailer) is not read and need not be a chunk.
 */
function isPng(b: Uint8Array): boolean {
  if (!at(b, 0, PNG_SIGNATURE) || !at(b, 8, [0, 0, 0, 13, ...ascii('IHDR')])) return false;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  // The format caps each side at 2^31 - 1.
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return false;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).lastIndexOf(PNG_IEND) >= PNG_AFTER_IHDR;
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
    // Bytes that are no marker (the zero padding some editors and old cameras leave between
    // segments) are skipped, as libjpeg does with its "extraneous bytes before marker" warning.
    while (i < end && b[i] !== 0xff) i++;
    while (i < end && b[i] === 0xff) i++; // fill bytes may precede a marker
    const marker = b[i++];
    if (marker === undefined) return false;
    // FF 00 is no marker (libjpeg skips it too); the others here stand alone, without a length.
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || i + 2 > end) return false;
    const length = u16be(b, i);
    if (length < 2 || i + length > end) return false;
    // A frame's and a scan's length follow from their component counts; libjpeg refuses either
    // when it does not. With stray bytes skipped, this is what keeps junk after a signature out.
    if (isFrameMarker(marker)) {
      const components = length >= 8 ? b[i + 7]! : 0;
      if (components === 0 || length !== 8 + 3 * components) return false;
      if (u16be(b, i + 3) === 0 || u16be(b, i + 5) === 0) return false;
      sawFrame = true;
    }
    // The scan's coded data runs to the end-of-image marker: inside it a 0xFF is always followed by
    // 0x00 or a restart marker, so the first FF D9 after the scan header is the image's end.
    if (marker === 0xda) {
      const components = length >= 3 ? b[i + 2]! : 0;
      if (components < 1 || components > 4 || length !== 6 + 2 * components) return false;
      return sawFrame && endOfImageFrom(b, i + length);
    }
    i += length;
  }
  return false;
}

function endOfImageFrom(b: Uint8Array, from: number): boolean {
  for (let k = from; k + 1 < b.length; k++) if (b[k] === 0xff && b[k + 1] === 0xd9) return true;
  return false;
}

const WEBP_CHUNKS = ['VP8 ', 'VP8L', 'VP8X'].map(ascii);
// The RIFF size counts "WEBP" and at least one chunk's header.
const WEBP_LEAST_RIFF = 12;

/**
 * A WebP: a RIFF whose size the file holds, starting with an image chunk that fits in it. Readers
 * read only the RIFF's size, so a byte some tools leave after it is not the image's; a size past the
 * file's end is a file cut short.
 */
function isWebp(b: Uint8Array): boolean {
  if (b.length < 20 || !at(b, 0, ascii('RIFF')) || !at(b, 8, ascii('WEBP'))) return false;
  const riff = u32le(b, 4);
  if (riff < WEBP_LEAST_RIFF || riff > b.length - 8) return false;
  return WEBP_CHUNKS.some((fourcc) => at(b, 12, fourcc)) && u32le(b, 16) <= riff - WEBP_LEAST_RIFF;
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
