/**
 * PostgreSQL statements read for `dbkit lint` with the server's own grammar
 * (libpg-query: PostgreSQL's parser compiled to WebAssembly), turned into the
 * lint's facts (src/lint/facts.ts). The parser loads on first use only: no
 * other command pays for it. Pure apart from that load.
 */
import type { Action, Fact } from '../../src/lint/facts.js';
import type { StatementReader } from '../../src/lint/reader.js';
import { columnDefFacts, constraintAction, typeNameOf, type Node } from './lint-nodes.js';

type ParseSync = (sql: string) => { stmts?: { stmt: Node }[] };
let parser: Promise<ParseSync> | null = null;

async function load(): Promise<ParseSync> {
  const m = await import('libpg-query');
  await m.loadModule();
  return (sql) => m.parseSync(sql) as { stmts?: { stmt: Node }[] };
}

/** The PostgreSQL reader, its parser loaded once per process. */
export async function postgresReader(): Promise<StatementReader> {
  const parse = await (parser ??= load());
  return {
    read(sql: string): Fact[] {
      let tree: { stmts?: { stmt: Node }[] };
      try {
        tree = parse(sql);
      } catch (err) {
        return [{ kind: 'unrecognized', text: sql, reason: `PostgreSQL's grammar refuses it: ${(err as Error).message}` }];
      }
      return (tree.stmts ?? []).map((s) => factOf(s.stmt));
    },
  };
}

const names = (list: Node[] | undefined): string[] => (list ?? []).map((n) => n.String?.sval ?? '').filter(Boolean);
/** The last part of a possibly qualified name. */
const last = (list: Node[] | undefined): string => names(list).at(-1) ?? '';
const rel = (r: Node | undefined): string => r?.relname ?? '';
const objectName = (o: Node): string =>
  o.List ? last(o.List.items) : o.TypeName ? last(o.TypeName.names) : o.ObjectWithArgs ? last(o.ObjectWithArgs.objname) : (o.String?.sval ?? '');

const OBJECT_WORDS: Record<string, string> = {
  OBJECT_TYPE: 'type',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'procedure',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_SCHEMA: 'schema',
  OBJECT_EXTENSION: 'extension',
  OBJECT_DOMAIN: 'domain',
  OBJECT_TABCONSTRAINT: 'constraint',
};
const objectWord = (t: string): string => OBJECT_WORDS[t] ?? t.replace(/^OBJECT_/, '').toLowerCase();

function alterAction(cmd: Node): Action[] {
  const name: string = cmd.name ?? '';
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return columnDefFacts(cmd.def?.ColumnDef ?? {}, !!cmd.missing_ok);
    case 'AT_DropColumn':
      return [{ kind: 'drop_column', column: name, ifExists: !!cmd.missing_ok }];
    case 'AT_AlterColumnType':
      return [{ kind: 'alter_type', column: name, type: typeNameOf(cmd.def?.ColumnDef?.typeName) }];
    case 'AT_SetNotNull':
      return [{ kind: 'set_not_null', column: name }];
    case 'AT_DropNotNull':
      return [{ kind: 'drop_not_null', column: name }];
    case 'AT_ColumnDefault':
      return cmd.def ? [{ kind: 'set_default', column: name, default: columnDefault(cmd.def) }] : [{ kind: 'drop_default', column: name }];
    case 'AT_AddConstraint':
      return [constraintAction(cmd.def?.Constraint ?? {})];
    case 'AT_ValidateConstraint':
      return [{ kind: 'validate_constraint', name }];
    case 'AT_DropConstraint':
      return [{ kind: 'drop_constraint', name, what: 'constraint', ifExists: !!cmd.missing_ok }];
    case 'AT_SetLogged':
      return [{ kind: 'rebuild', what: 'SET LOGGED' }];
    case 'AT_SetUnLogged':
      return [{ kind: 'rebuild', what: 'SET UNLOGGED' }];
    case 'AT_SetTableSpace':
      return [{ kind: 'rebuild', what: 'SET TABLESPACE' }];
    case 'AT_SetAccessMethod':
      return [{ kind: 'rebuild', what: 'SET ACCESS METHOD' }];
    case 'AT_AddIdentity':
      return [{ kind: 'other', what: 'ADD GENERATED AS IDENTITY' }];
    default:
      return [{ kind: 'other', what: String(cmd.subtype ?? 'ALTER TABLE').replace(/^AT_/, '') }];
  }
}

const columnDefault = (expr: Node): { text: string; volatile: boolean } => {
  const facts = columnDefFacts({ colname: '', constraints: [{ Constraint: { contype: 'CONSTR_DEFAULT', raw_expr: expr } }] }, false);
  const add = facts[0];
  return add?.kind === 'add_column' && add.default ? add.default : { text: 'an expression', volatile: false };
};

