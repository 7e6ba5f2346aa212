/** The `debug` namespace: `debug.print`, `debug.callback`. */
export { callback, print } from "./debug.js";
export type { DebugCallbackOptions } from "./debug.js";
