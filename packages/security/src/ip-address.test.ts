import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIpAddress, formatIpv6, parseIpv4, parseIpv6 } from './ip-address.js';

describe('IP address text', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['255.255.255.255', '255.255.255.255'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:0a00:0001', '10.0.0.1'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['1::', '1::'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['::ffff:10.0.0.1%eth0', '::ffff:a00:1%eth0'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('%s is %s in canonical form', (text, canonical) => {
    expect(canonicalIpAddress(text)).toBe(canonical);
  });

  it.each([
    '',
    '*',
    'localhost',
    '10.0.0',
    '10.0.0.256',
    '010.0.0.1',
    '1.2.3.4.5',
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7:8::',
    '::1.2.3',
    '1.2.3.4::',
    'fe80::1%',
    'g::1',
  ])('%j is not an IP address', (text) => {
    expect(canonicalIpAddress(text)).toBeUndefined();
  });

  it('round-trips any IPv6 address through RFC 5952 text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xdb8, 42), { minLength: 8, maxLength: 8 }),
        (groups) => {
          const text = formatIpv6(groups);
          expect(parseIpv6(text)).toEqual(groups);
          expect(text).not.toMatch(/::.*::/);
        },
      ),
    );
  });

  it('parses dotted IPv4 only', () => {
    expect(parseIpv4('192.168.0.1')).toEqual([192, 168, 0, 1]);
    expect(parseIpv4('0.0.0.0')).toEqual([0, 0, 0, 0]);
    expect(parseIpv4('1.2.3.04')).toBeUndefined();
  });
});
