/**
 * The outbox Pipe (TransactionLog stream → bus) is derived from the shared outbox mapping in
 * @creditline/adapters: the same data the local stream poller applies, so the laptop and the
 * Pipe publish the same TransactionDecided. Only INSERTs pass the filter; the input template
 * turns the item's NewImage (DynamoDB JSON) into the detail (numbers bare, strings quoted; a
 * missing optional attribute renders as "" and consumers read it as absent).
 */
export {
  outboxFilterPattern,
  outboxInputTemplate,
  outboxTarget,
  outboxStreamViewType,
  passesOutboxFilter,
  transactionDecidedFields,
} from '@creditline/adapters/outbox/transaction-decided';
export { renderInputTemplate } from '@creditline/adapters/outbox/pipe-input-template';
