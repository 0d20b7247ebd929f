import { policy, type PolicyDocument } from './policies.js';

/**
 * The data key's policy. Every store of the stack is encrypted with this one customer-managed
 * key: tables, buckets, queues, the bus and its archive, the audit stream, the alarm topic,
 * log groups, secrets and Aurora. Our own roles get the key through their IAM policies (the
 * first statement lets IAM decide, as the default key policy does); the AWS services that
 * encrypt on their own behalf (not with a role of ours) need a statement here, each confined
 * to this account's resources.
 */
export interface KeyPolicyArgs {
  readonly accountId: string;
  readonly region: string;
  readonly partition?: string;
}

/** Actions a service needs to encrypt and decrypt with the key, written out (no wildcards). */
export const serviceKeyActions = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

export const dataKeyPolicy = ({
  accountId,
  region,
  partition = 'aws',
}: KeyPolicyArgs): PolicyDocument =>
  policy(
    {
      // A key policy's Resource is always "*": it means this key. The root principal here is
      // what lets IAM policies grant the key at all (and keeps the key manageable).
      Sid: 'AccountAdministersAndIamGrants',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: ['kms:*'],
      Resource: ['*'],
    },
    {
      Sid: 'CloudWatchLogsEncryptsOurLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: [...serviceKeyActions],
      Resource: ['*'],
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
        },
      },
    },
    {
      // The bus and its archive, and rule targets that are encrypted queues (EventBridge
      // encrypts what it sends to them).
      Sid: 'EventBridgeEncryptsBusArchiveAndTargets',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      Resource: ['*'],
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
    {
      // Alarms publish to the encrypted alarm topic.
      Sid: 'CloudWatchAlarmsPublishToTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: ['*'],
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  );
