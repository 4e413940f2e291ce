/**
 * The one list of everything the UI may ask of the core, and everything the core pushes.
 * The Electron IPC bridge, the headless host's JSON-RPC endpoint, `rpc.discover` and the
 * renderer's client are all derived from this file; nothing else names a method.
 */
import { z } from 'zod';
import type { LabTopologyState } from './topology-model';
import type {
  Lab,
  LabHostStatus,
  LogEntry,
  ProviderInfo,
  Publication,
  Tunnel,
} from './model';
import { LOG_LEVELS, PUBLICATION_TYPES } from './model';

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only');
const port = z.number().int().min(1).max(65535);
const id = z.string().min(1).max(128);
const hostPort = z.string().min(1).max(253);

const localSettings = z.strictObject({
  id: z.literal('local'),
  /** Address of this computer the listeners bind to (127.0.0.1 unless the user opens it up). */
  bindAddress: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]),
});
const sshSettings = z.strictObject({
  id: z.literal('ssh'),
  host: hostPort,
  port: port.default(22),
  user: z.string().min(1).max(64),
  /** Private key file on the machine running the core; read there, never sent to the UI. */
  keyFile: z.string().max(4096).optional(),
  /** Use the ssh-agent named by SSH_AUTH_SOCK instead of a key file. */
  useAgent: z.boolean().default(false),
  /** Address the relay binds forwards to; empty lets the relay decide (GatewayPorts). */
  bindAddress: z.string().max(253).default(''),
  /** Name people use to reach the relay, when it differs from `host`. */
  publicHost: z.string().max(253).optional(),
});

/** Every method: parameter schema and (phantom) result type. */
export const methods = {
  /** Every method with the JSON Schema of its parameters. */
  'rpc.discover': { params: z.strictObject({}), result: {} as { methods: { name: string; description: string; params: unknown }[]; events: string[] } },
  /** Lab hosts (local Docker for now) and whether they answer. */
  'hosts.list': { params: z.strictObject({}), result: [] as LabHostStatus[] },
  /** Running labs grouped by the `containerlab` label, with their nodes and ports. */
  'labs.list': { params: z.strictObject({}), result: [] as Lab[] },
  'publications.list': { params: z.strictObject({}), result: [] as Publication[] },
  /** Publish one node port. Refused when the same node port is already published. */
  'publications.add': {
    params: z.strictObject({
      host: z.string().min(1).max(253).default('local'),
      lab: name,
      node: name,
      port,
      type: z.enum(PUBLICATION_TYPES),
      provider: id.default('local'),
      access: z.array(z.string().min(1).max(320)).max(100).default([]),
      publicPort: z.number().int().min(0).max(65535).optional(),
    }),
    result: {} as { id: string },
  },
  'publications.remove': { params: z.strictObject({ id }), result: {} as Record<string, never> },
  'tunnels.list': { params: z.strictObject({}), result: [] as Tunnel[] },
  'providers.list': { params: z.strictObject({}), result: [] as ProviderInfo[] },
  /** Change a provider's settings; tunnels using it reconnect with the new ones. */
  'providers.configure': {
    params: z.discriminatedUnion('id', [localSettings, sshSettings]),
    result: {} as Record<string, never>,
  },
  /** Trust the host key a relay presented (trust on first use, confirmed by the user). */
  'providers.trustHostKey': {
    params: z.strictObject({ id, fingerprint: z.string().min(8).max(128) }),
    result: {} as Record<string, never>,
  },
  /** Forget a stored relay host key (after the user checked why it changed). */
  'providers.forgetHostKey': { params: z.strictObject({ id }), result: {} as Record<string, never> },
  /** Every known lab's topology file, its publish entries, problems and publish settings. */
  'topology.list': { params: z.strictObject({}), result: [] as LabTopologyState[] },
  /** Use a topology file the user names (path on the machine running the core). */
  'topology.open': {
    params: z.strictObject({ host: z.string().min(1).max(253).default('local'), path: z.string().min(1).max(4096) }),
    result: {} as LabTopologyState,
  },
  /** Per-lab publish settings: auto-publish, grammar override (null = detect), provider. */
  'topology.configure': {
    params: z.strictObject({
      host: z.string().min(1).max(253).default('local'),
      lab: name,
      autoPublish: z.boolean().optional(),
      grammar: z.enum(['mysocketio', 'border0']).nullable().optional(),
      provider: id.optional(),
    }),
    result: {} as LabTopologyState,
  },
  /** Write a publication made in the UI into its node's `publish` list in the file. */
  'topology.saveToFile': {
    params: z.strictObject({ publicationId: id }),
    result: {} as { file: string; line: number; backupFile: string },
  },
  'logs.query': {
    params: z.strictObject({
      tunnelId: id.optional(),
      level: z.enum(LOG_LEVELS as [string, ...string[]]).optional(),
      text: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(100000).default(500),
    }),
    result: [] as LogEntry[],
  },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsIn<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParamsOut<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = Methods[M]['result'];
export const METHOD_NAMES = Object.keys(methods) as MethodName[];

/** Everything the core pushes, with its payload. */
export interface Events {
  'hosts.changed': LabHostStatus[];
  'labs.changed': Lab[];
  'publications.changed': Publication[];
  'tunnels.changed': Tunnel[];
  'providers.changed': ProviderInfo[];
  'topology.changed': LabTopologyState[];
  'logs.appended': LogEntry[];
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = [
  'hosts.changed',
  'labs.changed',
  'publications.changed',
  'tunnels.changed',
  'providers.changed',
  'topology.changed',
  'logs.appended',
];

export type ErrorCode =
  | 'invalid_params'
  | 'method_not_found'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'refused'
  | 'internal';

export interface RpcError {
  code: ErrorCode;
  message: string;
  /** Where in the parameters, for invalid_params: e.g. `port`. */
  field?: string;
  hint?: string;
}

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: RpcError };

/** What both the preload bridge and the WebSocket client implement for the renderer. */
export type Api = {
  [M in MethodName]: (params: ParamsIn<M>) => Promise<Result<M>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};
