import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { dashboardBody, dashboardUrl } from '../lib/dashboard.js';
import type { Naming } from '../lib/naming.js';
import type { DeployedFunction } from './functions.js';
import { metricsNamespace } from './functions.js';

export interface MonitoringArgs {
  readonly naming: Naming;
  readonly region: string;
  readonly alarmEmail: string;
  readonly functions: readonly DeployedFunction[];
  readonly queues: readonly { readonly logicalName: string; readonly queue: aws.sqs.Queue }[];
  readonly deadLetterQueues: readonly {
    readonly logicalName: string;
    readonly queue: aws.sqs.Queue;
  }[];
  readonly auditStream: aws.kinesis.FirehoseDeliveryStream;
  readonly auditSuccessMetric: string;
  readonly api?: aws.apigatewayv2.Api;
  /** p99 decision latency above this (ms) alarms. */
  readonly decisionLatencyP99Ms: number;
  readonly keyArn: pulumi.Input<string>;
  readonly pipe: aws.pipes.Pipe;
  readonly cluster: aws.rds.Cluster;
  /** The cluster's Serverless v2 ceiling: capacity near it alarms. */
  readonly auroraMaxAcu: number;
}

/** A queue whose oldest message is older than this (seconds) is not being drained. */
export const oldestMessageAgeThresholdSeconds = 900;
/** Aurora capacity above this share of its maximum, sustained, alarms (raise the ceiling). */
export const auroraCapacityShare = 0.9;

