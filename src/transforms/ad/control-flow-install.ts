/** Installs the transformation rules of cond, while and scan (late-bound slots of primitives/). */
import { setControlFlowRules } from "../../primitives/control-flow.js";
import { setScanRules } from "../../primitives/scan.js";
import { condBatch, condJvp, condTranspose } from "./cond-rules.js";
import { scanBatch, scanJvp, scanTranspose } from "./scan-rules.js";
import { whileBatch, whileJvp, whileTranspose } from "./while-rules.js";

setControlFlowRules({ condJvp, condTranspose, condBatch, whileJvp, whileBatch, whileTranspose });
setScanRules({ jvp: scanJvp, transpose: scanTranspose, batch: scanBatch });
