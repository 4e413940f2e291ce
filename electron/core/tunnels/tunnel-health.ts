import type net from 'node:net';
import type { ProbeResult, TunnelHealth } from '../../../shared/model';
import type { Logger } from '../logs/logger';
import type { Dialer } from '../labs/dialer';
import { normalizeAddress, probeEndpoint, probeUpstream } from './tcp-probe';
import { probeUdpEndpoint, probeUdpUpstream, type UdpRequest } from './udp-probe';

export interface HealthOptions {
  /** Time between probe rounds; production 15 s, tests shorten it. */
  intervalMs?: number;
  /** Upstream connect timeout: a node that does not answer within it is degraded. */
  timeoutMs?: number;
  /** End-to-end connect timeout: short, since it is only recorded. */
  endToEndTimeoutMs?: number;
}

type Target = { host: string; port: number };

/** How long an end-to-end probe may take to come back through the tunnel to be recognised. */
const ARRIVAL_MS = 5000;

/**
 * Probes one tunnel: the node's port (upstream) and, from this machine, the public endpoint
 * (end-to-end), every `intervalMs` and at once when either moves. One timer per tunnel, none
 * while the node is away. Only the upstream result can degrade the tunnel: the end-to-end
 * probe may fail from here while working from outside (NAT, firewall), so it is recorded.
 */
export class HealthMonitor {
  rttMs?: number;
  upstream?: ProbeResult;
  endToEnd?: ProbeResult;
  private target?: Target;
  private endpoint?: Target;
  private timer?: NodeJS.Timeout;
  private inflight?: Promise<void>;
  private again = false;
  private stopped = false;
  /** Probe connections on their way through the tunnel, by the address they come from. */
  private readonly expected = new Map<string, number>();
  /** A probe arrived unrecognisable (NAT): repeating it would count as users' connections. */
  private endToEndQuiet = false;
  /** Settles when the end-to-end probe in flight has connected (or failed). */
  private connecting?: Promise<void>;
  private readonly sockets = new Set<net.Socket>();
  /** UDP end-to-end probes in flight: cancelled on stop. */
  private readonly udpProbes = new Set<() => void>();
  private readonly intervalMs: number;
  private failedRounds = 0;
  private readonly timeoutMs: number;
  private readonly e2eTimeoutMs: number;

  constructor(
    private readonly o: {
      dialer: Dialer;
      node: string;
      log: Logger;
      changed(stateRelevant: boolean): void;
      /** A UDP port: probed with a datagram (`request` for a service that answers one, else an empty one). */
      udp?: { request?: UdpRequest };
    },
    options: HealthOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 15_000;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.e2eTimeoutMs = options.endToEndTimeoutMs ?? 2000;
  }

  /** The node's current address, or undefined while it is not running (no probes then). */
  setTarget(target: Target | undefined): void {
    this.target = target;
    this.upstream = undefined; // a result for the old address says nothing about the new one
    this.probeSoon();
  }

  /** The public endpoint while the provider is online. */
  setEndpoint(endpoint: Target | undefined): void {
    if (endpoint?.host === this.endpoint?.host && endpoint?.port === this.endpoint?.port) return;
    this.endpoint = endpoint;
    this.endToEnd = undefined;
    this.endToEndQuiet = false;
    this.expected.clear(); // probes of the old endpoint say nothing about the new one
    this.probeSoon();
  }

  setRtt(ms: number | undefined): void {
    if (ms === this.rttMs) return;
    this.rttMs = ms;
    this.o.changed(false);
  }

  /** A forwarded connection could not reach the node: check now rather than at the next round. */
  probeSoon(): void {
    if (this.stopped) return;
    if (this.inflight) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = this.target ? setTimeout(() => this.round(), 0) : undefined;
  }

  /**
   * Whether a connection that arrived through the tunnel is our own end-to-end probe. On
   * loopback the listener can see the probe before the probe sees its own connect (and learns
   * its port): while a probe is connecting, the answer waits for it (a few ms at most).
   */
  isOwnProbe(from: string): boolean | Promise<boolean> {
    const key = normalizeAddress(from);
    if (this.expected.delete(key)) return true;
    return this.connecting ? this.connecting.then(() => this.expected.delete(key)) : false;
  }

  /** A datagram arrived from `from`: whether it is our own UDP end-to-end probe (registered before it was sent). */
  isOwnUdpProbe(from: string): boolean {
    return this.expected.size > 0 && this.expected.delete(normalizeAddress(from));
  }

  snapshot(): TunnelHealth | undefined {
    if (this.rttMs === undefined && !this.upstream && !this.endToEnd) return undefined;
    return { rttMs: this.rttMs, upstream: this.upstream, endToEnd: this.endToEnd };
  }