/**
 * Alarms to one SNS topic (e-mail, encrypted with the data key): every function's errors and
 * throttles, every DLQ's depth above zero, the age of the oldest message of every queue, the
 * Pipe's failures, Aurora capacity near its ceiling, p99 decision latency, reconciliation
 * drift, audit delivery failures, API 5xx. And one dashboard with the same metrics.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:monitoring:Monitoring', name, {}, opts);
    const parent = { parent: this };
    const { naming } = args;

    this.topic = new aws.sns.Topic(
      'alarms',
      {
        name: naming.name('alarms'),
        displayName: `creditline ${naming.stage} alarms`,
        kmsMasterKeyId: args.keyArn,
      },
      parent,
    );
    new aws.sns.TopicSubscription(
      'alarms-email',
      { topic: this.topic.arn, protocol: 'email', endpoint: args.alarmEmail },
      parent,
    );
    const actions = { alarmActions: [this.topic.arn], okActions: [this.topic.arn] };

    const alarm = (
      logicalName: string,
      alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, 'name' | 'alarmActions' | 'okActions'>,
    ): void => {
      new aws.cloudwatch.MetricAlarm(
        logicalName,
        { name: naming.name(logicalName), ...actions, ...alarmArgs },
        parent,
      );
    };

    // Any error, and any throttle (the account's or the mapping's concurrency is exhausted).
    const functionAlarms = [
      { suffix: 'errors', metricName: 'Errors', says: 'reported errors' },
      {
        suffix: 'throttles',
        metricName: 'Throttles',
        says: "was throttled: the account or the mapping's concurrency is exhausted",
      },
    ] as const;
    for (const { name: fnName, fn } of args.functions) {
      for (const { suffix, metricName, says } of functionAlarms) {
        alarm(`${fnName}-${suffix}`, {
          alarmDescription: `${fnName} ${says}`,
          namespace: 'AWS/Lambda',
          metricName,
          dimensions: { FunctionName: fn.name },
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 0,
          treatMissingData: 'notBreaching',
        });
      }
    }

    for (const { logicalName, queue } of args.queues) {
      alarm(`${logicalName}-oldest-message`, {
        alarmDescription: `${logicalName}: a message has waited over ${oldestMessageAgeThresholdSeconds / 60} minutes (consumer failing or too slow)`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: queue.name },
        statistic: 'Maximum',
        period: 300,
        evaluationPeriods: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: oldestMessageAgeThresholdSeconds,
        treatMissingData: 'notBreaching',
      });
    }

    // The outbox: a failed Pipe execution is a decision that may not have been published.
    for (const metricName of ['ExecutionFailed', 'TargetStageFailed']) {
      alarm(`outbox-pipe-${metricName === 'ExecutionFailed' ? 'execution' : 'target'}-failures`, {
        alarmDescription: `The outbox Pipe reported ${metricName} (see its log group and outbox-dlq)`,
        namespace: 'AWS/EventBridge/Pipes',
        metricName,
        dimensions: { PipeName: args.pipe.name },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        treatMissingData: 'notBreaching',
      });
    }

    alarm('aurora-capacity', {
      alarmDescription: `Aurora has run above ${auroraCapacityShare * 100} % of its ${args.auroraMaxAcu} ACU ceiling for 15 minutes`,
      namespace: 'AWS/RDS',
      metricName: 'ServerlessDatabaseCapacity',
      dimensions: { DBClusterIdentifier: args.cluster.clusterIdentifier },
      statistic: 'Average',
      period: 300,
      evaluationPeriods: 3,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: args.auroraMaxAcu * auroraCapacityShare,
      treatMissingData: 'notBreaching',
    });

    for (const { logicalName, queue } of args.deadLetterQueues) {
      alarm(`${logicalName}-depth`, {
        alarmDescription: `${logicalName} holds messages: inspect and redrive`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: queue.name },
        statistic: 'Maximum',
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        treatMissingData: 'notBreaching',
      });
    }

    const deployedNames = new Set(args.functions.map((fn) => fn.name));
    if (deployedNames.has('transaction-validator')) {
      alarm('decision-latency-p99', {
        alarmDescription: `p99 decision latency above ${args.decisionLatencyP99Ms} ms`,
        namespace: metricsNamespace,
        metricName: 'DecisionLatency',
        dimensions: { service: 'transaction-validator' },
        extendedStatistic: 'p99',
        unit: 'Milliseconds',
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: args.decisionLatencyP99Ms,
        treatMissingData: 'notBreaching',
      });
    }
    if (deployedNames.has('reconciliation')) {
      alarm('reconciliation-drift', {
        alarmDescription:
          'Reconciliation found differences between the stores (see the report in the reports bucket)',
        namespace: metricsNamespace,
        metricName: 'DriftAmount',
        dimensions: { service: 'reconciliation' },
        statistic: 'Maximum',
        period: 3600,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        treatMissingData: 'notBreaching',
      });
    }
    alarm('audit-delivery-failures', {
      alarmDescription: 'Firehose failed to deliver audit records',
      namespace: 'AWS/Firehose',
      metricName: args.auditSuccessMetric,
      dimensions: { DeliveryStreamName: args.auditStream.name },
      statistic: 'Minimum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      treatMissingData: 'notBreaching',
    });
    if (args.api) {
      alarm('api-5xx', {
        alarmDescription: 'The partner API answered 5xx',
        namespace: 'AWS/ApiGateway',
        metricName: '5xx',
        dimensions: { ApiId: args.api.id, Stage: '$default' },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 5,
        treatMissingData: 'notBreaching',
      });
    }

    const dashboardName = naming.name('overview');
    this.dashboard = new aws.cloudwatch.Dashboard(
      'overview',
      {
        dashboardName,
        dashboardBody: pulumi
          .all([
            pulumi.all(args.functions.map((fn) => fn.fn.name)),
            pulumi.all(args.queues.map((q) => q.queue.name)),
            pulumi.all(args.deadLetterQueues.map((q) => q.queue.name)),
            args.auditStream.name,
            args.api ? args.api.id : pulumi.output(undefined),
          ])
          .apply(([functionNames, queueNames, dlqNames, auditStreamName, apiId]) =>
            dashboardBody({
              region: args.region,
              namespace: metricsNamespace,
              functionNames: args.functions.map((fn, i) => ({
                service: fn.name,
                physicalName: functionNames[i] ?? fn.name,
              })),
              queueNames,
              dlqNames,
              auditStreamName,
              auditSuccessMetric: args.auditSuccessMetric,
              ...(apiId ? { apiId } : {}),
            }),
          ),
      },
      parent,
    );
    this.dashboardUrl = pulumi.output(dashboardUrl(args.region, dashboardName));
    this.registerOutputs({ topicArn: this.topic.arn, dashboardUrl: this.dashboardUrl });
  }
}
