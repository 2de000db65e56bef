/**
 * The deploy/ files checked against the real bins (issues 5 and 13): every `--flag` given to a process in the
 * compose file, the Kubernetes StatefulSets and ConfigMaps, the systemd units and env files and the local script
 * is one the bin's --help lists (read at test time); ports, names, selectors and voter lists agree across files;
 * every process runs secure (TLS files, authentication required, the standard authorizer with the same super
 * users, the bootstrap admin's password from a file of a Secret or volume, never inline) and its probes speak
 * TLS. Nothing here needs docker, kubectl or the network: the files are parsed and cross-checked.
 */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { brokerBinPath } from './broker-process.js';
import { controllerBinPath } from './controller-process.js';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  at,
  type DockerStage,
  flagOfConfigKey,
  flagOfEnvName,
  flagsIn,
  flagValue,
  helpFlags,
  hostOf,
  parseDockerfile,
  parseEnvFile,
  parseUnit,
  parseVoters,
  portOf,
  REPO_ROOT,
  readRepoFile,
  selects,
  stageChain,
} from './deploy-files.js';

type Kind = 'controller' | 'broker';
/** How the Dockerfile's FROM lines name the base image (an ARG, so one line pins the Node version). */
const NODE_IMAGE_REFERENCE = '$' + '{NODE_IMAGE}';
const KINDS: readonly Kind[] = ['controller', 'broker'];
const BIN_PATHS: Record<Kind, string> = { controller: controllerBinPath(), broker: brokerBinPath() };
/** The bins' paths inside the repository (what the Dockerfile, units and script name). */
const BIN_REPO_PATHS: Record<Kind, string> = {
  controller: 'packages/controller/dist/bin/tributary-controller.js',
  broker: 'packages/broker/dist/bin/tributary-broker.js',
};
/** What a process cannot start without (DESIGN §2); each deploy file must supply them. */
const REQUIRED_FLAGS: Record<Kind, readonly string[]> = {
  controller: ['node-id', 'listen', 'data-dir', 'voters'],
  broker: ['node-id', 'listen', 'data-dir', 'controllers'],
};
/** Where a Kubernetes pod finds its own config file (the ConfigMap's mount). */
const K8S_CONFIG_PATH = '/etc/tributary/config/$(POD_NAME).json';

/** One place in deploy/ that gives flags to a bin. */
interface FlagUse {
  readonly where: string;
  readonly kind: Kind;
  readonly flags: readonly string[];
}

let accepted: Record<Kind, ReadonlySet<string>>;

beforeAll(() => {
  for (const kind of KINDS) {
    if (!existsSync(BIN_PATHS[kind]))
      throw new Error(`${BIN_PATHS[kind]} is not built: build packages/${kind}`);
  }
  accepted = { controller: helpFlags(BIN_PATHS.controller), broker: helpFlags(BIN_PATHS.broker) };
});

/** One line per flag a bin does not list in --help, naming the file; empty when all are accepted. */
function unknownFlags(uses: readonly FlagUse[]): string[] {
  const problems: string[] = [];
  for (const use of uses) {
    for (const flag of use.flags) {
      if (!accepted[use.kind].has(flag)) {
        problems.push(`${use.where} gives --${flag} to tributary-${use.kind}, whose --help does not list it`);
      }
    }
  }
  return problems;
}

function missingRequired(use: FlagUse): string[] {
  return REQUIRED_FLAGS[use.kind]
    .filter((flag) => !use.flags.includes(flag))
    .map((flag) => `${use.where} does not give tributary-${use.kind} its required --${flag}`);
}

// ---- the files, parsed

function dockerfile(): { args: Map<string, string>; stages: DockerStage[] } {
  return parseDockerfile(readRepoFile('deploy/docker/Dockerfile'));
}

function exposedPorts(stages: readonly DockerStage[], target: Kind): number[] {
  return stageChain(stages, target)
    .flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.keyword === 'EXPOSE')
    .flatMap((instruction) => instruction.value.split(/\s+/).map((port) => Number(port.split('/')[0])));
}

interface ComposeService {
  readonly name: string;
  readonly kind: Kind;
  readonly command: string[];
  /** `environment`, as a mapping (TRIBUTARY_* for the process, TRIB_* for trib run in the container). */
  readonly environment: Map<string, string>;
  readonly service: Record<string, unknown>;
}

function compose(): Record<string, unknown> {
  return asRecord(parse(readRepoFile('deploy/docker/docker-compose.yml'), { merge: true }), 'compose');
}

