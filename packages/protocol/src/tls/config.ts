/**
 * The TLS options of every Tributary process (DESIGN §10), defined once and spread into the controller's, the
 * broker's and `tributary dev`'s config schemas, so the flags, TRIBUTARY_* variables, config-file keys, help and
 * docs are the same on every process:
 *
 *   --tls-cert FILE --tls-key FILE --tls-ca FILE [--tls-client-auth none|required]
 *
 * and, on processes with a /metrics endpoint, [--metrics-tls].
 *
 * The three files go together: a process either speaks TLS on every listener and link or on none (a half-secure
 * cluster, where some links are plaintext, is the configuration mistake these rules exist to refuse).
 */
import { type ConfigRule, option, z } from '@tributary/core/config';

export const TLS_CLIENT_AUTH_MODES = ['none', 'required'] as const;
/** `required`: every listener demands a client certificate that verifies against the CA (mutual TLS). */
export type TlsClientAuth = (typeof TLS_CLIENT_AUTH_MODES)[number];

/** Where a process's TLS material lives, and whether its listeners demand client certificates. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  readonly clientAuth: TlsClientAuth;
}

export const TLS_CONFIG_OPTIONS = {
  tlsCert: option
    .text(
      'PEM certificate (chain) this process presents on every listener and uses for its own links; with `--tls-key` and `--tls-ca`, TLS on everything',
      'FILE',
    )
    .optional('none (plaintext)'),
  tlsKey: option.text('PEM private key of `--tls-cert` (unencrypted)', 'FILE').optional('none'),
  tlsCa: option
    .text(
      'PEM CA certificate(s): peers, servers and clients alike, are verified against these only, never the system roots',
      'FILE',
    )
    .optional('none'),
  tlsClientAuth: option
    .custom<TlsClientAuth>({
      kind: 'string',
      schema: z.enum(TLS_CLIENT_AUTH_MODES, { error: `must be one of ${TLS_CLIENT_AUTH_MODES.join(', ')}` }),
      placeholder: 'none|required',
      doc: '`required`: every listener refuses a client without a certificate signed by `--tls-ca` (mutual TLS)',
    })
    .default('none'),
} as const;

/** For processes with a /metrics endpoint (controller, broker): HTTPS there too, off by default. */
export const METRICS_TLS_OPTIONS = {
  metricsTls: option
    .boolean(
      'serve `/metrics` over HTTPS with the `--tls-*` files (client certificates as `--tls-client-auth`); plain HTTP by default, as most scrapers are set up',
    )
    .default(false),
} as const;

/** The parsed values of TLS_CONFIG_OPTIONS, as any schema that spreads them has them. */
export interface TlsConfigValues {
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsCa?: string;
  readonly tlsClientAuth: TlsClientAuth;
}

const FLAGS = { tlsCert: '--tls-cert', tlsKey: '--tls-key', tlsCa: '--tls-ca' } as const;

function missingFiles(values: TlsConfigValues): string[] {
  return (Object.keys(FLAGS) as (keyof typeof FLAGS)[])
    .filter((key) => values[key] === undefined)
    .map((key) => FLAGS[key]);
}

/** The cross-key rules of the TLS options; spread them into the schema's rules. */
export const TLS_CONFIG_RULES: readonly ConfigRule<TlsConfigValues>[] = [
  {
    holds: (values) => {
      const missing = missingFiles(values).length;
      return missing === 0 || missing === 3;
    },
    message: (values) =>
      `--tls-cert, --tls-key and --tls-ca go together: ${missingFiles(values).join(' and ')} missing`,
  },
  {
    holds: (values) => values.tlsClientAuth === 'none' || values.tlsCa !== undefined,
    message: '--tls-client-auth required needs --tls-ca (and --tls-cert, --tls-key)',
  },
];

export const METRICS_TLS_RULES: readonly ConfigRule<TlsConfigValues & { readonly metricsTls: boolean }>[] = [
  {
    holds: (values) => !values.metricsTls || values.tlsCert !== undefined,
    message: '--metrics-tls needs --tls-cert, --tls-key and --tls-ca',
  },
];

/** The files a process's parsed config names, or undefined for a plaintext process. */
export function tlsFilesOf(values: TlsConfigValues): TlsFiles | undefined {
  const { tlsCert, tlsKey, tlsCa } = values;
  if (tlsCert === undefined || tlsKey === undefined || tlsCa === undefined) return undefined;
  return { certFile: tlsCert, keyFile: tlsKey, caFile: tlsCa, clientAuth: values.tlsClientAuth };
}
