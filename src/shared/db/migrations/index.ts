import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_init';
import * as m0002 from './0002_workbench_cursor';
import * as m0003 from './0003_tenant_four_eyes';
import * as m0004 from './0004_hitl_requests';

/**
 * Every migration, listed explicitly. A static import map (instead of Kysely's
 * FileMigrationProvider, which reads a folder at run time) works the same under tsx, jest and
 * compiled JavaScript. Names sort in the order they run; add new ones at the end.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_init': m0001,
  '0002_workbench_cursor': m0002,
  '0003_tenant_four_eyes': m0003,
  '0004_hitl_requests': m0004,
});

export class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly list: Readonly<Record<string, Migration>> = migrations) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...this.list };
  }
}
