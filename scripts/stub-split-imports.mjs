// Makes a client test binary loadable without the splitter, for scripts/wasm-test-runner. The
// app's split points (src/lazy.rs, src/sync.rs, src/policy.rs) are functions imported from
// `__wasm_split_placeholder__`, which only wasm-split-cli resolves (scripts/build-client). The
// tests call none of them, but the desk's chunk calls the pages', so the imports stay in every
// test binary, and the browser would refuse a module importing a module that does not exist.
// Each becomes a function that traps if ever called. Rust's DWARF is dropped: binaryen cannot
// carry it through, and the tests' panics name their lines without it.
// Usage: node scripts/stub-split-imports.mjs IN.wasm OUT.wasm
import binaryen from "binaryen";
import { readFileSync, writeFileSync } from "node:fs";
import { rustcFeatures } from "./wasm-features.mjs";

const [input, output] = process.argv.slice(2);
const module = binaryen.readBinary(readFileSync(input));
// Written back with no more features than rustc enabled (scripts/wasm-features.mjs).
module.setFeatures(rustcFeatures(binaryen));
module.runPasses(["strip-dwarf"]);
for (let index = module.getNumFunctions() - 1; index >= 0; index--) {
  const info = binaryen.getFunctionInfo(module.getFunctionByIndex(index));
  if (info.module !== "__wasm_split_placeholder__") continue;
  module.removeFunction(info.name);
  module.addFunction(info.name, info.params, info.results, [], module.unreachable());
}
writeFileSync(output, module.emitBinary());
module.dispose();
