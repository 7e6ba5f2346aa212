/** `jax.tree`: pytree utilities over nested arrays and plain objects. */
export {
  treeMap as map,
  treeLeaves as leaves,
  treeFlatten as flatten,
  treeUnflatten as unflatten,
  treeStructure as structure,
  registerPytreeNode,
  TreeDef,
} from "../core/pytree.js";
