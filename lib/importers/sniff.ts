/** File signatures of what people pick by mistake instead of a CSV. */
const SIGNATURES: ReadonlyArray<[bytes: number[], what: string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive (or an Excel .xlsx file)'],
  [[0x50, 0x4b, 0x05, 0x06], 'an empty zip archive'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel (.xls) file'],
];

export function isZip(start: Buffer): boolean {
  return start.length >= 4 && start[0] === 0x50 && start[1] === 0x4b && (start[2] === 0x03 || start[2] === 0x05);
}

/**
 * Why the first bytes of an input cannot be a CSV export, or undefined when they can. Checked before
 * parsing so a picture gets a sentence, not a stream of garbage rows.
 */
export function notCsvReason(start: Buffer): string | undefined {
  for (const [bytes, what] of SIGNATURES) {
    if (bytes.every((b, i) => start[i] === b)) return `this file is ${what}, not a CSV`;
  }
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
    return 'this CSV is saved as UTF-16: save it again as UTF-8 (the exports are UTF-8)';
  }
  // Text never holds NUL bytes; binary formats almost always do near the start.
  if (start.subarray(0, 1024).includes(0)) return 'this file holds binary data, not CSV text';
  return undefined;
}
