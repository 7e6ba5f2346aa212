/** Comparison, bitwise and other non-differentiable elementwise primitives (zero tangents). */
import { bool } from "../../core/dtype.js";
import { b, u } from "./rows.js";

u("is_finite", { cls: "float", jvp: null, out: bool });
u("not", { cls: "intOrBool", jvp: null });
u("population_count", { op: "popcnt", cls: "int", jvp: null });
b("nextafter", { cls: "float", jvp: null });
b("and", { cls: "intOrBool", jvp: null });
b("or", { cls: "intOrBool", jvp: null });
b("xor", { cls: "intOrBool", jvp: null });
b("shift_left", { op: "shl", cls: "int", jvp: null });
b("shift_right_logical", { op: "shr_logical", cls: "int", jvp: null });
b("shift_right_arithmetic", { op: "shr_arith", cls: "int", jvp: null });
// JAX orders bools too (`_ordered` = int | float | bool): false < true.
for (const cmp of ["eq", "ne", "lt", "le", "gt", "ge"] as const) {
  b(cmp, { cls: "any", jvp: null, out: bool });
}
