import { matchRoute } from '@creditline/adapters/definitions';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './json-schema.js';

/**
 * Checks what creditline actually sends against its published contract: an HTTP answer
 * against the OpenAPI document's response for its route and status, a webhook body against
 * its `webhooks` entry. The e2e suite runs every answer and callback it sees through it.
 */
export interface ContractViolation {
  readonly where: string;
  readonly problems: readonly string[];
}

export interface ContractValidator {
  /** Problems with an HTTP answer (empty when it conforms). */
  checkResponse(answer: { readonly method: string; readonly path: string; readonly status: number; readonly contentType: string | null; readonly body: unknown }): ContractViolation | null;
  /** Problems with a webhook body. */
  checkWebhook(name: string, body: unknown): ContractViolation | null;
}

const DOCUMENT_ID = 'urn:creditline:openapi';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

const pointer = (...segments: readonly string[]): string => `#/${segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

type Responses = Record<string, { content?: Record<string, unknown> } | undefined>;

export const createContractValidator = (document: JsonSchema): ContractValidator => {
  // strict: false because the document is an OpenAPI document, not a schema: its other keys are ignored.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (at: string): ValidateFunction => {
    let validate = compiled.get(at);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}${at}` });
      compiled.set(at, validate);
    }
    return validate;
  };
  const problemsOf = (validate: ValidateFunction): string[] => (validate.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`);
  const paths = document['paths'] as Record<string, Record<string, { responses: Responses } | undefined>>;

  return {
    checkResponse({ method, path, status, contentType, body }) {
      const where = `${method} ${path} → ${status}`;
      const matched = matchRoute(method, path);
      if (matched.route === null) return { where, problems: ['no route of the contract has this method and path'] };
      const responses = paths[matched.route.path]?.[method.toLowerCase()]?.responses ?? {};
      const key = [String(status), `${String(status)[0] ?? ''}XX`, 'default'].find((candidate) => responses[candidate] !== undefined);
      if (key === undefined) return { where, problems: [`status ${status} is not in the contract of ${matched.route.method} ${matched.route.path} (it declares ${Object.keys(responses).join(', ')})`] };
      const content = responses[key]?.content;
      if (content === undefined) return null;
      if (!contentType?.startsWith('application/json')) return { where, problems: [`content-type ${contentType ?? '(none)'} is not application/json`] };
      const validate = validatorAt(pointer('paths', matched.route.path, method.toLowerCase(), 'responses', key, 'content', 'application/json', 'schema'));
      return validate(body) ? null : { where, problems: problemsOf(validate) };
    },
    checkWebhook(name, body) {
      const where = `webhook ${name}`;
      const webhooks = document['webhooks'] as Record<string, unknown> | undefined;
      if (webhooks?.[name] === undefined) return { where, problems: ['no such webhook in the contract'] };
      const validate = validatorAt(pointer('webhooks', name, 'post', 'requestBody', 'content', 'application/json', 'schema'));
      return validate(body) ? null : { where, problems: problemsOf(validate) };
    },
  };
};
