import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent. Never to an address inside the deployment's reach: loopback,
 * private networks, link-local (the instance metadata service at 169.254.169.254), shared,
 * benchmarking, multicast and reserved ranges, in IPv4 and IPv6, including IPv4 written as
 * IPv6 (mapped and NAT64). A name is resolved and every address it has must be public; the
 * dispatcher resolves again at each delivery and connects to the address it checked, so a
 * name that rebinds to 127.0.0.1 after the check (DNS rebinding) is refused then too.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The IPv4 address an IPv6 one carries (::ffff:a.b.c.d, 64:ff9b::/96, ::a.b.c.d), if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted !== null) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex === null) return undefined;
  const high = Number.parseInt(hex[1] ?? '0', 16);
  const low = Number.parseInt(hex[2] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !blocked.check(address, 'ipv4');
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined) return !blocked.check(v4, 'ipv4');
  return !blocked.check(address, 'ipv6');
}

const isLoopback = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return loopback.check(address, 'ipv4');
  if (family === 6) return loopback.check(address, 'ipv6') || (embeddedIpv4(address)?.startsWith('127.') ?? false);
  return false;
};

export interface TargetPolicy {
  /** `--allow-private-webhooks` (local only): loopback targets over http or https are allowed. */
  readonly allowLoopback: boolean;
  /** Resolves a host name to its addresses; DNS by default. */
  readonly resolve?: (host: string) => Promise<string[]>;
}

export class TargetRefused extends Error {
  override readonly name = 'TargetRefused';
}

const resolveAll = async (host: string): Promise<string[]> => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The URL's shape: https (or http to loopback when allowed), no credentials, a host. */
export function checkUrlShape(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('not an absolute URL');
  }
  if (url.username !== '' || url.password !== '') throw new TargetRefused('must not carry credentials');
  if (url.protocol !== 'https:' && !(policy.allowLoopback && url.protocol === 'http:'))
    throw new TargetRefused(policy.allowLoopback ? 'must be https (or http to a loopback address)' : 'must be https');
  return url;
}

/**
 * The addresses a target may be reached at, every one checked; refuses when any is not
 * public (a name with one private address among public ones could be made to use it).
 */
export async function checkedAddresses(url: URL, policy: TargetPolicy): Promise<string[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? resolveAll)(host);
    } catch {
      throw new TargetRefused(`the host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new TargetRefused(`the host ${host} does not resolve`);
  for (const address of addresses) {
    if (isPublicAddress(address)) continue;
    if (policy.allowLoopback && isLoopback(address)) continue;
    throw new TargetRefused(`resolves to ${address}, which is not a public address`);
  }
  if (url.protocol === 'http:' && !addresses.every(isLoopback)) throw new TargetRefused('http is allowed to loopback addresses only');
  return addresses;
}
