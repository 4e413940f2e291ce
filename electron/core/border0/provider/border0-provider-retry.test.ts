/**
 * Passing answers never lose a publication (429 waits for Retry-After, 5xx backs off, a socket
 * deleted under us is made again), each retry goes on from the step that failed; sockets this
 * client cannot carry are refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../../../test-support/border0-standin';
import { providerBed } from './provider-test-helpers';

const bed = providerBed('border0-provider-retry-test-');
const creates = (name: string, from: number) => bed.standin.requests.slice(from).filter((r) => r.method === 'POST' && r.path === '/api/v1/socket' && (r.body as { name?: string })?.name === name);
const socketCall = (name: string, method: string, tail: string) => (r: RecordedRequest) => {
  const s = bed.standin.sockets.find((x) => x.name === name);
  return !!s && r.method === method && r.path === `/api/v1/socket/${s.socket_id}${tail}`;
};

describe('border0 provider: transient answers', () => {
  it('429 after the socket exists: waits for Retry-After, says so, and goes on with the same socket', async () => {
    const name = 'clab-retry-n1-tcp-22';
    const from = bed.standin.requests.length;
    bed.standin.failWhen(socketCall(name, 'POST', '/tunnel'), 429, { error_message: 'slow down' }, { 'Retry-After': '1' });
    const f = bed.open({ lab: 'retry', node: 'n1', port: 22, type: 'tcp' });
    const waiting = await f.statuses.until('reconnecting');
    expect(waiting.reason).toBe('border0 is rate limiting requests: backing off');
    expect(waiting.nextRetryAt! - Date.now()).toBeLessThanOrEqual(1000);
    await f.statuses.until('online');
    expect(creates(name, from)).toHaveLength(1);
  });

  it('a 5xx while attaching policies backs off and attaches them on the next try, with one socket', async () => {
    bed.standin.setPolicies(['engineers']);
    const name = 'clab-retry-n1-ssh-22';
    const from = bed.standin.requests.length;
    bed.standin.failWhen(socketCall(name, 'PUT', '/policy'), 503, { message: 'maintenance' });
    const f = bed.open({ lab: 'retry', node: 'n1', port: 22, type: 'ssh', access: ['engineers'], accessKind: 'policies' });
    expect((await f.statuses.until('reconnecting')).reason).toBe('maintenance (border0 answered 503 to PUT socket/' + bed.standin.sockets.find((s) => s.name === name)!.socket_id + '/policy)');
    await f.statuses.until('online');
    expect(creates(name, from)).toHaveLength(1);
    expect(bed.standin.sockets.find((s) => s.name === name)!.policies.map((p) => p.name)).toEqual(['engineers']);
  });

  it('a socket deleted at border0 while it was being set up is made again', async () => {
    const name = 'clab-retry-n2-tcp-22';
    const from = bed.standin.requests.length;
    // Someone deletes it in the portal right after it was made: every later call is a 404.
    const deleteIt = socketCall(name, 'POST', '/tunnel');
    bed.standin.failWhen((r) => deleteIt(r) && bed.standin.dropSocket(name), 404, { error_message: 'socket not found' });
    const f = bed.open({ lab: 'retry', node: 'n2', port: 22, type: 'tcp' });
    expect((await f.statuses.until('reconnecting')).reason).toBe(`socket ${name} is gone at border0: making it again`);
    await f.statuses.until('online');
    expect(creates(name, from)).toHaveLength(2);
    expect(bed.standin.sockets.filter((s) => s.name === name)).toHaveLength(1);
  });
});

describe('border0 provider: sockets it cannot carry', () => {
  it('refuses end-to-end encryption and connector authentication with the reason, and deletes the socket', async () => {
    try {
      bed.standin.setOrgSocketDefaults({ end_to_end_encryption_enabled: true });
      const e2e = bed.open({ lab: 'strict', node: 'n1', port: 22, type: 'tcp' });
      const failed = await e2e.statuses.until('failed');
      expect(failed.reason).toBe(
        'border0 socket clab-strict-n1-tcp-22 has end-to-end encryption on (set by your organisation): every connection would start with a TLS handshake clab-publisher does not do, ' +
          "so it does not carry this socket rather than pass garbled bytes (turn end-to-end encryption off for clab-publisher's sockets (or as the organisation's default) in the border0 portal, then publish again)",
      );
      bed.standin.setOrgSocketDefaults({ connector_authentication_enabled: true });
      const ca = bed.open({ lab: 'strict', node: 'n1', port: 80, type: 'http' });
      expect((await ca.statuses.until('failed')).reason).toContain('has connector authentication on');
      for (const name of ['clab-strict-n1-tcp-22', 'clab-strict-n1-http-80']) await bed.logged(new RegExp(`^socket ${name} \\([0-9a-f-]+\\) deleted at border0$`));
      expect(bed.standin.sockets.filter((s) => s.name.startsWith('clab-strict-'))).toEqual([]);
      expect(e2e.statuses.all.some((s) => s.state === 'online')).toBe(false);
    } finally {
      bed.standin.setOrgSocketDefaults({});
    }
  });
});
