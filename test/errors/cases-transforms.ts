/**
 * Bad-input catalogue, transformations: jit (non-functions, option names, static arguments,
 * arguments and results that are not arrays), tracers (bool/int conversion, leaks, concrete
 * values), grad/valueAndGrad/jacfwd (argnums, dtypes, non-scalar outputs, aux), vmap (axes,
 * sizes, pytree mismatches), control flow (cond/switch/whileLoop/foriLoop/scan). A pure data
 * table (over 400 lines once formatted).
 */
import {
  type Array,
  ConcretizationTypeError,
  IndexError,
  TracerIntegerConversionError,
  UnexpectedTracerError,
  ValueError,
  grad,
  jacfwd,
  jit,
  lax,
  numpy as jnp,
  valueAndGrad,
  vmap,
} from "../../src/index.js";
import { type BadInput, bad, fx, untyped as u } from "./case.js";

const { v3, m23, i3, s } = fx;
const sumsq = (x: Array) => jnp.sum(x.mul(x));
let leaked: Array | undefined;

export const transformCases: BadInput[] = [
  // ---- jit
  bad("jit: a number", () => jit(u(5)), TypeError, /function/),
  bad("jit: a string", () => jit(u("x => x")), TypeError, /function/),
  bad(
    "jit: python-spelled option",
    () => jit(sumsq, u({ static_argnums: 0 })),
    TypeError,
    /static_argnums.*staticArgnums/,
  ),
  bad(
    "jit: unknown option",
    () => jit(sumsq, u({ bogus: 1 })),
    TypeError,
    /jit\(\) got an unexpected keyword argument 'bogus'/,
  ),
  bad(
    "jit: array as static argument",
    () => jit((x: Array, _n: unknown) => x, { staticArgnums: 1 })(v3, v3),
    ValueError,
    /hashable|static/i,
  ),
  bad(
    "jit: undefined argument reaches the function as an empty pytree (as None in JAX)",
    () => jit(sumsq)(u(undefined)),
    TypeError,
    /Cannot read properties of null/,
  ),
  bad(
    "jit: if (tracer)",
    () => jit((x: Array) => (x.gt(0).item() ? x : x.neg()))(s),
    ConcretizationTypeError,
    /concrete|tracer|traced/i,
  ),
  bad(
    "jit: tracer as shape",
    () => jit((x: Array) => jnp.zeros(u([x])))(jnp.array(2)),
    TracerIntegerConversionError,
    /Shapes must be 1D sequences of concrete values of integer type/,
  ),
  bad(
    "jit: tracer as slice bound",
    () =>
      jit((x: Array, n: Array) => x.get(u({ start: 0, stop: n, step: null })))(v3, jnp.array(2)),
    IndexError,
    /Array slice indices must have static start\/stop\/step.*lax.dynamicSlice/,
  ),
  bad(
    "jit: boolean mask traced",
    () => jit((x: Array) => x.get(x.gt(1)))(v3),
    Error,
    /boolean indices must be concrete|NonConcreteBooleanIndexError|concrete/i,
  ),
  bad(
    "jit: leaked tracer reused",
    () => {
      jit((x: Array) => {
        leaked = x;
        return x;
      })(v3);
      return jnp.add(leaked!, 1);
    },
    UnexpectedTracerError,
    /leaked|tracer/i,
  ),
  bad(
    "jit: wrong number of positional arguments to a static name",
    () => jit((x: Array) => x, u({ staticArgnames: ["nope"] }))(v3),
    ValueError,
    /nope|staticArgnames|static_argnames/,
  ),
  bad(
    "jit: donate argnum out of range",
    () => jit(sumsq, { donateArgnums: 4 })(v3),
    ValueError,
    /donate|4/,
  ),
  // ---- grad and friends
  bad("grad: a number", () => grad(u(3)), TypeError, /function/),
  bad(
    "grad: int input",
    () => grad(sumsq)(i3),
    TypeError,
    /grad requires real- or complex-valued inputs.*int32/,
  ),
  bad("grad: bool input", () => grad((x: Array) => jnp.sum(x))(fx.b3), TypeError, /bool/),
  bad(
    "grad: vector output",
    () => grad((x: Array) => x.mul(2))(v3),
    TypeError,
    /Gradient only defined for scalar-output functions. Output had shape: \(3,\)/,
  ),
  bad(
    "grad: int output",
    () => grad((x: Array) => jnp.sum(x).astype("int32"))(v3),
    TypeError,
    /real-valued outputs|int32/,
  ),
  bad(
    "grad: string output",
    () => grad((_x: Array) => u("x"))(v3),
    TypeError,
    /x|string|valid JAX type/,
  ),
  bad(
    "grad: argnums out of range",
    () => grad(sumsq, { argnums: 2 })(v3),
    TypeError,
    /argnums=2 requires at least 3 positional arguments/,
  ),
  bad(
    "grad: fractional argnums",
    () => grad(sumsq, { argnums: 0.5 })(v3),
    TypeError,
    /argnums must be an integer or a list of integers, got 0\.5/,
  ),
  bad(
    "grad: python-spelled option",
    () => grad(sumsq, u({ has_aux: true })),
    TypeError,
    /has_aux.*hasAux/,
  ),
  bad(
    "grad: hasAux without a pair",
    () => grad(sumsq, { hasAux: true })(v3),
    TypeError,
    /hasAux|has_aux|pair|tuple/i,
  ),
  bad(
    "grad: undefined argument reaches the function as an empty pytree",
    () => grad(sumsq)(u(undefined)),
    TypeError,
    /Cannot read properties of null/,
  ),
  bad(
    "valueAndGrad: unknown option",
    () => valueAndGrad(sumsq, u({ argnum: 0 })),
    TypeError,
    /argnum.*argnums/,
  ),
  bad("jacfwd: int input", () => jacfwd((x: Array) => x)(i3), TypeError, /int32|real|inexact/),
  bad(
    "jacfwd: not a function",
    () => jacfwd(u(null)),
    TypeError,
    /jacfwd expects a function, got object/,
  ),
  bad(
    "vmap: inconsistent sizes",
    () => vmap((a: Array, b: Array) => a.add(b))(v3, jnp.ones([2])),
    ValueError,
    /inconsistent sizes|sizes/,
  ),
  bad("vmap: scalar batched", () => vmap(sumsq)(s), ValueError, /rank|0|scalar|axis/i),
  bad(
    "vmap: inAxes length mismatch",
    () => vmap((a: Array, b: Array) => a.add(b), { inAxes: [0, 0, 0] })(v3, v3),
    ValueError,
    /in_axes|inAxes|length|3|2/,
  ),
  bad(
    "vmap: python-spelled option",
    () => vmap(sumsq, u({ in_axes: 0 })),
    TypeError,
    /in_axes.*inAxes/,
  ),
  bad(
    "vmap: nothing batched, no axisSize",
    () => vmap(sumsq, { inAxes: null })(v3),
    ValueError,
    /at least one|axis_size|axisSize|batched/i,
  ),
  bad(
    "vmap: inAxes pytree mismatch",
    () => vmap((d: { a: Array }) => d.a, { inAxes: [{ b: 0 }] })({ a: v3 }),
    ValueError,
    /in_axes|inAxes|structure|tree|match/i,
  ),
  bad(
    "vmap: outAxes out of range",
    () => vmap((x: Array) => x, { outAxes: 3 })(v3),
    ValueError,
    /out_axes|outAxes|axis|3/,
  ),
  bad("vmap: fractional inAxes", () => vmap(sumsq, { inAxes: 0.5 })(v3), ValueError, /axis 0\.5/),
  bad(
    "vmap: string inAxes",
    () => vmap(sumsq, { inAxes: u("0") })(v3),
    ValueError,
    /in_axes specification 0 is invalid/,
  ),
  bad(
    "vmap: returns a string",
    () => vmap(() => "x", { axisSize: 2 })(),
    TypeError,
    /x|string|valid JAX type/,
  ),
  // ---- control flow
  bad(
    "cond: branch outputs differ in shape",
    () =>
      lax.cond(
        true,
        () => jnp.zeros([2]),
        () => jnp.zeros([3]),
      ),
    TypeError,
    /true_fun and false_fun output must have identical types|branches?|shape/i,
  ),
  bad(
    "cond: branch outputs differ in dtype",
    () =>
      lax.cond(
        true,
        () => jnp.zeros([2]),
        () => jnp.zeros([2], "int32"),
      ),
    TypeError,
    /branches of cond must have identical/,
  ),
  bad(
    "cond: non-scalar predicate",
    () =>
      lax.cond(
        jnp.array([true, false]),
        () => s,
        () => s,
      ),
    TypeError,
    /scalar|shape/,
  ),
  bad(
    "cond: string predicate",
    () =>
      lax.cond(
        u("yes"),
        () => s,
        () => s,
      ),
    TypeError,
    /yes|string|valid JAX type/,
  ),
  bad(
    "cond: branch not a function",
    () => lax.cond(true, u(5), () => s),
    TypeError,
    /true_fun and false_fun arguments should be callable/,
  ),
  bad("switch: no branches", () => lax.switch(0, []), ValueError, /Empty branch sequence/),
  bad(
    "whileLoop: carry changes shape",
    () =>
      lax.whileLoop(
        (c: Array) => jnp.all(c.lt(3)),
        (c: Array) => jnp.concatenate([c, c]),
        v3,
      ),
    TypeError,
    /identical types|shape|\(6,\)|\(3,\)/,
  ),
  bad(
    "whileLoop: non-scalar condition",
    () =>
      lax.whileLoop(
        (c: Array) => c.lt(3),
        (c: Array) => c.add(1),
        v3,
      ),
    TypeError,
    /cond_fun must return a boolean scalar|scalar|shape/,
  ),
  bad(
    "whileLoop: int condition",
    () =>
      lax.whileLoop(
        (c: Array) => c,
        (c: Array) => c.sub(1),
        jnp.array(3),
      ),
    TypeError,
    /bool|boolean/,
  ),
  bad(
    "foriLoop: float bounds",
    () => lax.foriLoop(0.5, 3, (_i: Array, c: Array) => c, s),
    TypeError,
    /fori_loop: lower must be an integer .*got 0\.5/,
  ),
  bad(
    "foriLoop: carry changes dtype",
    () => lax.foriLoop(0, 3, (_i: Array, c: Array) => c.astype("int32"), s),
    TypeError,
    /identical types|int32|float32/,
  ),
  bad(
    "scan: xs lengths differ",
    () =>
      lax.scan((c: Array, x: [Array, Array]) => [c, x[0]] as const, s, [
        jnp.ones([3]),
        jnp.ones([2]),
      ]),
    ValueError,
    /scan got values with different leading axis sizes: 3, 2/,
  ),
  bad(
    "scan: carry changes shape",
    () => lax.scan((c: Array, x: Array) => [jnp.stack([c, x]), x] as const, s, v3),
    TypeError,
    /carry|shape|identical/,
  ),
  bad(
    "scan: carry changes dtype",
    () => lax.scan((c: Array, x: Array) => [c.astype("int32"), x] as const, s, v3),
    TypeError,
    /carry|int32|float32|identical/,
  ),
  bad(
    "scan: carry pytree changes",
    () =>
      lax.scan(
        u((c: { a: Array }, x: Array) => [{ b: c.a }, x] as const),
        { a: s },
        v3,
      ),
    TypeError,
    /carry|structure|tree|a|b/,
  ),
  bad(
    "scan: scalar xs",
    () => lax.scan((c: Array, x: Array) => [c, x] as const, s, s),
    ValueError,
    /no leading axis to scan over/,
  ),
  bad(
    "scan: length disagrees with xs",
    () => lax.scan((c: Array, x: Array) => [c, x] as const, s, v3, { length: 5 }),
    ValueError,
    /different leading axis sizes: 3, 5/,
  ),
  bad(
    "scan: body not returning a pair",
    () =>
      lax.scan(
        u((c: Array) => c),
        s,
        v3,
      ),
    TypeError,
    /pair|tuple|two|carry/i,
  ),
  bad(
    "scan: unknown option",
    () => lax.scan((c: Array, x: Array) => [c, x] as const, s, v3, u({ revers: true })),
    TypeError,
    /revers.*reverse/,
  ),
  // (restored entries)
  bad(
    "jit: static argnum out of range",
    () => jit(sumsq, { staticArgnums: 3 })(v3),
    ValueError,
    /staticArgnums|static_argnums|3/,
  ),
  bad("jit: string argument", () => jit(sumsq)(u("abc")), TypeError, /abc|string/),
  bad("jit: symbol argument", () => jit(sumsq)(u(Symbol("z"))), TypeError, /symbol|Symbol/),
  bad("jit: function argument", () => jit(sumsq)(u(() => 1)), TypeError, /function|valid JAX type/),
  bad("jit: returns a string", () => jit(() => "x")(), TypeError, /string|valid JAX type|x/),
  bad("jit: returns a function", () => jit(() => () => 1)(), TypeError, /function|valid JAX type/),
  bad(
    "jit: Number(tracer)",
    () => jit((x: Array) => jnp.zeros([Number(x.item())]))(s),
    ConcretizationTypeError,
    /concrete|Abstract tracer|traced/i,
  ),
  bad("grad: string argument", () => grad(sumsq)(u("1.5")), TypeError, /1\.5|string/),
  bad(
    "grad: argnums negative out of range",
    () => grad(sumsq, { argnums: -3 })(v3),
    TypeError,
    /argnums=-3 requires at least 3 positional arguments/,
  ),
  bad(
    "valueAndGrad: vector output",
    () => valueAndGrad((x: Array) => x)(v3),
    TypeError,
    /scalar-output/,
  ),
  bad("vmap: not a function", () => vmap(u({})), TypeError, /vmap expects a function/),
  bad(
    "vmap: inAxes out of range",
    () => vmap(sumsq, { inAxes: 2 })(v3),
    ValueError,
    /axis|in_axes|inAxes|2/,
  ),
  bad(
    "whileLoop: carry changes dtype",
    () =>
      lax.whileLoop(
        (c: Array) => c.lt(3),
        (c: Array) => c.add(0.5),
        jnp.array(0),
      ),
    TypeError,
    /body_fun output and input must have identical types|int32|float32/,
  ),
];

void m23;
