import { FirehoseClient, type FirehoseClientConfig } from '@aws-sdk/client-firehose';

/** One Firehose client per cold start; `AWS_ENDPOINT_URL_FIREHOSE` or `config` points it elsewhere in tests. */
export const createFirehoseClient = (config: FirehoseClientConfig = {}): FirehoseClient =>
  new FirehoseClient({ maxAttempts: 3, ...config });