/** The services that run a controller or a broker (one-shot helpers, which set an entrypoint, are not). */
function composeServices(): ComposeService[] {
  return Object.entries(asRecord(compose().services, 'services'))
    .filter(([, value]) => asRecord(value, 'service').entrypoint === undefined)
    .map(([name, value]) => {
      const service = asRecord(value, name);
      const target = asString(at(service, 'build.target'), `${name}.build.target`);
      if (target !== 'controller' && target !== 'broker')
        throw new Error(`${name}: unknown target ${target}`);
      const command = asArray(service.command, `${name}.command`).map((word) =>
        asString(word, `${name}.command`),
      );
      const environment = new Map(
        Object.entries(asRecord(service.environment ?? {}, `${name}.environment`)).map(([key, value]) => [
          key,
          String(value),
        ]),
      );
      return { name, kind: target, command, environment, service };
    });
}

/** Flags named by TRIBUTARY_* variables (TRIB_* are trib's own, for clients in the container). */
function envFlags(environment: ReadonlyMap<string, string>): string[] {
  return [...environment.keys()]
    .filter((name) => !name.startsWith('TRIB_'))
    .map((name) => flagOfEnvName(name) ?? `(not TRIBUTARY_*: ${name})`);
}

type Manifest = Record<string, unknown>;

function kubernetesManifests(): Manifest[] {
  const files = asArray(parse(readRepoFile('deploy/kubernetes/kustomization.yaml')).resources, 'resources');
  return files.flatMap((file) =>
    parseAllDocuments(readRepoFile(`deploy/kubernetes/${asString(file, 'resource')}`)).map((document) => {
      if (document.errors.length > 0) throw new Error(`${String(file)}: ${document.errors[0]?.message}`);
      return asRecord(document.toJS(), String(file));
    }),
  );
}

function byKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((manifest) => manifest.kind === kind);
}

function nameOf(manifest: Manifest): string {
  return asString(at(manifest, 'metadata.name'), 'metadata.name');
}

interface StatefulSetView {
  readonly name: string;
  readonly kind: Kind;
  readonly manifest: Manifest;
  readonly replicas: number;
  readonly container: Record<string, unknown>;
  readonly args: string[];
  readonly ports: Map<string, number>;
  /** Per pod ordinal, the pod's JSON config file from the ConfigMap. */
  readonly podConfigs: Record<string, unknown>[];
}

function statefulSet(manifests: readonly Manifest[], kind: Kind): StatefulSetView {
  const name = `tributary-${kind}`;
  const manifest = byKind(manifests, 'StatefulSet').find((set) => nameOf(set) === name);
  if (manifest === undefined) throw new Error(`no StatefulSet ${name}`);
  const replicas = asNumber(at(manifest, 'spec.replicas'), `${name}.spec.replicas`);
  const containers = asArray(at(manifest, 'spec.template.spec.containers'), `${name} containers`);
  const container = asRecord(containers[0], `${name} container`);
  const image = asString(container.image, `${name} image`);
  if (!image.startsWith(`${name}:`)) throw new Error(`${name} runs image ${image}, not ${name}:TAG`);
  const args = asArray(container.args, `${name} args`).map((arg) => asString(arg, `${name} args`));
  const ports = new Map(
    asArray(container.ports, `${name} ports`).map((port) => {
      const record = asRecord(port, `${name} port`);
      return [asString(record.name, 'port name'), asNumber(record.containerPort, 'containerPort')] as const;
    }),
  );
  const configPath = flagValue(args, 'config');
  if (configPath !== K8S_CONFIG_PATH) {
    throw new Error(`${name}: --config is ${configPath}, expected ${K8S_CONFIG_PATH}`);
  }
  const configMap = byKind(manifests, 'ConfigMap').find((map) => nameOf(map) === name);
  if (configMap === undefined) throw new Error(`no ConfigMap ${name}`);
  const data = asRecord(configMap.data, `${name} ConfigMap data`);
  const podConfigs = Array.from({ length: replicas }, (_, ordinal) => {
    const file = data[`${name}-${ordinal}.json`];
    return asRecord(JSON.parse(asString(file, `ConfigMap ${name} key ${name}-${ordinal}.json`)), 'config');
  });
  return { name, kind, manifest, replicas, container, args, ports, podConfigs };
}

function grpcPort(view: StatefulSetView): number {
  const port = view.ports.get('grpc');
  if (port === undefined) throw new Error(`${view.name} has no containerPort named grpc`);
  return port;
}

function unitFor(kind: Kind): Map<string, string[]> {
  return parseUnit(readRepoFile(`deploy/systemd/tributary-${kind}@.service`));
}

