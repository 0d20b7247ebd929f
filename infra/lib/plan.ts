import { bundleDir } from './bundle.js';
import { allFunctionNames, type FunctionName } from './catalog.js';
import { fromRepo } from './paths.js';

/**
 * The offline plan: every resource the program declares for a stack (type, name, inputs),
 * rendered stably (sorted resources, sorted keys, JSON-in-strings expanded, no random ids, no
 * timestamps) as JSON and Markdown, so a reviewer sees what a change does to each stack.
 */
export interface PlanResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly options?: {
    readonly protect: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
  };
}

export interface PlanEntry {
  readonly type: string;
  readonly name: string;
  /** The resource options that change what the engine does, when set. */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly properties: unknown;
}

const engineOptions = (resource: PlanResource): Record<string, unknown> | undefined => {
  const options = resource.options;
  if (!options) return undefined;
  const set: Record<string, unknown> = {};
  if (options.protect) set['protect'] = true;
  if (options.deleteBeforeReplace) set['deleteBeforeReplace'] = true;
  if (options.ignoreChanges.length > 0) set['ignoreChanges'] = [...options.ignoreChanges];
  return Object.keys(set).length > 0 ? set : undefined;
};

export interface Plan {
  readonly stack: string;
  readonly functionsNotDeployed: readonly string[];
  /** Example values in the stack file: planned offline, refused by `pulumi up`. */
  readonly placeholders: readonly string[];
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly resources: readonly PlanEntry[];
}

const droppedKeys = new Set(['tags']);

const isFunctionName = (name: string): name is FunctionName =>
  (allFunctionNames as readonly string[]).includes(name);

/** Sorted keys, JSON strings expanded, archives shown as their repository path. */
export const normalise = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (
      (trimmed.startsWith('{') && trimmed.endsWith('}')) ||
      (trimmed.startsWith('[') && trimmed.endsWith(']'))
    ) {
      try {
        return { json: normalise(JSON.parse(trimmed)) };
      } catch {
        return value;
      }
    }
    return value;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (droppedKeys.has(key) || key.startsWith('__')) continue;
      out[key] = normalise((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
};

const properties = (resource: PlanResource): unknown => {
  const inputs: Record<string, unknown> = { ...resource.inputs };
  if (
    resource.type === 'aws:lambda/function:Function' &&
    'code' in inputs &&
    isFunctionName(resource.name)
  ) {
    inputs['code'] = `archive: ${fromRepo(bundleDir(resource.name))}/`;
  }
  return normalise(inputs);
};

export const buildPlan = (
  stack: string,
  resources: readonly PlanResource[],
  outputs: Readonly<Record<string, unknown>>,
  functionsNotDeployed: readonly string[],
  placeholders: readonly string[] = [],
): Plan => ({
  stack,
  functionsNotDeployed: [...functionsNotDeployed],
  placeholders: [...placeholders],
  outputs: normalise(outputs) as Record<string, unknown>,
  resources: resources
    .filter((resource) => resource.custom || resource.type.startsWith('awsx:'))
    .map((resource) => {
      const options = engineOptions(resource);
      return {
        type: resource.type,
        name: resource.name,
        ...(options ? { options } : {}),
        properties: properties(resource),
      };
    })
    .sort((a, b) =>
      a.type === b.type ? a.name.localeCompare(b.name) : a.type.localeCompare(b.type),
    ),
});

export const renderPlanJson = (plan: Plan): string => `${JSON.stringify(plan, null, 2)}\n`;

export const renderPlanMarkdown = (plan: Plan): string => {
  const lines: string[] = [];
  lines.push(`# Offline plan: stack \`${plan.stack}\``, '');
  lines.push(
    `Rendered by \`pnpm infra:plan ${plan.stack}\` from the Pulumi program under mocks: no cloud calls, no credentials. ` +
      'ARNs, ids and URLs come from the mocks (account 111122223333); everything else is what the program declares. ' +
      'Do not edit by hand: regenerate after changing `infra/`, `Pulumi.*.yaml` or the shared definitions (a test compares).',
    '',
  );
  lines.push(
    plan.functionsNotDeployed.length > 0
      ? `**Not deployed (handler missing):** ${plan.functionsNotDeployed.map((name) => `\`${name}\``).join(', ')}`
      : '**All functions deployed.**',
    '',
  );
  if (plan.placeholders.length > 0) {
    lines.push(
      '## Before the first `pulumi up`',
      '',
      `The stack file holds example values: this plan uses them, \`pulumi up\` refuses them until each is set to the real one (\`pulumi config set --path ...\`):`,
      '',
      ...plan.placeholders.map((line) => `- ${line}`),
      '',
    );
  }
  lines.push('## Outputs', '', '```json', JSON.stringify(plan.outputs, null, 2), '```', '');
  const counts = new Map<string, number>();
  for (const resource of plan.resources)
    counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  lines.push(
    `## Summary (${plan.resources.length} resources)`,
    '',
    '| type | count |',
    '| --- | ---: |',
  );
  for (const [type, count] of counts) lines.push(`| \`${type}\` | ${count} |`);
  lines.push('', '## Resources', '');
  for (const resource of plan.resources) {
    lines.push(
      `### \`${resource.type}\` ${resource.name}`,
      '',
      ...(resource.options ? [`Options: \`${JSON.stringify(resource.options)}\``, ''] : []),
      '```json',
      JSON.stringify(resource.properties, null, 2),
      '```',
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
};
