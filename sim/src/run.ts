import { tableNames } from '@creditline/adapters/definitions';
import { ensureTables } from '@creditline/adapters/dynamodb/create-tables';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { localCredentials, localRegion, startScratchStores } from '@creditline/stand-ins';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFinalPhase } from './checker/final-phase.js';
import { createTrace } from './checker/trace.js';
import { verdictKinds, type VerdictKind, type Violation } from './checker/verdicts.js';
import { createSimClock, type SimClock } from './faults/clock.js';
import { createFaultLog, type FaultKind, type FaultLog } from './faults/fault-log.js';
import { faultProfiles, type FaultProfile, type FaultProfileName } from './faults/profile.js';
import { createInjector, type Injector } from './faults/scope.js';
import type { AuroraSwitch } from './faults/sql.js';
import { createModelState } from './model/state.js';
import { createPlanted, type PlantedDefect } from './planted/planted.js';
import { createRandom, type Random } from './random.js';
import { capabilities } from './system/capabilities.js';
import { simPartners, type SimPartner } from './system/partners.js';
import { startSystem, type System } from './system/system.js';
import { startWebhookReceiver, type WebhookReceiver } from './system/webhook-receiver.js';
import { createGenerationContext } from './workload/generation-context.js';
import { generateWorkload } from './workload/generate.js';
import type { Op, OpEnv } from './workload/types.js';

/**
 * One simulation: stores, system, workload and fault schedule from the seed; the workload runs
 * with `concurrency` operations in flight, each checked as it goes; then faults stop, the
 * system drains, and the final phase compares everything with the model.
 */
export interface SimOptions {
  readonly ops: number;
  readonly seed: number;
  readonly faults: FaultProfileName;
  readonly concurrency?: number;
  readonly plant?: readonly PlantedDefect[];
  /** Stores already running (tests reuse the global setup's); otherwise scratch stores are started. */
  readonly stores?: {
    readonly dynamodb: string;
    readonly s3: string;
    readonly databaseUrl: string;
    readonly tablePrefix: string;
  };
  readonly log?: (line: string) => void;
  /** Lines of trace printed per violation kind (default 40). */
  readonly traceLines?: number;
}

export interface SimResult {
  readonly seed: number;
  readonly ops: number;
  readonly faults: number;
  readonly faultsByKind: Readonly<Partial<Record<FaultKind, number>>>;
  readonly violations: readonly Violation[];
  readonly byKind: Readonly<Record<VerdictKind, number>>;
  /** Each distinct violation kind's first occurrence with its trace. */
  readonly explained: readonly {
    readonly violation: Violation;
    readonly trace: readonly string[];
  }[];
  readonly counts: Readonly<Record<string, number>>;
  readonly wallMs: number;
  readonly summaryLine: string;
}

const DRAIN_TIMEOUT_MS = 180_000;

export const runSimulation = async (options: SimOptions): Promise<SimResult> => {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const profile = faultProfiles[options.faults];
  const random = createRandom(options.seed);
  const partners = simPartners.slice(0, capabilities.tenancy ? 2 : 1);

  const trace = createTrace();
  const world = await startWorld({
    ...(options.stores ? { stores: options.stores } : {}),
    profile,
    random,
    partners,
    plant: options.plant ?? [],
    onBatch: (entities, text) => trace.add(undefined, entities, text),
  });
  const { system, receiver, injector, aurora, clock, faultLog } = world;
  const model = createModelState();
  const violations: Violation[] = [];
  const counts: Record<string, number> = {};
  const env: OpEnv = {
    system,
    model,
    trace,
    injector,
    profile,
    aurora,
    clock,
    receiver,
    partner: (id) => {
      const partner = partners.find((candidate) => candidate.id === id);
      if (!partner) throw new Error(`unknown partner ${id}`);
      return partner;
    },
    report: (found) => violations.push(...found),
    count: (what) => {
      counts[what] = (counts[what] ?? 0) + 1;
    },
  };

  const ops = generateWorkload(
    random.fork('workload'),
    createGenerationContext(partners, capabilities, profile, options.ops),
    options.ops,
  );
  try {
    injector.enabled = true;
    await runOps(ops, env, options.concurrency ?? 12, log);
    injector.enabled = false;
    aurora.down = false;
    for (const [kind, list] of timings)
      log(
        `${kind}: ${list.length} ops, mean ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(0)} ms, max ${Math.max(...list)} ms`,
      );
    log(`workload done after ${((Date.now() - started) / 1000).toFixed(1)} s; draining`);
    const drained = await drain(system, DRAIN_TIMEOUT_MS);
    if (!drained)
      violations.push({
        kind: 'drain-timeout',
        entities: [],
        message: `the system did not drain within ${DRAIN_TIMEOUT_MS / 1000} s (queues: log ${JSON.stringify(system.logQueue.counts())}, callbacks ${JSON.stringify(system.callbackQueue.counts())})`,
      });
    log('drained; final phase');
    violations.push(
      ...(await runFinalPhase({ system, model, partners, capabilities, receiver, trace })),
    );
  } finally {
    await world.stop();
  }

  const byKind = Object.fromEntries(
    verdictKinds.map((kind) => [
      kind,
      violations.filter((violation) => violation.kind === kind).length,
    ]),
  ) as Record<VerdictKind, number>;
  const explained = verdictKinds.flatMap((kind) => {
    const first = violations.find((violation) => violation.kind === kind);
    return first ? [{ violation: first, trace: trace.explain(first, options.traceLines) }] : [];
  });
  const faults = faultLog.all.length;
  return {
    seed: options.seed,
    ops: ops.length,
    faults,
    faultsByKind: faultLog.countsByKind(),
    violations,
    byKind,
    explained,
    counts,
    wallMs: Date.now() - started,
    summaryLine: `sim: seed ${options.seed}, ${ops.length} ops, ${faults} faults, ${violations.length} violations`,
  };
};

