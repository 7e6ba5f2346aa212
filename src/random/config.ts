/**
 * The PRNG's one setting: JAX's `jax_threefry_partitionable` (true by default since JAX 0.5).
 * It changes how `split` and the random bits lay out their Threefry counters, so it changes
 * the values drawn. Samplers read it when they are traced: a function jitted before a change
 * keeps the layout it was traced with.
 */
let partitionable = true;

/** Whether the partitionable counter layout is in use (JAX's default). */
export function threefryPartitionable(): boolean {
  return partitionable;
}

/** Set the layout globally, as `jax.config.update("jax_threefry_partitionable", v)`. */
export function setThreefryPartitionable(value: boolean): void {
  partitionable = value;
}

/** Run `fn` with the layout set to `value` (as the `jax.threefry_partitionable` context). */
export function withThreefryPartitionable<T>(value: boolean, fn: () => T): T {
  const saved = partitionable;
  partitionable = value;
  try {
    return fn();
  } finally {
    partitionable = saved;
  }
}
