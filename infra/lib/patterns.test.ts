import { describe, expect, it } from 'vitest';
import { matchesPattern, rules, type EventPattern } from '@creditline/adapters/definitions';
import { eventPatternJson } from './patterns.js';

const event = (source: string, detailType: string, detail: unknown = {}) => ({
  source,
  'detail-type': detailType,
  detail,
});

describe('event patterns', () => {
  it.each(rules.map((rule) => [rule.logicalName, rule] as const))(
    '%s renders to the JSON of its definition',
    (_name, rule) => {
      const json = eventPatternJson(rule.pattern);
      expect(JSON.parse(json)).toEqual(rule.pattern);
      expect(Object.keys(JSON.parse(json) as object)[0]).toBe('source');
    },
  );

  it('keeps the meaning: the rendered pattern matches what the definition matches', () => {
    const samples = [
      event('partner.acme-bank', 'TransactionRequested'),
      event('creditline.authorization', 'TransactionDecided', {
        callback_url: 'https://x.example',
      }),
      event('creditline.authorization', 'TransactionDecided', {}),
      event('creditline.deposits', 'DepositFileProcessed'),
      event('creditline.controls', 'BalanceLow', { change_id: 'c' }),
      event('creditline.controls', 'BalanceRestored', { change_id: 'c' }),
      event('creditline.controls', 'ControlsChanged'),
      event('partner.acme-bank', 'BalanceLow'),
    ];
    for (const rule of rules) {
      const rendered = JSON.parse(eventPatternJson(rule.pattern)) as EventPattern;
      for (const sample of samples)
        expect(matchesPattern(rendered, sample)).toBe(matchesPattern(rule.pattern, sample));
    }
  });

  it('sorts detail fields so the rendering is stable', () => {
    expect(eventPatternJson({ detail: { b: ['1'], a: [{ exists: true }] } })).toBe(
      '{"detail":{"a":[{"exists":true}],"b":["1"]}}',
    );
  });
});
