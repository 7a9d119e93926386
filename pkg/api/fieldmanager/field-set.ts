import { comparePathElements, encodePathElement, parsePathElement, type FieldPath, type PathElement } from './path-element.ts';

interface Node {
  pe: PathElement;
  /** The path ending here is in the set (FieldsV1 writes `.` for it when the node also has children). */
  member: boolean;
  children: Children;
}

/** Keyed by the encoded path element; a node is kept only while it is a member or has children. */
type Children = Map<string, Node>;

/**
 * A set of field paths (structured-merge-diff's fieldpath.Set) stored as a trie. Sets are values:
 * every operation returns a new set and leaves its operands alone; only `insert` mutates, for
 * building. A path is in the set only when inserted itself — holding `spec.replicas` does not
 * make `spec` a member.
 */
export class FieldSet {
  private constructor(private readonly root: Children) {}

  static empty(): FieldSet {
    return new FieldSet(new Map());
  }

  static of(...paths: FieldPath[]): FieldSet {
    const s = FieldSet.empty();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds `path` (non-empty) to this set. */
  insert(path: FieldPath): this {
    if (!path.length) throw new Error('cannot insert the empty path');
    let level = this.root;
    path.forEach((pe, i) => {
      const k = encodePathElement(pe);
      let node = level.get(k);
      if (!node) level.set(k, (node = { pe, member: false, children: new Map() }));
      if (i === path.length - 1) node.member = true;
      level = node.children;
    });
    return this;
  }

  has(path: FieldPath): boolean {
    let level = this.root;
    for (let i = 0; i < path.length; i++) {
      const node = level.get(encodePathElement(path[i]));
      if (!node) return false;
      if (i === path.length - 1) return node.member;
      level = node.children;
    }
    return false;
  }

  isEmpty(): boolean {
    return this.root.size === 0;
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet(merge(this.root, other.root));
  }

  /** Paths of this set that `other` does not hold; a path's children stay unless removed too. */
  difference(other: FieldSet): FieldSet {
    return new FieldSet(subtract(this.root, other.root, false));
  }

  /** As `difference`, but a path of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    return new FieldSet(subtract(this.root, other.root, true));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet(intersect(this.root, other.root));
  }

  equals(other: FieldSet): boolean {
    return same(this.root, other.root);
  }

  /** Every path of the set, in FieldsV1 order (a node before its children). */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (level: Children, prefix: PathElement[]) => {
      for (const node of sorted(level)) {
        const p = [...prefix, node.pe];
        if (node.member) out.push(p);
        walk(node.children, p);
      }
    };
    walk(this.root, []);
    return out;
  }

  /** Every node of the trie — members and paths that only lead to members — node before children. */
  nodePaths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (level: Children, prefix: PathElement[]) => {
      for (const node of sorted(level)) {
        const p = [...prefix, node.pe];
        out.push(p);
        walk(node.children, p);
      }
    };
    walk(this.root, []);
    return out;
  }

  /** Members in structured-merge-diff's Set.Iterate order: a level's members, then its children's. */
  iteratePaths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (level: Children, prefix: PathElement[]) => {
      const nodes = sorted(level);
      for (const node of nodes) if (node.member) out.push([...prefix, node.pe]);
      for (const node of nodes) walk(node.children, [...prefix, node.pe]);
    };
    walk(this.root, []);
    return out;
  }

  /** The paths below `pe`, relative to it (fieldpath.Set.WithPrefix). */
  withPrefix(pe: PathElement): FieldSet {
    const node = this.root.get(encodePathElement(pe));
    return new FieldSet(node ? copy(node.children) : new Map());
  }

  /** The FieldsV1 form: `{"f:spec":{"f:replicas":{}}}`, keys in structured-merge-diff's order. */
  toFieldsV1(): Record<string, unknown> {
    return emit(this.root);
  }

  /** Parses FieldsV1; throws an Error on anything that is not a FieldsV1 object. */
  static fromFieldsV1(json: unknown): FieldSet {
    return new FieldSet(parse(json, undefined));
  }
}

export const toFieldsV1 = (set: FieldSet): Record<string, unknown> => set.toFieldsV1();
export const fromFieldsV1 = (json: unknown): FieldSet => FieldSet.fromFieldsV1(json);

const sorted = (level: Children): Node[] => [...level.values()].sort((a, b) => comparePathElements(a.pe, b.pe));

const copy = (level: Children): Children => new Map([...level].map(([k, n]) => [k, { pe: n.pe, member: n.member, children: copy(n.children) }]));

function merge(a: Children, b: Children): Children {
  const out = copy(a);
  for (const [k, nb] of b) {
    const na = out.get(k);
    if (!na) out.set(k, { pe: nb.pe, member: nb.member, children: copy(nb.children) });
    else out.set(k, { pe: na.pe, member: na.member || nb.member, children: merge(na.children, nb.children) });
  }
  return out;
}

function subtract(a: Children, b: Children, recursive: boolean): Children {
  const out: Children = new Map();
  for (const [k, na] of a) {
    const nb = b.get(k);
    if (!nb) {
      out.set(k, { pe: na.pe, member: na.member, children: copy(na.children) });
      continue;
    }
    if (recursive && nb.member) continue;
    const node = { pe: na.pe, member: na.member && !nb.member, children: subtract(na.children, nb.children, recursive) };
    if (node.member || node.children.size) out.set(k, node);
  }
  return out;
}

function intersect(a: Children, b: Children): Children {
  const out: Children = new Map();
  for (const [k, na] of a) {
    const nb = b.get(k);
    if (!nb) continue;
    const node = { pe: na.pe, member: na.member && nb.member, children: intersect(na.children, nb.children) };
    if (node.member || node.children.size) out.set(k, node);
  }
  return out;
}

function same(a: Children, b: Children): boolean {
  if (a.size !== b.size) return false;
  for (const [k, na] of a) {
    const nb = b.get(k);
    if (!nb || na.member !== nb.member || !same(na.children, nb.children)) return false;
  }
  return true;
}

function emit(level: Children): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const node of sorted(level)) {
    const inner = emit(node.children);
    out[encodePathElement(node.pe)] = node.member && node.children.size ? { '.': {}, ...inner } : inner;
  }
  return out;
}

function parse(json: unknown, self: { member: boolean } | undefined): Children {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('FieldsV1 must be a JSON object');
  const out: Children = new Map();
  for (const [k, v] of Object.entries(json)) {
    if (k === '.') {
      if (!self) throw new Error('FieldsV1 may not mark its root with "."');
      self.member = true;
      continue;
    }
    const pe = parsePathElement(k);
    const node: Node = { pe, member: false, children: new Map() };
    node.children = parse(v, node);
    if (!node.children.size) node.member = true;
    out.set(encodePathElement(pe), node);
  }
  return out;
}
