/**
 * `trib acls create|list|delete` (DESIGN §10), with kafka-acls.sh's flags (acl-options.ts turns them into
 * bindings and filters). `delete` without --force first lists what it would remove and asks on a
 * terminal; then it deletes exactly the ACLs it showed (one exact filter each), so an ACL created
 * meanwhile is never removed unseen. Refused items print `error: CODE: message` and exit 1.
 */
import type { AclBindingFilterSpec, Admin } from '@tributary/client';
import { TributaryError } from '@tributary/core';
import { ConfigError } from '@tributary/core/config';
import type { AclEntry } from '@tributary/security';
import { type Command, Option } from 'commander';
import { collectName } from '../args.js';
import { type CommandContext, withAdmin } from '../context.js';
import { formatTable, jsonLine } from '../format.js';
import type { CliInput, Runner } from '../program.js';
import { type AclFlags, aclBindingsToCreate, aclFiltersToDelete, aclFiltersToList } from './acl-options.js';
import { adminCall } from './partitions.js';
import { confirm } from './prompt.js';

/** DeleteAcls filters per request (the controller's LIMITS.aclFiltersPerRequestMax). */
const DELETE_FILTERS_PER_REQUEST = 100;

const ACL_HEADERS = [
  'RESOURCE TYPE',
  'NAME',
  'PATTERN',
  'PRINCIPAL',
  'HOST',
  'OPERATION',
  'PERMISSION',
  'ID',
];

function aclRow(acl: Omit<AclEntry, 'id'> & { readonly id?: string | null }): string[] {
  return [
    acl.resourceType,
    acl.resourceName,
    acl.patternType,
    acl.principal,
    acl.host,
    acl.operation,
    acl.permission,
    acl.id ?? '-',
  ];
}

