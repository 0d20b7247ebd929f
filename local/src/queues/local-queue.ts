import type { QueueDefinition } from '@creditline/adapters/definitions';
import { dlqName } from '@creditline/adapters/definitions';
import type { DeadLetter, DelayedMessages, MessageVisibility } from '@creditline/domain';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * An SQS standard queue played in process, with the settings of `definitions/queues.ts`:
 * - a received message is hidden for the visibility timeout (or the one given on receive) and
 *   comes back unless deleted; ChangeMessageVisibility moves that moment, per message;
 * - each receive counts; a message already received maxReceiveCount times is moved to the
 *   dead-letter queue instead of being delivered again (SQS's redrive policy);
 * - the DLQ can be listed and redriven back (receive count reset);
 * - messages older than the retention period are dropped.
 * State is one JSON file per queue under `dir`, rewritten atomically after every change, so
 * in-flight and parked messages survive a restart of the local runtime.
 *
 * `timeScale` multiplies every duration (1 in the runtime): tests keep the production settings
 * and run them at 1/1000 speed.
 */
export interface LocalQueueOptions {
  readonly definition: QueueDefinition;
  readonly dir: string;
  readonly timeScale?: number;
  readonly now?: () => number;
  readonly region?: string;
  readonly accountId?: string;
}

const storedMessageSchema = z.object({
  messageId: z.string(),
  body: z.string(),
  md5OfBody: z.string(),
  sentAt: z.number(),
  receiveCount: z.number().int().nonnegative(),
  firstReceivedAt: z.number().nullable(),
  visibleAt: z.number(),
  receiptHandle: z.string().nullable(),
});
type StoredMessage = z.infer<typeof storedMessageSchema>;

const queueStateSchema = z.object({
  messages: z.array(storedMessageSchema),
  deadLetters: z.array(storedMessageSchema),
});
type QueueState = z.infer<typeof queueStateSchema>;

export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly receiveCount: number;
  readonly sentAt: number;
  readonly firstReceivedAt: number;
}

export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly deadLetters: number;
}

export interface LocalQueue {
  readonly definition: QueueDefinition;
  readonly arn: string;
  readonly dlqArn: string;
  readonly region: string;
  /** Multiplier applied to every duration (see LocalQueueOptions). */
  readonly timeScale: number;
  /** `delaySeconds` as SQS's DelaySeconds: the message is hidden until then. */
  send(body: string, delaySeconds?: number): string;
  receive(maxMessages: number, visibilityTimeoutSeconds?: number): ReceivedMessage[];
  /** False when the handle is stale (the message was received again since, or is gone). */
  delete(receiptHandle: string): boolean;
  changeVisibility(receiptHandle: string, seconds: number): boolean;
  /** The MessageVisibility port over this queue, for consumers that back off a message. */
  readonly visibility: MessageVisibility;
  /** The DelayedMessages port over this queue: how the CallbackDispatcher chains retries. */
  readonly delayed: DelayedMessages;
  listDeadLetters(limit: number): DeadLetter[];
  /** Moves every dead letter back to the queue; returns how many. */
  redriveDeadLetters(): number;
  counts(): QueueCounts;
  /** Milliseconds until the next hidden message becomes visible, or undefined when none is hidden. */
  nextVisibleInMs(): number | undefined;
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

const load = (file: string): QueueState => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { messages: [], deadLetters: [] };
  }
  return queueStateSchema.parse(JSON.parse(text));
};

