import type { IncomingHttpHeaders, Server } from 'node:http';

/** Types of the documented JavaScript example, for the test that runs it. */
export declare const verifyCreditlineWebhook: (rawBody: string, headers: IncomingHttpHeaders | Record<string, string>, secrets: readonly string[]) => unknown;
export declare const createWebhookEndpoint: (secrets: readonly string[], onDecision: (id: string, decision: unknown) => void) => Server;