/** Memoized: each run asks both bins for --help (seconds on a loaded machine). */
const localScriptArgsCache = new Map<string, string[]>();

function localScriptArgs(name: string, extra: readonly string[] = []): string[] {
  const key = [name, ...extra].join(' ');
  const cached = localScriptArgsCache.get(key);
  if (cached !== undefined) return cached;
  const output = execFileSync(
    'bash',
    [
      `${REPO_ROOT}deploy/local/cluster.sh`,
      'args',
      name,
      '--base-port',
      '30000',
      '--dir',
      '/tmp/unused',
      ...extra,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  const argv = output.trim().split('\n');
  localScriptArgsCache.set(key, argv);
  return argv;
}

// ---- security: every process's effective settings (flags, TRIBUTARY_* variables, config-file keys)

/** Flag -> value of an argv; a flag without a value (the next word is a flag, or none) is `true`. */
function settingsOfArgv(argv: readonly string[]): Map<string, string> {
  const settings = new Map<string, string>();
  for (const [index, arg] of argv.entries()) {
    if (!arg.startsWith('--')) continue;
    const equals = arg.indexOf('=');
    if (equals > 0) {
      settings.set(arg.slice(2, equals), arg.slice(equals + 1));
      continue;
    }
    const next = argv[index + 1];
    settings.set(arg.slice(2), next === undefined || next.startsWith('--') ? 'true' : next);
  }
  return settings;
}

function settingsOfEnv(environment: ReadonlyMap<string, string>): Map<string, string> {
  const settings = new Map<string, string>();
  for (const [name, value] of environment) {
    const flag = flagOfEnvName(name);
    if (flag !== undefined) settings.set(flag, value);
  }
  return settings;
}

/** One process of one deploy target, with what it runs with and where its secret files may live. */
interface SecuredProcess {
  readonly where: string;
  readonly target: 'compose' | 'kubernetes' | 'systemd' | 'local';
  readonly kind: Kind;
  readonly settings: ReadonlyMap<string, string>;
  /** Names of environment variables the process gets (besides those in `settings`). */
  readonly envNames: readonly string[];
  /** Directories mounted from a Secret or a dedicated volume (read-only), or the host's /etc/tributary. */
  readonly secretDirs: readonly string[];
}

const TLS_FILE_FLAGS = ['tls-ca', 'tls-cert', 'tls-key'] as const;

function composeMounts(service: ComposeService): { volume: string; path: string; readOnly: boolean }[] {
  return asArray(service.service.volumes, `${service.name}.volumes`).map((entry) => {
    const [volume = '', path = '', mode] = asString(entry, 'volume').split(':');
    return { volume, path, readOnly: mode === 'ro' };
  });
}

function securedProcesses(): SecuredProcess[] {
  const processes: SecuredProcess[] = [];
  for (const service of composeServices()) {
    processes.push({
      where: `docker-compose.yml ${service.name}`,
      target: 'compose',
      kind: service.kind,
      settings: new Map([...settingsOfEnv(service.environment), ...settingsOfArgv(service.command)]),
      envNames: [...service.environment.keys()],
      secretDirs: composeMounts(service)
        .filter((mount) => mount.readOnly)
        .map((mount) => mount.path),
    });
  }
  const manifests = kubernetesManifests();
  for (const kind of KINDS) {
    const view = statefulSet(manifests, kind);
    const volumes = asArray(at(view.manifest, 'spec.template.spec.volumes'), 'volumes').map((v) =>
      asRecord(v, 'volume'),
    );
    const secretVolumes = new Set(volumes.filter((v) => v.secret !== undefined).map((v) => v.name));
    const mounts = asArray(view.container.volumeMounts, 'volumeMounts').map((m) => asRecord(m, 'mount'));
    const secretDirs = mounts
      .filter((mount) => secretVolumes.has(mount.name) && mount.readOnly === true)
      .map((mount) => asString(mount.mountPath, 'mountPath'));
    const envNames = asArray(view.container.env ?? [], 'env').map((e) => asString(at(e, 'name'), 'env name'));
    for (const [ordinal, config] of view.podConfigs.entries()) {
      const fromConfig = new Map(
        Object.entries(config).map(([key, value]) => [flagOfConfigKey(key), String(value)] as const),
      );
      processes.push({
        where: `kubernetes ${view.name}-${ordinal}`,
        target: 'kubernetes',
        kind,
        settings: new Map([...fromConfig, ...settingsOfArgv(view.args)]),
        envNames,
        secretDirs,
      });
    }
    const unit = unitFor(kind);
    const envFile = parseEnvFile(readRepoFile(`deploy/systemd/${kind}.env.example`));
    processes.push({
      where: `systemd tributary-${kind}@.service + ${kind}.env.example`,
      target: 'systemd',
      kind,
      settings: new Map([
        ...settingsOfEnv(envFile),
        ...settingsOfArgv((unit.get('ExecStart')?.at(-1) ?? '').split(/\s+/)),
      ]),
      envNames: [...envFile.keys()],
      secretDirs: ['/etc/tributary'],
    });
    for (const id of [1, 2, 3]) {
      processes.push({
        where: `deploy/local/cluster.sh ${kind}-${id}`,
        target: 'local',
        kind,
        settings: settingsOfArgv(localScriptArgs(`${kind}-${id}`)),
        envNames: [],
        secretDirs: ['/tmp/unused/tls'],
      });
    }
  }
  return processes;
}

/** Problems of one process's security settings (empty: secure as the deploy files promise). */
function securityProblems(process: SecuredProcess, superUsers: string): string[] {
  const problems: string[] = [];
  const get = (flag: string) => process.settings.get(flag);
  const say = (what: string) => problems.push(`${process.where}: ${what}`);
  const underSecretDir = (file: string) =>
    process.secretDirs.some((dir) => file.startsWith(`${dir.replace(/\/$/, '')}/`));
  for (const flag of TLS_FILE_FLAGS) {
    const file = get(flag);
    if (file === undefined) say(`no --${flag}: TLS must be on every listener`);
    else if (!underSecretDir(file))
      say(`--${flag} ${file} is not in a Secret/volume (${process.secretDirs})`);
  }
  const clientAuth = get('tls-client-auth');
  if (process.kind === 'controller' && clientAuth !== 'required') {
    say(`--tls-client-auth is ${clientAuth}: controllers want client certificates`);
  }
  if (clientAuth !== 'required' && clientAuth !== 'none') say(`--tls-client-auth is ${clientAuth}`);
  if (get('require-authentication') !== 'true') say('authentication is not required');
  if (get('authorizer') !== 'standard') say(`--authorizer is ${get('authorizer')}, not standard`);
  if (get('super-users') !== superUsers) say(`--super-users is ${get('super-users')}, not ${superUsers}`);
  if ((get('allow-everyone-if-no-acl-found') ?? 'false') !== 'false')
    say('allows everyone when no ACL matches');
  if (get('metrics-tls') === 'true' && process.target === 'kubernetes')
    say('liveness probes /metrics over HTTP');
  if (process.kind === 'controller') {
    const user = get('bootstrap-scram-user');
    const file = get('bootstrap-scram-password-file');
    if (user === undefined || !superUsers.split(';').includes(`User:${user}`)) {
      say(`the bootstrap SCRAM user ${user} is not one of the super users`);
    }
    if (file === undefined) say('no --bootstrap-scram-password-file');
    else if (!underSecretDir(file)) say(`the admin password file ${file} is not in a Secret/volume`);
  }
  // A password is only ever a file's name: no flag, variable or config key carries one.
  for (const name of [...process.settings.keys(), ...process.envNames]) {
    if (/password/i.test(name) && !/password[-_]file$/i.test(name)) say(`${name} carries a password inline`);
  }
  return problems;
}

// ---- the checks

describe('deploy/ against the bins', () => {
  it('reads the flags from --help (the parser finds the flags every deploy file relies on)', () => {
    for (const kind of KINDS) {
      for (const flag of [...REQUIRED_FLAGS[kind], 'config', 'log-level']) {
        expect(accepted[kind].has(flag), `tributary-${kind} --help lists --${flag}`).toBe(true);
      }
    }
    expect(accepted.controller.has('controllers')).toBe(false);
    expect(accepted.broker.has('voters')).toBe(false);
  });

  it('reports a flag the bin does not accept, naming the file', () => {
    const problems = unknownFlags([
      { where: 'example.yaml', kind: 'broker', flags: ['listen', 'voters', 'no-such-flag'] },
    ]);
    expect(problems).toEqual([
      'example.yaml gives --voters to tributary-broker, whose --help does not list it',
      'example.yaml gives --no-such-flag to tributary-broker, whose --help does not list it',
    ]);
  });

  it('gives every process only flags its bin accepts, and all the required ones', { timeout: 60_000 }, () => {
    const uses: FlagUse[] = [];
    for (const service of composeServices()) {
      uses.push({
        where: `docker-compose.yml ${service.name}`,
        kind: service.kind,
        flags: [...flagsIn(service.command), ...envFlags(service.environment)],
      });
    }
    const manifests = kubernetesManifests();
    for (const kind of KINDS) {
      const view = statefulSet(manifests, kind);
      for (const [ordinal, config] of view.podConfigs.entries()) {
        uses.push({
          where: `kubernetes ${view.name}-${ordinal} (args + ConfigMap ${view.name}-${ordinal}.json)`,
          kind,
          flags: [...flagsIn(view.args), ...Object.keys(config).map(flagOfConfigKey)],
        });
      }
      const unit = unitFor(kind);
      const execStart = (unit.get('ExecStart')?.[0] ?? '').split(/\s+/);
      const envFile = parseEnvFile(readRepoFile(`deploy/systemd/${kind}.env.example`));
      const envFlags = [...envFile.keys()].map((name) => flagOfEnvName(name) ?? `(not TRIBUTARY_*: ${name})`);
      uses.push({
        where: `systemd tributary-${kind}@.service ExecStart + ${kind}.env.example`,
        kind,
        flags: [...flagsIn(execStart), ...envFlags],
      });
      for (const id of [1, 2, 3]) {
        uses.push({
          where: `deploy/local/cluster.sh ${kind}-${id}`,
          kind,
          flags: flagsIn(localScriptArgs(`${kind}-${id}`)),
        });
      }
    }
    expect(unknownFlags(uses)).toEqual([]);
    expect(uses.flatMap(missingRequired)).toEqual([]);
    // Metrics are part of every deployment; the local script passes the flag whenever the bins accept it.
    for (const use of uses) expect(use.flags, use.where).toContain('metrics-listen');
  });

  it('docker: multi-stage on node:20-slim, non-root, entrypoints are the bins, EXPOSE matches', () => {
    const { args, stages } = dockerfile();
    expect(args.get('NODE_IMAGE')).toBe('node:20-slim');
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const build = stages.find((stage) => stage.name === 'build');
    const buildRuns = build?.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.value) ?? [];
    expect(buildRuns.some((run) => run.startsWith('npm ci'))).toBe(true);
    expect(buildRuns.some((run) => run.includes('turbo run build'))).toBe(true);
    for (const kind of KINDS) {
      const chain = stageChain(stages, kind);
      const instructions = chain.flatMap((stage) => stage.instructions);
      expect(chain[0]?.base, `${kind} starts from the node image, not the build stage`).toBe(
        NODE_IMAGE_REFERENCE,
      );
      const user = instructions.filter((i) => i.keyword === 'USER').at(-1)?.value;
      expect(user, `${kind} runs as a non-root USER`).toBeDefined();
      expect(['root', '0', '0:0']).not.toContain(user);
      // The runtime takes built output from the other stages, never the sources.
      const copies = instructions.filter((i) => i.keyword === 'COPY').map((i) => i.value);
      expect(copies.some((copy) => copy.startsWith('packages') || copy.startsWith('. '))).toBe(false);
      expect(copies.some((copy) => copy.startsWith('--from=build'))).toBe(true);
      const entrypoint = instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1)?.value ?? '[]';
      const words = asArray(JSON.parse(entrypoint), `${kind} ENTRYPOINT`).map((w) => asString(w, 'word'));
      expect(words).toEqual(['node', `/app/${BIN_REPO_PATHS[kind]}`]);
      expect(existsSync(`${REPO_ROOT}${BIN_REPO_PATHS[kind]}`), `${BIN_REPO_PATHS[kind]} exists`).toBe(true);
      expect(`${REPO_ROOT}${BIN_REPO_PATHS[kind]}`).toBe(BIN_PATHS[kind].replace(/\/+/g, '/'));
      expect(
        existsSync(`${REPO_ROOT}${BIN_REPO_PATHS[kind].replace('dist/', 'src/').replace('.js', '.ts')}`),
      ).toBe(true);
    }
  });

  it('compose: 3 + 3, voters and controller lists match the services, ports match EXPOSE', () => {
    const { stages } = dockerfile();
    const services = composeServices();
    const controllers = services.filter((service) => service.kind === 'controller');
    const brokers = services.filter((service) => service.kind === 'broker');
    expect([controllers.length, brokers.length]).toEqual([3, 3]);
    const voterLists = new Set(controllers.map((service) => flagValue(service.command, 'voters')));
    expect(voterLists.size, 'every controller has the same --voters').toBe(1);
    const voters = parseVoters([...voterLists][0] ?? '');
    for (const group of [controllers, brokers]) {
      const ids = group.map((service) => Number(flagValue(service.command, 'node-id')));
      expect(new Set(ids).size, 'node ids are distinct').toBe(group.length);
    }
    for (const service of services) {
      const listen = flagValue(service.command, 'listen') ?? '';
      const metrics = flagValue(service.command, 'metrics-listen') ?? '';
      expect(exposedPorts(stages, service.kind)).toEqual(
        expect.arrayContaining([portOf(listen), portOf(metrics)]),
      );
      const dataDir = flagValue(service.command, 'data-dir');
      const volumes = asArray(service.service.volumes, `${service.name}.volumes`).map((v) =>
        asString(v, 'volume'),
      );
      expect(
        volumes.map((volume) => volume.split(':')[1]),
        `${service.name} keeps --data-dir in a volume`,
      ).toContain(dataDir);
      expect(service.service.stop_grace_period, `${service.name} stop_grace_period`).toBeDefined();
      const nodeId = Number(flagValue(service.command, 'node-id'));
      if (service.kind === 'controller') {
        expect(voters).toContainEqual({ id: nodeId, host: service.name, port: portOf(listen) });
      } else {
        expect(flagValue(service.command, 'advertised-address')).toBe(`${service.name}:${portOf(listen)}`);
        expect(flagValue(service.command, 'controllers')).toBe(
          voters.map((v) => `${v.host}:${v.port}`).join(','),
        );
      }
    }
    expect(voters.map((voter) => voter.host).sort()).toEqual(
      controllers.map((service) => service.name).sort(),
    );
  });

  it('kubernetes: headless services, probes, ports, selectors, PDBs and voters match the StatefulSets', () => {
    const manifests = kubernetesManifests();
    const services = byKind(manifests, 'Service');
    const { stages } = dockerfile();
    const views = {
      controller: statefulSet(manifests, 'controller'),
      broker: statefulSet(manifests, 'broker'),
    };
    for (const view of Object.values(views)) {
      const templateLabels = at(view.manifest, 'spec.template.metadata.labels');
      expect(selects(at(view.manifest, 'spec.selector.matchLabels'), templateLabels)).toBe(true);
      const serviceName = asString(at(view.manifest, 'spec.serviceName'), 'serviceName');
      const headless = services.find((service) => nameOf(service) === serviceName);
      expect(headless, `headless Service ${serviceName}`).toBeDefined();
      expect(at(headless, 'spec.clusterIP')).toBe('None');
      expect(at(headless, 'spec.publishNotReadyAddresses')).toBe(true);
      for (const service of services.filter((s) => selects(at(s, 'spec.selector'), templateLabels))) {
        for (const port of asArray(at(service, 'spec.ports'), 'ports')) {
          const target = at(port, 'targetPort');
          const number = typeof target === 'string' ? view.ports.get(target) : target;
          expect(number, `${nameOf(service)} port ${String(target)} is a containerPort of ${view.name}`).toBe(
            at(port, 'port'),
          );
        }
      }
      const pdb = byKind(manifests, 'PodDisruptionBudget').find((p) =>
        selects(at(p, 'spec.selector.matchLabels'), templateLabels),
      );
      expect(pdb, `a PodDisruptionBudget selects ${view.name}`).toBeDefined();
      expect(at(pdb, 'spec.maxUnavailable')).toBe(1);
      const port = grpcPort(view);
      expect(portOf(flagValue(view.args, 'listen') ?? '')).toBe(port);
      expect(portOf(flagValue(view.args, 'metrics-listen') ?? '')).toBe(view.ports.get('metrics'));
      expect(exposedPorts(stages, view.kind)).toEqual(expect.arrayContaining([...view.ports.values()]));
      // Kubernetes' own gRPC probes cannot speak TLS: startup and readiness run probe.mjs (grpc.health.v1
      // over TLS with the pod's certificate, at this pod's gRPC port); liveness is an HTTP GET of /metrics.
      for (const probe of ['startupProbe', 'readinessProbe']) {
        const command = asArray(at(view.container, `${probe}.exec.command`), `${view.name} ${probe}`).map(
          (w) => asString(w, 'word'),
        );
        expect(command.slice(0, 2), `${view.name} ${probe} runs probe.mjs`).toEqual([
          'node',
          '/app/deploy/local/probe.mjs',
        ]);
        expect(command.at(-1)).toBe(`${view.kind},self,127.0.0.1:${port},-`);
        for (const flag of ['tls-ca', 'tls-cert', 'tls-key']) {
          expect(flagValue(command, flag), `${view.name} ${probe} --${flag}`).toBe(
            flagValue(view.args, flag),
          );
        }
        expect(Number(at(view.container, `${probe}.timeoutSeconds`))).toBeGreaterThanOrEqual(2);
      }
      expect(at(view.container, 'livenessProbe.httpGet.path')).toBe('/metrics');
      const livenessPort = at(view.container, 'livenessProbe.httpGet.port');
      expect(typeof livenessPort === 'string' ? view.ports.get(livenessPort) : livenessPort).toBe(
        view.ports.get('metrics'),
      );
      // The liveness probe is plain HTTP: /metrics must not be HTTPS.
      expect(flagsIn(view.args)).not.toContain('metrics-tls');
      // $(VAR) in args must be defined in env (Kubernetes leaves an unknown one as literal text).
      const env = asArray(view.container.env, 'env').map((e) => asString(at(e, 'name'), 'env name'));
      for (const reference of view.args.join(' ').matchAll(/\$\(([A-Z_]+)\)/g))
        expect(env).toContain(reference[1]);
      const mounts = asArray(view.container.volumeMounts, 'volumeMounts').map((m) => asRecord(m, 'mount'));
      const claim = asString(
        at(asArray(at(view.manifest, 'spec.volumeClaimTemplates'), 'claims')[0], 'metadata.name'),
        'claim',
      );
      expect(mounts.find((m) => m.name === claim)?.mountPath).toBe(flagValue(view.args, 'data-dir'));
      expect(mounts.find((m) => m.mountPath === '/etc/tributary/config')?.name).toBe('config');
      const ids = view.podConfigs.map((config) => config['node-id'] ?? config.nodeId);
      expect(new Set(ids).size, `${view.name} pods have distinct node ids`).toBe(view.replicas);
    }
    const controller = views.controller;
    const voters = parseVoters(flagValue(controller.args, 'voters') ?? '');
    // Namespaced pod DNS names: a node certificate names them with one wildcard, *.SERVICE.NAMESPACE.svc.
    expect(voters).toEqual(
      controller.podConfigs.map((config, ordinal) => ({
        id: config['node-id'] ?? config.nodeId,
        host: `${controller.name}-${ordinal}.${asString(at(controller.manifest, 'spec.serviceName'), 'serviceName')}.$(POD_NAMESPACE).svc`,
        port: grpcPort(controller),
      })),
    );
    const brokerArgs = views.broker.args;
    expect(flagValue(brokerArgs, 'controllers')).toBe(voters.map((v) => `${v.host}:${v.port}`).join(','));
    const advertised = flagValue(brokerArgs, 'advertised-address') ?? '';
    expect(hostOf(advertised)).toBe(
      `$(POD_NAME).${asString(at(views.broker.manifest, 'spec.serviceName'), 'serviceName')}.$(POD_NAMESPACE).svc`,
    );
    expect(hostOf(flagValue(brokerArgs, 'kafka-advertised') ?? '')).toBe(hostOf(advertised));
    expect(portOf(advertised)).toBe(grpcPort(views.broker));
  });

  it('runs every process secure: TLS files from a Secret or volume, authentication, the same ACL settings', () => {
    const processes = securedProcesses();
    expect(processes.length).toBe(6 + 6 + 2 + 6);
    const superUsers = new Set(processes.map((p) => p.settings.get('super-users')));
    expect([...superUsers], 'every process has the same --super-users').toEqual(['User:admin;User:node']);
    expect(processes.flatMap((p) => securityProblems(p, 'User:admin;User:node'))).toEqual([]);
    // Within a target, every controller and every broker takes the same TLS files and client-auth.
    for (const target of ['compose', 'kubernetes'] as const) {
      for (const kind of KINDS) {
        const group = processes.filter((p) => p.target === target && p.kind === kind);
        for (const flag of [...TLS_FILE_FLAGS, 'tls-client-auth']) {
          expect(new Set(group.map((p) => p.settings.get(flag))).size, `${target} ${kind}s: --${flag}`).toBe(
            1,
          );
        }
      }
    }
  });

  it('finds what is not secure (the check itself)', () => {
    const insecure: SecuredProcess = {
      where: 'example',
      target: 'local',
      kind: 'controller',
      settings: settingsOfArgv([
        '--tls-ca',
        '/elsewhere/ca.pem',
        '--authorizer',
        'none',
        '--super-users',
        'User:node',
        '--password',
        'hunter2',
      ]),
      envNames: ['TRIB_PASSWORD'],
      secretDirs: ['/etc/tributary/tls'],
    };
    const problems = securityProblems(insecure, 'User:admin;User:node').join('\n');
    for (const expected of [
      '--tls-ca /elsewhere/ca.pem is not in a Secret/volume',
      'no --tls-cert',
      'controllers want client certificates',
      'authentication is not required',
      '--authorizer is none',
      '--super-users is User:node',
      'bootstrap SCRAM user undefined',
      'password carries a password inline',
      'TRIB_PASSWORD carries a password inline',
    ]) {
      expect(problems).toContain(expected);
    }
  });

  it('local: --secure off is plaintext, the default is secure', () => {
    const plain = settingsOfArgv(localScriptArgs('broker-1', ['--secure', 'off']));
    for (const flag of [...TLS_FILE_FLAGS, 'authorizer', 'require-authentication']) {
      expect(plain.has(flag), `--secure off: no --${flag}`).toBe(false);
    }
    expect(settingsOfArgv(localScriptArgs('broker-1')).get('authorizer')).toBe('standard');
  });

  it('compose: tls-init makes the certificates and the admin password once, into the mounted volumes', () => {
    const services = asRecord(compose().services, 'services');
    const init = asRecord(services['tls-init'], 'tls-init');
    const script = asArray(init.command, 'tls-init.command').join('\n');
    const controller = composeServices().find((service) => service.kind === 'controller');
    if (controller === undefined) throw new Error('no controller service');
    const settings = settingsOfEnv(controller.environment);
    const tlsDir = (settings.get('tls-ca') ?? '').replace(/\/[^/]+$/, '');
    const passwordFile = settings.get('bootstrap-scram-password-file') ?? '';
    expect(script).toContain(`trib dev-certs ${tlsDir}`);
    expect(script).toContain(`> ${passwordFile}`);
    for (const flag of TLS_FILE_FLAGS) expect(settings.get(flag)?.startsWith(`${tlsDir}/`)).toBe(true);
    // The node certificate names every service (what the others dial) and 127.0.0.1 (the health check).
    const hosts = /--hosts\s+(\S+)/.exec(script)?.[1]?.split(',') ?? [];
    expect(hosts).toEqual(expect.arrayContaining([...composeServices().map((s) => s.name), '127.0.0.1']));
    // Every process waits for it, and mounts its volumes where it writes.
    const initMounts = asArray(init.volumes, 'tls-init.volumes').map((v) => asString(v, 'volume'));
    for (const service of composeServices()) {
      const dependsOn = asRecord(service.service.depends_on, `${service.name}.depends_on`);
      expect(at(dependsOn, 'tls-init.condition')).toBe('service_completed_successfully');
      for (const mount of composeMounts(service).filter((m) => m.readOnly)) {
        expect(initMounts).toContain(`${mount.volume}:${mount.path}`);
      }
    }
    // The image has those directories, owned by its user, so new named volumes are writable by tls-init.
    const runs = dockerfile()
      .stages.flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.value)
      .join(' ');
    expect(runs).toContain(tlsDir);
    expect(runs).toContain(passwordFile.replace(/\/[^/]+$/, ''));
  });

  it('kubernetes: the Secrets are referenced, never defined in the manifests', () => {
    const manifests = kubernetesManifests();
    expect(byKind(manifests, 'Secret')).toEqual([]);
    const secretNames = new Set<string>();
    for (const kind of KINDS) {
      const view = statefulSet(manifests, kind);
      for (const volume of asArray(at(view.manifest, 'spec.template.spec.volumes'), 'volumes')) {
        const secret = asRecord(volume, 'volume').secret;
        if (secret !== undefined) secretNames.add(asString(at(secret, 'secretName'), 'secretName'));
      }
    }
    expect([...secretNames].sort()).toEqual(['tributary-admin', 'tributary-tls']);
  });

  it('systemd: the units run the built bins as a non-root user, restart on failure, stop slowly', () => {
    for (const kind of KINDS) {
      const unit = unitFor(kind);
      const one = (key: string) => unit.get(key)?.at(-1);
      expect(one('User')).toBeDefined();
      expect(['root', '0']).not.toContain(one('User'));
      expect(one('Restart')).toBe('on-failure');
      expect(Number(one('LimitNOFILE'))).toBeGreaterThanOrEqual(65_536);
      expect(Number(one('TimeoutStopSec'))).toBeGreaterThanOrEqual(30);
      expect(one('KillSignal')).toBe('SIGTERM');
      // `systemctl reload` re-reads the TLS files (certificate rotation without a restart).
      expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
      expect(one('EnvironmentFile')).toBe(`/etc/tributary/${kind}-%i.env`);
      const execStart = (one('ExecStart') ?? '').split(/\s+/);
      expect(execStart[1]).toBe(`/opt/tributary/${BIN_REPO_PATHS[kind]}`);
      expect(flagValue(execStart, 'node-id')).toBe('%i');
    }
  });
});
