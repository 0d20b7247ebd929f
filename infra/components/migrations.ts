import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { DeployedFunction } from './functions.js';

export interface MigrationsArgs {
  readonly migrator: DeployedFunction;
  /** Hash of the migration files: a new or edited file re-invokes the migrator. */
  readonly migrationsHash: string;
  readonly migrationFiles: readonly string[];
  /** `{ role: secretArn }`: a new role secret re-invokes the migrator too (it sets passwords). */
  readonly roleSecretArns: pulumi.Input<Record<string, string>>;
  /** The database must accept Data API calls before the migrator runs. */
  readonly database: pulumi.Resource;
}

/**
 * Applies the schema on deploy: invokes the migrator whenever the migrations (or the function
 * roles) change. The application's functions depend on this invocation (see `Functions`), so a
 * deploy that brings new code and a new migration runs the migration first, and a failed
 * migration leaves the old code serving.
 */
export class Migrations extends pulumi.ComponentResource {
  readonly invocation: aws.lambda.Invocation;

  constructor(name: string, args: MigrationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:database:Migrations', name, {}, opts);
    const roles = pulumi
      .output(args.roleSecretArns)
      .apply((map) => Object.keys(map).sort().join(','));
    this.invocation = new aws.lambda.Invocation(
      'migrate',
      {
        functionName: args.migrator.fn.name,
        input: roles.apply((roleList) =>
          JSON.stringify({
            migrationsHash: args.migrationsHash,
            files: args.migrationFiles,
            roles: roleList.split(','),
          }),
        ),
        triggers: { migrations: args.migrationsHash, roles },
      },
      { parent: this, dependsOn: [args.database, args.migrator.fn] },
    );
    this.registerOutputs({ result: this.invocation.result });
  }
}