/** Runs the operations in order, `concurrency` at a time, each after the ones it depends on. */
export const timings = new Map<string, number[]>();
const runOps = async (
  ops: readonly Op[],
  env: OpEnv,
  concurrency: number,
  log: (line: string) => void,
): Promise<void> => {
  const done = new Map<number, Promise<void>>();
  let next = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    while (next < ops.length) {
      const op = ops[next];
      next += 1;
      if (!op) continue;
      let resolve: () => void = () => undefined;
      done.set(op.index, new Promise<void>((settle) => (resolve = settle)));
      await Promise.all(
        op.after.flatMap((index) => {
          const waited = done.get(index);
          return waited ? [waited] : [];
        }),
      );
      const began = Date.now();
      try {
        await op.run(env);
        timings.set(op.kind, [...(timings.get(op.kind) ?? []), Date.now() - began]);
      } catch (error) {
        env.report([
          {
            kind: 'inconsistent-answer',
            op: op.index,
            entities: [],
            message: `operation ${op.describe} failed in the simulation itself: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          },
        ]);
      } finally {
        resolve();
        finished += 1;
        if (finished % 500 === 0) log(`${finished}/${ops.length} operations`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
};

/** Waits until the Pipe has published everything and both queues are empty (dead letters aside). */
const drain = async (system: System, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    const published = await system.drainPipe().catch(() => 1);
    const log = system.logQueue.counts();
    const callbacks = system.callbackQueue.counts();
    const busy =
      published > 0 || log.visible + log.inFlight + callbacks.visible + callbacks.inFlight > 0;
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= 3) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
};

export interface WorldOptions {
  readonly stores?: SimOptions['stores'];
  readonly profile: FaultProfile;
  readonly random: Random;
  readonly partners: readonly SimPartner[];
  readonly plant: readonly PlantedDefect[];
  readonly onBatch?: (entities: readonly string[], text: string) => void;
}

export interface World {
  readonly system: System;
  readonly receiver: WebhookReceiver;
  readonly injector: Injector;
  readonly aurora: AuroraSwitch;
  readonly clock: SimClock;
  readonly faultLog: FaultLog;
  stop(): Promise<void>;
}

/** The stores (given, or scratch ones started), the tables and buckets, the receiver and the system. */
export const startWorld = async (options: WorldOptions): Promise<World> => {
  const { profile, random, partners } = options;
  // Powertools would print every log line and metric of every invocation.
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
  process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
  const scratch = options.stores
    ? undefined
    : await startScratchStores({ prefix: 'creditline-sim-', database: 'creditline_sim' });
  const endpoints = options.stores ?? {
    dynamodb: scratch?.dynamo.endpoint ?? '',
    s3: scratch?.s3.endpoint ?? '',
    databaseUrl: scratch?.databaseUrl ?? '',
    tablePrefix: 'creditline-sim-',
  };
  const tables = tableNames(endpoints.tablePrefix);
  const buckets = {
    deposits: `${endpoints.tablePrefix}deposits`.toLowerCase(),
    reports: `${endpoints.tablePrefix}reports`.toLowerCase(),
  };
  const setupDynamo = new DynamoDBClient({
    region: localRegion,
    credentials: localCredentials,
    endpoint: endpoints.dynamodb,
  });
  await ensureTables(setupDynamo, tables);
  setupDynamo.destroy();
  const setupS3 = new S3Client({
    region: localRegion,
    endpoint: endpoints.s3,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  });
  for (const bucket of Object.values(buckets))
    await setupS3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  setupS3.destroy();

  // The local queues and the Pipe persist every change to disk; in memory when the machine offers it.
  const workDir = mkdtempSync(
    join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'creditline-sim-work-'),
  );
  const faultLog = createFaultLog();
  const injector = createInjector(faultLog);
  const aurora: AuroraSwitch = { down: false };
  const clock = createSimClock();
  const receiver = await startWebhookReceiver({
    partners,
    random: random.fork('webhooks'),
    profile,
    injector,
    lateMs: 400,
  });
  const system = await startSystem({
    endpoints: {
      dynamodb: endpoints.dynamodb,
      s3: endpoints.s3,
      databaseUrl: endpoints.databaseUrl,
    },
    tables,
    buckets,
    workDir,
    partners,
    profile,
    injector,
    aurora,
    clock,
    random: random.fork('faults'),
    receiver,
    // Queue time 20× faster: visibility timeouts (1.5 s for callbacks) stay above a batch's duration on a loaded machine.
    timeScale: 0.05,
    callbackTimeoutMs: 250,
    planted: createPlanted(
      options.plant,
      partners.map((partner) => partner.id),
    ),
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
  });

  return {
    system,
    receiver,
    injector,
    aurora,
    clock,
    faultLog,
    stop: async () => {
      await system.stop();
      await receiver.stop();
      rmSync(workDir, { recursive: true, force: true });
      await scratch?.stop();
    },
  };
};
