import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { RedshiftConfig } from '../lib/config.js';
import type { Naming } from '../lib/naming.js';
import { serviceRole } from './service-role.js';
import { firehoseRolePolicy, toJson } from '../lib/policies.js';
import { firehoseForceNewInputs, replaceSafeName } from '../lib/replace-safe.js';
import { auditErrorPrefix, auditPrefix, redshiftStagingPrefix } from '../lib/storage.js';

export interface AuditArgs {
  readonly naming: Naming;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly bucket: aws.s3.Bucket;
  readonly keyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly bufferingIntervalSeconds: number;
  readonly redshift?: RedshiftConfig;
}

/**
 * The audit stream: Firehose → the audit bucket, gzip, Hive-style date partitions, failed
 * records under an error prefix. With Redshift configured, Firehose COPYs into Redshift and
 * still writes every record to the same date-partitioned audit prefix (S3 backup), so the
 * bucket stays the complete record either way.
 */
export class AuditStream extends pulumi.ComponentResource {
  readonly stream: aws.kinesis.FirehoseDeliveryStream;
  /** The CloudWatch metric that says records reached their destination. */
  readonly successMetric: string;

  constructor(name: string, args: AuditArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:audit:AuditStream', name, {}, opts);
    const parent = { parent: this };
    const { naming, redshift } = args;
    const destination = redshift ? 'redshift' : 'extended_s3';
    // Switching `creditline:redshift` on or off replaces the stream: its name follows the
    // destination, so the new stream is created beside the old one (the logger's environment
    // then names the new one) instead of colliding with it.
    const streamName = replaceSafeName(naming.name('audit'), firehoseForceNewInputs(destination));

    const logGroup = new aws.cloudwatch.LogGroup(
      'audit-delivery',
      {
        name: `/aws/kinesisfirehose/${naming.name('audit')}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.keyArn,
      },
      parent,
    );
    const logStream = new aws.cloudwatch.LogStream(
      'audit-delivery',
      { name: 'delivery', logGroupName: logGroup.name },
      parent,
    );

    const role = serviceRole(
      'audit-delivery',
      {
        naming,
        service: 'firehose.amazonaws.com',
        accountId: args.accountId,
        accountCondition: 'sts:ExternalId',
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      'audit-delivery',
      {
        role: role.id,
        policy: pulumi
          .all([args.bucket.arn, args.keyArn, logGroup.arn])
          .apply(([bucketArn, keyArn, logGroupArn]) =>
            toJson(
              firehoseRolePolicy({
                bucketArn,
                keyArn,
                logGroupArn,
                region: args.region,
                prefixes: ['audit/', 'audit-errors/', ...(redshift ? [redshiftStagingPrefix] : [])],
                ...(redshift ? { redshiftSecretArn: redshift.secretArn } : {}),
              }),
            ),
          ),
      },
      parent,
    );

    const logging = { enabled: true, logGroupName: logGroup.name, logStreamName: logStream.name };
    const s3 = {
      roleArn: role.arn,
      bucketArn: args.bucket.arn,
      compressionFormat: 'GZIP',
      kmsKeyArn: args.keyArn,
      bufferingInterval: args.bufferingIntervalSeconds,
      bufferingSize: 5,
      cloudwatchLoggingOptions: logging,
    };
    const auditDestination = { ...s3, prefix: auditPrefix, errorOutputPrefix: auditErrorPrefix };

    this.successMetric = redshift ? 'DeliveryToRedshift.Success' : 'DeliveryToS3.Success';
    this.stream = new aws.kinesis.FirehoseDeliveryStream(
      'audit',
      {
        name: streamName,
        serverSideEncryption: { enabled: true, keyType: 'CUSTOMER_MANAGED_CMK', keyArn: args.keyArn },
        destination,
        ...(redshift
          ? {
              redshiftConfiguration: {
                roleArn: role.arn,
                clusterJdbcurl: redshift.jdbcUrl,
                dataTableName: redshift.table,
                copyOptions: redshift.copyOptions,
                secretsManagerConfiguration: {
                  enabled: true,
                  secretArn: redshift.secretArn,
                  roleArn: role.arn,
                },
                s3Configuration: {
                  ...s3,
                  prefix: redshiftStagingPrefix,
                  errorOutputPrefix: auditErrorPrefix,
                },
                s3BackupMode: 'Enabled',
                s3BackupConfiguration: auditDestination,
                cloudwatchLoggingOptions: logging,
              },
            }
          : {
              extendedS3Configuration: { ...auditDestination, fileExtension: '.json.gz' },
            }),
      },
      { ...parent, dependsOn: [rolePolicy] },
    );

    this.registerOutputs({ streamName: this.stream.name, streamArn: this.stream.arn });
  }
}
