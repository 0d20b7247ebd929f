import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** A deterministic PRNG (mulberry32): the same file every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export interface GeneratedFile {
  readonly bytes: number;
  readonly rows: number;
  /** Rows the rules refuse (one in 200: a negative amount, 3 decimals or a malformed timestamp). */
  readonly badRows: number;
  /** Rows repeating an earlier deposit_id with the same user and amount (one in 500). */
  readonly repeats: number;
}

/**
 * A partner file as creditline expects it: `rows` deposits over `users` users, with now and then a
 * bad row or a repeated line, as real files have. About 67 bytes a row, so 150,000 rows ≈ 10 MB.
 */
export const generateDepositFile = async (
  path: string,
  rows: number,
  users: number,
): Promise<GeneratedFile> => {
  const next = random(20260115);
  const out = createWriteStream(path);
  let bytes = 0;
  let badRows = 0;
  let repeats = 0;
  let previous = '';
  const write = async (line: string): Promise<void> => {
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('user_id,amount,deposit_id,timestamp\n');
  for (let i = 0; i < rows; i += 1) {
    if (i % 500 === 499) {
      repeats += 1;
      await write(previous);
      continue;
    }
    const user = `user-${String(Math.floor(next() * users)).padStart(6, '0')}`;
    const cents = 100 + Math.floor(next() * 999_900);
    let amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const seconds = Math.floor(next() * 86_400);
    let timestamp = `2025-11-24T${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}Z`;
    if (i % 200 === 199) {
      badRows += 1;
      const kind = Math.floor(i / 200) % 3;
      if (kind === 0) amount = `-${amount}`;
      else if (kind === 1) amount = `${amount}5`;
      else timestamp = `${timestamp.slice(0, 10)}T25:00:00Z`;
    }
    previous = `${user},${amount},DEP-20251124-${String(i).padStart(7, '0')}-${Math.floor(
      next() * 0xffffff,
    )
      .toString(16)
      .padStart(6, '0')},${timestamp}\n`;
    await write(previous);
  }
  out.end();
  await once(out, 'finish');
  return { bytes, rows, badRows, repeats };
};