function factOf(stmt: Node): Fact {
  const [kind] = Object.keys(stmt);
  const n: Node = stmt[kind!];
  switch (kind) {
    case 'CreateStmt':
      return { kind: 'create_table', table: rel(n.relation), ifNotExists: !!n.if_not_exists, temporary: n.relation?.relpersistence === 't' };
    case 'CreateTableAsStmt':
      return { kind: 'create_table', table: rel(n.into?.rel), ifNotExists: !!n.if_not_exists, temporary: n.into?.rel?.relpersistence === 't' };
    case 'AlterTableStmt':
      if (n.objtype !== 'OBJECT_TABLE') return { kind: 'other', what: `ALTER ${objectWord(n.objtype)}` };
      return {
        kind: 'alter_table',
        table: rel(n.relation),
        actions: (n.cmds ?? []).flatMap((c: Node) => alterAction(c.AlterTableCmd ?? {})),
        algorithm: null,
        lock: null,
        ifExists: !!n.missing_ok,
      };
    case 'IndexStmt':
      return {
        kind: 'create_index',
        name: n.idxname ?? null,
        table: rel(n.relation),
        unique: !!n.unique,
        concurrent: !!n.concurrent,
        ifNotExists: !!n.if_not_exists,
        algorithm: null,
        lock: null,
      };
    case 'DropStmt': {
      const objects: string[] = (n.objects ?? []).map(objectName);
      if (n.removeType === 'OBJECT_TABLE') return { kind: 'drop_table', tables: objects, ifExists: !!n.missing_ok };
      if (n.removeType === 'OBJECT_INDEX') {
        return { kind: 'drop_index', names: objects, table: null, concurrent: !!n.concurrent, ifExists: !!n.missing_ok, algorithm: null, lock: null };
      }
      return { kind: 'drop_object', object: objectWord(n.removeType), names: objects, ifExists: !!n.missing_ok };
    }
    case 'RenameStmt':
      if (n.renameType === 'OBJECT_TABLE') return { kind: 'rename_table', from: rel(n.relation), to: n.newname };
      if (n.renameType === 'OBJECT_COLUMN' && n.relationType === 'OBJECT_TABLE') {
        return { kind: 'alter_table', table: rel(n.relation), actions: [{ kind: 'rename_column', from: n.subname, to: n.newname, ifExists: false }], algorithm: null, lock: null, ifExists: !!n.missing_ok };
      }
      return {
        kind: 'rename_object',
        object: objectWord(n.renameType),
        from: n.subname ?? (rel(n.relation) || (n.object ? objectName(n.object) : '')),
        to: n.newname,
      };
    case 'ReindexStmt':
      return { kind: 'reindex', concurrent: (n.params ?? []).some((p: Node) => p.DefElem?.defname === 'concurrently'), target: rel(n.relation) || n.name || '' };
    case 'VacuumStmt':
      if ((n.options ?? []).some((o: Node) => o.DefElem?.defname === 'full')) {
        return { kind: 'rewrite', what: 'VACUUM FULL', table: rel(n.rels?.[0]?.VacuumRelation?.relation) || null };
      }
      return { kind: 'other', what: n.is_vacuumcmd ? 'VACUUM' : 'ANALYZE' };
    case 'ClusterStmt':
      return { kind: 'rewrite', what: 'CLUSTER', table: rel(n.relation) || null };
    case 'AlterEnumStmt':
      return n.oldVal ? { kind: 'rename_object', object: 'enum label', from: n.oldVal, to: n.newVal } : { kind: 'add_enum_value', type: last(n.typeName), ifNotExists: !!n.skipIfNewValExists };
    case 'CreateEnumStmt':
      return { kind: 'create_object', object: 'type', name: last(n.typeName), repeatable: false };
    case 'CompositeTypeStmt':
      return { kind: 'create_object', object: 'type', name: rel(n.typevar), repeatable: false };
    case 'CreateFunctionStmt':
      return { kind: 'create_object', object: n.is_procedure ? 'procedure' : 'function', name: last(n.funcname), repeatable: !!n.replace };
    case 'CreateTrigStmt':
      return { kind: 'create_object', object: 'trigger', name: n.trigname ?? '', repeatable: !!n.replace };
    case 'ViewStmt':
      return { kind: 'create_object', object: 'view', name: rel(n.view), repeatable: !!n.replace };
    case 'CreateSeqStmt':
      return { kind: 'create_object', object: 'sequence', name: rel(n.sequence), repeatable: !!n.if_not_exists };
    case 'CreateSchemaStmt':
      return { kind: 'create_object', object: 'schema', name: n.schemaname ?? '', repeatable: !!n.if_not_exists };
    case 'CreateExtensionStmt':
      return { kind: 'create_object', object: 'extension', name: n.extname ?? '', repeatable: !!n.if_not_exists };
    case 'TransactionStmt':
      return { kind: 'transaction', what: String(n.kind).replace(/^TRANS_STMT_/, '').replace(/_/g, ' ') };
    case 'VariableSetStmt':
      return {
        kind: 'set',
        name: String(n.name ?? '').toLowerCase(),
        value: n.kind === 'VAR_SET_VALUE' ? (n.args ?? []).map(constText).join(', ') : null,
        local: !!n.is_local,
      };
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return { kind: 'dml', verb: kind.replace(/Stmt$/, '').toUpperCase(), table: rel(n.relation) || null };
    case 'TruncateStmt':
      return { kind: 'dml', verb: 'TRUNCATE', table: rel(n.relations?.[0]?.RangeVar) || null };
    case 'CommentStmt':
      return { kind: 'comment' };
    default:
      return { kind: 'other', what: (kind ?? 'statement').replace(/Stmt$/, '') };
  }
}

/** A SET value as written: `0`, `'3s'`, `DEFAULT`. */
function constText(arg: Node): string {
  const c = arg.A_Const;
  if (!c) return '?';
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.sval) return c.sval.sval ?? '';
  if (c.fval) return c.fval.fval ?? '';
  return '?';
}
