import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { detailTypes } from '@creditline/adapters/definitions';
import type { StackPartner } from '../lib/config.js';
import type { Naming } from '../lib/naming.js';
import { busPolicy, toJson } from '../lib/policies.js';

export interface EventBusArgs {
  readonly naming: Naming;
  readonly partners: readonly StackPartner[];
  readonly archiveRetentionDays: number;
  readonly keyArn: pulumi.Input<string>;
}

/**
 * The creditline bus: partners put TransactionRequested here (each only under its own source,
 * by the bus policy), the Pipe puts TransactionDecided. Everything is archived for replay. The
 * bus and the archive are encrypted with the data key.
 */
export class EventBus extends pulumi.ComponentResource {
  readonly bus: aws.cloudwatch.EventBus;

  constructor(name: string, args: EventBusArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:messaging:EventBus', name, {}, opts);
    const parent = { parent: this };

    this.bus = new aws.cloudwatch.EventBus(
      'bus',
      { name: args.naming.name('bus'), kmsKeyIdentifier: args.keyArn },
      parent,
    );
    new aws.cloudwatch.EventArchive(
      'bus',
      {
        name: args.naming.name('bus-archive'),
        eventSourceArn: this.bus.arn,
        retentionDays: args.archiveRetentionDays,
        kmsKeyIdentifier: args.keyArn,
        description: 'Every event on the creditline bus, for replay',
      },
      parent,
    );
    if (args.partners.length > 0) {
      new aws.cloudwatch.EventBusPolicy(
        'bus',
        {
          eventBusName: this.bus.name,
          policy: this.bus.arn.apply((arn) =>
            toJson(busPolicy(arn, args.partners, detailTypes.transactionRequested)),
          ),
        },
        parent,
      );
    }
    this.registerOutputs({ busName: this.bus.name, busArn: this.bus.arn });
  }
}
