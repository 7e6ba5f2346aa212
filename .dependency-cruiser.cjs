/**
 * The layers of src/, lowest first. A module may import only from its own layer and the
 * layers before it; no import cycles at all (type-only imports included). ARCHITECTURE.md
 * describes the same order: change both together.
 */
const LAYERS = [
  "core",
  "ir",
  "kernel",
  "backend",
  "trace",
  "primitives",
  "lower",
  "runtime",
  "transforms",
  "numpy",
  "lax",
  "random",
  "nn",
  "scipy",
  "tree",
  "index.ts",
];

const layerPath = (l) => (l.endsWith(".ts") ? `^src/${l.replace(".", "\\.")}$` : `^src/${l}/`);

/** One rule per layer: nothing in it imports from a layer after it. */
const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.replace(".ts", "")}`,
  comment: `${layer} is layer ${i + 1}; it may import only from: ${LAYERS.slice(0, i + 1).join(", ")}`,
  severity: "error",
  from: { path: layerPath(layer) },
  to: { path: LAYERS.slice(i + 1).map(layerPath) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Import cycles (type-only ones too) make the layers impossible to read in order.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "backend-only-below-kernel",
      comment:
        "A device folder generates and schedules code for kernel programs; it imports only " +
        "core/, ir/, kernel/ and backend/ itself.",
      severity: "error",
      from: { path: "^src/backend/" },
      to: { path: "^src/", pathNot: "^src/(core|ir|kernel|backend)/" },
    },
    {
      name: "devices-do-not-import-each-other",
      comment:
        "Each device folder stands alone beside the others (shared code goes in kernel/). One " +
        "declared exception: the wasm device runs the kernels it does not compile yet through " +
        "the js code generator, over views of its memory (backend/js/codegen/).",
      severity: "error",
      from: { path: "^src/backend/([^/]+)/" },
      to: {
        path: "^src/backend/[^/]+/",
        pathNot: ["^src/backend/$1/", "^src/backend/js/codegen/"],
      },
    },
    {
      name: "src-not-from-tests",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|bench|examples)/" },
    },
    ...upward,
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
  },
};
