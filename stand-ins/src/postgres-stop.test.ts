import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { isAlive } from './pid-file.js';
import { startPostgres } from './postgres.js';

describe('startPostgres().stop()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'creditline-postgres-stop-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user, who must enter it

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns when PostgreSQL was already stopped by the Ctrl-C that reached its process group', async () => {
    // Prepare
    const postgres = await startPostgres({ port: await freePort(), dataDir: join(dir, 'pg'), logFile: join(dir, 'pg.log'), durable: false });
    const pid = Number(readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGINT');
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    const outcome = await Promise.race([
      postgres.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000)),
    ]);

    // Assess
    expect(outcome).toBe('stopped');
  });
});
