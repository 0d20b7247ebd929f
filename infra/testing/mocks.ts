import * as pulumi from '@pulumi/pulumi';
import { MockMonitor } from '@pulumi/pulumi/runtime/mocks.js';

/**
 * Pulumi mocks that answer like AWS would (realistic ARNs, URLs and ids derived from the
 * resource's name, nothing random) and record every resource the program registers.
 */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly state: Readonly<Record<string, unknown>>;
  /** The resource options the program gave (the engine, not the provider, acts on these). */
  readonly options: RecordedOptions;
}

export interface RecordedOptions {
  readonly protect: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: readonly string[];
  /** Direct dependencies (dependsOn and inputs from other resources), as `type::name`. */
  readonly dependsOn: readonly string[];
}

/** `type::name` of a URN `urn:pulumi:stack::project::parent$type::name`. */
export const resourceKey = (urn: string): string => {
  const parts = urn.split('::');
  const name = parts.slice(3).join('::');
  const type = parts[2]?.split('$').pop() ?? '';
  return `${type}::${name}`;
};

export interface MockEnvironment {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  readonly accountId: string;
}

const str = (value: unknown, fallback: string): string =>
  typeof value === 'string' && value.length > 0 ? value : fallback;

const vpcOutputs = (az: number): Record<string, unknown> => ({
  vpcId: 'vpc-0c0ffee0c0ffee000',
  privateSubnetIds: Array.from({ length: az }, (_, i) => `subnet-0private00000000${i}`),
  publicSubnetIds: [],
  isolatedSubnetIds: [],
});

