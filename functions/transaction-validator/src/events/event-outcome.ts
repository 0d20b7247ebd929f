import type { Logger } from '@aws-lambda-powertools/logger';
import { RetryableStoreError } from '@creditline/domain';
import type { AuthorizeOutcome } from '../authorize.js';

/** Where an event came from, for the log line that reports it. */
export interface EventOrigin {
  readonly id: string;
  readonly source: string;
}

/**
 * A decision needs nothing more (its stream record carries it to the callback). A refused
 * event is logged with what was wrong; the partner never hears of it, so the log is where an
 * operator finds it. Spent attempts throw, so Lambda's async retries (then the failure
 * destination) keep the request rather than drop it.
 */
export const reportEventOutcome = (
  outcome: AuthorizeOutcome,
  origin: EventOrigin,
  logger: Logger,
): void => {
  switch (outcome.type) {
    case 'decided':
      logger.debug('event decided', {
        event_id: origin.id,
        transaction_id: outcome.decision.transaction_id,
        replay: outcome.replay,
      });
      return;
    case 'invalid':
      logger.error('refused a TransactionRequested event that cannot be decided', {
        event_id: origin.id,
        source: origin.source,
        details: outcome.details,
      });
      return;
    case 'invalid-callback-url':
      // Events are decided REJECTED INVALID_CALLBACK_URL instead; kept for a complete answer.
      logger.error('refused a TransactionRequested event for its callback_url', {
        event_id: origin.id,
        source: origin.source,
        message: outcome.message,
      });
      return;
    case 'duplicate':
      logger.warn(
        'refused a TransactionRequested event reusing a transaction_id for a different request',
        {
          event_id: origin.id,
          source: origin.source,
          transaction_id: outcome.transaction_id,
        },
      );
      return;
    case 'unavailable':
      throw new RetryableStoreError(
        'the account stayed contended through every attempt',
        'CONTENDED',
      );
  }
};
