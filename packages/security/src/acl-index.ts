/**
 * An immutable index of ACL entries for the authorizer, built once per ACL set (a metadata publisher
 * rebuilds it when the ACL image changes). Kafka's StandardAuthorizerData keeps one sorted set and walks
 * it from the resource name; this index gets the same candidates with maps instead:
 *
 *   per resource type: literal names → bucket; the literal `*` → bucket; prefixed names in a trie.
 *   per bucket: principal → entries, so a request looks at its own principal and `User:*` only.
 *
 * A request therefore touches the buckets whose pattern matches its resource (one literal lookup, the
 * wildcard, and one trie walk as long as the name) and, in each, only the entries for its principal,
 * never every ACL. A bucket exists only with at least one entry, which is what "the resource has ACLs"
 * means for allow.everyone.if.no.acl.found (KAFKA-14435).
 */
import { assert, assertNever } from '@tributary/core';
import { canonicalIpAddress } from './ip-address.js';
import { type AclEntry, RESOURCE_TYPES, type ResourceType, WILDCARD } from './types.js';

/** An entry with its host in canonical form (see ip-address.ts), computed once at build time. */
export interface IndexedAcl {
  readonly entry: AclEntry;
  readonly host: string;
}

/** The entries of one resource pattern, by principal (`User:alice`, `User:*`). */
export interface AclBucket {
  readonly byPrincipal: ReadonlyMap<string, readonly IndexedAcl[]>;
}

interface PrefixNode {
  readonly children: Map<number, PrefixNode>;
  bucket: MutableBucket | undefined;
}

type MutableBucket = { readonly byPrincipal: Map<string, IndexedAcl[]> };

interface TypeSection {
  readonly literal: Map<string, MutableBucket>;
  wildcard: MutableBucket | undefined;
  readonly prefixRoot: PrefixNode;
}

function newNode(): PrefixNode {
  return { children: new Map(), bucket: undefined };
}

function addTo(bucket: MutableBucket | undefined, acl: IndexedAcl): MutableBucket {
  const target = bucket ?? { byPrincipal: new Map<string, IndexedAcl[]>() };
  const list = target.byPrincipal.get(acl.entry.principal);
  if (list === undefined) target.byPrincipal.set(acl.entry.principal, [acl]);
  else list.push(acl);
  return target;
}

function insertPrefixed(root: PrefixNode, name: string, acl: IndexedAcl): void {
  let node = root;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    let child = node.children.get(code);
    if (child === undefined) {
      child = newNode();
      node.children.set(code, child);
    }
    node = child;
  }
  node.bucket = addTo(node.bucket, acl);
}

/**
 * The index. Build it with buildAclIndex (or AclIndex.build); it never changes afterwards, so one
 * instance can be shared by every request until the ACL set changes.
 */
export class AclIndex {
  static readonly EMPTY: AclIndex = AclIndex.build([]);

  /** The entries the index was built from, in the order given. */
  readonly entries: readonly AclEntry[];
  private readonly sections: ReadonlyMap<ResourceType, TypeSection>;

  private constructor(entries: readonly AclEntry[], sections: ReadonlyMap<ResourceType, TypeSection>) {
    this.entries = entries;
    this.sections = sections;
  }

  /** Entries are not validated here (validateAclEntry is for the controller, before they are stored). */
  static build(entries: readonly AclEntry[]): AclIndex {
    const sections = new Map<ResourceType, TypeSection>();
    for (const type of RESOURCE_TYPES) {
      sections.set(type, { literal: new Map(), wildcard: undefined, prefixRoot: newNode() });
    }
    for (const entry of entries) {
      const section = sections.get(entry.resourceType);
      assert(section !== undefined, () => `unknown resource type ${String(entry.resourceType)}`);
      const acl: IndexedAcl = { entry, host: canonicalHost(entry.host) };
      switch (entry.patternType) {
        case 'Literal':
          if (entry.resourceName === WILDCARD) section.wildcard = addTo(section.wildcard, acl);
          else section.literal.set(entry.resourceName, addTo(section.literal.get(entry.resourceName), acl));
          break;
        case 'Prefixed':
          insertPrefixed(section.prefixRoot, entry.resourceName, acl);
          break;
        default:
          assertNever(entry.patternType, 'pattern type');
      }
    }
    return new AclIndex(entries, sections);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Every bucket whose pattern matches the resource: the literal name, the literal `*`, and each prefixed
   * pattern the name starts with (Kafka's ResourcePattern matching; a prefixed `""` would match all).
   */
  matchingBuckets(type: ResourceType, name: string): AclBucket[] {
    const section = this.sections.get(type);
    assert(section !== undefined, () => `unknown resource type ${String(type)}`);
    const buckets: AclBucket[] = [];
    const literal = section.literal.get(name);
    if (literal !== undefined) buckets.push(literal);
    if (section.wildcard !== undefined) buckets.push(section.wildcard);
    let node: PrefixNode | undefined = section.prefixRoot;
    for (let i = 0; node !== undefined; i++) {
      if (node.bucket !== undefined) buckets.push(node.bucket);
      if (i === name.length) break;
      node = node.children.get(name.charCodeAt(i));
    }
    return buckets;
  }
}

export function buildAclIndex(entries: readonly AclEntry[]): AclIndex {
  return AclIndex.build(entries);
}

/** `*` stays `*`; an IP address takes its canonical form; anything else is compared as written. */
export function canonicalHost(host: string): string {
  if (host === WILDCARD) return host;
  return canonicalIpAddress(host) ?? host;
}
