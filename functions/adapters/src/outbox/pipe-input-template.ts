/**
 * EventBridge Pipes input templates, rendered the way Pipes renders them, so the local stream
 * poller publishes byte for byte what the Pipe publishes in AWS.
 *
 * A placeholder `<$.a.b>` is replaced by the value at that JSON path of the source record:
 * - inside quotes (`"<$.a.b>"`) the value is written as JSON string content (escaped), so a
 *   string attribute stays a string;
 * - bare (`<$.a.b>`) the value is written as raw JSON text, so a DynamoDB `N` (a decimal
 *   string) becomes a JSON number.
 * A path that is not in the record renders as nothing: `""` when quoted. A bare missing path
 * would leave invalid JSON, so the shared mapping uses bare placeholders only for attributes
 * every item has (see `transactionDecidedFields`) and rendering refuses the record otherwise.
 */
const PLACEHOLDER = /("?)<(\$(?:\.[A-Za-z0-9_-]+)+)>("?)/g;

export const readJsonPath = (root: unknown, path: string): unknown => {
  let current: unknown = root;
  for (const key of path.replace(/^\$\./, '').split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key))
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
}

/** Renders `template` against `record`; throws TemplateRenderError when a bare path is missing. */
export const renderInputTemplate = (template: string, record: unknown): string =>
  template.replace(PLACEHOLDER, (_match, open: string, path: string, close: string) => {
    const value = readJsonPath(record, path);
    const quoted = open === '"' && close === '"';
    if (quoted) {
      if (value === undefined || value === null) return '""';
      return JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value));
    }
    if (value === undefined || value === null)
      throw new TemplateRenderError(`${path} is not in the record`);
    const raw = typeof value === 'string' ? value : JSON.stringify(value);
    return `${open}${raw}${close}`;
  });
