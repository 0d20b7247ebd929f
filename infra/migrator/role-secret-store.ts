import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { RoleSecretStore } from './role-credentials.js';

const credentialsSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

/** The role secrets in Secrets Manager: a secret created without a value reads as null. */
export const createRoleSecretStore = (client: SecretsManagerClient): RoleSecretStore => ({
  async read(secretArn) {
    try {
      const { SecretString } = await client.send(
        new GetSecretValueCommand({ SecretId: secretArn }),
      );
      return SecretString === undefined ? null : credentialsSchema.parse(JSON.parse(SecretString));
    } catch (error) {
      // "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
      if (error instanceof ResourceNotFoundException) return null;
      throw error;
    }
  },
  async write(secretArn, value) {
    await client.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: value }));
  },
});
