/** Counted loops for the kernel emitters. */
import type { FunctionBuilder } from "./function-builder.js";
import type { Scope } from "./loop-scope.js";

export type Bound = { readonly local: number } | { readonly value: number };

const push = (f: FunctionBuilder, b: Bound) =>
  "local" in b ? f.localGet(b.local) : f.i32Const(b.value);

/**
 * `counter = from; while (counter + step <= to) { body; counter += step; }` as a guarded
 * bottom-tested loop (one branch per iteration). With `from` undefined the counter keeps its
 * value (a cleanup loop continuing where the previous one stopped).
 */
export function forLoop(
  f: FunctionBuilder,
  counter: number,
  from: Bound | undefined,
  to: Bound,
  step: number,
  body: () => void,
): void {
  if ("value" in to && from && "value" in from && from.value + step > to.value) {
    f.i32Const(from.value).localSet(counter);
    return;
  }
  if (from) push(f, from).localSet(counter);
  // limit = to - step + 1; loop while counter < limit
  let limit: Bound;
  if ("value" in to) limit = { value: to.value - step + 1 };
  else if (step === 1) limit = to;
  else {
    const l = f.acquireLocal("i32");
    f.localGet(to.local)
      .i32Const(step - 1)
      .op("i32.sub")
      .localSet(l);
    limit = { local: l };
  }
  f.localGet(counter);
  push(f, limit).op("i32.lt_s");
  f.if();
  const top = f.loop();
  body();
  f.localGet(counter).i32Const(step).op("i32.add").localTee(counter);
  push(f, limit).op("i32.lt_s").br_if(top);
  f.end();
  f.end();
  if (limit !== to && "local" in limit) f.releaseLocal(limit.local);
}

export function emitScope(f: FunctionBuilder, s: Scope): void {
  for (const c of s.code) c(f);
}

/** `for (counter = from; counter < to; counter += step) body` (partial last step included). */
export function forStep(
  f: FunctionBuilder,
  counter: number,
  from: Bound,
  to: Bound,
  step: number,
  body: () => void,
): void {
  push(f, from).localTee(counter);
  push(f, to).op("i32.lt_s");
  f.if();
  const top = f.loop();
  body();
  f.localGet(counter).i32Const(step).op("i32.add").localTee(counter);
  push(f, to).op("i32.lt_s").br_if(top);
  f.end();
  f.end();
}
