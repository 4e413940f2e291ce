/**
 * The one list of everything the UI may ask of the core, and everything the core pushes.
 * The Electron IPC bridge, the headless host's JSON-RPC endpoint, `rpc.discover` and the
 * renderer's client are all derived from this file; nothing else names a method.
 */
import { z } from 'zod';
import type { LabTopologyState } from './topology-model';
import type { AccountInfo, TokenCandidate } from './account-model';
import type {
  Lab,
  LabHostStatus,
  LogEntry,
  LogFileStatus,
  ProviderInfo,
  Publication,
  Tunnel,
} from './model';
import { LOG_LEVELS, PUBLICATION_TYPES } from './model';
import type { ShareCard } from './share-card-model';
import type { Share, ShareAudit } from './share-model';
import type { TerminalOutputChunk, TerminalRecordingInfo, TerminalScreen, TerminalSessionInfo } from './terminal-model';
import { AUDIT_LIMIT_MAX } from './share-model';
import { allowList, attendeeId, attendeeName, auditLimit, sharePortParam, shareTitle, shareUntil, terminalGrant } from './share-schemas';
import type { IssuedLink, ShareAudience } from './audience-model';
import { IDLE_TIMEOUT_MAX_MIN, MAX_SESSIONS_LIMIT } from './audience-model';

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only');
const port = z.number().int().min(1).max(65535);
const id = z.string().min(1).max(128);
const hostPort = z.string().min(1).max(253);
const udpIdleSeconds = z.number().int().min(5).max(3600);

const localSettings = z.strictObject({
  id: z.literal('local'),
  /** Address of this computer the listeners bind to (127.0.0.1 unless the user opens it up). */
  bindAddress: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]),
  /** UDP publications: seconds a peer may stay silent before its socket to the node is closed. */
  udpIdleSeconds: udpIdleSeconds.optional(),
});
const border0Settings = z.strictObject({
  id: z.literal('border0'),
  /**
   * Override the service's URLs (BORDER0_API / BORDER0_WEB_URL / BORDER0_TUNNEL by default); '' goes
   * back to the default. https only, except on loopback (the core checks it and names the field);
   * a new API or portal URL signs the account out first.
   */
  apiUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2048)]).optional(),
  portalUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2048)]).optional(),
  tunnelServer: z.string().max(260).optional(),
  /** HTTP CONNECT proxy for API calls and the SSH dataplane, `http(s)://[user:pass@]host:port`; '' removes it. */
  proxy: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2048)]).optional(),
  /** Account limits checked before any API call. */
  limitTcp: z.number().int().min(0).max(10000).optional(),
  limitHttp: z.number().int().min(0).max(10000).optional(),
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
  /** UDP publications: seconds a peer may stay silent before its socket to the node is closed. */
  udpIdleSeconds: udpIdleSeconds.optional(),
});

