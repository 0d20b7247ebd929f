import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import type { Naming } from '../lib/naming.js';

export interface DatabaseArgs {
  readonly naming: Naming;
  readonly minAcu: number;
  readonly maxAcu: number;
  readonly deletionProtection: boolean;
  readonly kmsKeyArn: pulumi.Input<string>;
}

export const databaseName = 'creditline';
export const auroraEngineVersion = '16.6';

/**
 * Aurora PostgreSQL Serverless v2 in private subnets of its own VPC. Nothing connects to it
 * over the network: the functions use the RDS Data API (HTTPS, IAM + the managed master
 * secret), so the subnets need no NAT and the security group admits nothing.
 */
export class Database extends pulumi.ComponentResource {
  readonly vpc: awsx.ec2.Vpc;
  readonly cluster: aws.rds.Cluster;
  readonly writer: aws.rds.ClusterInstance;
  /** ARN of the master user secret Aurora manages in Secrets Manager. */
  readonly secretArn: pulumi.Output<string>;
  readonly databaseName = databaseName;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:database:Database', name, {}, opts);
    const parent = { parent: this };
    const { naming } = args;

    this.vpc = new awsx.ec2.Vpc(
      'network',
      {
        cidrBlock: '10.40.0.0/16',
        numberOfAvailabilityZones: args.deletionProtection ? 3 : 2,
        natGateways: { strategy: awsx.ec2.NatGatewayStrategy.None },
        subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
        subnetSpecs: [{ type: awsx.ec2.SubnetType.Private, name: 'db', cidrMask: 24 }],
        enableDnsHostnames: true,
        tags: { Name: naming.name('network') },
      },
      parent,
    );

    const subnets = new aws.rds.SubnetGroup(
      'aurora',
      { name: naming.name('aurora'), subnetIds: this.vpc.privateSubnetIds },
      parent,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      'aurora',
      {
        name: naming.name('aurora'),
        description: 'Aurora: no inbound (Data API only)',
        vpcId: this.vpc.vpcId,
        egress: [],
        ingress: [],
      },
      parent,
    );

    this.cluster = new aws.rds.Cluster(
      'aurora',
      {
        clusterIdentifier: naming.name('aurora'),
        engine: aws.rds.EngineType.AuroraPostgresql,
        engineMode: aws.rds.EngineMode.Provisioned,
        engineVersion: auroraEngineVersion,
        databaseName,
        masterUsername: 'creditline_admin',
        manageMasterUserPassword: true,
        enableHttpEndpoint: true,
        serverlessv2ScalingConfiguration: {
          minCapacity: args.minAcu,
          maxCapacity: args.maxAcu,
          ...(args.minAcu === 0 ? { secondsUntilAutoPause: 3600 } : {}),
        },
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [securityGroup.id],
        backupRetentionPeriod: args.deletionProtection ? 35 : 7,
        preferredBackupWindow: '02:00-03:00',
        preferredMaintenanceWindow: 'sun:04:00-sun:05:00',
        copyTagsToSnapshot: true,
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: !args.deletionProtection,
        ...(args.deletionProtection
          ? { finalSnapshotIdentifier: naming.name('aurora-final') }
          : {}),
        enabledCloudwatchLogsExports: ['postgresql'],
      },
      { ...parent, protect: args.deletionProtection },
    );

    this.writer = new aws.rds.ClusterInstance(
      'aurora-writer',
      {
        identifier: naming.name('aurora-writer'),
        clusterIdentifier: this.cluster.id,
        instanceClass: 'db.serverless',
        engine: aws.rds.EngineType.AuroraPostgresql,
        engineVersion: this.cluster.engineVersion,
        publiclyAccessible: false,
        performanceInsightsEnabled: true,
      },
      parent,
    );

    this.secretArn = this.cluster.masterUserSecrets.apply((secrets) => {
      const arn = secrets[0]?.secretArn;
      if (!arn) throw new Error('Aurora returned no managed master user secret');
      return arn;
    });

    this.registerOutputs({
      clusterArn: this.cluster.arn,
      secretArn: this.secretArn,
      vpcId: this.vpc.vpcId,
    });
  }
}
