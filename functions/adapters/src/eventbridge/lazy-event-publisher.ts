import type { EventPublisher } from '@creditline/domain';
import { loadOnce } from '../load-once.js';

/**
 * An EventPublisher built on its first publish, for a function that seldom publishes (the
 * TransactionValidator: ControlsChanged, when an operator sets controls): its cold start does
 * not load nor build the EventBridge client.
 */
export const lazyEventPublisher = (load: () => Promise<EventPublisher>): EventPublisher => {
  const publisher = loadOnce(load);
  return { publish: async (events) => (await publisher()).publish(events) };
};
