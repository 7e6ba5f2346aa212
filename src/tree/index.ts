/** `jax.tree`: pytree utilities over nested arrays and plain objects. */
export { map } from "./map.js";
export type { TreeMapOptions } from "./map.js";
export {
  treeLeaves as leaves,
  treeFlatten as flatten,
  treeUnflatten as unflatten,
  treeStructure as structure,
  registerPytreeNode,
  TreeDef,
} from "../core/pytree.js";
export { flattenWithPath, leavesWithPath, mapWithPath } from "./paths.js";
export type { KeyEntry, KeyPath } from "./paths.js";
export { all, reduce, reduceAssociative, broadcast, transpose } from "./reduce.js";
