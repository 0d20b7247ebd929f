import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { bundleDir } from '../lib/bundle.js';
import { envVariablesOf, functionSpecs, type FunctionName } from '../lib/catalog.js';
import type { Naming } from '../lib/naming.js';
import { assumeRolePolicy, functionPolicy, toJson, type StoreArns } from '../lib/policies.js';

export interface FunctionsArgs {
  readonly naming: Naming;
  /** The functions to deploy: those whose handler exists. */
  readonly available: readonly FunctionName[];
  readonly logRetentionDays: number;
  readonly logLevel: string;
  readonly arns: pulumi.Output<StoreArns>;
  /** Values of the functions' environment variables, by variable name. */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly asyncDlqArn: pulumi.Input<string>;
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
 * `functionPolicy`, its own log group with bounded retention (no AWSLambdaBasicExecutionRole:
 * the role may write to its own log group only), only the environment it reads, and an
 * on-failure destination when it is invoked asynchronously.
 */
export class Functions extends pulumi.ComponentResource {
  readonly deployed: Partial<Record<FunctionName, DeployedFunction>>;

  constructor(name: string, args: FunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:functions:Functions', name, {}, opts);
    const deployed: Partial<Record<FunctionName, DeployedFunction>> = {};
    for (const fnName of args.available) deployed[fnName] = this.function(fnName, args);
    this.deployed = deployed;
    this.registerOutputs({
      functionNames: Object.values(deployed).map((d) => d.fn.name),
    });
  }

  private function(name: FunctionName, args: FunctionsArgs): DeployedFunction {
    const spec = functionSpecs[name];
    const physicalName = args.naming.name(name);
    const parent = { parent: this };

    const logGroup = new aws.cloudwatch.LogGroup(
      name,
      { name: args.naming.logGroup(physicalName), retentionInDays: args.logRetentionDays },
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
      NODE_OPTIONS: '--enable-source-maps',
    };
    for (const variable of envVariablesOf(name)) {
      const value = args.environment[variable];
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
        ...(spec.reservedConcurrency !== undefined
          ? { reservedConcurrentExecutions: spec.reservedConcurrency }
          : {}),
        environment: { variables },
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      },
      { ...parent, dependsOn: [rolePolicy, logGroup] },
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
