import { describe, expect, it } from 'vitest';
import { readCsvRecords, type CsvRecord } from './csv-records.js';

async function* chunked(text: string, size = 7): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += size)
    yield await Promise.resolve(text.slice(at, at + size));
}

const readAll = async (text: string, maxRecordChars?: number) => {
  const csv = readCsvRecords(chunked(text), maxRecordChars === undefined ? {} : { maxRecordChars });
  const records: CsvRecord[] = [];
  for await (const chunk of csv.records) records.push(...chunk);
  return { records, abandonedAt: csv.abandonedAt() };
};

const summary = (record: CsvRecord) =>
  record.kind === 'fields'
    ? { line: record.line, fields: record.fields }
    : { line: record.line, malformed: record.message };

describe('readCsvRecords', () => {
  it('numbers each record by the line it starts on, across blank lines and quoted line breaks', async () => {
    // Act
    const { records } = await readAll('a,b\nr2,1\n\nr4,"x,y"\n"r5\nr6",1\nr7,"x""q"\n\n\nr10,1');

    // Assess
    expect(records.map(summary)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['r2', '1'] },
      { line: 4, fields: ['r4', 'x,y'] },
      { line: 5, fields: ['r5\nr6', '1'] },
      { line: 7, fields: ['r7', 'x"q'] },
      { line: 10, fields: ['r10', '1'] },
    ]);
  });

  it('drops the BOM at the start and lets a record have any number of fields', async () => {
    const { records } = await readAll('\uFEFFa,b\nr2\nr3,1,2,3\n');
    expect(records.map(summary)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['r2'] },
      { line: 3, fields: ['r3', '1', '2', '3'] },
    ]);
  });

  it('keeps a stray quote as part of its value, so the rows after it are read as they are', async () => {
    // Act
    const { records } = await readAll('a,b\nr2,1\nr3"x,1\nr4,"1"z\nr5,1\nr6,"q"\n');

    // Assess
    expect(records.map(summary)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['r2', '1'] },
      { line: 3, fields: ['r3"x', '1'] },
      { line: 4, fields: ['r4', '"1"z'] },
      { line: 5, fields: ['r5', '1'] },
      { line: 6, fields: ['r6', 'q'] },
    ]);
  });

  it('says where a record holding a quoted line break ends', async () => {
    const { records } = await readAll('a,b\nr2,"x\nr3,1\nr4,"\nr5,1\n');
    expect(records.slice(1)).toMatchObject([
      { kind: 'fields', line: 2, endLine: 4, fields: ['r2', 'x\nr3,1\nr4,'] },
      { kind: 'fields', line: 5, endLine: 5, fields: ['r5', '1'] },
    ]);
  });

  it('reports a quote left open to the end of the file as one malformed record from the line it opens', async () => {
    // Act
    const { records, abandonedAt } = await readAll('a,b\nr2,1\nr3,"x\nr4,1\nr5,1\n');

    // Assess
    expect(records.map(summary)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['r2', '1'] },
      {
        line: 3,
        malformed:
          'line 3: a quoted field opened on this line is never closed; lines 3-5 could not be read as rows',
      },
    ]);
    expect(records[2]).toMatchObject({ raw: 'r3,"x\nr4,1\nr5,1\n' });
    expect(abandonedAt).toBeNull();
  });

  it('gives up the rest of the text when no record ends within the limit, and says from which line', async () => {
    // Prepare: a quote opens on line 3 and never closes; 200 more lines follow
    const text = `a,b\nr2,1\nr3,"x\n${Array.from({ length: 200 }, (_, i) => `r${i + 4},1`).join('\n')}\n`;

    // Act
    const { records, abandonedAt } = await readAll(text, 256);

    // Assess
    expect(abandonedAt).toBe(3);
    expect(records.map(summary)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['r2', '1'] },
      {
        line: 3,
        malformed: expect.stringMatching(
          /^line 3: a quoted field opened on this line is never closed; lines 3-\d\d could not be read as rows$/,
        ) as unknown,
      },
    ]);
  });

  it('reads to the end a text whose chunks are larger than the parser buffers', async () => {
    // Prepare: three chunks of 5,000 records (about 90 KiB each)
    async function* large(): AsyncGenerator<string> {
      for (let c = 0; c < 3; c += 1)
        yield await Promise.resolve(
          Array.from({ length: 5000 }, (_, i) => `u${c},${i}\n`).join(''),
        );
    }

    // Act
    const records: CsvRecord[] = [];
    for await (const chunk of readCsvRecords(large()).records) records.push(...chunk);

    // Assess
    expect(records).toHaveLength(15_000);
    expect(records.at(-1)).toMatchObject({ line: 15_000, fields: ['u2', '4999'] });
  });

  it('passes on an error of the text it reads', async () => {
    // Prepare
    async function* failing(): AsyncGenerator<string> {
      yield await Promise.resolve('a,b\nr2,1\n');
      throw new Error('connection reset');
    }

    // Act
    const read = async () => {
      const records: CsvRecord[] = [];
      for await (const chunk of readCsvRecords(failing()).records) records.push(...chunk);
    };

    // Assess
    await expect(read()).rejects.toThrow('connection reset');
  });
});
