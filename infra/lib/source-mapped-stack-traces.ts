import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack traces of a bundled function, mapped through its source maps when one is formatted —
 * what `--enable-source-maps` prints, without what that flag costs every cold start.
 *
 * With the flag, Node reads and parses the source map of every chunk, and measures every line
 * of the chunk, while it loads the chunk: ~10 ms of each Lambda cold start on Node 22 (~25 ms on
 * Node 20) for traces that most invocations never print (`bench/cold-start/README.md`). Here
 * nothing happens at load but installing `Error.prepareStackTrace`; the first trace through a
 * chunk reads that chunk's map (`index.mjs.map` beside `index.mjs`), later ones reuse it. Frames
 * read like the flag's (Node's own rules: the function's original name, the TypeScript file,
 * line and column), frames without a map as V8 prints them. The bundle's banner installs it
 * (`bundle.ts`); the local runtime and the tests run the TypeScript, which tsx maps.
 */
export const installSourceMappedStackTraces = (): void => {
  const installed = Symbol.for('creditline.source-mapped-stack-traces');
  const registry = globalThis as { [installed]?: true };
  if (registry[installed]) return;
  registry[installed] = true;
  const maps = new Map<string, SourceMap | undefined>();
  Error.prepareStackTrace = (error, sites) =>
    formatStack(error, sites, (file) => mapOf(maps, file));
};

const sourceMappingUrl = /\/\/# sourceMappingURL=([^\s'"]+)\s*$/;

/** The source map a chunk names on its last line, or undefined (no map, or not ours to read). */
const mapOf = (maps: Map<string, SourceMap | undefined>, file: string): SourceMap | undefined => {
  if (maps.has(file)) return maps.get(file);
  let map: SourceMap | undefined;
  try {
    const path = file.startsWith('file://') ? fileURLToPath(file) : file;
    if (path.startsWith('/') && /\.m?js$/.test(path) && existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const url = sourceMappingUrl.exec(text.slice(-512))?.[1];
      if (url && !url.includes(':')) {
        const mapPath = join(dirname(path), url);
        const payload = JSON.parse(readFileSync(mapPath, 'utf8')) as Omit<
          SourceMapPayload,
          'sourceRoot'
        > & { sourceRoot?: string };
        // As Node does: sources resolved against the map's own URL, so frames name absolute paths.
        const base = pathToFileURL(mapPath);
        const root = payload.sourceRoot ?? '';
        const sources = payload.sources.map((source) => new URL(root + source, base).href);
        map = new SourceMap({ ...payload, sourceRoot: '', sources });
      }
    }
  } catch {
    map = undefined; // a trace must never fail because a map is missing or broken
  }
  maps.set(file, map);
  return map;
};

/** The first line of a trace, as Node writes it (`Name [CODE]: message` for Node's own errors). */
const header = (error: unknown): string => {
  try {
    const { code } = error as { code?: unknown };
    if (error instanceof Error && typeof code === 'string' && code.startsWith('ERR_'))
      return `${error.name} [${code}]: ${error.message}`;
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
};

export const formatStack = (
  error: unknown,
  sites: readonly NodeJS.CallSite[],
  mapFor: (file: string) => SourceMap | undefined,
): string =>
  header(error) +
  sites
    .map((site, index) => {
      try {
        const file = site.getFileName();
        const map = file ? mapFor(file) : undefined;
        if (map) return `\n    at ${mappedFrame(map, site, sites[index + 1])}`;
      } catch {
        // a frame that cannot be mapped is printed as V8 prints it
      }
      return `\n    at ${v8Frame(site)}`;
    })
    .join('');

/** The frame as V8 prints it (CallSite's own toString, which @types/node does not declare). */
const v8Frame = (site: NodeJS.CallSite): string => (site as { toString(): string }).toString();

/** Node 22's frame under --enable-source-maps (serializeJSStackFrame, prepare_stack_trace.js). */
const mappedFrame = (map: SourceMap, site: NodeJS.CallSite, caller?: NodeJS.CallSite): string => {
  const entry = map.findEntry((site.getLineNumber() ?? 0) - 1, (site.getColumnNumber() ?? 0) - 1);
  if (!('originalSource' in entry)) return v8Frame(site);
  const name = originalName(map, site, caller);
  const source = entry.originalSource.startsWith('file://')
    ? fileURLToPath(entry.originalSource)
    : entry.originalSource;
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  const typeName = site.getTypeName();
  const namePrefix = typeName !== null && typeName !== 'global' ? `${typeName}.` : '';
  const generatedName = site.getFunctionName() ?? site.getMethodName();
  return (
    `${prefix}${namePrefix}${name || generatedName || '<anonymous>'} ` +
    `(${source}:${entry.originalLine + 1}:${entry.originalColumn + 1})`
  );
};

/** The source name at a generated position (Node's SourceMap has it; @types/node omits it). */
const nameAt = (map: SourceMap, line: number | null, column: number | null): string | undefined => {
  const { name } = map.findEntry((line ?? 0) - 1, (column ?? 0) - 1) as { name?: unknown };
  return typeof name === 'string' && name !== '' ? name : undefined;
};

/** The enclosing function's name in the source, else the name its caller's call site used. */
const originalName = (
  map: SourceMap,
  site: NodeJS.CallSite,
  caller?: NodeJS.CallSite,
): string | undefined =>
  nameAt(map, site.getEnclosingLineNumber(), site.getEnclosingColumnNumber()) ??
  (caller && caller.getFileName() === site.getFileName()
    ? nameAt(map, caller.getLineNumber(), caller.getColumnNumber())
    : undefined);
