import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { DeployedFunction } from './functions.js';

export interface MigrationsArgs {
  readonly migrator: DeployedFunction;
  /** Hash of the migration files: a new or edited file re-invokes the migrator. */
  readonly migrationsHash: string;
  readonly migrationFiles: readonly string[];
  /** The database must accept Data API calls before the migrator runs. */
  readonly database: pulumi.Resource;
}

/** Applies the schema on deploy: invokes the migrator whenever the migrations change. */
export class Migrations extends pulumi.ComponentResource {
  readonly invocation: aws.lambda.Invocation;

  constructor(name: string, args: MigrationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:database:Migrations', name, {}, opts);
    this.invocation = new aws.lambda.Invocation(
      'migrate',
      {
        functionName: args.migrator.fn.name,
        input: JSON.stringify({ migrationsHash: args.migrationsHash, files: args.migrationFiles }),
        triggers: { migrations: args.migrationsHash },
      },
      { parent: this, dependsOn: [args.database, args.migrator.fn] },
    );
    this.registerOutputs({ result: this.invocation.result });
  }
}
