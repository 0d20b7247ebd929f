import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { databaseRoles, databaseUsers, type DatabaseUser } from '../lib/database-roles.js';
import type { Naming } from '../lib/naming.js';

export interface DatabaseCredentialsArgs {
  readonly naming: Naming;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly deletionProtection: boolean;
}

/**
 * One Secrets Manager secret per function database role, on the data key. The program creates
 * each secret empty; the migrator sets the role's password and stores it (so no password is
 * in Pulumi's state). Names are prefixes: a secret that is deleted stays reserved for its
 * recovery window, and a replacement must not collide with it.
 */
export class DatabaseCredentials extends pulumi.ComponentResource {
  readonly secrets: Readonly<Record<DatabaseUser, aws.secretsmanager.Secret>>;
  /** `{ role: secretArn }`, the migrator's DB_ROLE_SECRETS. */
  readonly roleSecretArns: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: DatabaseCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:database:DatabaseCredentials', name, {}, opts);
    const secrets = {} as Record<DatabaseUser, aws.secretsmanager.Secret>;
    for (const user of databaseUsers) {
      const { role, access } = databaseRoles[user];
      secrets[user] = new aws.secretsmanager.Secret(
        `db-${user}`,
        {
          namePrefix: `${args.naming.prefix}db-${user}-`,
          description: `Aurora credentials of ${user} (role ${role}, ${access}); set by the migrator`,
          kmsKeyId: args.kmsKeyArn,
          recoveryWindowInDays: args.deletionProtection ? 30 : 7,
        },
        { parent: this },
      );
    }
    this.secrets = secrets;
    this.roleSecretArns = pulumi
      .all(databaseUsers.map((user) => secrets[user].arn))
      .apply((arns) =>
        Object.fromEntries(
          databaseUsers.map((user, i) => [databaseRoles[user].role, arns[i] ?? '']),
        ),
      );
    this.registerOutputs({ roleSecretArns: this.roleSecretArns });
  }
}
