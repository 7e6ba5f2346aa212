/**
 * `jax.tree_util`: the pytree registry and key paths, and the `tree_*` names that jax.tree
 * also has under short names (`treeUtil.treeMap` is `tree.map`).
 */
export { map as treeMap } from "./map.js";
export {
  treeLeaves,
  treeFlatten,
  treeUnflatten,
  treeStructure,
  registerPytreeNode,
  TreeDef as PyTreeDef,
} from "../core/pytree.js";
export {
  SequenceKey,
  DictKey,
  GetAttrKey,
  FlattenedIndexKey,
  flattenWithPath as treeFlattenWithPath,
  leavesWithPath as treeLeavesWithPath,
  mapWithPath as treeMapWithPath,
  flattenOneLevel,
  flattenOneLevelWithKeys,
  keystr,
  registerPytreeWithKeys,
  registerPytreeWithKeysClass,
} from "./paths.js";
export type { KeyEntry, KeyPath } from "./paths.js";
export {
  all as treeAll,
  reduce as treeReduce,
  reduceAssociative as treeReduceAssociative,
  broadcast as treeBroadcast,
  transpose as treeTranspose,
  allLeaves,
  isTreeNode,
  treedefChildren,
  treedefIsLeaf,
  treedefTuple,
} from "./reduce.js";
export { Partial, registerPytreeNodeClass, registerStatic, registerDataclass } from "./register.js";
