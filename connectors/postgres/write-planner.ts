import type { PoolClient } from 'pg';
import { TributaryError } from '../../src/sdk/index.ts';
import { planTable, type Step } from './batch-plan.ts';
import { pgTypeForValue } from './column-type.ts';
import { ddlError } from './pg-error.ts';
import type { PostgresSinkConfig } from './config.ts';
import type { Refusal } from './record-mapper.ts';
import type { Row, RowOp } from './row-op.ts';
import type { NewColumn, TableCatalog, TableInfo } from './table-catalog.ts';

export interface TablePlan {
  table: TableInfo;
  /** Key the upserts conflict on and the deletes match; empty only in insert mode without deletes. */
  primaryKey: string[];
  steps: Step[];
}

/**
 * Gets the target tables ready for a batch and plans its statements: creates missing tables
 * (autoCreate), adds missing columns (autoEvolve), settles each table's primary key, and checks that
 * every operation has what it needs. Runs before the data transaction (DDL commits on its own).
 *
 * A record that cannot be written to the table as it is (a column the table lacks with autoEvolve
 * off, no value for a key column) is a refusal; a table the sink cannot use at all (missing with
 * autoCreate off, upsert mode without any primary key) is a CONFIG_INVALID error that stops the task.
 */
export class WritePlanner {
  constructor(
    private readonly catalog: TableCatalog,
    private readonly config: Pick<PostgresSinkConfig, 'schema' | 'mode' | 'autoCreate' | 'autoEvolve'>,
  ) {}

  async plan(client: PoolClient, ops: readonly RowOp[]): Promise<{ plans: TablePlan[]; refusals: Refusal[] }> {
    const byTable = new Map<string, RowOp[]>();
    for (const op of ops) {
      const list = byTable.get(op.table) ?? [];
      list.push(op);
      byTable.set(op.table, list);
    }
    const plans: TablePlan[] = [];
    const refusals: Refusal[] = [];
    for (const [name, tableOps] of byTable) {
      const plan = await this.planOne(client, name, tableOps, refusals);
      if (plan !== undefined) plans.push(plan);
    }
    return { plans, refusals };
  }

  private async planOne(client: PoolClient, name: string, ops: RowOp[], refusals: Refusal[]): Promise<TablePlan | undefined> {
    const { schema, mode } = this.config;
    let table = await this.catalog.get(client, name);
    const writes = ops.filter((op) => op.kind === 'upsert');
    if (table === undefined) {
      // Deletes against a table that does not exist have nothing to delete.
      if (writes.length === 0) return undefined;
      if (!this.config.autoCreate) {
        throw new TributaryError('CONFIG_INVALID', `writing to ${schema}.${name}: the table does not exist and autoCreate is off; create it or set autoCreate: true`, { retriable: false });
      }
      const pk = declaredKey(ops);
      fillScalarKeys(ops, pk);
      table = await this.catalog.create(client, name, newColumns(writes, new Set()), pk).catch((err: unknown) => {
        throw ddlError(`creating table ${schema}.${name}`, err);
      });
    }
    const pk = declaredKey(ops).length > 0 ? declaredKey(ops) : table.primaryKey;
    fillScalarKeys(ops, pk);

    const missing = newColumns(writes, new Set(table.columns.keys()));
    if (missing.length > 0 && this.config.autoEvolve) {
      table = await this.catalog.addColumns(client, name, missing).catch((err: unknown) => {
        throw ddlError(`adding columns to ${schema}.${name}`, err);
      });
    }

    if (mode === 'upsert' && writes.length > 0 && pk.length === 0) {
      throw new TributaryError(
        'CONFIG_INVALID',
        `upserting into ${schema}.${name}: no primary key is known; set primaryKey, send records whose key is an object, give the table a PRIMARY KEY, or use mode: insert`,
        { retriable: false },
      );
    }
    const accepted: RowOp[] = [];
    for (const op of ops) {
      const problem = opProblem(op, table, pk, mode);
      if (problem === undefined) accepted.push(op);
      else refusals.push({ index: op.index, reason: `${schema}.${name}: ${problem}` });
    }
    return { table, primaryKey: pk, steps: planTable(table, accepted, pk, mode) };
  }
}

/** The key named by the config or the records (config.primaryKey is already in every op). */
function declaredKey(ops: readonly RowOp[]): string[] {
  return ops.find((op) => op.pk.length > 0)?.pk ?? [];
}

/** A record key that is not an object is the value of a one-column key the row does not carry itself. */
function fillScalarKeys(ops: readonly RowOp[], pk: readonly string[]): void {
  const only = pk.length === 1 ? pk[0] : undefined;
  if (only === undefined) return;
  for (const op of ops) {
    if (op.scalarKey !== undefined && !op.row.has(only)) op.row.set(only, { value: op.scalarKey, type: pgTypeForValue(op.scalarKey) });
  }
}

/** Columns the written rows have and `existing` lacks, typed by the first row that knows the type. */
function newColumns(writes: readonly RowOp[], existing: ReadonlySet<string>): NewColumn[] {
  const found = new Map<string, string | undefined>();
  for (const op of writes) {
    for (const [name, cell] of op.row) {
      if (existing.has(name)) continue;
      if (found.get(name) === undefined) found.set(name, cell.type);
    }
  }
  return [...found].map(([name, type]) => ({ name, type: type ?? 'text' }));
}

function opProblem(op: RowOp, table: TableInfo, pk: readonly string[], mode: PostgresSinkConfig['mode']): string | undefined {
  if (op.kind === 'upsert') {
    const unknown = [...op.row.keys()].filter((c) => !table.columns.has(c));
    if (unknown.length > 0) return `no column ${unknown.map((c) => JSON.stringify(c)).join(', ')} (autoEvolve is off)`;
    if (mode === 'insert') return undefined;
    return missingKey(op.row, pk, 'upsert');
  }
  if (pk.length === 0) return 'cannot delete: the table has no primary key and none is configured';
  const unknown = pk.filter((c) => !table.columns.has(c));
  if (unknown.length > 0) return `cannot delete: key column ${unknown.map((c) => JSON.stringify(c)).join(', ')} is not in the table`;
  return missingKey(op.row, pk, 'delete');
}

function missingKey(row: Row, pk: readonly string[], what: string): string | undefined {
  const missing = pk.filter((c) => {
    const v = row.get(c)?.value;
    return v === null || v === undefined;
  });
  return missing.length === 0 ? undefined : `cannot ${what}: no value for key column ${missing.map((c) => JSON.stringify(c)).join(', ')}`;
}
