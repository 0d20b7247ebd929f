import type { BusEvent, EventPublisher } from '@creditline/domain';
import type { LocalQueue } from '@creditline/local/queues/local-queue';
import type { BusTarget } from '@creditline/local/bus/in-process-bus';
import type { FaultProfile } from './profile.js';
import type { Injector } from './scope.js';

/**
 * Faults in the outbox's transport, at its adapters: the stream read by the Pipe (pages delivered
 * late, records delivered twice), the Pipe failing after it published (so it publishes the page
 * again), EventBridge → SQS delivering a message twice.
 */
interface MiddlewareHost {
  readonly middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; name: string; priority: 'high' }): void;
  };
}
type Next = (args: unknown) => Promise<{ output: { Records?: unknown[] } }>;

export const addStreamFaults = (
  streams: MiddlewareHost,
  injector: Injector,
  profile: FaultProfile,
): void => {
  const middleware = (next: Next, context: { commandName?: string }) => async (args: unknown) => {
    const result = await next(args);
    if (context.commandName !== 'GetRecordsCommand') return result;
    const records = result.output.Records ?? [];
    if (records.length === 0) return result;
    if (
      injector.draw('stream-delay', profile.streamDelay, `${records.length} record(s) held back`)
    ) {
      // An empty page: the Pipe reads these records again on a later poll.
      return { ...result, output: { ...result.output, Records: [] } };
    }
    if (
      injector.draw(
        'stream-duplicate',
        profile.streamDuplicate,
        `${records.length} record(s) delivered twice`,
      )
    ) {
      return {
        ...result,
        output: { ...result.output, Records: records.flatMap((record) => [record, record]) },
      };
    }
    return result;
  };
  streams.middlewareStack.add(middleware, {
    step: 'initialize',
    name: 'simStreamFaults',
    priority: 'high',
  });
};

/** The Pipe's target: after publishing, the Pipe may fail (and so publish the same page again). */
export const pipeTargetWithFaults = (
  publisher: EventPublisher,
  injector: Injector,
  profile: FaultProfile,
): EventPublisher => ({
  async publish(events: readonly BusEvent[]) {
    await publisher.publish(events);
    if (
      injector.draw(
        'pipe-fail-after-publish',
        profile.pipeFailAfterPublish,
        `${events.length} event(s)`,
      )
    ) {
      throw new Error('sim: the Pipe failed after publishing its batch');
    }
  },
});

/** EventBridge → SQS, at least once: sometimes twice. */
export const queueTargetWithFaults =
  (queue: LocalQueue, injector: Injector, profile: FaultProfile): BusTarget =>
  (event) => {
    const body = JSON.stringify(event);
    queue.send(body);
    if (injector.draw('sqs-duplicate-send', profile.sqsDuplicateSend, queue.definition.logicalName))
      queue.send(body);
    return Promise.resolve();
  };
