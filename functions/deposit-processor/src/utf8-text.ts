/** Where a file stopped being UTF-8: the line (1-based) and the offset of the first bad byte. */
export interface Utf8Failure {
  readonly line: number;
  readonly byteOffset: number;
}

export interface Utf8Text {
  /** The text, in the order the bytes came; CRLF line endings arrive as LF. */
  readonly chunks: AsyncIterable<string>;
  /** Known once `chunks` is exhausted: null when every byte was UTF-8. */
  failure(): Utf8Failure | null;
}

const LF = 0x0a;

/** Bytes at the end of `data` that start a multi-byte sequence the next chunk completes. */
const incompleteTail = (data: Uint8Array): number => {
  for (let back = 1; back <= Math.min(3, data.length); back += 1) {
    const byte = data[data.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
};

const countLines = (data: Uint8Array): number => {
  let count = 0;
  for (let at = data.indexOf(LF); at !== -1; at = data.indexOf(LF, at + 1)) count += 1;
  return count;
};

/** Offset of the first byte of the first sequence that is not UTF-8. */
const firstBadSequence = (data: Uint8Array): number => {
  const decodes = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = data.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (decodes(middle)) low = middle;
    else high = middle - 1;
  }
  // `low` bytes decode when a sequence may be cut short at their end: the bad one starts there.
  return low - incompleteTail(data.subarray(0, low));
};

/**
 * Decodes a byte stream as strict UTF-8. A file that is not UTF-8 must not be guessed at (a
 * Latin-1 "é" read as UTF-8 would change an id), so at the first bad byte the text ends: the
 * lines before the one holding it are delivered whole, that line and the rest are not, and
 * `failure()` says where. Text is delivered a whole line at a time, so a line cut short by a bad
 * byte is never read as a shorter row. CRLF becomes LF so the CSV parser counts lines one way only.
 */
export const readUtf8Text = (bytes: AsyncIterable<Uint8Array>): Utf8Text => {
  let failure: Utf8Failure | null = null;
  // ignoreBOM keeps a BOM in the text: the CSV parser drops it at the start and only there.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  async function* chunks(): AsyncGenerator<string> {
    let carry = new Uint8Array(0);
    let partialLine = '';
    let linesBefore = 1;
    let offsetBefore = 0;
    /** Whole lines of `partialLine + text`; what follows the last LF waits for the next chunk. */
    const wholeLines = (text: string): string => {
      const joined = partialLine + text;
      const end = joined.lastIndexOf('\n') + 1;
      partialLine = joined.slice(end);
      return joined.slice(0, end).replaceAll('\r\n', '\n');
    };

    for await (const chunk of bytes) {
      const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const complete = data.length - incompleteTail(data);
      let text: string;
      try {
        text = decoder.decode(data.subarray(0, complete));
      } catch {
        const bad = firstBadSequence(data);
        failure = {
          line: linesBefore + countLines(data.subarray(0, bad)),
          byteOffset: offsetBefore + bad,
        };
        const goodEnd = bad === 0 ? 0 : data.lastIndexOf(LF, bad - 1) + 1;
        const good =
          goodEnd === 0
            ? ''
            : wholeLines(
                new TextDecoder('utf-8', { ignoreBOM: true }).decode(data.subarray(0, goodEnd)),
              );
        if (good !== '') yield good;
        return;
      }
      linesBefore += countLines(data.subarray(0, complete));
      offsetBefore += complete;
      carry = data.slice(complete);
      const lines = wholeLines(text);
      if (lines !== '') yield lines;
    }
    if (carry.length > 0) {
      // The file ends inside a multi-byte sequence: its last line is not delivered.
      failure = { line: linesBefore, byteOffset: offsetBefore };
      return;
    }
    if (partialLine !== '') yield partialLine.replaceAll('\r\n', '\n');
  }

  return { chunks: chunks(), failure: () => failure };
};