export const mockState = (
  env: MockEnvironment,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } => {
  const { region: r, accountId: a } = env;
  const physical = str(inputs['name'], name);
  const id = `${name}-id`;
  switch (type) {
    case 'aws:dynamodb/table:Table':
      return {
        id: physical,
        state: {
          arn: `arn:aws:dynamodb:${r}:${a}:table/${physical}`,
          ...(inputs['streamEnabled'] === true
            ? {
                streamArn: `arn:aws:dynamodb:${r}:${a}:table/${physical}/stream/2025-01-01T00:00:00.000`,
              }
            : {}),
        },
      };
    case 'aws:s3/bucket:Bucket': {
      const bucket = str(inputs['bucket'], name);
      return { id: bucket, state: { bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    case 'aws:sqs/queue:Queue':
      return {
        id: `https://sqs.${r}.amazonaws.com/${a}/${physical}`,
        state: {
          arn: `arn:aws:sqs:${r}:${a}:${physical}`,
          url: `https://sqs.${r}.amazonaws.com/${a}/${physical}`,
        },
      };
    case 'aws:kms/key:Key':
      return {
        id: `${name}-key-id`,
        state: { keyId: `${name}-key-id`, arn: `arn:aws:kms:${r}:${a}:key/${name}-key-id` },
      };
    case 'aws:rds/cluster:Cluster': {
      const cluster = str(inputs['clusterIdentifier'], name);
      return {
        id: cluster,
        state: {
          arn: `arn:aws:rds:${r}:${a}:cluster:${cluster}`,
          masterUserSecrets: [
            {
              secretArn: `arn:aws:secretsmanager:${r}:${a}:secret:rds!cluster-${cluster}-AbCdEf`,
              secretStatus: 'active',
              kmsKeyId: '',
            },
          ],
        },
      };
    }
    case 'aws:cloudwatch/eventBus:EventBus':
      return { id: physical, state: { arn: `arn:aws:events:${r}:${a}:event-bus/${physical}` } };
    case 'aws:cloudwatch/eventRule:EventRule':
      return {
        id: physical,
        state: {
          arn: `arn:aws:events:${r}:${a}:rule/${str(inputs['eventBusName'], 'default')}/${physical}`,
        },
      };
    case 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream':
      return {
        id: physical,
        state: { arn: `arn:aws:firehose:${r}:${a}:deliverystream/${physical}` },
      };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { id: physical, state: { arn: `arn:aws:logs:${r}:${a}:log-group:${physical}` } };
    case 'aws:lambda/function:Function': {
      const arn = `arn:aws:lambda:${r}:${a}:function:${physical}`;
      return {
        id: physical,
        state: {
          arn,
          invokeArn: `arn:aws:apigateway:${r}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        },
      };
    }
    case 'aws:iam/role:Role':
      return { id: physical, state: { arn: `arn:aws:iam::${a}:role/${physical}` } };
    case 'aws:sns/topic:Topic':
      return {
        id: `arn:aws:sns:${r}:${a}:${physical}`,
        state: { arn: `arn:aws:sns:${r}:${a}:${physical}` },
      };
    case 'aws:apigatewayv2/api:Api':
      return {
        id: 'a1b2c3d4e5',
        state: {
          apiEndpoint: `https://a1b2c3d4e5.execute-api.${r}.amazonaws.com`,
          executionArn: `arn:aws:execute-api:${r}:${a}:a1b2c3d4e5`,
        },
      };
    case 'aws:secretsmanager/secret:Secret': {
      const secretName = str(inputs['name'], str(inputs['namePrefix'], `${name}-`));
      const arn = `arn:aws:secretsmanager:${r}:${a}:secret:${secretName}${secretName.endsWith('-') ? '' : '-'}AbCdEf`;
      return { id: arn, state: { arn } };
    }
    case 'aws:pipes/pipe:Pipe':
      return { id: physical, state: { arn: `arn:aws:pipes:${r}:${a}:pipe/${physical}` } };
    case 'awsx:ec2:Vpc':
      return {
        id,
        state: vpcOutputs(
          typeof inputs['numberOfAvailabilityZones'] === 'number'
            ? inputs['numberOfAvailabilityZones']
            : 2,
        ),
      };
    default: {
      const service = type.split(':')[1]?.split('/')[0] ?? 'unknown';
      return { id, state: { arn: `arn:aws:${service}:${r}:${a}:${physical}` } };
    }
  }
};

export interface Recorder {
  readonly resources: RecordedResource[];
}

/** The parts of the engine's RegisterResourceRequest that carry the resource options. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
}

/**
 * `setMocks` hands `newResource` the inputs only; the options (protect, deleteBeforeReplace,
 * ignoreChanges, dependencies) are in the request the mock monitor receives. Wrap it once per
 * process and keep them by `type::name` for the recorder.
 */
const registeredOptions = new Map<string, RecordedOptions>();
let monitorWrapped = false;
const wrapMockMonitor = (): void => {
  if (monitorWrapped) return;
  monitorWrapped = true;
  const prototype = MockMonitor.prototype as unknown as {
    registerResource: (request: RegisterRequest, callback: unknown) => Promise<void>;
  };
  const original = prototype.registerResource;
  prototype.registerResource = function (this: unknown, request, callback) {
    registeredOptions.set(`${request.getType()}::${request.getName()}`, {
      protect: request.getProtect(),
      deleteBeforeReplace: request.getDeletebeforereplace(),
      ignoreChanges: request.getIgnorechangesList(),
      dependsOn: request.getDependenciesList().map(resourceKey),
    });
    return original.call(this, request, callback);
  };
};

/** Installs the mocks; call before the program (or @pulumi/aws) is imported. */
export const installMocks = async (env: MockEnvironment): Promise<Recorder> => {
  const recorder: Recorder = { resources: [] };
  wrapMockMonitor();
  await pulumi.runtime.setMocks(
    {
      newResource: (args: pulumi.runtime.MockResourceArgs) => {
        const inputs = args.inputs as Record<string, unknown>;
        const { id, state } = mockState(env, args.type, args.name, inputs);
        const merged = { ...inputs, ...state };
        const key = `${args.type}::${args.name}`;
        recorder.resources.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? true,
          inputs,
          state: merged,
          get options(): RecordedOptions {
            const options = registeredOptions.get(key);
            if (!options) throw new Error(`no options recorded for ${key}`);
            return options;
          },
        });
        return { id, state: merged };
      },
      call: (args: pulumi.runtime.MockCallArgs) => {
        if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
          return {
            accountId: env.accountId,
            arn: `arn:aws:iam::${env.accountId}:user/ci`,
            userId: 'AIDAMOCK',
            id: env.accountId,
          };
        }
        if (args.token === 'aws:index/getRegion:getRegion')
          return { name: env.region, region: env.region, id: env.region };
        return args.inputs as Record<string, unknown>;
      },
    },
    env.project,
    env.stack,
    false,
  );
  return recorder;
};
