import type { QueueAdmin } from '@creditline/domain';
import type { LocalQueue } from './local-queue.js';

/** The queue-admin port over the local runtime's queues (the `creditline dlq` commands locally). */
export const createLocalQueueAdmin = (queues: readonly LocalQueue[]): QueueAdmin => {
  const byName = new Map(queues.map((queue) => [queue.definition.logicalName, queue]));
  const queueNamed = (name: string): LocalQueue => {
    const queue = byName.get(name);
    if (!queue)
      throw new Error(`unknown queue "${name}": expected one of ${[...byName.keys()].join(', ')}`);
    return queue;
  };
  return {
    queueNames: [...byName.keys()],
    // Executors turn an unknown name into a rejection, as an SQS call would be.
    listDeadLetters: (name, limit) =>
      new Promise((resolve) => resolve(queueNamed(name).listDeadLetters(limit))),
    redriveDeadLetters: (name) =>
      new Promise((resolve) => resolve({ moved: queueNamed(name).redriveDeadLetters() })),
  };
};
