import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { rules, type RuleDefinition } from '@creditline/adapters/definitions';
import type { Naming } from '../lib/naming.js';
import { serviceRole } from './service-role.js';
import { eventPatternJson } from '../lib/patterns.js';
import { outboxFilterPattern, outboxInputTemplate, outboxTarget } from '../lib/pipe.js';
import { pipeForceNewInputs, replaceSafeName } from '../lib/replace-safe.js';
import {
  pipeRolePolicy,
  queueFromRulesPolicy,
  schedulerRolePolicy,
  toJson,
} from '../lib/policies.js';
import type { DeployedFunction } from './functions.js';
import type { Queues } from './queues.js';
import { functionSpecs, type FunctionName } from '../lib/catalog.js';
import { assertVisibility } from '../lib/consumers.js';

export interface RoutingArgs {
  readonly naming: Naming;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly bus: aws.cloudwatch.EventBus;
  readonly queues: Queues;
  readonly functions: Partial<Record<FunctionName, DeployedFunction>>;
  readonly transactionLogTable: aws.dynamodb.Table;
  /** Its stream is the journal of holds. */
  readonly creditCacheTable: aws.dynamodb.Table;
  readonly depositsBucket: aws.s3.Bucket;
  readonly keyArn: pulumi.Input<string>;
  readonly reconciliationSchedule: string;
  readonly logRetentionDays: number;
}

/**
 * The hold journal's stream mapping (AWS guidance for DynamoDB stream consumers):
 * - no batching window and small batches: a hold left undecided by a crashed request is
 *   finalized within a second, so its retry finds the decision instead of waiting out the lease;
 * - partial batch responses and bisection: a failed record is retried alone from its sequence
 *   number, the others are not redone (they are idempotent anyway);
 * - retries bounded, the record's age bounded by the stream's 24 h retention: a record the
 *   journal cannot process (a bug) must not block its shard forever; it goes to the
 *   async-failures queue (alarmed) with its stream coordinates, and reconciliation reports the
 *   drift it leaves;
 * - no filter: every change of an account passes, deposits included, because the balance
 *   monitors judge each change of `available` (a pattern cannot compare the OLD and NEW images,
 *   and one on the stamp would hide deposits and releases from them); the journal's own
 *   mapping ignores what is not an operation;
 * - several batches per shard at once: records of one account stay in order (same key, same
 *   batch sequence), accounts proceed in parallel.
 */
export const holdJournalMapping: Omit<aws.lambda.EventSourceMappingArgs, 'functionName'> = {
  startingPosition: 'TRIM_HORIZON',
  batchSize: 100,
  maximumBatchingWindowInSeconds: 0,
  parallelizationFactor: 4,
  functionResponseTypes: ['ReportBatchItemFailures'],
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 100,
  maximumRecordAgeInSeconds: -1,
};

/**
 * How events reach code: the bus rules from the shared definitions (targets, retries, DLQ),
 * queue policies (only the bus rules may send), the outbox Pipe from the TransactionLog
 * stream, the SQS event source mappings, the reconciliation schedule and the S3 notification
 * for `inbox/`. A function that is not deployed has nothing routed to it.
 */
export class Routing extends pulumi.ComponentResource {
  readonly pipe: aws.pipes.Pipe;
  readonly pipeLogGroup: aws.cloudwatch.LogGroup;
  readonly rules: Readonly<Record<string, aws.cloudwatch.EventRule>>;

