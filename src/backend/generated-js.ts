/**
 * Compiling generated JavaScript (`new Function`), for the js device's kernels and the wasm
 * device's JS fallback kernels. A page whose Content-Security-Policy forbids evaluating strings
 * (`script-src` without 'unsafe-eval', as security-minded sites set it) makes `new Function`
 * throw an EvalError; this turns it into a DeviceError that names the kernel, the policy and
 * the ways out, instead of an error from deep inside a call.
 */
import { DeviceError } from "../core/errors.js";

/** `new Function(...params, body)`, with the CSP case explained. */
export function compileGenerated<F>(params: readonly string[], body: string, what: string): F {
  try {
    return new Function(...params, body) as F;
  } catch (e) {
    if (e instanceof EvalError || (e as Error)?.name === "EvalError") {
      throw new DeviceError(
        `${what} runs as generated JavaScript, and evaluating code from strings is forbidden ` +
          `here (a page's Content-Security-Policy without 'unsafe-eval' in script-src, or ` +
          `Node's --disallow-code-generation-from-strings). The wasm device compiles most ` +
          `kernels to WebAssembly (which 'wasm-unsafe-eval' allows), but not this one: allow ` +
          `'unsafe-eval' for the page, or keep this computation off it ` +
          `(${(e as Error).message})`,
      );
    }
    throw e;
  }
}
