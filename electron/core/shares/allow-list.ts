import net from 'node:net';
import { AppError } from '../../../shared/rpc-errors';

/** A peer as the providers report it: `addr:port` (`::ffff:1.2.3.4:5`, `::1:22`, `[::1]:22`). */
export interface Peer {
  address: string;
  port: number;
}

export function parsePeer(from: string): Peer {
  const i = from.lastIndexOf(':');
  const address = (i < 0 ? from : from.slice(0, i)).replace(/^\[|\]$/g, '');
  const port = i < 0 ? 0 : Number(from.slice(i + 1));
  return { address, port: Number.isInteger(port) ? port : 0 };
}

/**
 * Source rules compiled for the accept path: Node's BlockList (C++, IPv4-mapped IPv6 peers
 * match IPv4 rules and the other way round). An empty list admits everyone.
 */
export class AllowList {
  private readonly list = new net.BlockList();
  readonly size: number;

  /** Throws AppError naming the rule (and its index in `field`) when one cannot be used. */
  constructor(
    readonly rules: readonly string[],
    field = 'allow',
  ) {
    rules.forEach((rule, i) => {
      try {
        addRule(this.list, rule);
      } catch (err) {
        throw new AppError('invalid_params', `${field}[${i}]: "${rule}" is not an IPv4/IPv6 address or CIDR (${(err as Error).message})`, 'write an address like 203.0.113.7 or a range like 198.51.100.0/24 or 2001:db8::/48', `${field}.${i}`);
      }
    });
    this.size = rules.length;
  }

  /** Whether `address` (a bare IPv4/IPv6 address) may connect. */
  admits(address: string): boolean {
    if (this.size === 0) return true;
    const family = net.isIP(address);
    if (family === 0) return false; // not an address we can judge: refuse rather than guess
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

function addRule(list: net.BlockList, rule: string): void {
  const slash = rule.indexOf('/');
  const addr = slash < 0 ? rule : rule.slice(0, slash);
  const family = net.isIP(addr);
  if (family === 0) throw new Error('not an IP address');
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash < 0) return list.addAddress(addr, type);
  const prefix = Number(rule.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`prefix must be 0-${family === 4 ? 32 : 128}`);
  list.addSubnet(addr, prefix, type);
}
