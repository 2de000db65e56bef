/**
 * `trib dev-certs DIR [--hosts H,...] [--nodes N] [--clients NAME,...]`: a CA, node certificates (CN=node, one
 * per controller or broker) and client certificates (CN=NAME) for local clusters, tests and deploy/ examples
 * (`npm run certs` writes ./data/certs). A directory that already has a CA keeps it and gets new node and
 * client certificates: rotate them with SIGHUP. The work is @tributary/protocol's makeDevCerts, loaded only
 * for this command.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { parseNonNegativeInt } from '../args.js';
import type { CliIo } from '../io.js';

function parseList(value: string): string[] {
  const items = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list.');
  return items;
}

interface DevCertsFlags {
  readonly hosts?: string[];
  readonly nodes?: number;
  readonly clients?: string[];
}

export function addDevCertsCommand(program: Command, io: CliIo): void {
  program
    .command('dev-certs <dir>')
    .description(
      'make a development CA, node certificates (CN=node) and client certificates (CN=NAME) in DIR; an existing CA in DIR is reused',
    )
    .option(
      '--hosts <host,...>',
      'SANs of the node certificates (default 127.0.0.1,localhost,::1)',
      parseList,
    )
    .option(
      '--nodes <n>',
      'node certificates: one per controller and broker (default 6)',
      parseNonNegativeInt,
    )
    .option('--clients <name,...>', 'client certificates, by CN (default admin)', parseList)
    .action(async (dir: string, flags: DevCertsFlags) => {
      const { makeDevCerts } = await import('@tributary/protocol/dev-certs');
      let made: Awaited<ReturnType<typeof makeDevCerts>>;
      try {
        made = await makeDevCerts({
          dir,
          ...(flags.hosts === undefined ? {} : { hosts: flags.hosts }),
          ...(flags.nodes === undefined ? {} : { nodes: flags.nodes }),
          ...(flags.clients === undefined ? {} : { clients: flags.clients }),
        });
      } catch (error) {
        // Bad counts and names are the command line's fault (exit 2), like commander's own refusals.
        if (error instanceof RangeError) throw new InvalidArgumentError(error.message);
        throw error;
      }
      io.out(
        `${made.caReused ? 'kept the CA' : 'made a CA'}: ${made.ca} (its key: ca-key.pem, keep it private)`,
      );
      for (const [index, files] of made.nodes.entries()) {
        io.out(`node ${index + 1} (CN=node): ${files.cert} ${files.key}`);
      }
      for (const [name, files] of Object.entries(made.clients)) {
        io.out(`client ${name} (CN=${name}): ${files.cert} ${files.key}`);
      }
      io.out(
        `start a process with --tls-ca ${made.ca} --tls-cert ${made.nodes[0]?.cert ?? 'NODE.pem'} --tls-key …`,
      );
    });
}