  /** Clears the timer, cuts probe connections and waits for a probe in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const closing = [...this.sockets].map((s) => new Promise((r) => s.once('close', r)));
    for (const s of this.sockets) s.destroy();
    for (const cancel of [...this.udpProbes]) cancel();
    await Promise.all([this.inflight, ...closing]);
  }

  private round(): void {
    this.timer = undefined;
    const probed = this.probe().catch((err: Error) => {
      this.o.log.error(`health probe failed: ${err.message}`);
      return undefined;
    });
    this.inflight = probed.then((stateRelevant) => {
      this.inflight = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.probeSoon();
      } else if (this.target) {
        this.timer = setTimeout(() => this.round(), this.nextDelay());
      }
      // Told once the round is over, so whoever looks sees the next one already scheduled.
      if (stateRelevant !== undefined) this.o.changed(stateRelevant);
    });
  }

  /**
   * A failing node port is probed again soon (1 s, 2 s, 4 s … up to the interval): right after
   * a node starts its services are often a moment behind, and `degraded` should not linger.
   */
  private nextDelay(): number {
    if (this.upstream?.ok !== false) {
      this.failedRounds = 0;
      return this.intervalMs;
    }
    return Math.min(this.intervalMs, 1000 * 2 ** this.failedRounds++);
  }

  /** One round; says whether the upstream verdict changed, or undefined if nothing was recorded. */
  private async probe(): Promise<boolean | undefined> {
    const target = this.target;
    if (!target) return undefined;
    const udp = this.o.udp;
    let up: ProbeResult;
    if (udp) {
      // Through the tunnel only what the node itself just answered: one after the other.
      up = await probeUdpUpstream(this.o.dialer, this.o.node, target, this.timeoutMs, udp.request);
      if (!this.stopped && this.target === target) await this.probeUdpEndToEnd(up.latencyMs !== undefined ? udp.request : undefined);
    } else {
      [up] = await Promise.all([probeUpstream(this.o.dialer, this.o.node, target, this.timeoutMs), this.probeEndToEnd()]);
    }
    if (this.stopped || this.target !== target) return undefined; // re-targeted meanwhile: the next round says
    const prev = this.upstream;
    this.upstream = up;
    return prev?.ok !== up.ok || prev?.error !== up.error;
  }

  /** A probe that has not come back through the tunnel by now arrived looking like a user. */
  private forgetStaleProbes(): void {
    // (the relay saw another address, e.g. behind NAT): repeating it would inflate the counters.
    const stale = Date.now() - Math.max(this.intervalMs, ARRIVAL_MS);
    for (const [from, at] of this.expected) {
      if (at >= stale) continue;
      this.expected.delete(from);
      this.endToEndQuiet = true;
    }
  }

  /**
   * UDP: only a service that answers (SNMP, echo) can be asked through the tunnel, and only once
   * the node itself answered the same request; otherwise health is the counters and the time
   * of the last datagram.
   */
  private async probeUdpEndToEnd(request: UdpRequest | undefined): Promise<void> {
    this.forgetStaleProbes();
    const ep = this.endpoint;
    // The node did not answer this time: an earlier end-to-end answer would only mislead.
    if (!request) this.endToEnd = undefined;
    if (!ep || !request || this.endToEndQuiet) return;
    const r = await probeUdpEndpoint(
      ep.host,
      ep.port,
      request,
      this.e2eTimeoutMs,
      (from) => {
        if (!this.stopped) this.expected.set(from, Date.now());
      },
      (cancel) => {
        this.udpProbes.add(cancel);
        return () => this.udpProbes.delete(cancel);
      },
    );
    if (this.stopped || this.endpoint !== ep) return;
    if (r.ok !== this.endToEnd?.ok) {
      if (r.ok) this.o.log.info(`end-to-end: ${request.what} sent to ${ep.host}:${ep.port} came back through the tunnel (${r.latencyMs} ms)`);
      else this.o.log.info(`end-to-end: ${r.error} (recorded only: it may still work from outside)`);
    }
    this.endToEnd = r;
  }

  private async probeEndToEnd(): Promise<void> {
    const ep = this.endpoint;
    this.forgetStaleProbes();
    if (!ep || this.endToEndQuiet) return;
    const probe = probeEndpoint(ep.host, ep.port, this.e2eTimeoutMs, (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    }).then((r) => {
      // Registered before anyone awaiting `connecting` looks it up.
      if (r.from && !this.stopped) this.expected.set(r.from, r.checkedAt);
      return r;
    });
    this.connecting = probe.then(() => undefined);
    const r = await probe;
    this.connecting = undefined;
    if (this.stopped || this.endpoint !== ep) return;
    if (r.ok !== this.endToEnd?.ok) {
      if (r.ok) this.o.log.info(`end-to-end: ${ep.host}:${ep.port} accepts connections from this computer (${r.latencyMs} ms)`);
      else this.o.log.info(`end-to-end: ${r.error} (recorded only: it may still work from outside)`);
    }
    this.endToEnd = { ok: r.ok, latencyMs: r.latencyMs, error: r.error, checkedAt: r.checkedAt };
  }
}