  constructor(name: string, args: RoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:messaging:Routing', name, {}, opts);
    const parent = { parent: this };
    const { naming, queues, functions } = args;

    // --- Bus rules and their targets -------------------------------------------------------
    const createdRules: Record<string, aws.cloudwatch.EventRule> = {};
    const rulesByQueue = new Map<aws.sqs.Queue, pulumi.Output<string>[]>();
    const allRuleArns: pulumi.Output<string>[] = [];
    const retryPolicy = { maximumRetryAttempts: 24, maximumEventAgeInSeconds: 3600 };

    for (const rule of rules as readonly RuleDefinition[]) {
      const queue =
        rule.target === 'transaction-log-queue'
          ? queues.transactionLog.queue
          : rule.target === 'callbacks-queue'
            ? queues.callbacks.queue
            : undefined;
      const fn =
        rule.target === 'transaction-validator' ? functions['transaction-validator'] : undefined;
      if (!queue && !fn) continue; // the target function is not deployed yet

      const eventRule = new aws.cloudwatch.EventRule(
        rule.logicalName,
        {
          name: naming.name(rule.logicalName),
          eventBusName: args.bus.name,
          eventPattern: eventPatternJson(rule.pattern),
        },
        parent,
      );
      createdRules[rule.logicalName] = eventRule;
      allRuleArns.push(eventRule.arn);
      new aws.cloudwatch.EventTarget(
        rule.logicalName,
        {
          rule: eventRule.name,
          eventBusName: args.bus.name,
          targetId: rule.target,
          arn: queue ? queue.arn : (fn as DeployedFunction).fn.arn,
          retryPolicy,
          deadLetterConfig: { arn: queues.asyncDlq.arn },
        },
        { parent: eventRule },
      );
      if (queue) {
        rulesByQueue.set(queue, [...(rulesByQueue.get(queue) ?? []), eventRule.arn]);
      } else if (fn) {
        new aws.lambda.Permission(
          `events-${rule.logicalName}`,
          {
            action: 'lambda:InvokeFunction',
            function: fn.fn.name,
            principal: 'events.amazonaws.com',
            sourceArn: eventRule.arn,
          },
          { parent: eventRule },
        );
      }
    }
    this.rules = createdRules;

    const queuePolicy = (
      logicalName: string,
      queue: aws.sqs.Queue,
      ruleArns: pulumi.Output<string>[],
    ): void => {
      if (ruleArns.length === 0) return;
      new aws.sqs.QueuePolicy(
        logicalName,
        {
          queueUrl: queue.url,
          policy: pulumi
            .all([queue.arn, pulumi.all(ruleArns)])
            .apply(([arn, sources]) => toJson(queueFromRulesPolicy(arn, sources))),
        },
        parent,
      );
    };
    queuePolicy(
      'transaction-log',
      queues.transactionLog.queue,
      rulesByQueue.get(queues.transactionLog.queue) ?? [],
    );
    queuePolicy(
      'callbacks',
      queues.callbacks.queue,
      rulesByQueue.get(queues.callbacks.queue) ?? [],
    );
    // Rule targets dead-letter into async-dlq with the rule's identity.
    queuePolicy('async-dlq', queues.asyncDlq, allRuleArns);

    // --- Outbox: TransactionLog stream → Pipe → bus ----------------------------------------
    const pipeRole = serviceRole(
      'outbox-pipe',
      {
        naming,
        service: 'pipes.amazonaws.com',
        accountId: args.accountId,
        accountCondition: 'aws:SourceAccount',
      },
      parent,
    );
    // Failures of the Pipe (target errors, records sent to its DLQ) are logged here.
    const pipeLogs = new aws.cloudwatch.LogGroup(
      'outbox-pipe',
      {
        name: `/aws/vendedlogs/pipes/${naming.name('outbox')}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.keyArn,
      },
      parent,
    );
    const pipePolicy = new aws.iam.RolePolicy(
      'outbox-pipe',
      {
        name: 'outbox',
        role: pipeRole.id,
        policy: pulumi
          .all([
            args.transactionLogTable.streamArn,
            args.transactionLogTable.arn,
            args.bus.arn,
            queues.outboxDlq.arn,
            args.keyArn,
            pipeLogs.arn,
          ])
          .apply(([streamArn, tableArn, busArn, dlqArn, keyArn, logGroupArn]) =>
            toJson(
              pipeRolePolicy({
                streamArn,
                tableArn,
                busArn,
                dlqArn,
                keyArn,
                logGroupArn,
                region: args.region,
              }),
            ),
          ),
      },
      { parent: pipeRole },
    );
    this.pipe = new aws.pipes.Pipe(
      'outbox',
      {
        // A new source (the table replaced, its stream re-enabled) replaces the Pipe: the name
        // follows the source so the new Pipe does not collide with the old one.
        name: args.transactionLogTable.streamArn.apply((source) =>
          replaceSafeName(naming.name('outbox'), pipeForceNewInputs(source)),
        ),
        description: 'TransactionLog CLAIMED -> DECIDED changes published as TransactionDecided',
        roleArn: pipeRole.arn,
        source: args.transactionLogTable.streamArn,
        target: args.bus.arn,
        sourceParameters: {
          dynamodbStreamParameters: {
            startingPosition: 'TRIM_HORIZON',
            batchSize: 10,
            maximumBatchingWindowInSeconds: 1,
            maximumRetryAttempts: 10,
            onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
            deadLetterConfig: { arn: queues.outboxDlq.arn },
          },
          filterCriteria: { filters: [{ pattern: outboxFilterPattern }] },
        },
        targetParameters: {
          eventbridgeEventBusParameters: {
            source: outboxTarget.source,
            detailType: outboxTarget.detailType,
          },
          inputTemplate: outboxInputTemplate,
        },
        logConfiguration: {
          level: 'ERROR',
          cloudwatchLogsLogDestination: { logGroupArn: pipeLogs.arn },
        },
      },
      { ...parent, dependsOn: [pipePolicy] },
    );
    this.pipeLogGroup = pipeLogs;

    // --- SQS consumers ---------------------------------------------------------------------
    const consumers = [
      {
        fn: functions['transaction-logger'],
        pair: queues.transactionLog,
        // Pull-based consumers cap their concurrency so a burst cannot swamp Aurora or partners.
        max: queues.transactionLog.definition.maximumConcurrency,
      },
      {
        fn: functions['callback-dispatcher'],
        pair: queues.callbacks,
        max: queues.callbacks.definition.maximumConcurrency,
      },
    ];
    for (const { fn, pair, max } of consumers) {
      if (!fn) continue;
      assertVisibility([
        {
          queue: pair.definition.logicalName,
          visibilityTimeoutSeconds: pair.definition.visibilityTimeoutSeconds,
          maximumBatchingWindowSeconds: pair.definition.maximumBatchingWindowSeconds,
          functionName: fn.name,
          functionTimeoutSeconds: functionSpecs[fn.name].timeoutSeconds,
        },
      ]);
      new aws.lambda.EventSourceMapping(
        `${pair.definition.logicalName}-consumer`,
        {
          functionName: fn.fn.arn,
          eventSourceArn: pair.queue.arn,
          batchSize: pair.definition.batchSize,
          maximumBatchingWindowInSeconds: pair.definition.maximumBatchingWindowSeconds,
          functionResponseTypes: ['ReportBatchItemFailures'],
          scalingConfig: { maximumConcurrency: max },
        },
        { parent: fn.fn },
      );
    }

    // --- The journal of holds: CreditCache stream -> hold-journal ----------------------------
    const journal = functions['hold-journal'];
    if (journal) {
      new aws.lambda.EventSourceMapping(
        'hold-journal',
        {
          functionName: journal.fn.arn,
          eventSourceArn: args.creditCacheTable.streamArn,
          ...holdJournalMapping,
          destinationConfig: { onFailure: { destinationArn: queues.asyncDlq.arn } },
        },
        { parent: journal.fn },
      );
    }

    // --- Reconciliation schedule -------------------------------------------------------------
    const reconciliation = functions.reconciliation;
    if (reconciliation) {
      const schedulerRole = serviceRole(
        'reconciliation-schedule',
        {
          naming,
          service: 'scheduler.amazonaws.com',
          accountId: args.accountId,
          accountCondition: 'aws:SourceAccount',
        },
        parent,
      );
      const schedulerPolicy = new aws.iam.RolePolicy(
        'reconciliation-schedule',
        {
          name: 'invoke-reconciliation',
          role: schedulerRole.id,
          policy: pulumi
            .all([reconciliation.fn.arn, queues.asyncDlq.arn, args.keyArn])
            .apply(([functionArn, dlqArn, keyArn]) =>
              toJson(schedulerRolePolicy({ functionArn, dlqArn, keyArn, region: args.region })),
            ),
        },
        { parent: schedulerRole },
      );
      new aws.scheduler.Schedule(
        'reconciliation',
        {
          name: naming.name('reconciliation'),
          description: 'Nightly reconciliation (report only; repairs need an explicit run)',
          scheduleExpression: args.reconciliationSchedule,
          scheduleExpressionTimezone: 'UTC',
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            arn: reconciliation.fn.arn,
            roleArn: schedulerRole.arn,
            input: JSON.stringify({ repair: false }),
            retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
            deadLetterConfig: { arn: queues.asyncDlq.arn },
          },
        },
        { ...parent, dependsOn: [schedulerPolicy] },
      );
    }

    // --- Deposit files: inbox/ → DepositProcessor --------------------------------------------
    const depositProcessor = functions['deposit-processor'];
    if (depositProcessor) {
      const permission = new aws.lambda.Permission(
        's3-inbox',
        {
          action: 'lambda:InvokeFunction',
          function: depositProcessor.fn.name,
          principal: 's3.amazonaws.com',
          sourceArn: args.depositsBucket.arn,
          sourceAccount: args.accountId,
        },
        parent,
      );
      new aws.s3.BucketNotification(
        'deposits-inbox',
        {
          bucket: args.depositsBucket.id,
          lambdaFunctions: [
            {
              id: 'inbox',
              lambdaFunctionArn: depositProcessor.fn.arn,
              events: ['s3:ObjectCreated:*'],
              filterPrefix: 'inbox/',
            },
          ],
        },
        { ...parent, dependsOn: [permission] },
      );
    }

    this.registerOutputs({ pipeArn: this.pipe.arn });
  }
}
