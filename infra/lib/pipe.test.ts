import { describe, expect, it } from 'vitest';
import { decidedDetailSchema } from '@creditline/adapters/outbox/decided-detail';
import { transactionLogTable } from '@creditline/adapters/definitions';
import {
  outboxFilterPattern,
  outboxInputTemplate,
  outboxStreamViewType,
  outboxTarget,
  passesOutboxFilter,
  renderInputTemplate,
} from './pipe.js';

/** A TransactionLog stream record as DynamoDB Streams delivers it to the Pipe. */
const record = (
  eventName: string,
  image: Record<string, unknown> = {},
): Record<string, unknown> => ({
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: {
    Keys: { pk: { S: 'acme-bank#tx-1' } },
    NewImage: {
      pk: { S: 'acme-bank#tx-1' },
      partner_id: { S: 'acme-bank' },
      transaction_id: { S: 'tx-1' },
      user_id: { S: 'user-1' },
      amount: { N: '1250' },
      status: { S: 'PERMITTED' },
      reason: { NULL: true },
      remaining_credit: { N: '8750' },
      decided_at: { S: '2025-01-01T10:00:00.000Z' },
      settlement_state: { S: 'PENDING#03' },
      state: { S: 'DECIDED' },
      ...image,
    },
    OldImage: { transaction_id: { S: 'tx-1' }, state: { S: 'CLAIMED' } },
  },
});

describe('outbox pipe (from the shared outbox mapping)', () => {
  it('publishes the CLAIMED -> DECIDED change only, as TransactionDecided from creditline.authorization', () => {
    expect(JSON.parse(outboxFilterPattern)).toMatchObject({ eventName: ['MODIFY'] });
    const state = (s: string) => ({ state: { S: s } });
    expect(
      passesOutboxFilter({
        eventName: 'MODIFY',
        dynamodb: { OldImage: state('CLAIMED'), NewImage: state('DECIDED') },
      }),
    ).toBe(true);
    expect(
      passesOutboxFilter({ eventName: 'INSERT', dynamodb: { NewImage: state('CLAIMED') } }),
    ).toBe(false);
    expect(
      passesOutboxFilter({
        eventName: 'MODIFY',
        dynamodb: { OldImage: state('CLAIMED'), NewImage: state('CLAIMED') },
      }),
    ).toBe(false);
    expect(
      passesOutboxFilter({
        eventName: 'MODIFY',
        dynamodb: { OldImage: state('DECIDED'), NewImage: state('DECIDED') },
      }),
    ).toBe(false);
    expect(outboxTarget).toEqual({
      source: 'creditline.authorization',
      detailType: 'TransactionDecided',
    });
    expect(outboxStreamViewType).toBe(transactionLogTable.stream);
  });

  it('renders a PERMIT with a callback into a detail the consumers accept, amounts as integer cents', () => {
    const text = renderInputTemplate(
      outboxInputTemplate,
      record('MODIFY', {
        callback_url: { S: 'https://callbacks.acme-bank.example/d' },
        partner_id: { S: 'acme-bank' },
        currency: { S: 'USD' },
      }),
    );
    const detail = decidedDetailSchema.parse(JSON.parse(text));
    expect(detail).toMatchObject({
      transaction_id: 'tx-1',
      amount: 1250,
      remaining_credit: 8750,
      reason: null,
      callback_url: 'https://callbacks.acme-bank.example/d',
    });
  });

  it('renders a REJECT without optional attributes: blanks read as absent', () => {
    const raw = JSON.parse(
      renderInputTemplate(
        outboxInputTemplate,
        record('MODIFY', { status: { S: 'REJECTED' }, reason: { S: 'INSUFFICIENT_FUNDS' } }),
      ),
    ) as Record<string, unknown>;
    expect(raw['callback_url']).toBe('');
    const detail = decidedDetailSchema.parse(raw);
    expect(detail.callback_url).toBeUndefined();
    expect(detail.reason).toBe('INSUFFICIENT_FUNDS');
  });

  it('uses bare placeholders for numbers and quoted ones for strings', () => {
    expect(outboxInputTemplate).toContain('"amount": <$.dynamodb.NewImage.amount.N>');
    expect(outboxInputTemplate).toContain(
      '"transaction_id": "<$.dynamodb.NewImage.transaction_id.S>"',
    );
  });
});
