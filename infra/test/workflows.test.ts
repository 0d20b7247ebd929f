import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../lib/paths.js';

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  readonly environment?: string;
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly strategy?: { readonly matrix?: { readonly node?: readonly number[] } };
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

const workflow = (name: string): { text: string; parsed: Workflow } => {
  const text = readFileSync(join(repoRoot, '.github', 'workflows', name), 'utf8');
  return { text, parsed: parse(text) as Workflow };
};
const pulumiSteps = (job: Job): Step[] =>
  job.steps.filter((step) => step.uses?.startsWith('pulumi/actions'));

describe('CI workflows', () => {
  it('previews pull requests through OIDC only: no long-lived Pulumi token or AWS key', () => {
    const { text, parsed } = workflow('pull-request.yml');
    const preview = parsed.jobs['preview'];
    expect(preview?.permissions?.['id-token']).toBe('write');
    const uses = preview?.steps.map((step) => step.uses?.split('@')[0]);
    expect(uses).toEqual(
      expect.arrayContaining(['pulumi/auth-actions', 'aws-actions/configure-aws-credentials']),
    );
    // The token exchange comes before the first Pulumi command.
    expect(uses?.indexOf('pulumi/auth-actions')).toBeLessThan(
      uses?.indexOf('pulumi/actions') ?? -1,
    );
    for (const name of ['pull-request.yml', 'main.yml', 'deploy-prod.yml']) {
      const file = workflow(name).text;
      expect(file, name).not.toMatch(
        /secrets\.PULUMI_ACCESS_TOKEN|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/,
      );
    }
    expect(text).toContain('requested-token-type: urn:pulumi:token-type:access_token:organization');
  });

  it('deploys prod only by hand, from main, in the protected prod environment', () => {
    const { parsed } = workflow('deploy-prod.yml');
    expect(Object.keys(parsed.on)).toEqual(['workflow_dispatch']);
    const job = parsed.jobs['deploy-prod'];
    expect(job?.environment).toBe('prod');
    expect(job?.if).toBe("github.ref == 'refs/heads/main'");
    expect(
      pulumiSteps(job as Job).map((step) => [step.with?.['command'], step.with?.['stack-name']]),
    ).toEqual([
      ['preview', 'prod'],
      ['up', 'prod'],
    ]);
    // Nothing else deploys prod.
    for (const name of ['pull-request.yml', 'main.yml'])
      for (const job of Object.values(workflow(name).parsed.jobs))
        for (const step of pulumiSteps(job))
          if (step.with?.['command'] === 'up')
            expect(step.with['stack-name'], name).not.toBe('prod');
  });

  it('checks on Node 20 and on Node 22, the Lambda runtime', () => {
    for (const name of ['pull-request.yml', 'main.yml'])
      expect(workflow(name).parsed.jobs['checks']?.strategy?.matrix?.node, name).toEqual([20, 22]);
  });
});
