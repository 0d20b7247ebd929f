import { createContractValidator, type ContractViolation } from '../../api/src/index.js';
import openApiDocument from '../../api/openapi.json' with { type: 'json' };

/**
 * The published contract as the e2e suite holds the runtime to it: every HTTP answer a
 * scenario receives, and every webhook a receiver records, must conform to api/openapi.json.
 */
const contract = createContractValidator(openApiDocument);

export class ContractViolationError extends Error {
  override name = 'ContractViolationError';
  constructor(readonly violation: ContractViolation) {
    super(`${violation.where} breaks api/openapi.json:\n  ${violation.problems.join('\n  ')}`);
  }
}

export const assertResponseConforms = (answer: Parameters<typeof contract.checkResponse>[0]): void => {
  const violation = contract.checkResponse(answer);
  if (violation) throw new ContractViolationError(violation);
};

export const assertWebhookConforms = (name: string, body: unknown): void => {
  const violation = contract.checkWebhook(name, body);
  if (violation) throw new ContractViolationError(violation);
};

export { openApiDocument };
