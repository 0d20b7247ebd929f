import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import type { FaultProfile } from './profile.js';
import type { Injector } from './scope.js';

/**
 * Faults at the AWS SDK boundary, as client middleware at the `initialize` step (above the
 * SDK's own retries: what they would have exhausted). The code under test sees exactly the
 * errors, and the answers, the SDK gives it on AWS.
 */
interface MiddlewareHost {
  readonly middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; name: string; priority: 'high' }): void;
  };
}

type Next = (args: unknown) => Promise<unknown>;
type Context = { readonly commandName?: string; readonly clientName?: string };

const WRITE = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;

/** A socket timeout as the SDK reports it: retryable, and nothing says whether the write landed. */
const timeoutError = (command: string): Error =>
  Object.assign(new Error(`sim: ${command} timed out after the request was sent`), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
    $metadata: {},
  });

const serverError = (command: string): Error =>
  Object.assign(new Error(`sim: ${command}: We encountered an internal error. Please try again.`), {
    name: 'InternalError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });

export const addDynamoDbFaults = (
  client: MiddlewareHost,
  injector: Injector,
  profile: FaultProfile,
  options: {
    /**
     * False for a client built with `maxAttempts: 1` (the validator's account operations): its
     * SDK never sends a request again, so a write cannot be applied twice by a retry; a lost
     * answer reaches the caller as the timeout it is.
     */
    readonly sdkRetries?: boolean;
  } = {},
): void => {
  const sdkRetries = options.sdkRetries ?? true;
  const middleware = (next: Next, context: Context) => async (args: unknown) => {
    const command = (context.commandName ?? 'command').replace(/Command$/, '');
    injector.beforeStoreCall(`DynamoDB ${command}`);
    const write = WRITE.test(command);
    if (injector.draw('dynamodb-throttle', profile.dynamoThrottle, command)) {
      throw new ProvisionedThroughputExceededException({
        message: 'sim: throughput exceeds the provisioned rate',
        $metadata: { httpStatusCode: 400 },
      });
    }
    if (injector.draw('dynamodb-5xx', profile.dynamo5xx, command)) {
      throw new InternalServerError({
        message: 'sim: internal server error',
        $metadata: { httpStatusCode: 500 },
      });
    }
    if (
      write &&
      injector.draw('dynamodb-transaction-conflict', profile.dynamoTransactionConflict, command)
    ) {
      if (command.startsWith('TransactWrite')) {
        const items =
          (args as { input?: { TransactItems?: unknown[] } }).input?.TransactItems ?? [];
        throw new TransactionCanceledException({
          message:
            'sim: Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: items.map((_, index) => ({
            Code: index === items.length - 1 ? 'TransactionConflict' : 'None',
          })),
        });
      }
      throw new TransactionConflictException({
        message: 'sim: transaction is ongoing for the item',
        $metadata: { httpStatusCode: 400 },
      });
    }
    if (
      write &&
      injector.draw('dynamodb-timeout-after-write', profile.dynamoTimeoutAfterWrite, command)
    ) {
      await next(args).catch(() => undefined);
      throw timeoutError(command);
    }
    if (
      write &&
      sdkRetries &&
      injector.draw('dynamodb-retried-after-write', profile.dynamoRetriedAfterWrite, command)
    ) {
      // The first answer is lost; the SDK sends the same request again and returns that answer.
      await next(args).catch(() => undefined);
      return next(args);
    }
    return next(args);
  };
  client.middlewareStack.add(middleware, {
    step: 'initialize',
    name: 'simDynamoDbFaults',
    priority: 'high',
  });
};

/** S3 and EventBridge: 5xx; writes may also time out after landing. */
export const addAwsFaults = (
  client: MiddlewareHost,
  service: string,
  injector: Injector,
  profile: FaultProfile,
): void => {
  const middleware = (next: Next, context: Context) => async (args: unknown) => {
    const command = (context.commandName ?? 'command').replace(/Command$/, '');
    injector.beforeStoreCall(`${service} ${command}`);
    if (injector.draw('aws-5xx', profile.aws5xx, `${service} ${command}`))
      throw serverError(`${service} ${command}`);
    return next(args);
  };
  client.middlewareStack.add(middleware, {
    step: 'initialize',
    name: `sim${service}Faults`,
    priority: 'high',
  });
};
