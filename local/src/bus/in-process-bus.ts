import {
  matchesPattern,
  rules as definedRules,
  type RuleDefinition,
} from '@creditline/adapters/definitions';
import type { BusEvent, Clock, EventPublisher } from '@creditline/domain';
import { randomUUID } from 'node:crypto';
import type { LocalQueue } from '../queues/local-queue.js';

/**
 * The creditline bus played in process: each published event gets EventBridge's envelope and is
 * delivered to the target of every rule (from the shared definitions) whose pattern matches,
 * with the same matcher semantics as infra's rules. A rule whose target is not registered is
 * reported through `onUnrouted` (the local runtime registers every target).
 */
export interface EventBridgeEnvelope<Detail = unknown> {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Detail;
}

export type RuleTarget = RuleDefinition['target'];
export type BusTarget = (event: EventBridgeEnvelope) => Promise<void>;

export interface InProcessBusOptions {
  readonly targets: Partial<Record<RuleTarget, BusTarget>>;
  readonly rules?: readonly RuleDefinition[];
  readonly clock?: Clock;
  readonly newId?: () => string;
  readonly account?: string;
  readonly region?: string;
  readonly onUnrouted?: (event: EventBridgeEnvelope, rule: RuleDefinition) => void;
}

/** EventBridge writes `time` to the second, without milliseconds. */
const eventTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The bus as the local AWS endpoint feeds it: events put by another account carry that account, as EventBridge stamps it. */
export interface InProcessBus extends EventPublisher {
  publishFrom(account: string, events: readonly BusEvent[]): Promise<void>;
}

export const createInProcessBus = (options: InProcessBusOptions): InProcessBus => {
  const { targets, rules = definedRules, account = '000000000000', region = 'us-east-1' } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const newId = options.newId ?? randomUUID;

  const deliver = async (event: BusEvent, from: string = account): Promise<void> => {
    const envelope: EventBridgeEnvelope = {
      version: '0',
      id: newId(),
      'detail-type': event.detailType,
      source: event.source,
      account: from,
      time: eventTime(event.time ?? clock.now()),
      region,
      resources: [],
      detail: event.detail,
    };
    const deliveries = rules
      .filter((rule) => matchesPattern(rule.pattern, envelope))
      .map((rule) => {
        const target = targets[rule.target];
        if (!target) {
          options.onUnrouted?.(envelope, rule);
          return Promise.resolve();
        }
        return target(envelope);
      });
    await Promise.all(deliveries);
  };

  return {
    async publish(events) {
      for (const event of events) await deliver(event);
    },
    async publishFrom(from, events) {
      for (const event of events) await deliver(event, from);
    },
  };
};

/** EventBridge → SQS: the message body is the whole event as JSON. */
export const queueTarget =
  (queue: LocalQueue): BusTarget =>
  (event) => {
    queue.send(JSON.stringify(event));
    return Promise.resolve();
  };
