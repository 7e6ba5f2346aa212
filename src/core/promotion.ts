/**
 * JAX's type promotion lattice with weak types
 * (https://jax.readthedocs.io/en/latest/type_promotion.html).
 *
 * Nodes are the concrete dtypes plus three weak nodes, `i*`, `f*` and `c*`, standing for JS
 * numbers and weakly typed complex scalars (`jnp.complex(re, im)`, Python's `1+2j`). The result of promoting a set of types is their
 * least upper bound; a weak node as result means "weakly typed, default width".
 */
import {
  DType,
  bool,
  canonicalize,
  complex128,
  complex64,
  defaultFloat,
  defaultInt,
  float16,
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  uint16,
  uint32,
  uint64,
  uint8,
  type DTypeLike,
  toDType,
} from "./dtype.js";
import { TypePromotionError } from "./errors.js";

type Node = DType | "i*" | "f*" | "c*";

const lattice = new Map<Node, Node[]>([
  [bool, ["i*"]],
  ["i*", [uint8, int8]],
  [uint8, [int16, uint16]],
  [uint16, [int32, uint32]],
  [uint32, [int64, uint64]],
  [uint64, ["f*"]],
  [int8, [int16]],
  [int16, [int32]],
  [int32, [int64]],
  [int64, ["f*"]],
  ["f*", [float16, "c*"]],
  [float16, [float32]],
  [float32, [float64, complex64]],
  [float64, [complex128]],
  ["c*", [complex64]],
  [complex64, [complex128]],
  [complex128, []],
]);

/** Every node's set of upper bounds (itself included), computed once. */
const upperBounds = new Map<Node, Set<Node>>();
function boundsOf(n: Node): Set<Node> {
  let s = upperBounds.get(n);
  if (s) return s;
  s = new Set([n]);
  for (const up of lattice.get(n)!) for (const u of boundsOf(up)) s.add(u);
  upperBounds.set(n, s);
  return s;
}

function leastUpperBound(nodes: Node[]): Node {
  const unique = [...new Set(nodes)];
  if (unique.length === 1) return unique[0]!;
  let common: Set<Node> | undefined;
  for (const n of unique) {
    const b = boundsOf(n);
    common = common ? new Set([...common].filter((x) => b.has(x))) : new Set(b);
  }
  // The least element of the common bounds is the one whose bounds equal the common set.
  for (const c of common!) {
    const b = boundsOf(c);
    if (b.size === common!.size) return c;
  }
  throw new TypePromotionError(
    `Input dtypes ${unique.map(String).join(", ")} have no available implicit dtype promotion path.`,
  );
}

function weakNode(d: DType): Node {
  if (d === bool) return bool;
  return d.isComplex ? "c*" : d.isFloat ? "f*" : "i*";
}

function nodeToDType(n: Node): DType {
  if (n === "i*") return defaultInt();
  if (n === "f*") return defaultFloat();
  if (n === "c*") return defaultFloat() === float64 ? complex128 : complex64;
  return n;
}

/** A dtype with its weak-type bit: what promotion works on. */
export interface TypeInfo {
  dtype: DType;
  weakType: boolean;
}

/**
 * JAX's `_lattice_result_type`: the promoted dtype and weak type of a list of inputs.
 * The result is canonicalized (no 64-bit types without x64).
 */
export function promoteTypeInfos(infos: readonly TypeInfo[]): TypeInfo {
  if (infos.length === 0) throw new TypeError("at least one array or dtype is required");
  let dtype: Node;
  let weak: boolean;
  const dtypes = infos.map((i) => i.dtype);
  if (infos.length === 1) {
    dtype = infos[0]!.dtype;
    weak = infos[0]!.weakType;
  } else if (new Set(dtypes).size === 1 && !infos.every((i) => i.weakType)) {
    dtype = dtypes[0]!;
    weak = false;
  } else if (infos.every((i) => i.weakType)) {
    // All weak: bound of the strong counterparts, then weak.
    dtype = leastUpperBound(dtypes);
    weak = true;
  } else {
    dtype = leastUpperBound(infos.map((i) => (i.weakType ? weakNode(i.dtype) : i.dtype)));
    weak = dtype === "i*" || dtype === "f*" || dtype === "c*";
  }
  const out = canonicalize(nodeToDType(dtype));
  return { dtype: out, weakType: out !== bool && weak };
}

/**
 * `jnp.promote_types(a, b)`: strong promotion of two dtypes, not canonicalized; a weak result
 * becomes Python's type (`f*` → float64, `i*` → int64), as `np.dtype(float)` does in JAX.
 */
export function promoteTypes(a: DTypeLike, b: DTypeLike): DType {
  const n = leastUpperBound([toDType(a), toDType(b)]);
  return n === "f*" ? float64 : n === "i*" ? int64 : n === "c*" ? complex128 : n;
}
