import {
  PutEventsCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  PermanentStoreError,
  RetryableStoreError,
  type BusEvent,
  type EventPublisher,
} from '@creditline/domain';

/** PutEvents limits: entries per call, and bytes per entry (EventBridge's event size limit). */
export const putEventsLimits = { maxEntries: 10, maxEntryBytes: 256 * 1024 } as const;

/** Entry error codes that no retry can fix: the event or the permissions are wrong. */
const PERMANENT_ENTRY_ERRORS = new Set([
  'MalformedDetail',
  'InvalidArgument',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
  'AccessDeniedException',
]);
const PERMANENT_CALL_ERRORS = new Set([
  'ResourceNotFoundException',
  'ValidationException',
  'AccessDeniedException',
  'UnrecognizedClientException',
]);

export interface EventBridgePublisherOptions {
  /** Calls per entry, the first included, before a still-refused entry fails the publish. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * EventPublisher over PutEvents. A call may succeed with some entries refused (FailedEntryCount
 * > 0): exactly those are sent again, with exponential backoff, up to `maxAttempts`. Whole-call
 * failures are the SDK's to retry; what it gives up on becomes a typed error.
 */
export const createEventBridgePublisher = (
  client: EventBridgeClient,
  eventBusName: string,
  options: EventBridgePublisherOptions = {},
): EventPublisher => {
  const { maxAttempts = 4, baseDelayMs = 100 } = options;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const toEntry = (event: BusEvent): PutEventsRequestEntry => {
    const entry: PutEventsRequestEntry = {
      EventBusName: eventBusName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      ...(event.time === undefined ? {} : { Time: event.time }),
    };
    // EventBridge counts Source, DetailType, Detail and 14 bytes for Time (its documented formula).
    const bytes =
      Buffer.byteLength(`${entry.Source ?? ''}${entry.DetailType ?? ''}${entry.Detail ?? ''}`) +
      (event.time ? 14 : 0);
    if (bytes > putEventsLimits.maxEntryBytes) {
      throw new PermanentStoreError(
        `${event.detailType} event of ${bytes} bytes exceeds ${putEventsLimits.maxEntryBytes}`,
        'EntryTooLarge',
      );
    }
    return entry;
  };

  const send = async (entries: readonly PutEventsRequestEntry[]) => {
    try {
      return await client.send(new PutEventsCommand({ Entries: [...entries] }));
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      const message = `EventBridge PutEvents failed: ${error instanceof Error ? error.message : String(error)}`;
      throw PERMANENT_CALL_ERRORS.has(name)
        ? new PermanentStoreError(message, name, { cause: error })
        : new RetryableStoreError(message, name, { cause: error });
    }
  };

  return {
    async publish(events) {
      let pending = events.map(toEntry);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2));
        const refused: { entry: PutEventsRequestEntry; code: string; message: string }[] = [];
        for (let start = 0; start < pending.length; start += putEventsLimits.maxEntries) {
          const call = pending.slice(start, start + putEventsLimits.maxEntries);
          const output = await send(call);
          call.forEach((entry, position) => {
            const result = output.Entries?.[position];
            if (result?.EventId !== undefined && result.ErrorCode === undefined) return;
            refused.push({
              entry,
              code: result?.ErrorCode ?? 'NoResult',
              message: result?.ErrorMessage ?? 'no result for the entry',
            });
          });
        }
        const lasting = refused.find((failure) => PERMANENT_ENTRY_ERRORS.has(failure.code));
        if (lasting !== undefined) {
          throw new PermanentStoreError(
            `EventBridge refused a ${lasting.entry.DetailType ?? ''} event: ${lasting.code} ${lasting.message}`,
            lasting.code,
          );
        }
        if (refused.length > 0 && attempt >= maxAttempts) {
          const first = refused[0];
          throw new RetryableStoreError(
            `EventBridge refused ${refused.length} event(s) after ${attempt} attempts: ${first?.code ?? ''} ${first?.message ?? ''}`,
            first?.code,
          );
        }
        pending = refused.map((failure) => failure.entry);
      }
    },
  };
};
