import { z } from 'zod';

// Shapes of the border0 API answers (docs/border0.md, "Sockets and tunnels"). The service is
// written in Go, which sends empty lists as `null`, and fields come and go between versions:
// lists and maps default to empty, unknown fields are kept so an update does not drop them.

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const tunnelSchema = z.looseObject({
  tunnel_id: z.string(),
  local_port: z.number().int().default(0),
  tunnel_server: z.string().default(''),
});

export const policySchema = z.looseObject({ id: z.string(), name: z.string() });

export const socketSchema = z.looseObject({
  socket_id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  dnsname: z.string().default(''),
  /** `http|tls|ssh|database` (more for connector sockets); kept open because the service adds types. */
  socket_type: z.string(),
  /** For http sockets `http` or `https`: how border0 talks to the node. */
  upstream_type: z.string().nullish(),
  socket_tcp_ports: list(z.number().int()),
  cloud_authentication_enabled: z.boolean().default(false),
  /** Spelled with three s by the service. */
  cloud_authentication_email_allowed_addressses: list(z.string()),
  cloud_authentication_email_allowed_domains: list(z.string()),
  policy_names: list(z.string()),
  /** The policies attached to the socket (`PUT socket/{id}/policy`). */
  policies: list(policySchema),
  /** Set by the organisation: every forwarded connection starts with a TLS handshake this app does not do. */
  end_to_end_encryption_enabled: z.boolean().nullish(),
  connector_authentication_enabled: z.boolean().nullish(),
  tags: z
    .record(z.string(), z.string())
    .nullish()
    .transform((v) => v ?? {}),
  tunnels: list(tunnelSchema),
});

/** A page of a paginated list (border0-go `client/pagination.go`); `next_page` 0 means the last one. */
export const socketPageSchema = z.looseObject({
  list: z
    .array(socketSchema)
    .nullable()
    .transform((v) => v ?? []),
  pagination: z.looseObject({ next_page: z.number().int().default(0) }).default({ next_page: 0 }),
});

export const tokenAnswerSchema = z.looseObject({ token: z.string() });
export const deviceStatusSchema = z.looseObject({ token: z.string().nullish().transform((v) => v ?? ''), state: z.string().default('') });
export const loginAnswerSchema = z.looseObject({ token: z.string(), require_mfa: z.boolean().default(false) });
export const signKeyAnswerSchema = z.looseObject({ signed_ssh_cert: z.string().min(1), host_key: z.string().min(1) });

export type Border0Tunnel = z.infer<typeof tunnelSchema>;
export type Border0Socket = z.infer<typeof socketSchema>;
export type Border0Policy = z.infer<typeof policySchema>;
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;
export type LoginAnswer = z.infer<typeof loginAnswerSchema>;
export type SignKeyAnswer = z.infer<typeof signKeyAnswerSchema>;

/** The socket types the service takes (border0-go `CreateSocket`); `https` and `tcp` are not among them. */
export type Border0SocketType = 'http' | 'tls' | 'ssh' | 'database';

/**
 * What `POST socket` takes; the service fills in id, DNS name and tunnels. Policies are not
 * part of it: they are attached once the socket exists (`attachPolicies`).
 */
export interface SocketCreate {
  name: string;
  socket_type: Border0SocketType;
  /** `http`/`https` for http sockets, `ssh` for ssh sockets. */
  upstream_type?: string;
  description?: string;
  socket_tcp_ports?: number[];
  cloud_authentication_enabled?: boolean;
  cloud_authentication_email_allowed_addressses?: string[];
  cloud_authentication_email_allowed_domains?: string[];
  tags?: Record<string, string>;
}

/** `PUT socket/{id}` body: any subset of the creatable fields. */
export type SocketUpdate = Partial<SocketCreate>;
