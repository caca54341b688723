import { describe, expect, it } from 'vitest';
import { checkedAddresses, checkUrlShape, isPublicAddress, TargetRefused } from '../../functions/webhooks/target-guard.js';

const strict = { allowLoopback: false };
const resolvingTo = (...addresses: string[]) => ({ allowLoopback: false, resolve: async () => addresses });

describe('webhook targets', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '2606:4700::6810:85e5', '8.8.8.8'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses a name with any private address among its public ones (resolved, not trusted by its spelling)', async () => {
    const url = checkUrlShape('https://hooks.example.com/in', strict);
    await expect(checkedAddresses(url, resolvingTo('93.184.215.14', '10.0.0.5'))).rejects.toThrow(TargetRefused);
    await expect(checkedAddresses(url, resolvingTo('93.184.215.14'))).resolves.toEqual(['93.184.215.14']);
  });

  it('refuses http, credentials and non-URLs; allows loopback only when told, and http only to loopback', async () => {
    expect(() => checkUrlShape('http://hooks.example.com/', strict)).toThrow(/https/);
    expect(() => checkUrlShape('https://a:b@hooks.example.com/', strict)).toThrow(/credentials/);
    expect(() => checkUrlShape('not a url', strict)).toThrow(TargetRefused);
    const local = { allowLoopback: true, resolve: async () => ['127.0.0.1'] };
    await expect(checkedAddresses(checkUrlShape('http://localhost:9/x', local), local)).resolves.toEqual(['127.0.0.1']);
    await expect(checkedAddresses(checkUrlShape('https://127.0.0.1/x', strict), strict)).rejects.toThrow(/not a public address/);
    // Loopback allowed does not mean private networks allowed.
    const lan = { allowLoopback: true, resolve: async () => ['192.168.1.4'] };
    await expect(checkedAddresses(checkUrlShape('https://printer.lan/x', lan), lan)).rejects.toThrow(TargetRefused);
  });
});