/** Every method: parameter schema and (phantom) result type. */
export const methods = {
  /** Every method with the JSON Schema of its parameters. */
  'rpc.discover': { params: z.strictObject({}), result: {} as { methods: { name: string; description: string; params: unknown }[]; events: string[] } },
  /** Lab hosts (local Docker for now) and whether they answer. */
  'hosts.list': { params: z.strictObject({}), result: [] as LabHostStatus[] },
  /** Running labs grouped by the `containerlab` label, with their nodes and ports. */
  'labs.list': { params: z.strictObject({}), result: [] as Lab[] },
  /** Adds a lab host reached over SSH: its Docker API and node ports go through that connection. */
  'hosts.add': {
    params: z.strictObject({
      url: z.string().regex(/^ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.:_[\]-]+(:\d{1,5})?$/, 'expected ssh://user@host[:port]'),
      label: z.string().min(1).max(64).optional(),
      keyFile: z.string().max(4096).optional(),
      useAgent: z.boolean().default(false),
    }),
    result: {} as LabHostStatus,
  },
  'hosts.remove': { params: z.strictObject({ id }), result: {} as Record<string, never> },
  /** Trust the host key a lab host presented (trust on first use, confirmed by the user). */
  'hosts.trustHostKey': { params: z.strictObject({ id, fingerprint: z.string().min(8).max(128) }), result: {} as Record<string, never> },
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
      /** What `access` names; emails/domains unless said otherwise. */
      accessKind: z.enum(['emails-domains', 'policies']).optional(),
      publicPort: z.number().int().min(0).max(65535).optional(),
    }),
    result: {} as { id: string },
  },
  'publications.remove': { params: z.strictObject({ id }), result: {} as Record<string, never> },
  'tunnels.list': { params: z.strictObject({}), result: [] as Tunnel[] },
  'providers.list': { params: z.strictObject({}), result: [] as ProviderInfo[] },
  /** Change a provider's settings; tunnels using it reconnect with the new ones. */
  'providers.configure': {
    params: z.discriminatedUnion('id', [localSettings, sshSettings, border0Settings]),
    result: {} as Record<string, never>,
  },
  /** Trust the host key a relay presented (trust on first use, confirmed by the user). */
  'providers.trustHostKey': {
    params: z.strictObject({ id, fingerprint: z.string().min(8).max(128) }),
    result: {} as Record<string, never>,
  },
  /** Forget a stored relay host key (after the user checked why it changed). */
  'providers.forgetHostKey': { params: z.strictObject({ id }), result: {} as Record<string, never> },
  /** Accounts with the tunnel services: who is logged in and until when (never the token). */
  'accounts.list': { params: z.strictObject({}), result: [] as AccountInfo[] },
  /** Starts the browser login; open the returned URL (the desktop app opens its own window). */
  'accounts.login': { params: z.strictObject({ provider: z.literal('border0') }), result: {} as { url: string } },
  'accounts.loginCancel': { params: z.strictObject({ provider: z.literal('border0') }), result: {} as Record<string, never> },
  /** Email and password (older accounts); may ask for an MFA code next. */
  'accounts.loginPassword': {
    params: z.strictObject({ provider: z.literal('border0'), email: z.email().max(320), password: z.string().min(1).max(1024) }),
    result: {} as { mfaRequired: boolean },
  },
  'accounts.loginMfa': { params: z.strictObject({ provider: z.literal('border0'), code: z.string().regex(/^\d{4,10}$/, 'digits only') }), result: {} as Record<string, never> },
  /** Token files other tools wrote, offered for import. */
  'accounts.tokenCandidates': { params: z.strictObject({ provider: z.literal('border0') }), result: [] as TokenCandidate[] },
  'accounts.importToken': {
    params: z.strictObject({ provider: z.literal('border0'), path: z.string().min(1).max(4096).optional(), env: z.boolean().optional() }),
    result: {} as AccountInfo,
  },
  /** Writes the token (0600) to `.border0_token`, `.mysocketio_token` or `~/.border0/token`. */
  'accounts.exportToken': { params: z.strictObject({ provider: z.literal('border0'), path: z.string().min(1).max(4096) }), result: {} as { path: string } },
  'accounts.logout': { params: z.strictObject({ provider: z.literal('border0') }), result: {} as Record<string, never> },
  /** Every known lab's topology file, its publish entries, problems and publish settings. */
  'topology.list': { params: z.strictObject({}), result: [] as LabTopologyState[] },
  /** Use a topology file the user names (path on the machine running the core). */
  'topology.open': {
    params: z.strictObject({ host: z.string().min(1).max(253).default('local'), path: z.string().min(1).max(4096) }),
    result: {} as LabTopologyState,
  },
  /**
   * Per-lab publish settings: auto-publish, grammar override (null = detect), provider, and
   * the opt-in to publish a lab someone else deployed (for its current owner; false withdraws).
   */
  'topology.configure': {
    params: z.strictObject({
      host: z.string().min(1).max(253).default('local'),
      lab: name,
      autoPublish: z.boolean().optional(),
      optIn: z.boolean().optional(),
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
  // --- shares: one lab's published ports handed to an audience (see shared/share-model.ts) ---
  /** Every share with its state (open, expiring, expired, revoked). */
  'shares.list': { params: z.strictObject({}), result: [] as Share[] },
  /** Share a lab: all its published ports unless `ports` names some. */
  'shares.create': {
    params: z.strictObject({
      host: z.string().min(1).max(253).default('local'),
      lab: name,
      title: shareTitle.optional(),
      ports: z.array(sharePortParam).max(500).optional(),
      /** A preset, an epoch-ms time, or `never` (until the owner stops sharing). */
      until: shareUntil.default('never'),
      allow: allowList.default([]),
      includeCredentials: z.boolean().default(false),
      auditLimit: auditLimit.optional(),
    }),
    result: {} as Share,
  },
  /** Change a share's title, ports, rules or audit size; an ended share stays ended. */
  'shares.update': {
    params: z.strictObject({
      id,
      title: shareTitle.optional(),
      ports: z.array(sharePortParam).min(1).max(500).optional(),
      allow: allowList.optional(),
      includeCredentials: z.boolean().optional(),
      auditLimit: auditLimit.optional(),
    }),
    result: {} as Share,
  },
  /** A new end (or none): reopens an expired or stopped share. */
  'shares.extend': { params: z.strictObject({ id, until: shareUntil }), result: {} as Share },
  /** Stop sharing: every port of the share closes and open connections are cut. */
  'shares.revoke': { params: z.strictObject({ id }), result: {} as Share },
  /** Forget a share; its ports become plain publications again, or are unpublished with `unpublish`. */
  'shares.remove': { params: z.strictObject({ id, unpublish: z.boolean().default(false) }), result: {} as Record<string, never> },
  /** The user (and password, kept encrypted in the core) the card names for one node. */
  'shares.setCredentials': {
    params: z.strictObject({
      id,
      node: name,
      user: z.string().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits, ".", "_", "@" and "-" only'),
      /** A string sets it, null removes it, absent keeps it. */
      password: z.string().min(1).max(256).nullable().optional(),
    }),
    result: {} as Share,
  },
  /** The share card: per port the service, address and ready command; ssh_config; Markdown. */
  'shares.card': { params: z.strictObject({ id }), result: {} as ShareCard },
  /** Every connection through the share's ports, and who connected. */
  'shares.audit': { params: z.strictObject({ id, limit: z.number().int().min(1).max(AUDIT_LIMIT_MAX).optional() }), result: {} as ShareAudit },
  /** The share's audience: attendees (never their secrets), the page's address and state, the terminal settings. */
  'shares.audience': { params: z.strictObject({ id }), result: {} as ShareAudience },
  /**
   * A named attendee, or the one "anyone with the link" entry. The answer carries the
   * personal link: the only time its secret leaves the core (it is stored as a hash).
   */
  'shares.addAttendee': {
    params: z.strictObject({ id, name: attendeeName.optional(), anyone: z.boolean().default(false) }),
    result: {} as IssuedLink,
  },
  /** A new link for an attendee (shown once); the old one stops at once, a revoked attendee is let in again. */
  'shares.reissueAttendee': { params: z.strictObject({ id, attendeeId }), result: {} as IssuedLink },
  /** The attendee's link stops: their page and terminal sessions end at once. */
  'shares.revokeAttendee': { params: z.strictObject({ id, attendeeId }), result: {} as ShareAudience },
  /** Revokes and forgets an attendee. */
  'shares.removeAttendee': { params: z.strictObject({ id, attendeeId }), result: {} as ShareAudience },
  /** Which nodes the page opens a terminal to (ssh with the share's logins, or the container engine), limits, recording. */
  'shares.setAudience': {
    params: z.strictObject({
      id,
      /** Every node's terminal at once (replaces the list)... */
      terminals: z.array(terminalGrant).max(500).optional(),
      /** ...or one node's: on with `ssh` or `engine`, or `off` (two owner windows never undo each other). */
      terminal: z.strictObject({ node: terminalGrant.shape.node, via: z.enum(['ssh', 'engine', 'off']) }).optional(),
      maxSessions: z.number().int().min(1).max(MAX_SESSIONS_LIMIT).optional(),
      idleTimeoutMin: z.number().int().min(1).max(IDLE_TIMEOUT_MAX_MIN).optional(),
      record: z.boolean().optional(),
    }),
    result: {} as ShareAudience,
  },
  // --- end of shares ---
  // --- terminals: shells on lab nodes, the audience's and the owner's (see shared/terminal-model.ts) ---
  /** Every open terminal session: attendees' and the owner's own. */
  'terminals.list': { params: z.strictObject({}), result: [] as TerminalSessionInfo[] },
  /** End any session (an attendee's too) at once. */
  'terminals.kill': { params: z.strictObject({ id }), result: {} as Record<string, never> },
  /**
   * Open the owner's own terminal on a node: SSH to a port of it (a login typed for this
   * session only, or the one a share stores for the node), or the container engine's shell.
   */
  'terminals.open': {
    params: z.strictObject({
      host: z.string().min(1).max(253).default('local'),
      lab: name,
      node: name,
      via: z.enum(['ssh', 'engine']),
      port: port.default(22),
      login: z
        .union([
          z.strictObject({ shareId: id }),
          z.strictObject({
            username: z.string().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits, ".", "_", "@" and "-" only'),
            /** Used for this login only: never stored, never sent back. */
            password: z.string().min(1).max(256).optional(),
            privateKey: z.string().min(1).max(16384).optional(),
          }),
        ])
        .optional(),
      cols: z.number().int().min(2).max(1000),
      rows: z.number().int().min(1).max(500),
      record: z.boolean().default(false),
    }),
    result: {} as TerminalSessionInfo,
  },
  /** Keystrokes (or a paste) for one of the owner's terminals. */
  'terminals.write': { params: z.strictObject({ id, data: z.string().min(1).max(65536) }), result: {} as Record<string, never> },
  'terminals.resize': {
    params: z.strictObject({ id, cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) }),
    result: {} as Record<string, never>,
  },
  'terminals.close': { params: z.strictObject({ id }), result: {} as Record<string, never> },
  /** The recent output of one of the owner's terminals, to draw it (again) from. */
  'terminals.screen': { params: z.strictObject({ id }), result: {} as TerminalScreen },
  /** Watch mode: show one of the owner's terminals read-only to a share's audience (null stops). */
  'terminals.setBroadcast': { params: z.strictObject({ id, shareId: id.nullable() }), result: {} as TerminalSessionInfo },
  /** Recorded sessions, newest first. */
  'terminals.recordings': { params: z.strictObject({}), result: [] as TerminalRecordingInfo[] },
  /** One recording as asciicast v2 text. */
  'terminals.readRecording': { params: z.strictObject({ id }), result: {} as { id: string; text: string } },
  'terminals.deleteRecording': { params: z.strictObject({ id }), result: {} as Record<string, never> },
  /** Forget a node's recorded SSH host key (after it changed and you checked why). */
  'terminals.forgetHostKey': { params: z.strictObject({ host: z.string().min(1).max(253).default('local'), lab: name, node: name }), result: {} as { forgotten: number } },
  // --- end of terminals ---
  'logs.query': {
    params: z.strictObject({
      tunnelId: id.optional(),
      level: z.enum(LOG_LEVELS as [string, ...string[]]).optional(),
      text: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(100000).default(500),
    }),
    result: [] as LogEntry[],
  },
  /** Whether the log file keeps up: entries not written to it (a full disk), and why. */
  'logs.status': { params: z.strictObject({}), result: {} as LogFileStatus },
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
  /** Every tunnel: sent when one is added, removed or changes state, endpoint or origin. */
  'tunnels.changed': Tunnel[];
  /**
   * Only the tunnels whose counters, throughput or health figures moved since the last tunnels
   * event, whole, at most 4 a second: a delta to apply by id over the last `tunnels.changed`
   * (which set the list, its order and every state). With 1,000 busy tunnels it carries the
   * few dozen that moved instead of the whole list. Each tunnel's `seq` orders its snapshots:
   * one older than the snapshot held (it arrived after a newer list) is dropped
   * (shared/tunnel-updates.ts).
   */
  'tunnels.updated': Tunnel[];
  'providers.changed': ProviderInfo[];
  'topology.changed': LabTopologyState[];
  'accounts.changed': AccountInfo[];
  'logs.appended': LogEntry[];
  'shares.changed': Share[];
  /**
   * Every share's audit revision, bumped by each new, finished or refused connection (and each
   * second while connections are open): a view fetches `shares.audit` when its share's moved.
   * A full snapshot, so a client that falls behind only needs the latest one.
   */
  'shares.auditChanged': { revisions: Record<string, number> };
  /** Every share's audience (attendees with their link state, the page), after any change. */
  'shares.audienceChanged': ShareAudience[];
  /** Every open terminal session (a full snapshot); byte counters move at most once a second. */
  'terminals.changed': TerminalSessionInfo[];
  /**
   * Output of the owner's own terminals, batched. Not a snapshot: a client that falls behind
   * may miss batches, which it sees as a gap in `seq` and answers with `terminals.screen`.
   */
  'terminals.output': TerminalOutputChunk[];
  'logs.status': LogFileStatus;
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = [
  'hosts.changed',
  'labs.changed',
  'publications.changed',
  'tunnels.changed',
  'tunnels.updated',
  'providers.changed',
  'topology.changed',
  'accounts.changed',
  'logs.appended',
  'shares.changed',
  'shares.auditChanged',
  'shares.audienceChanged',
  'terminals.changed',
  'terminals.output',
  'logs.status',
];

export type ErrorCode =
  | 'invalid_params'
  | 'method_not_found'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'refused'
  | 'unauthorized'
  | 'rate_limited'
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
