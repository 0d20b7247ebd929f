import { configPieces, envNames } from '@creditline/adapters/config/env';
import { monitorCallbackUrlProblems } from '@creditline/adapters/webhooks/callback-url-policy';
import { z } from 'zod';

/**
 * What the CallbackDispatcher reads from its environment. A partner's monitorCallbackUrl is
 * checked here against its allow-list under the stage's rules (infra checks the stack file the
 * same way before a deploy), so a bad one fails the cold start instead of every crossing.
 */
export const dispatcherConfigSchema = configPieces.stage
  .extend(configPieces.tables.shape)
  .extend(configPieces.webhooks.shape)
  .extend(configPieces.partners.shape)
  .extend({ [envNames.callbacksQueueUrl]: z.string().min(1) })
  .superRefine((config, ctx) => {
    for (const { index, message } of monitorCallbackUrlProblems(
      config[envNames.partners],
      config[envNames.stage],
    ))
      ctx.addIssue({
        code: 'custom',
        message,
        path: [envNames.partners, index, 'monitorCallbackUrl'],
      });
  });
export type DispatcherConfig = z.infer<typeof dispatcherConfigSchema>;