/** Sorted as kafka-acls.sh groups its listing: by resource, then principal. */
function sortAcls(acls: readonly AclEntry[]): AclEntry[] {
  const key = (acl: AclEntry) =>
    [
      acl.resourceType,
      acl.resourceName,
      acl.patternType,
      acl.principal,
      acl.permission,
      acl.operation,
      acl.host,
    ].join('\u0000');
  return [...acls].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function printAcls(context: CommandContext, acls: readonly AclEntry[]): void {
  if (context.options.json) for (const acl of acls) context.io.out(jsonLine(acl));
  else if (acls.length > 0)
    for (const line of formatTable(ACL_HEADERS, sortAcls(acls).map(aclRow))) context.io.out(line);
}

function bootstrap(context: CommandContext): readonly string[] {
  return context.options.bootstrap;
}

export async function aclsCreate(context: CommandContext, flags: AclFlags): Promise<void> {
  const bindings = aclBindingsToCreate(flags);
  const outcomes = await withAdmin(context, bootstrap(context), (admin) =>
    admin.createAcls(bindings, adminCall(context)),
  );
  const { io } = context;
  const created = outcomes.filter((o) => o.error === null);
  if (context.options.json) {
    for (const o of outcomes) {
      io.out(
        jsonLine({
          ...o.binding,
          id: o.id,
          error: o.error === null ? null : { code: o.error.code, message: o.error.message },
        }),
      );
    }
  } else if (created.length > 0) {
    io.out(`${created.length} ACL(s) in place:`);
    for (const line of formatTable(
      ACL_HEADERS,
      created.map((o) => aclRow({ ...o.binding, id: o.id })),
    ))
      io.out(line);
  }
  failOnItemErrors(
    context,
    outcomes.map((o) => ({
      what: `${o.binding.resourceType} ${o.binding.resourceName} ${o.binding.principal} ${o.binding.operation}`,
      error: o.error,
    })),
  );
}

/** Prints each refused item on stderr, in order; the last one fails the command (exit 1) with its code. */
function failOnItemErrors(
  context: CommandContext,
  items: readonly { readonly what: string; readonly error: TributaryError | null }[],
): void {
  const failed = items.flatMap(({ what, error }) => (error === null ? [] : [{ what, error }]));
  const last = failed.pop();
  if (last === undefined) return;
  for (const { what, error } of failed) context.io.err(`error: ${error.code}: ${what}: ${error.message}`);
  throw new TributaryError(last.error.code, `${last.what}: ${last.error.message}`, { cause: last.error });
}

async function describeAll(
  admin: Admin,
  context: CommandContext,
  filters: readonly AclBindingFilterSpec[],
): Promise<AclEntry[]> {
  const found = new Map<string, AclEntry>();
  for (const filter of filters) {
    for (const acl of await admin.describeAcls(filter, adminCall(context))) found.set(acl.id, acl);
  }
  return [...found.values()];
}

export async function aclsList(context: CommandContext, flags: AclFlags): Promise<void> {
  const filters = aclFiltersToList(flags);
  const acls = await withAdmin(context, bootstrap(context), (admin) => describeAll(admin, context, filters));
  printAcls(context, acls);
  if (acls.length === 0 && !context.options.json) context.io.err('no ACL matches');
}

export interface AclsDeleteOptions {
  readonly force: boolean;
  readonly input: CliInput;
}

export async function aclsDelete(
  context: CommandContext,
  flags: AclFlags,
  options: AclsDeleteOptions,
): Promise<void> {
  const filters = aclFiltersToDelete(flags);
  await withAdmin(context, bootstrap(context), async (admin) => {
    if (options.force) return deleteWith(context, admin, filters);
    const matching = await describeAll(admin, context, filters);
    const { io } = context;
    if (matching.length === 0) {
      if (!context.options.json) io.err('no ACL matches: nothing to delete');
      return;
    }
    if (!context.options.json) io.out(`would delete ${matching.length} ACL(s):`);
    printAcls(context, matching);
    if (options.input.stdinIsTty !== true) {
      throw new ConfigError(
        `not deleting ${matching.length} ACL(s): stdin is not a terminal to confirm on; pass --force to delete without asking`,
      );
    }
    if (!(await confirm(options.input, io, `Delete these ${matching.length} ACL(s)? [y/N] `))) {
      io.err('nothing deleted');
      return;
    }
    const exact = matching.map((acl): AclBindingFilterSpec => {
      const { id: _id, ...binding } = acl;
      return binding;
    });
    return deleteWith(context, admin, exact);
  });
}

async function deleteWith(
  context: CommandContext,
  admin: Admin,
  filters: readonly AclBindingFilterSpec[],
): Promise<void> {
  const deleted: AclEntry[] = [];
  const errors: { what: string; error: TributaryError | null }[] = [];
  for (let from = 0; from < filters.length; from += DELETE_FILTERS_PER_REQUEST) {
    const outcomes = await admin.deleteAcls(
      filters.slice(from, from + DELETE_FILTERS_PER_REQUEST),
      adminCall(context),
    );
    for (const outcome of outcomes) {
      deleted.push(...outcome.deleted);
      errors.push({ what: `filter ${JSON.stringify(outcome.filter)}`, error: outcome.error });
    }
  }
  if (!context.options.json)
    context.io.out(`deleted ${deleted.length} ACL(s)${deleted.length > 0 ? ':' : ''}`);
  printAcls(context, deleted);
  failOnItemErrors(context, errors);
}

function collect(value: string, previous: readonly string[] = []): string[] {
  return collectName(value, previous);
}

/** The resource and principal flags every `trib acls` command takes. */
function addResourceOptions(command: Command, forFilter: boolean): Command {
  return command
    .option('--topic <name>', 'a topic (repeatable; with a prefixed pattern, a prefix)', collect, [])
    .option('--group <id>', 'a consumer group (repeatable)', collect, [])
    .option('--cluster', 'the cluster resource (kafka-cluster)')
    .option('--transactional-id <id>', 'a transactional id (repeatable)', collect, [])
    .option(
      '--resource-pattern-type <type>',
      forFilter ? 'literal (default), prefixed, any or match' : 'literal (default) or prefixed',
    );
}

function addPrincipalOptions(command: Command, what: string): Command {
  return command
    .option('--allow-principal <principal>', `User:NAME to allow (repeatable)${what}`, collect, [])
    .option('--deny-principal <principal>', `User:NAME to deny (repeatable)${what}`, collect, [])
    .option(
      '--allow-host <host>',
      'IP address the allow principals connect from (repeatable; default *)',
      collect,
      [],
    )
    .option(
      '--deny-host <host>',
      'IP address the deny principals connect from (repeatable; default *)',
      collect,
      [],
    )
    .option(
      '--operation <operation>',
      'Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite or All (repeatable, any case)',
      collect,
      [],
    )
    .option(
      '--producer',
      'the producer ACLs: Write, Describe, Create on the topics (Write, Describe on transactional ids)',
    )
    .option('--idempotent', 'with --producer: also IdempotentWrite on the cluster')
    .option(
      '--consumer',
      'the consumer ACLs: Read, Describe on the topics and Read on the group (needs --group)',
    );
}

function flagsOf(command: Command): AclFlags {
  return command.opts<AclFlags>();
}

export function addAclCommands(program: Command, run: Runner, input: CliInput): void {
  const acls = program.command('acls').description('access control lists (kafka-acls.sh’s flags)');
  addPrincipalOptions(addResourceOptions(acls.command('create').description('add ACLs'), false), '').action(
    run((context, command) => aclsCreate(context, flagsOf(command))),
  );
  addResourceOptions(
    acls.command('list').description('the ACLs of the named resources (every ACL by default)'),
    true,
  )
    .option('--principal <principal>', 'only the ACLs of this principal (repeatable)', collect, [])
    .action(run((context, command) => aclsList(context, flagsOf(command))));
  addPrincipalOptions(
    addResourceOptions(
      acls.command('delete').description('remove the ACLs of the named resources matching the flags'),
      true,
    ),
    '; default: any principal',
  )
    .addOption(new Option('--force', 'delete without listing and asking first'))
    .action(
      run((context, command) =>
        aclsDelete(context, flagsOf(command), {
          force: command.opts<{ force?: boolean }>().force === true,
          input,
        }),
      ),
    );
}