export const createLocalQueue = (options: LocalQueueOptions): LocalQueue => {
  const {
    definition,
    dir,
    timeScale = 1,
    region = 'us-east-1',
    accountId = '000000000000',
  } = options;
  const now = options.now ?? Date.now;
  const ms = (seconds: number): number => seconds * 1000 * timeScale;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${definition.logicalName}.queue.json`);
  const state = load(file);

  const persist = (): void => {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, file);
  };

  const expire = (at: number): boolean => {
    const before = state.messages.length + state.deadLetters.length;
    state.messages = state.messages.filter(
      (message) => message.sentAt + ms(definition.messageRetentionSeconds) > at,
    );
    // SQS measures a dead letter's retention from its original enqueue time too.
    state.deadLetters = state.deadLetters.filter(
      (message) => message.sentAt + ms(definition.dlqRetentionSeconds) > at,
    );
    return state.messages.length + state.deadLetters.length !== before;
  };

  /**
   * The message a receipt handle still refers to: until it is received again. (SQS also refuses
   * once the visibility timeout has passed; here scaled time can make a handler outlast a
   * timeout it would never outlast in AWS, so the handle stays good until the next receive.)
   */
  const current = (receiptHandle: string): StoredMessage | undefined =>
    state.messages.find((message) => message.receiptHandle === receiptHandle);

  const queue: LocalQueue = {
    definition,
    region,
    timeScale,
    arn: `arn:aws:sqs:${region}:${accountId}:${definition.logicalName}`,
    dlqArn: `arn:aws:sqs:${region}:${accountId}:${dlqName(definition.logicalName)}`,

    send(body, delaySeconds = 0) {
      const messageId = randomUUID();
      const at = now();
      state.messages.push({
        messageId,
        body,
        md5OfBody: md5(body),
        sentAt: at,
        receiveCount: 0,
        firstReceivedAt: null,
        visibleAt: at,
        receiptHandle: null,
      });
      const sent = state.messages[state.messages.length - 1];
      if (sent) sent.visibleAt = at + ms(Math.min(900, Math.max(0, delaySeconds)));
      persist();
      return messageId;
    },

    receive(maxMessages, visibilityTimeoutSeconds = definition.visibilityTimeoutSeconds) {
      const at = now();
      let changed = expire(at);
      const received: ReceivedMessage[] = [];
      for (const message of [...state.messages]) {
        if (received.length >= maxMessages) break;
        if (message.visibleAt > at) continue;
        changed = true;
        if (message.receiveCount >= definition.maxReceiveCount) {
          state.messages.splice(state.messages.indexOf(message), 1);
          state.deadLetters.push({ ...message, receiptHandle: null, visibleAt: at });
          continue;
        }
        message.receiveCount += 1;
        message.firstReceivedAt ??= at;
        message.receiptHandle = `${message.messageId}#${message.receiveCount}#${randomUUID()}`;
        message.visibleAt = at + ms(visibilityTimeoutSeconds);
        received.push({
          messageId: message.messageId,
          receiptHandle: message.receiptHandle,
          body: message.body,
          md5OfBody: message.md5OfBody,
          receiveCount: message.receiveCount,
          sentAt: message.sentAt,
          firstReceivedAt: message.firstReceivedAt,
        });
      }
      if (changed) persist();
      return received;
    },

    delete(receiptHandle) {
      const message = current(receiptHandle);
      if (!message) return false;
      state.messages.splice(state.messages.indexOf(message), 1);
      persist();
      return true;
    },

    changeVisibility(receiptHandle, seconds) {
      const message = current(receiptHandle);
      if (!message) return false;
      message.visibleAt = now() + ms(Math.max(0, seconds));
      persist();
      return true;
    },

    visibility: {
      change: (receiptHandle, seconds) => {
        if (!queue.changeVisibility(receiptHandle, seconds)) {
          return Promise.reject(
            new Error(
              `ChangeMessageVisibility: receipt handle ${receiptHandle} is no longer valid`,
            ),
          );
        }
        return Promise.resolve();
      },
    },

    delayed: {
      send: (body, delaySeconds) => {
        queue.send(body, delaySeconds);
        return Promise.resolve();
      },
    },

    listDeadLetters(limit) {
      if (expire(now())) persist();
      return state.deadLetters.slice(0, limit).map((message) => ({
        messageId: message.messageId,
        body: message.body,
        receiveCount: message.receiveCount,
        sentAt: new Date(message.sentAt).toISOString(),
      }));
    },

    redriveDeadLetters() {
      const moved = state.deadLetters.splice(0);
      const at = now();
      for (const message of moved)
        state.messages.push({
          ...message,
          receiveCount: 0,
          firstReceivedAt: null,
          receiptHandle: null,
          visibleAt: at,
        });
      persist();
      return moved.length;
    },

    counts() {
      const at = now();
      const visible = state.messages.filter((message) => message.visibleAt <= at).length;
      return {
        visible,
        inFlight: state.messages.length - visible,
        deadLetters: state.deadLetters.length,
      };
    },

    nextVisibleInMs() {
      const at = now();
      const hidden = state.messages
        .filter((message) => message.visibleAt > at)
        .map((message) => message.visibleAt - at);
      return hidden.length > 0 ? Math.min(...hidden) : undefined;
    },
  };
  return queue;
};
