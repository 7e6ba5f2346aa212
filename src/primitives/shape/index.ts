/**
 * Structural primitives: broadcast_in_dim, reshape, squeeze, transpose, rev, slice, pad,
 * concatenate, iota. All but iota are linear; their lowerings are index remappings (views of
 * buffers when possible), so they fuse into whatever consumes them. One file each (slice and
 * pad together: each is the other's transpose); modules of primitives/ import the file they
 * need, so that imports flow one way.
 */
export * from "./transpose.js";
export * from "./reshape.js";
export * from "./broadcast.js";
export * from "./squeeze.js";
export * from "./rev.js";
export * from "./slice-pad.js";
export * from "./concatenate.js";
export * from "./iota.js";
