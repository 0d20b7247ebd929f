import type { BusEvent } from '@creditline/domain';
import { describe, expect, it } from 'vitest';
import { lazyEventPublisher } from './lazy-event-publisher.js';

describe('lazyEventPublisher', () => {
  it('builds the publisher on the first publish, once, and hands it every batch', async () => {
    // Prepare
    const published: (readonly BusEvent[])[] = [];
    let builds = 0;
    const publisher = lazyEventPublisher(() => {
      builds += 1;
      return Promise.resolve({
        publish: (events: readonly BusEvent[]) => {
          published.push(events);
          return Promise.resolve();
        },
      });
    });
    const event: BusEvent = {
      source: 'creditline',
      detailType: 'ControlsChanged',
      detail: { a: 1 },
    };
    const beforeFirstPublish = builds;

    // Act
    await Promise.all([publisher.publish([event]), publisher.publish([event, event])]);

    // Assess
    expect(beforeFirstPublish).toBe(0);
    expect(builds).toBe(1);
    expect(published.map((events) => events.length).sort()).toEqual([1, 2]);
  });
});
