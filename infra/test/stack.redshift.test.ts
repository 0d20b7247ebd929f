import { describe, expect, it } from 'vitest';
import { allFunctionNames } from '../lib/catalog.js';
import { redshiftSchema } from '../lib/config.js';
import { firehoseForceNewInputs, replaceSafeName } from '../lib/replace-safe.js';
import { auditPrefix, redshiftStagingPrefix } from '../lib/storage.js';
import { readStackConfig, runMocked } from '../testing/run.js';

/** Prod with the optional Redshift delivery switched on. */
describe('audit stream with Redshift delivery', () => {
  it('COPYs into Redshift and still writes every record to the date-partitioned audit prefix', async () => {
    const base = readStackConfig('prod');
    const redshift = redshiftSchema.parse({
      jdbcUrl: 'jdbc:redshift://analytics.abc123.eu-west-1.redshift.amazonaws.com:5439/audit',
      table: 'creditline.decisions',
      secretArn:
        'arn:aws:secretsmanager:eu-west-1:210987654322:secret:creditline/prod/redshift-firehose-Zz99Yy',
    });
    const run = await runMocked({
      stack: 'prod',
      config: { ...base, redshift },
      available: allFunctionNames,
      migrations: [],
    });
    const stream = run.resources.find(
      (r) => r.type === 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream',
    );
    expect(stream?.inputs).toMatchObject({
      destination: 'redshift',
      redshiftConfiguration: {
        clusterJdbcurl: redshift.jdbcUrl,
        dataTableName: 'creditline.decisions',
        secretsManagerConfiguration: { enabled: true, secretArn: redshift.secretArn },
        s3Configuration: { prefix: redshiftStagingPrefix, compressionFormat: 'GZIP' },
        s3BackupMode: 'Enabled',
        s3BackupConfiguration: { prefix: auditPrefix, compressionFormat: 'GZIP' },
      },
    });
    const policy = run.resources.find(
      (r) => r.type === 'aws:iam/rolePolicy:RolePolicy' && r.name === 'audit-delivery',
    );
    expect(String(policy?.inputs['policy'])).toContain(redshift.secretArn);
    expect(
      run.resources.find((r) => r.name === 'audit-delivery-failures')?.inputs['metricName'],
    ).toBe('DeliveryToRedshift.Success');
    // Flipping creditline:redshift replaces the stream: the new one gets another name, so the
    // create does not collide with the stream it replaces.
    const s3Name = replaceSafeName('creditline-prod-audit', firehoseForceNewInputs('extended_s3'));
    expect(stream?.inputs['name']).toBe(
      replaceSafeName('creditline-prod-audit', firehoseForceNewInputs('redshift')),
    );
    expect(stream?.inputs['name']).not.toBe(s3Name);
  });
});
