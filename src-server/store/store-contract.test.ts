/**
 * One contract, two backends: the same store cases against SQLite on a real file and against a real
 * throwaway PostgreSQL started by the test (skipped, saying why, only where PostgreSQL is not installed).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { postgresUnavailableReason, startTestPostgres, type TestPostgres } from '../../e2e/support/postgres';
import { openPgTeamStore } from './pg-store';
import { openSqliteTeamStore } from './sqlite-store';
import { storeContract } from './store-contract';

describe('TeamStore contract: SQLite', () => {
  storeContract({
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'sidekick-contract-'));
      return { store: openSqliteTeamStore(dir), reopen: async () => openSqliteTeamStore(dir) };
    },
  });
});

const pgSkip = postgresUnavailableReason();
if (pgSkip) console.warn(`PostgreSQL store contract skipped: ${pgSkip}`);

describe.skipIf(pgSkip)('TeamStore contract: PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  storeContract({
    async open() {
      const url = await server.createDatabase();
      return { store: await openPgTeamStore(url), reopen: () => openPgTeamStore(url) };
    },
  });
});
