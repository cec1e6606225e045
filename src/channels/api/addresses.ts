import { BlockList, isIP } from 'node:net';
import { AppError } from '../../domain/errors.ts';

/**
 * A configured list of addresses and CIDR ranges (`SIMEXIT_TRUST_PROXY`,
 * `SIMEXIT_METRICS_ALLOW`), checked once at start-up: a bad entry stops it,
 * naming the variable and the entry.
 */
export function checkAddressList(variable: string, list: readonly string[]): void {
  for (const entry of list) {
    const [address, bits, extra] = entry.split('/');
    const width = address && isIP(address) === 4 ? 32 : address && isIP(address) === 6 ? 128 : 0;
    const maskOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= width);
    if (!width || !maskOk || extra !== undefined) throw new AppError('CONFIG_INVALID', { reason: `${variable}: "${entry}" is not an IP address or CIDR range` });
  }
}

/** Whether an address (IPv4, IPv6 or IPv4-mapped IPv6) is in the list. */
export function addressMatcher(variable: string, list: readonly string[]): (address: string) => boolean {
  checkAddressList(variable, list);
  const allowed = new BlockList();
  for (const entry of list) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) allowed.addAddress(address, type);
    else allowed.addSubnet(address, Number(bits), type);
  }
  return (address) => {
    const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    const type = isIP(plain);
    return type !== 0 && allowed.check(plain, type === 6 ? 'ipv6' : 'ipv4');
  };
}

export const isLoopback = addressMatcher('loopback', ['127.0.0.0/8', '::1']);
