/**
 * The `export` namespace (JAX's `jax.export`): `export`, `deserialize`, `Exported`,
 * `defaultExportPlatform`.
 */
export { Exported, deserialize, defaultExportPlatform, exportFn as export } from "./exported.js";
export type { ExportOptions, Traceable } from "./exported.js";
