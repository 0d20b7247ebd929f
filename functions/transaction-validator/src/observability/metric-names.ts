/** The TransactionValidator's CloudWatch metrics (namespace `creditline`). */
export const metricNames = {
  /** ms from a request's arrival at the use-case to its answer (decided, conflict or 503). */
  decisionLatency: 'DecisionLatency',
  permitted: 'Permitted',
  /** With a `reason` dimension: one series per reject reason. */
  rejected: 'Rejected',
  /** A claim moved to a new attempt: a retry after an expired lease, or a debit whose outcome was unknown. */
  claimTakeOvers: 'ClaimTakeOvers',
  /** 503s: the store throttled or did not answer within the request's deadline. */
  serviceUnavailable: 'ServiceUnavailable',
  /** Requests refused as invalid (HTTP 400, or an event that could not be decided). */
  invalidRequests: 'InvalidRequests',
  /** A transaction_id reused for a different request (HTTP 409, or a dropped event). */
  duplicateTransactionIds: 'DuplicateTransactionIds',
  /** Invocations that were neither an HTTP API request nor a TransactionRequested event. */
  unrecognizedEvents: 'UnrecognizedEvents',
  /** HTTP requests whose verified principal is no partner's (403 UNKNOWN_PRINCIPAL). */
  unknownPrincipals: 'UnknownPrincipals',
  /** TransactionRequested events whose source and account are not one partner's: dropped. */
  unattributedEvents: 'UnattributedEvents',
  /** Requests over the partner's rate limit (HTTP 429, or an event handed back for a later retry). */
  rateLimited: 'RateLimited',
  /** Requests refused for their callback_url (HTTP 400 INVALID_CALLBACK_URL). */
  invalidCallbackUrls: 'InvalidCallbackUrls',
} as const;
