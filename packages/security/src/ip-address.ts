/**
 * IP address text for ACL hosts. Kafka compares an ACL's host with the client's address as Java prints it
 * (InetAddress.getHostAddress), and Java turns an IPv4-mapped IPv6 address into an IPv4 one on its own.
 * Node does not: a dual-stack socket reports an IPv4 client as `::ffff:10.0.0.1`, and IPv6 text can be
 * written many ways (`::1`, `0:0::1`, upper case). So both sides are put in one canonical form before they
 * are compared: dotted-decimal IPv4 (IPv4-mapped addresses included), RFC 5952 IPv6, a zone kept as given.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The four octets of dotted-decimal IPv4 text, or undefined. Leading zeros are refused (octal in some parsers). */
export function parseIpv4(text: string): readonly number[] | undefined {
  const match = IPV4.exec(text);
  if (match === null) return undefined;
  const octets: number[] = [];
  for (const part of match.slice(1)) {
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

/** The eight 16-bit groups of IPv6 text (RFC 4291 §2.2, an IPv4 tail allowed), or undefined. */
export function parseIpv6(text: string): readonly number[] | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  // `::` stands for at least one group of zeros (RFC 5952 §4.2.2 forbids it for exactly one, RFC 4291 allows it).
  const zeros = 8 - head.length - tail.length;
  if (zeros < 1) return undefined;
  return [...head, ...new Array<number>(zeros).fill(0), ...tail];
}

/** Groups of one side of `::`; an IPv4 tail (two groups) is allowed only at the very end. */
function groupsOf(text: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    if (last && mayEndWithIpv4 && part.includes('.')) {
      const octets = parseIpv4(part);
      if (octets === undefined) return undefined;
      groups.push(((octets[0] ?? 0) << 8) | (octets[1] ?? 0), ((octets[2] ?? 0) << 8) | (octets[3] ?? 0));
    } else if (HEX_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** RFC 5952 §4: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`, the first on a tie. */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * The canonical text of an IP address (see the file comment), or undefined if `text` is not one. An
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes `a.b.c.d`, as Java's InetAddress makes it.
 */
export function canonicalIpAddress(text: string): string | undefined {
  if (parseIpv4(text) !== undefined) return text;
  const zoneAt = text.indexOf('%');
  const address = zoneAt < 0 ? text : text.slice(0, zoneAt);
  const zone = zoneAt < 0 ? '' : text.slice(zoneAt);
  if (zone === '%') return undefined;
  const groups = parseIpv6(address);
  if (groups === undefined) return undefined;
  const mapped = groups.slice(0, 6).every((group, i) => group === (i === 5 ? 0xffff : 0));
  if (mapped && zone === '') {
    const high = groups[6] ?? 0;
    const low = groups[7] ?? 0;
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return formatIpv6(groups) + zone;
}
