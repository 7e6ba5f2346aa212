/**
 * Where the f32x4 math library's code goes. Inside the main (unrolled) vector loops the math
 * routines are inlined; everywhere else (cleanup loops, scalar tails, scalar loop nests,
 * hoisted code) they are calls to one shared function per routine and module, which keeps
 * modules small: a transcendental can be a few hundred instructions.
 */
import type { FunctionBuilder } from "./function-builder.js";
import type { ModuleBuilder } from "./encoder.js";
import { BINARY_MATH, UNARY_MATH, type BinaryMathFn, type UnaryMathFn } from "./simd-math.js";

interface MathState {
  readonly mb: ModuleBuilder;
  inline: boolean;
}
const states = new WeakMap<FunctionBuilder, MathState>();
const shared = new WeakMap<ModuleBuilder, Map<string, number>>();

/** Lets `f` call shared math functions of `mb` (without this, math is always inlined). */
export function bindMath(f: FunctionBuilder, mb: ModuleBuilder): void {
  states.set(f, { mb, inline: false });
}

/** Runs `body` with math inlined into `f`. */
export function inlineMath(f: FunctionBuilder, body: () => void): void {
  const s = states.get(f);
  if (!s) return body();
  const was = s.inline;
  s.inline = true;
  try {
    body();
  } finally {
    s.inline = was;
  }
}

function callShared(
  s: MathState,
  f: FunctionBuilder,
  name: string,
  arity: number,
  emit: (g: FunctionBuilder) => void,
): void {
  let m = shared.get(s.mb);
  if (!m) shared.set(s.mb, (m = new Map()));
  let index = m.get(name);
  if (index === undefined) {
    const g = s.mb.addFunction(arity === 1 ? ["v128"] : ["v128", "v128"], ["v128"]);
    for (let i = 0; i < arity; i++) g.localGet(i);
    emit(g);
    index = g.index;
    m.set(name, index);
  }
  f.call(index);
}

/** [x] -> [fn(x)] on f32x4. */
export function emitUnaryMath(f: FunctionBuilder, fn: UnaryMathFn): void {
  const s = states.get(f);
  if (!s || s.inline) return UNARY_MATH[fn](f);
  callShared(s, f, fn, 1, UNARY_MATH[fn]);
}

/** [a, b] -> [fn(a, b)] on f32x4 (atan2: y, x; pow: x, y). */
export function emitBinaryMath(f: FunctionBuilder, fn: BinaryMathFn): void {
  const s = states.get(f);
  if (!s || s.inline) return BINARY_MATH[fn](f);
  callShared(s, f, fn, 2, BINARY_MATH[fn]);
}
