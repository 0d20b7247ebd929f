import { apiErrorBodySchema } from '@creditline/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandler } from '../create-handler.js';
import { createPartnerIdentity } from '@creditline/adapters/identity/partner-identity';
import {
  FIXTURE_ACME_ACCOUNT,
  FIXTURE_CREDITLINE_ACCOUNT,
  httpEvent,
  roleSessionCaller,
} from '../fixtures/test-events.js';
import {
  acmePartner,
  createValidatorHarness,
  globexPartner,
  type ValidatorHarness,
} from '../fixtures/validator-harness.js';

/**
 * Who a verified HTTP caller is, decided by the real handler over the real stores: each row is a
 * principal as API Gateway's IAM authorizer reports it, and the partner the request must be
 * attributed to (or none: 403 on every route, nothing read, nothing written).
 */
const routes = [
  {
    method: 'POST',
    path: '/v1/transactions',
    body: { transaction_id: 'tx-id-1', user_id: 'user-42', amount: '1.00' },
  },
  { method: 'GET', path: '/v1/transactions/tx-id-1' },
  { method: 'GET', path: '/v1/users/user-42/balance' },
  // A path no route has: refused before routing, so a stranger cannot even map the API.
  { method: 'GET', path: '/v1/nothing-here' },
] as const;

const session = roleSessionCaller;
const principals: readonly {
  name: string;
  caller: Record<string, unknown> | null;
  partner: string | null;
}[] = [
  { name: "acme's role session", caller: session('creditline-dev-partner-acme'), partner: 'acme' },
  {
    name: "acme's role, another session name",
    caller: session('creditline-dev-partner-acme', 'batch-7'),
    partner: 'acme',
  },
  {
    name: "globex's role session",
    caller: session('creditline-dev-partner-globex', 'gx'),
    partner: 'globex',
  },
  {
    name: "an unknown role in creditline's account",
    caller: session('creditline-dev-partner-initech'),
    partner: null,
  },
  {
    name: "creditline's own validator role",
    caller: session('creditline-dev-transaction-validator', 'i-0abc'),
    partner: null,
  },
  {
    name: "acme's role name in another account",
    caller: session('creditline-dev-partner-acme', 'acme-payments', '999988887777'),
    partner: null,
  },
  {
    name: 'an IAM user, not a role session',
    caller: {
      accountId: FIXTURE_CREDITLINE_ACCOUNT,
      callerId: 'AIDACKCEVSQ6C2EXAMPLE',
      userArn: `arn:aws:iam::${FIXTURE_CREDITLINE_ACCOUNT}:user/acme`,
    },
    partner: null,
  },
  {
    name: "the role's own ARN instead of a session",
    caller: { accountId: FIXTURE_CREDITLINE_ACCOUNT, userArn: acmePartner.roleArn },
    partner: null,
  },
  {
    name: 'a session ARN whose caller id names another session',
    caller: {
      ...session('creditline-dev-partner-acme'),
      callerId: 'AROA3XFRBF23EXAMPLE1:someone-else',
    },
    partner: null,
  },
  {
    name: 'a session ARN whose account disagrees',
    caller: { ...session('creditline-dev-partner-acme'), accountId: '999988887777' },
    partner: null,
  },
  {
    name: 'a malformed ARN',
    caller: { userArn: 'arn:aws:sts::12345:assumed-role/creditline-dev-partner-acme/x' },
    partner: null,
  },
  { name: 'not an ARN at all', caller: { userArn: 'acme' }, partner: null },
  { name: 'an empty principal', caller: { userArn: '' }, partner: null },
  { name: 'an authorizer context without a principal', caller: {}, partner: null },
  { name: 'no authorizer context', caller: null, partner: null },
];

describe('the principal → partner mapping, on the real handler', () => {
  let harness: ValidatorHarness;
  afterEach(async () => {
    await harness.drop();
  });

  it.each(principals)(
    '$name: every route answers as its partner, or 403 UNKNOWN_PRINCIPAL',
    async ({ caller, partner }) => {
      // Prepare: both partners have a user-42 with their own credit
      harness = await createValidatorHarness({ partners: [acmePartner, globexPartner] });
      await harness.seedCache({
        user_id: 'user-42',
        available: 5_000,
        version: 0,
        partner_id: 'acme',
      });
      await harness.seedCache({
        user_id: 'user-42',
        available: 7_000,
        version: 0,
        partner_id: 'globex',
      });
      const handle = createHandler(harness.deps);

      // Act: every route in turn (POST first, so the GET finds a decision when there is a partner)
      const responses = [];
      for (const route of routes) {
        responses.push(
          await handle(
            httpEvent({
              method: route.method,
              path: route.path,
              caller,
              ...('body' in route ? { body: route.body } : {}),
            }),
          ),
        );
      }

      // Assess
      const [posted, decision, balance, unrouted] = responses;
      if (partner === null) {
        for (const response of responses) {
          expect(response?.statusCode).toBe(403);
          expect(apiErrorBodySchema.parse(JSON.parse(response?.body ?? '')).error.code).toBe(
            'UNKNOWN_PRINCIPAL',
          );
        }
        expect(harness.sent).toEqual([]);
        expect(await harness.logItems()).toEqual([]);
        return;
      }
      const credit = partner === 'acme' ? 5_000 : 7_000;
      expect(posted?.statusCode).toBe(200);
      expect(JSON.parse(posted?.body ?? '')).toMatchObject({
        status: 'PERMITTED',
        remaining_credit: credit - 100,
      });
      expect(decision?.statusCode).toBe(200);
      expect(JSON.parse(balance?.body ?? '')).toMatchObject({ available: credit - 100 });
      expect(unrouted?.statusCode).toBe(404);
      expect(await harness.logItems()).toMatchObject([
        { transaction_id: 'tx-id-1', partner_id: partner },
      ]);
      const other = partner === 'acme' ? 'globex' : 'acme';
      expect(await harness.cacheItem('user-42', other)).toMatchObject({
        available: other === 'acme' ? 5_000 : 7_000,
      });
    },
  );
});

describe('the partner mapping itself', () => {
  it('refuses a configuration where two partners claim one role or one event origin', () => {
    // Prepare / Act / Assess
    expect(() =>
      createPartnerIdentity([acmePartner, { ...globexPartner, roleArn: acmePartner.roleArn }]),
    ).toThrow(/share the role/);
    expect(() =>
      createPartnerIdentity([
        acmePartner,
        {
          ...globexPartner,
          eventSource: acmePartner.eventSource,
          eventAccountId: acmePartner.eventAccountId,
        },
      ]),
    ).toThrow(/share the event source/);
  });

  it.each([
    ['partner.acme', FIXTURE_ACME_ACCOUNT, 'acme'],
    ['partner.globex', '444455556666', 'globex'],
    ['partner.acme', '444455556666', undefined],
    ['partner.globex', FIXTURE_ACME_ACCOUNT, undefined],
    ['partner.initech', FIXTURE_ACME_ACCOUNT, undefined],
    ['creditline.authorization', FIXTURE_CREDITLINE_ACCOUNT, undefined],
  ])('attributes an event from %s in account %s to %s', (source, account, partner) => {
    // Prepare / Act / Assess
    expect(createPartnerIdentity([acmePartner, globexPartner]).ofEvent(source, account)).toBe(
      partner,
    );
  });
});
