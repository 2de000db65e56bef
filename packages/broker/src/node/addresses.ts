/** Addresses a broker registers (leaf file: the node and its Kafka wiring both need it). */
import { hostname } from 'node:os';

/** The address to register: the configured one, or listen's host (a wildcard becomes the hostname) and the bound port. */
export function advertisedAddressFor(listen: string, port: number, advertised: string | undefined): string {
  if (advertised !== undefined) return advertised;
  const host = listen.slice(0, listen.lastIndexOf(':'));
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
  return `${wildcard ? hostname() : host}:${port}`;
}
