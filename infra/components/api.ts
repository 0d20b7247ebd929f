import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackPartner } from '../lib/config.js';
import type { Naming } from '../lib/naming.js';
import { partnerRoleName } from '../lib/partners.js';
import {
  partnerApiPolicy,
  partnerInboxPolicy,
  partnerTrustPolicy,
  toJson,
} from '../lib/policies.js';
import { accessLogFormat, apiRoutes, routeArn, routeKey, routeSlug } from '../lib/routes.js';

export interface ApiArgs {
  readonly naming: Naming;
  readonly validator: aws.lambda.Function;
  readonly partners: readonly StackPartner[];
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetentionDays: number;
  readonly keyArn: pulumi.Input<string>;
  /** The deposits bucket: each partner's role may upload under its own `inbox/<partner_id>/`. */
  readonly depositsBucketArn: pulumi.Input<string>;
  readonly region: string;
}

const stageName = '$default';

/**
 * The partners' HTTP API: three routes to the TransactionValidator, IAM-authorized, throttled,
 * with JSON access logs. HTTP APIs have no resource policy, so each partner gets a role in this
 * account (assumable from the partner's account with its external id) that may invoke the
 * routes and nothing else.
 */
export class Api extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  readonly url: pulumi.Output<string>;
  readonly partnerRoles: Readonly<Record<string, aws.iam.Role>>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:api:Api', name, {}, opts);
    const parent = { parent: this };
    const { naming } = args;

    this.api = new aws.apigatewayv2.Api(
      'http',
      {
        name: naming.name('api'),
        protocolType: 'HTTP',
        description: 'creditline partner API (IAM-authorized)',
      },
      parent,
    );
    const accessLogs = new aws.cloudwatch.LogGroup(
      'api-access',
      {
        name: `/aws/apigateway/${naming.name('api')}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.keyArn,
      },
      parent,
    );
    this.stage = new aws.apigatewayv2.Stage(
      'default',
      {
        apiId: this.api.id,
        name: stageName,
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.throttling.rateLimit,
          throttlingBurstLimit: args.throttling.burstLimit,
          detailedMetricsEnabled: true,
        },
        accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat },
      },
      parent,
    );
    const integration = new aws.apigatewayv2.Integration(
      'validator',
      {
        apiId: this.api.id,
        integrationType: 'AWS_PROXY',
        integrationUri: args.validator.arn,
        payloadFormatVersion: '2.0',
        timeoutMilliseconds: 10_000,
      },
      parent,
    );
    for (const route of apiRoutes) {
      const slug = routeSlug(route);
      new aws.apigatewayv2.Route(
        slug,
        {
          apiId: this.api.id,
          routeKey: routeKey(route),
          authorizationType: 'AWS_IAM',
          target: pulumi.interpolate`integrations/${integration.id}`,
        },
        parent,
      );
      new aws.lambda.Permission(
        `api-${slug}`,
        {
          action: 'lambda:InvokeFunction',
          function: args.validator.name,
          principal: 'apigateway.amazonaws.com',
          sourceArn: this.api.executionArn.apply((arn) => routeArn(arn, '*', route)),
        },
        parent,
      );
    }

    const roles: Record<string, aws.iam.Role> = {};
    for (const partner of args.partners) {
      const role = new aws.iam.Role(
        `partner-${partner.id}`,
        {
          name: partnerRoleName(naming, partner.id),
          description: `Partner ${partner.id}: may call the creditline API and upload to its inbox`,
          assumeRolePolicy: toJson(
            partnerTrustPolicy(partner.accountId, partner.externalId, partner.principalArns),
          ),
          maxSessionDuration: 3600,
        },
        parent,
      );
      new aws.iam.RolePolicy(
        `partner-${partner.id}`,
        {
          name: 'invoke-api',
          role: role.id,
          policy: this.api.executionArn.apply((arn) =>
            toJson(partnerApiPolicy(apiRoutes.map((route) => routeArn(arn, stageName, route)))),
          ),
        },
        { parent: role },
      );
      new aws.iam.RolePolicy(
        `partner-${partner.id}-inbox`,
        {
          name: 'deposit-inbox',
          role: role.id,
          policy: pulumi
            .all([args.depositsBucketArn, args.keyArn])
            .apply(([depositsBucket, dataKey]) =>
              toJson(
                partnerInboxPolicy({
                  depositsBucket,
                  dataKey,
                  region: args.region,
                  partnerId: partner.id,
                }),
              ),
            ),
        },
        { parent: role },
      );
      roles[partner.id] = role;
    }
    this.partnerRoles = roles;

    this.url = this.api.apiEndpoint;
    this.registerOutputs({ url: this.url });
  }
}
