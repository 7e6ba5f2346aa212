/** The collectives (psum, pmax, pmin, axis_index, all_gather, reduce_scatter, ppermute). */
export * from "./reductions.js";
export * from "./gather-permute.js";
export { allToAllP, type AllToAllParams } from "./all-to-all.js";
export { bindCollective, paramsUseAxis } from "./bind.js";
export { type BatchAxis, type CollectiveBatchRule, collectiveBatchRuleOf } from "./batching.js";
