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
  /** Reader instances beside the writer (prod has one, so a failover has somewhere to go). */
  readonly readers: number;
  readonly logRetentionDays: number;
  /** When this deploy runs: names the final snapshot of a cluster created now. */
  readonly deployedAt: Date;
}

export const databaseName = 'creditline';
/**
 * The major version only. RDS picks the newest minor at creation and keeps the cluster on
 * supported minors (auto minor upgrades); the provider compares a partial version against the
 * running one (`engineVersionActual`), so an upgrade done by AWS plans no downgrade, and a
 * retired minor can never be asked for. Going to another major is a deliberate change of this
 * value together with `allowMajorVersionUpgrade`.
 */
export const auroraEngineVersion = '16';

/** `creditline-prod-aurora-final-20261201t2350`: unique per cluster, fixed once created. */
export const finalSnapshotIdentifier = (naming: Naming, deployedAt: Date): string =>
  naming.name(
    `aurora-final-${deployedAt
      .toISOString()
      .slice(0, 16)
      .replace(/[-:]/g, '')
      .toLowerCase()}`,
  );

/**
 * Aurora PostgreSQL Serverless v2 in private subnets of its own VPC, a writer and the configured
 * readers, everything on the data key. Nothing connects to it over the network: the functions
 * use the RDS Data API (HTTPS, IAM + each function's own role secret, see
 * `database-credentials.ts`), so the subnets need no NAT and the security group admits nothing.
 */
export class Database extends pulumi.ComponentResource {
  readonly vpc: awsx.ec2.Vpc;
  readonly cluster: aws.rds.Cluster;
  readonly writer: aws.rds.ClusterInstance;
  readonly readers: readonly aws.rds.ClusterInstance[];
  readonly logGroup: aws.cloudwatch.LogGroup;
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

    // Created by us, before the cluster: otherwise RDS creates it on the first log line, with
    // no retention (logs kept forever) and no key.
    const clusterIdentifier = naming.name('aurora');
    this.logGroup = new aws.cloudwatch.LogGroup(
      'aurora-postgresql',
      {
        name: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      parent,
    );

    this.cluster = new aws.rds.Cluster(
      'aurora',
      {
        clusterIdentifier,
        engine: aws.rds.EngineType.AuroraPostgresql,
        engineMode: aws.rds.EngineMode.Provisioned,
        engineVersion: auroraEngineVersion,
        allowMajorVersionUpgrade: false,
        databaseName,
        masterUsername: 'creditline_admin',
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.kmsKeyArn,
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
          ? { finalSnapshotIdentifier: finalSnapshotIdentifier(naming, args.deployedAt) }
          : {}),
        enabledCloudwatchLogsExports: ['postgresql'],
      },
      {
        ...parent,
        protect: args.deletionProtection,
        dependsOn: [this.logGroup],
        // The snapshot name is fixed when the cluster is created (a static one would collide
        // with the snapshot of an earlier cluster of the same name); later deploys keep it.
        ignoreChanges: ['finalSnapshotIdentifier'],
      },
    );

    const instance = (logicalName: string, promotionTier: number): aws.rds.ClusterInstance =>
      new aws.rds.ClusterInstance(
        logicalName,
        {
          identifier: naming.name(logicalName),
          clusterIdentifier: this.cluster.id,
          instanceClass: 'db.serverless',
          engine: aws.rds.EngineType.AuroraPostgresql,
          engineVersion: this.cluster.engineVersion,
          autoMinorVersionUpgrade: true,
          promotionTier,
          publiclyAccessible: false,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: args.kmsKeyArn,
        },
        parent,
      );
    this.writer = instance('aurora-writer', 0);
    // Readers in tier 1 fail over first; with Serverless v2 they scale with the writer.
    this.readers = Array.from({ length: args.readers }, (_, i) =>
      instance(`aurora-reader-${i + 1}`, 1),
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
