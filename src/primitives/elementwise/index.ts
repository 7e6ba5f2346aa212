/**
 * Elementwise primitives, one table row each (rows.ts), by family. Batching is shared
 * (batch-rules.ts). Importing this module defines all of them.
 */
import "./arithmetic.js";
import "./transcendental.js";
import "./comparison-bitwise.js";

export { prims, unbroadcast } from "./rows.js";
export * from "./functions.js";
