import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';

/** One EventBridge client per cold start; `AWS_ENDPOINT_URL_EVENTBRIDGE` points it elsewhere in tests. */
export const createEventBridgeClient = (config: EventBridgeClientConfig = {}): EventBridgeClient =>
  new EventBridgeClient({ maxAttempts: 3, ...config });
