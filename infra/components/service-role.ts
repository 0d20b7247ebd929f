import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Naming } from '../lib/naming.js';
import { assumeRolePolicy, toJson } from '../lib/policies.js';

/**
 * A role an AWS service (Firehose, Pipes, Scheduler) assumes on this account's behalf, with the
 * condition that confines it to this account (the confused-deputy guard each service documents).
 */
export const serviceRole = (
  resourceName: string,
  args: {
    readonly naming: Naming;
    readonly service: string;
    readonly accountId: pulumi.Input<string>;
    readonly accountCondition: 'sts:ExternalId' | 'aws:SourceAccount';
  },
  options: pulumi.CustomResourceOptions,
): aws.iam.Role =>
  new aws.iam.Role(
    resourceName,
    {
      name: args.naming.name(resourceName),
      assumeRolePolicy: pulumi
        .output(args.accountId)
        .apply((accountId) =>
          toJson(
            assumeRolePolicy(args.service, {
              StringEquals: { [args.accountCondition]: accountId },
            }),
          ),
        ),
    },
    options,
  );
