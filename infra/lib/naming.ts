import { tableNames, type TableNames } from '@creditline/adapters/definitions';

/**
 * Physical names for one stack: `creditline-<stage>-<part>`. Names are explicit (not
 * Pulumi auto-names) so that IAM scoping, the functions' environment and the offline plan
 * are readable and stable. Buckets add the account id because S3 names are global.
 */
export interface Naming {
  readonly project: string;
  readonly stage: string;
  readonly prefix: string;
  readonly name: (part: string) => string;
  readonly bucket: (part: string, accountId: string) => string;
  readonly tables: TableNames;
  readonly logGroup: (functionName: string) => string;
}

const maxNameLength = 64;

export const naming = (project: string, stage: string): Naming => {
  const prefix = `${project}-${stage}-`;
  const name = (part: string): string => {
    const full = `${prefix}${part}`;
    if (full.length > maxNameLength)
      throw new Error(`name ${full} is longer than ${maxNameLength} characters`);
    return full;
  };
  return {
    project,
    stage,
    prefix,
    name,
    bucket: (part, accountId) => {
      const full = `${prefix}${part}-${accountId}`;
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(full))
        throw new Error(`invalid bucket name ${full}`);
      return full;
    },
    tables: tableNames(prefix),
    logGroup: (functionName) => `/aws/lambda/${functionName}`,
  };
};
