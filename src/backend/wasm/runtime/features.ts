/**
 * WebAssembly features probed at run time. Only relaxed SIMD is optional for the codegen:
 * with it, polynomial evaluation and the GEMM microkernel use fused multiply-adds
 * (`f32x4.relaxed_madd`, one instruction where there were two) and selects use
 * `i32x4.relaxed_laneselect` (one `blendvps` instead of three logic ops). Results stay within
 * the same tested ulp bounds; they may differ in the last bit from the unfused code.
 *
 * Engines ship relaxed SIMD by default since V8 11.4 (Chrome 114, Node 22) and Firefox 120.
 * Node 20's V8 (11.3) has the complete implementation behind `--experimental-wasm-relaxed-simd`;
 * there jaxts turns that flag on (it affects only modules compiled afterwards, and nothing but
 * the extra instructions). `config.update("wasmRelaxedSimd", false)` keeps the plain SIMD code.
 */
import { config } from "../../../core/config.js";
import { nodeBuiltin } from "./pool.js";

/** (module (func (param v128 v128 v128) (result v128) f32x4.relaxed_madd; i32x4.relaxed_laneselect)) */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b,
  0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x14, 0x01, 0x12, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20,
  0x02, 0xfd, 0x85, 0x02, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x8b, 0x02, 0x0b,
]);

const validates = (): boolean => {
  try {
    return WebAssembly.validate(PROBE);
  } catch {
    return false;
  }
};

let engineHasRelaxed: boolean | undefined;

/** Whether the engine compiles relaxed SIMD (turning Node 20's flag on if it must). */
function engineRelaxedSimd(): boolean {
  if (engineHasRelaxed !== undefined) return engineHasRelaxed;
  engineHasRelaxed = validates();
  if (!engineHasRelaxed) {
    const v8 = nodeBuiltin<{ setFlagsFromString(f: string): void }>("node:v8");
    const [major = 0, minor = 0] = (globalThis.process?.versions?.v8 ?? "0.0")
      .split(".")
      .map(Number);
    if (v8 && (major > 11 || (major === 11 && minor >= 3))) {
      v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
      engineHasRelaxed = validates();
    }
  }
  return engineHasRelaxed;
}

/** Whether code compiled now may use relaxed SIMD (`config.wasmRelaxedSimd` and the engine). */
export function useRelaxedSimd(): boolean {
  return config.read("wasmRelaxedSimd") && engineRelaxedSimd();
}
