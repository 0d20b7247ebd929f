import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { bundleDir, lambdaNodeOptions } from '../lib/bundle.js';
import { envVariablesOf, functionSpecs, type FunctionName } from '../lib/catalog.js';
import type { Naming } from '../lib/naming.js';
import { assumeRolePolicy, functionPolicy, toJson, type StoreArns } from '../lib/policies.js';

export interface FunctionsArgs {
  readonly naming: Naming;
  /** The functions to deploy: those whose handler exists. */
  readonly available: readonly FunctionName[];
  readonly logRetentionDays: number;
  readonly logLevel: string;
  readonly keyArn: pulumi.Input<string>;
  readonly arns: pulumi.Output<StoreArns>;
  /** Values of the functions' environment variables, by variable name. */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** Per function, values that differ from `environment` (each one's own database secret). */
  readonly environmentOf?: Partial<Record<FunctionName, Record<string, pulumi.Input<string>>>>;
  readonly asyncDlqArn: pulumi.Input<string>;
  /**
   * Runs the migrator once it is deployed (the schema migrations); every application function
   * then depends on what it returns, so no code goes live before its schema.
   */
  readonly migrate?: (migrator: DeployedFunction) => readonly pulumi.Resource[];
}

export interface DeployedFunction {
  readonly name: FunctionName;
  readonly fn: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
}

export const lambdaRuntime = 'nodejs22.x';
export const lambdaArchitecture = 'arm64';
export const metricsNamespace = 'creditline';

/**
 * One Lambda per function package (and the migrator): its own role with exactly the grants of
 * `functionPolicy`, its own log group with bounded retention on the data key (no
 * AWSLambdaBasicExecutionRole: the role may write to its own log group only), only the
 * environment it reads, and an on-failure destination when it is invoked asynchronously. The
 * migrator comes first; the application's functions (and so their triggers and the API, which
 * reference them) depend on its invocation.
 */
export class Functions extends pulumi.ComponentResource {
  readonly deployed: Partial<Record<FunctionName, DeployedFunction>>;

  constructor(name: string, args: FunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:functions:Functions', name, {}, opts);
    const deployed: Partial<Record<FunctionName, DeployedFunction>> = {};
    let schema: readonly pulumi.Resource[] = [];
    if (args.available.includes('migrator')) {
      const migrator = this.function('migrator', args, []);
      deployed.migrator = migrator;
      schema = args.migrate?.(migrator) ?? [];
    }
    for (const fnName of args.available)
      if (fnName !== 'migrator') deployed[fnName] = this.function(fnName, args, schema);
    this.deployed = deployed;
    this.registerOutputs({
      functionNames: Object.values(deployed).map((d) => d.fn.name),
    });
  }

  private function(
    name: FunctionName,
    args: FunctionsArgs,
    after: readonly pulumi.Resource[],
  ): DeployedFunction {
    const spec = functionSpecs[name];
    const physicalName = args.naming.name(name);
    const parent = { parent: this };

    const logGroup = new aws.cloudwatch.LogGroup(
      name,
      {
        name: args.naming.logGroup(physicalName),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.keyArn,
      },
      parent,
    );
    const role = new aws.iam.Role(
      name,
      {
        name: physicalName,
        assumeRolePolicy: toJson(assumeRolePolicy('lambda.amazonaws.com')),
        description: `Role of ${physicalName}`,
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      name,
      {
        name: 'least-privilege',
        role: role.id,
        policy: pulumi
          .all([args.arns, logGroup.arn])
          .apply(([arns, logGroupArn]) => toJson(functionPolicy(name, arns, logGroupArn))),
      },
      { parent: role },
    );

    const variables: Record<string, pulumi.Input<string>> = {
      POWERTOOLS_SERVICE_NAME: name,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
      POWERTOOLS_LOG_LEVEL: args.logLevel,
    };
    if (lambdaNodeOptions.length > 0) variables['NODE_OPTIONS'] = lambdaNodeOptions.join(' ');
    const own = args.environmentOf?.[name] ?? {};
    for (const variable of envVariablesOf(name)) {
      const value = own[variable] ?? args.environment[variable];
      if (value === undefined)
        throw new Error(`no value for environment variable ${variable} of ${name}`);
      variables[variable] = value;
    }

    const fn = new aws.lambda.Function(
      name,
      {
        name: physicalName,
        description: spec.description,
        role: role.arn,
        runtime: lambdaRuntime,
        architectures: [lambdaArchitecture],
        handler: 'index.handler',
        code: new pulumi.asset.FileArchive(bundleDir(name)),
        memorySize: spec.memoryMb,
        timeout: spec.timeoutSeconds,
        environment: { variables },
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      },
      { ...parent, dependsOn: [rolePolicy, logGroup, ...after] },
    );

    if (spec.asyncInvoked) {
      new aws.lambda.FunctionEventInvokeConfig(
        name,
        {
          functionName: fn.name,
          maximumRetryAttempts: 2,
          maximumEventAgeInSeconds: 6 * 3600,
          destinationConfig: { onFailure: { destination: args.asyncDlqArn } },
        },
        { parent: fn },
      );
    }
    return { name, fn, role, logGroup };
  }
}
