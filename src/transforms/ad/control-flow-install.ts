/** Provides the transformation rules of cond, while and scan (declared providedByTransforms). */
import { condP, whileP } from "../../primitives/control-flow.js";
import { provideRules } from "../../primitives/define.js";
import { scanP } from "../../primitives/scan.js";
import { condBatch, condJvp, condTranspose } from "./cond-rules.js";
import { scanBatch, scanJvp, scanTranspose } from "./scan-rules.js";
import { whileBatch, whileJvp, whileTranspose } from "./while-rules.js";

provideRules(condP, { jvp: condJvp, transpose: condTranspose, batch: condBatch });
provideRules(whileP, { jvp: whileJvp, transpose: whileTranspose, batch: whileBatch });
provideRules(scanP, { jvp: scanJvp, transpose: scanTranspose, batch: scanBatch });
