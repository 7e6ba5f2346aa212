/** All primitives (importing this module defines every one of them), and their functions. */
export * from "./elementwise/index.js";
export * from "./shape/index.js";
export * from "./convert.js";
export * from "./select.js";
export * from "./clamp.js";
export * from "./reductions.js";
export * from "./dot.js";
export * from "./conv.js";
export * from "./misc.js";
export * from "./pjit.js";
export * from "./control-flow.js";
export * from "./scan.js";
export * from "./add-any.js";
export * from "./slicing.js";
export * from "./gather.js";
export * from "./scatter.js";
export * from "./sort.js";
export * from "./cumulative.js";
export * from "./gather-scatter-params.js";
export * from "./random-bits.js";
export { complex, real, imag, conj, complexP, realP, imagP, conjP } from "./complex/parts.js";
export { fft, fftP } from "./fft.js";
export type { FftType } from "./fft.js";
// The linear-algebra primitives are defined here; their functions are imported from ./linalg/.
import "./linalg/index.js";
export { definePrimitive, primitiveByName, allPrimitives } from "./define.js";
export { full, fullLike, scalarLike, scalarConstantOf, instantiate } from "./constants.js";
// Re-exported by the structural primitives' module before it was split (kept for its users).
export { broadcastOperand } from "./lowering-helpers.js";
export { mapLazy } from "../kernel/lazy.js";
export { constant } from "../kernel/expr.js";
export { int32 } from "../core/dtype.js";
export * from "./windowed/reduce-window.js";
export * from "./windowed/select-gather.js";
export * from "./windowed/generic.js";
