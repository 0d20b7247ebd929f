import type { Metafile } from 'esbuild';

export interface BundleSizes {
  /** The entry and the chunks it imports statically: what a cold start reads and compiles. */
  readonly loadedBytes: number;
  /** Every chunk, including those only `import()`ed (source maps excluded): what is deployed. */
  readonly totalBytes: number;
}

/** Sizes of one function's split bundle (`bundle.ts`), from its esbuild metafile. */
export const bundleSizes = (metafile: Metafile): BundleSizes => {
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  const entry = outputs.find(([path]) => /(^|[\\/])index\.mjs$/.test(path));
  if (!entry) throw new Error('the metafile names no index.mjs entry');
  const byPath = new Map(outputs);
  const loaded = new Set<string>();
  const pending = [entry[0]];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (loaded.has(path)) continue;
    loaded.add(path);
    for (const imported of byPath.get(path)?.imports ?? [])
      if (imported.kind === 'import-statement' && byPath.has(imported.path))
        pending.push(imported.path);
  }
  const bytesOf = (paths: Iterable<string>): number =>
    [...paths].reduce((sum, path) => sum + (byPath.get(path)?.bytes ?? 0), 0);
  return { loadedBytes: bytesOf(loaded), totalBytes: bytesOf(byPath.keys()) };
};
