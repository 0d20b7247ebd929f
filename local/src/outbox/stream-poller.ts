import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import {
  toPipeStreamRecord,
  type PipeStreamRecord,
} from '@creditline/adapters/outbox/stream-record';
import { toTransactionDecidedEvent } from '@creditline/adapters/outbox/transaction-decided';
import type { BusEvent, EventPublisher } from '@creditline/domain';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Plays the EventBridge Pipe locally: reads the TransactionLog stream of DynamoDB Local through
 * the DynamoDB Streams API, applies the shared outbox mapping (filter + input template) to
 * every record and publishes the TransactionDecided events to the bus. Like the Pipe it
 * delivers at least once: a page is checkpointed (per shard, the last sequence number, in a
 * file) only after its events were published, so a restart resumes where it stopped and a
 * crash in between republishes rather than loses.
 */
export interface StreamPollerOptions {
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  /** The Pipe: each page's records mapped to TransactionDecided events and published. */
  readonly publisher?: EventPublisher;
  /**
   * An event source mapping instead (the hold journal's Lambda): each page handed over whole;
   * it must resolve before the page is checkpointed, so a failure re-reads the page.
   */
  readonly consume?: (records: readonly PipeStreamRecord[]) => Promise<void>;
  readonly checkpointFile: string;
  readonly pollIntervalMs?: number;
  /** A record the template cannot render (in AWS it would go to the Pipe's DLQ). */
  readonly onUnpublishable?: (record: PipeStreamRecord, reason: string) => void;
  readonly onError?: (error: unknown) => void;
}

export interface StreamPoller {
  /** Reads every shard up to its current end; returns how many events were published (records consumed). */
  pollOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const checkpointSchema = z.object({
  streamArn: z.string(),
  shards: z.record(
    z.string(),
    z.object({ sequenceNumber: z.string().optional(), finished: z.boolean().default(false) }),
  ),
});
type Checkpoint = z.infer<typeof checkpointSchema>;

const readCheckpoint = (file: string): Checkpoint | undefined => {
  try {
    return checkpointSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
};

const writeCheckpoint = (file: string, checkpoint: Checkpoint): void => {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(checkpoint));
  renameSync(temporary, file);
};

/** Parents before children, so a key's changes are published in order across a shard split. */
const parentsFirst = (shards: readonly Shard[]): Shard[] => {
  const ids = new Set(shards.map((shard) => shard.ShardId));
  const ordered: Shard[] = [];
  const placed = new Set<string | undefined>();
  let pending = [...shards];
  while (pending.length > 0) {
    const ready = pending.filter(
      (shard) =>
        !shard.ParentShardId || !ids.has(shard.ParentShardId) || placed.has(shard.ParentShardId),
    );
    if (ready.length === 0) return [...ordered, ...pending];
    for (const shard of ready) {
      ordered.push(shard);
      placed.add(shard.ShardId);
    }
    pending = pending.filter((shard) => !ready.includes(shard));
  }
  return ordered;
};

export const createStreamPoller = (options: StreamPollerOptions): StreamPoller => {
  const { dynamo, streams, tableName, publisher, consume, checkpointFile } = options;
  if ((publisher === undefined) === (consume === undefined))
    throw new Error('a stream poller either publishes (the Pipe) or consumes (a Lambda mapping)');
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  let running = false;
  const isRunning = (): boolean => running;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const listShards = async (streamArn: string): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(start ? { ExclusiveStartShardId: start } : {}),
        }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return parentsFirst(shards);
  };

  const iteratorFor = async (
    streamArn: string,
    shardId: string,
    sequenceNumber: string | undefined,
  ): Promise<string | undefined> => {
    const input = sequenceNumber
      ? {
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const,
          SequenceNumber: sequenceNumber,
        }
      : { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' as const };
    try {
      return (await streams.send(new GetShardIteratorCommand(input))).ShardIterator;
    } catch (error) {
      // The checkpoint is older than the stream's 24 hours: start from what is left.
      if (!(error instanceof TrimmedDataAccessException) || !sequenceNumber) throw error;
      options.onError?.(
        new Error(
          `stream records after ${sequenceNumber} in ${shardId} were trimmed; resuming at the oldest record`,
          { cause: error },
        ),
      );
      return iteratorFor(streamArn, shardId, undefined);
    }
  };

  const pollOnce = async (): Promise<number> => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${tableName} has no stream`);
    const saved = readCheckpoint(checkpointFile);
    const checkpoint: Checkpoint =
      saved?.streamArn === streamArn ? saved : { streamArn, shards: {} };
    let published = 0;

    for (const shard of await listShards(streamArn)) {
      const shardId = shard.ShardId ?? '';
      const position = checkpoint.shards[shardId] ?? { finished: false };
      if (position.finished) continue;
      let iterator = await iteratorFor(streamArn, shardId, position.sequenceNumber);
      while (iterator) {
        let page;
        try {
          page = await streams.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
          );
        } catch (error) {
          if (error instanceof ExpiredIteratorException) break;
          throw error;
        }
        const records = (page.Records ?? []).map((record) => toPipeStreamRecord(record, streamArn));
        if (consume !== undefined) {
          if (records.length > 0) await consume(records);
          published += records.length;
        } else {
          const events: BusEvent[] = [];
          for (const record of records) {
            const mapping = toTransactionDecidedEvent(record);
            if (mapping.kind === 'event') events.push(mapping.event);
            else if (mapping.kind === 'unpublishable')
              options.onUnpublishable?.(record, mapping.reason);
          }
          if (events.length > 0) await publisher?.publish(events);
          published += events.length;
        }
        const last = records.at(-1);
        checkpoint.shards[shardId] = {
          sequenceNumber:
            last?.dynamodb.SequenceNumber ?? checkpoint.shards[shardId]?.sequenceNumber,
          finished: page.NextShardIterator === undefined,
        };
        if (records.length > 0 || page.NextShardIterator === undefined)
          writeCheckpoint(checkpointFile, checkpoint);
        if (records.length === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return published;
  };

  return {
    pollOnce,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (isRunning()) {
          await pollOnce().catch((error: unknown) => options.onError?.(error));
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, pollIntervalMs);
          });
        }
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
};
