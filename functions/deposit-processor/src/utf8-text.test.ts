import { describe, expect, it } from 'vitest';
import { readUtf8Text } from './utf8-text.js';

async function* pieces(...parts: (string | number[])[]): AsyncGenerator<Uint8Array> {
  for (const part of parts)
    yield await Promise.resolve(
      typeof part === 'string' ? Buffer.from(part, 'utf8') : Uint8Array.from(part),
    );
}

const read = async (bytes: AsyncIterable<Uint8Array>) => {
  const text = readUtf8Text(bytes);
  const delivered: string[] = [];
  for await (const chunk of text.chunks) delivered.push(chunk);
  return { text: delivered.join(''), delivered, failure: text.failure() };
};

describe('readUtf8Text', () => {
  it('joins multi-byte characters split across chunks', async () => {
    // Prepare: é (2 bytes), € (3 bytes) and 𝄞 (4 bytes), each cut in the middle
    const bytes = Buffer.from('a,é\nb,€\nc,𝄞\n', 'utf8');
    const cuts = [4, 9, 15];

    // Act
    const result = await read(
      pieces(
        ...[0, ...cuts].map((start, i) => [...bytes.subarray(start, cuts[i] ?? bytes.length)]),
      ),
    );

    // Assess
    expect(result).toMatchObject({ text: 'a,é\nb,€\nc,𝄞\n', failure: null });
  });

  it('turns CRLF into LF, even when a chunk ends between CR and LF, and keeps the BOM for the CSV parser', async () => {
    const result = await read(pieces('\uFEFFa,b\r', '\nc,d\r\n', 'e,f'));
    expect(result).toMatchObject({ text: '\uFEFFa,b\nc,d\ne,f', failure: null });
  });

  it('delivers whole lines only, holding a partial line until its end arrives', async () => {
    const result = await read(pieces('a,b\nc,', 'd\ne', ',f\n'));
    expect(result.delivered).toEqual(['a,b\n', 'c,d\n', 'e,f\n']);
  });

  it('keeps a zero-width no-break space that is not at the start of the file', async () => {
    const result = await read(pieces('a,b\n', '\uFEFFc,d\n'));
    expect(result.text).toBe('a,b\n\uFEFFc,d\n');
  });

  it.each([
    {
      case: 'a Latin-1 é on line 3',
      parts: ['h1,h2\nu1,1\n', [0x75, 0x32, 0x2c, 0xe9, 0x0a], 'u3,3\n'],
      text: 'h1,h2\nu1,1\n',
      line: 3,
      byteOffset: 14,
    },
    {
      case: 'a bad byte on line 1',
      parts: [[0xff, 0xfe, 0x61, 0x00]],
      text: '',
      line: 1,
      byteOffset: 0,
    },
    {
      case: 'a bad byte in a line begun in the previous chunk',
      parts: ['h1,h2\nu1,', [0x31, 0x80, 0x0a], 'u3,3\n'],
      text: 'h1,h2\n',
      line: 2,
      byteOffset: 10,
    },
    {
      case: 'a sequence cut short by a newline',
      parts: ['h1,h2\n', [0xe2, 0x82, 0x0a], 'u3,3\n'],
      text: 'h1,h2\n',
      line: 2,
      byteOffset: 6,
    },
    {
      case: 'a file ending inside a sequence',
      parts: ['h1,h2\nu1,1\nu2,', [0xe2, 0x82]],
      text: 'h1,h2\nu1,1\n',
      line: 3,
      byteOffset: 14,
    },
    {
      case: 'CRLF lines before the bad byte',
      parts: ['h1,h2\r\nu1,1\r\n', [0x41, 0xc0, 0x0d, 0x0a]],
      text: 'h1,h2\nu1,1\n',
      line: 3,
      byteOffset: 14,
    },
  ])('stops at $case and says where', async ({ parts, text, line, byteOffset }) => {
    // Act
    const result = await read(pieces(...parts));

    // Assess
    expect(result.text).toBe(text);
    expect(result.failure).toEqual({ line, byteOffset });
  });
});
