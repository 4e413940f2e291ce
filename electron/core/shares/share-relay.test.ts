/**
 * Source allow-lists through the SSH relay: a real OpenSSH sshd forwards public connections
 * over the relay link, and the share judges each by the originator address of its forwarded
 * channel (what sshd saw as the client), before the node is dialled.
 */
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type TestSshd } from '../../../test-support/sshd';
import { accepts } from '../../../test-support/net-client';
import { waitFor } from '../../../test-support/wait-for';
import { startShareCore, type ShareCore } from './share-test-helpers';

// The relay binds its forwards on 127.0.0.1 only: with sshd's default (loopback, both
// families) a port free on ::1 may be taken on 127.0.0.1 by another program on a busy machine,
// and a connection to 127.0.0.1 would then reach that program instead of the relay.
let sshd: TestSshd;

/** Sends `text` from `localAddress` and resolves with the echo, or null when closed unanswered. */
function echoFrom(localAddress: string, port: number, text: string): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const c = net.connect({ host: '127.0.0.1', port, localAddress, allowHalfOpen: true }, () => c.write(text));
    c.on('data', (b) => {
      chunks.push(b);
      if (Buffer.concat(chunks).length >= text.length) c.end();
    });
    c.on('end', () => c.end()); // the relay closed its side (a refused channel): close ours
    c.on('error', () => undefined);
    c.on('close', () => resolve(chunks.length ? Buffer.concat(chunks).toString() : null));
  });
}

describe('a share through the SSH relay', () => {
  let core: ShareCore;
  let pub: string;
  let relayPort: number;

  beforeAll(async () => {
    sshd = await startSshd({ extraConfig: 'GatewayPorts clientspecified' });
    core = await startShareCore({ relay: sshd, relayBind: '127.0.0.1' });
    pub = core.publications.add({ host: 'local', lab: 'lab1', node: 'r2', port: core.echo.port, type: 'tcp', provider: 'ssh', access: [] }).id;
    relayPort = (await core.tunnel(pub, 'online on the relay', (t) => t.state === 'online' && !!t.endpoint)).endpoint!.port;
  });
  afterAll(async () => {
    await core?.dispose();
    await sshd?.stop();
    if (sshd) fs.rmSync(sshd.dir, { recursive: true, force: true });
  });

  it('admits 127.0.0.2 and refuses 127.0.0.1 by the forwarded channel\'s originator, auditing the source', async () => {
    const s = core.shares.create({ host: 'local', lab: 'lab1', until: 'never', allow: ['127.0.0.2'], includeCredentials: false });
    expect(await echoFrom('127.0.0.1', relayPort, 'blocked')).toBeNull();
    expect(core.echo.received).toBe(0);
    expect(await echoFrom('127.0.0.2', relayPort, 'through the relay')).toBe('through the relay');
    const audit = await waitFor((l) => core.shares.onAuditChanged(l), () => {
      const a = core.shares.audit(s.id);
      return a.records.length === 2 && a.records[1].end !== undefined && a;
    }, 'both connections audited');
    expect(audit.records.map((r) => [r.source, r.refused])).toEqual([
      ['127.0.0.1', true],
      ['127.0.0.2', false],
    ]);

    // Stop sharing: the relay forward is cancelled, the relay port closes.
    core.shares.revoke(s.id);
    await core.tunnel(pub, 'held closed', (t) => t.state === 'stopped');
    await expect.poll(() => accepts('127.0.0.1', relayPort)).toBe(false);
  });
});
