/** An event for the creditline bus (EventBridge in AWS, the in-process bus locally). */
export interface BusEvent<Detail = unknown> {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Detail;
  readonly time?: Date;
}

export interface EventPublisher {
  /** Publishes every event or throws; partial failures are retried inside the adapter. */
  publish(events: readonly BusEvent[]): Promise<void>;
}
