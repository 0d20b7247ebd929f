import { envVariablesOf, type FunctionName } from './catalog.js';

/**
 * Well-formed stand-in values for the variables a function receives from the program: names,
 * ARNs and URLs that parse but name nothing. Loading a handler reads its configuration at the
 * top level (fail fast) and calls nothing, so these are enough to load it — which is how the
 * load test and `pnpm bench:cold-start` prove the program hands each function all it reads.
 */
export const placeholderValue = (variable: string): string => {
  if (variable.endsWith('_ARN'))
    return `arn:aws:secretsmanager:eu-west-1:000000000000:secret:bench-${variable.toLowerCase()}-AbCdEf`;
  if (variable.endsWith('_URL'))
    return `https://sqs.eu-west-1.amazonaws.com/000000000000/bench-${variable.toLowerCase()}`;
  if (variable === 'PARTNERS') return '[]';
  if (variable === 'DB_ROLE_SECRETS') return '{}';
  if (variable === 'CREDITLINE_STAGE') return 'dev';
  return `bench-${variable.toLowerCase()}`;
};

/** The environment a function runs with in AWS, placeholders for the values. */
export const placeholderEnvironment = (name: FunctionName): Record<string, string> => ({
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'placeholder',
  AWS_SECRET_ACCESS_KEY: 'placeholder',
  POWERTOOLS_SERVICE_NAME: name,
  POWERTOOLS_METRICS_NAMESPACE: 'creditline',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  ...Object.fromEntries(envVariablesOf(name).map((v) => [v, placeholderValue(v)])),
});
