/**
 * Control flow a device drives from the host (kernel.ts CondKernel / WhileKernel): the wasm
 * device runs its compiled nested steps this way, the webgpu device its shader dispatches. A
 * cond runs branch clamp(index, 0, n - 1); a while runs `cond`, stops when the predicate is
 * false, else runs `body` and repeats.
 */
export interface CondNode<Leaf> {
  readonly kind: "cond";
  readonly index: number;
  readonly branches: readonly (readonly Leaf[])[];
}
export interface WhileNode<Leaf> {
  readonly kind: "while";
  readonly cond: readonly Leaf[];
  readonly predicate: number;
  readonly body: readonly Leaf[];
}
export type ControlNode<Leaf> = CondNode<Leaf> | WhileNode<Leaf>;

/**
 * Runs one cond/while node: `run` runs a list of its leaves in order, `read` gives the scalar in
 * a buffer (the cond's index, the while's predicate) once the work before it is done.
 */
export function runControl<Leaf>(
  c: ControlNode<Leaf>,
  run: (leaves: readonly Leaf[]) => void,
  read: (buffer: number) => number,
): void {
  if (c.kind === "cond") {
    const n = c.branches.length;
    run(c.branches[Math.min(Math.max(read(c.index) | 0, 0), n - 1)]!);
    return;
  }
  for (;;) {
    run(c.cond);
    if (!read(c.predicate)) break;
    run(c.body);
  }
}
