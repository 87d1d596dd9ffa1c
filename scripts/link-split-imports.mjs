// Makes a client test binary loadable without the splitter, for scripts/wasm-test-runner, with
// every split point working as in one unsplit module. The app's split points (src/lazy.rs,
// src/sync.rs, src/policy.rs, src/store.rs, src/shift_start.rs) call functions imported from
// `__wasm_split_placeholder__`, which only wasm-split-cli resolves (scripts/build-client), and
// the browser would refuse a module importing a module that does not exist. In a test binary
// nothing is split off, so each import is linked in place: a chunk's load
// (`__wasm_split_load_<chunk>(callback, data)`) calls its callback at once with success, and a
// split function's import (`__wasm_split_00<chunk>00_import_<id>_<name>`) calls the module's own
// export of it (`..._export_<id>_<name>`). Rust's DWARF is dropped: binaryen cannot carry it
// through, and the tests' panics name their lines without it.
// Usage: node scripts/link-split-imports.mjs IN.wasm OUT.wasm
import binaryen from "binaryen";
import { readFileSync, writeFileSync } from "node:fs";
import { rustcFeatures } from "./wasm-features.mjs";

const PLACEHOLDER = "__wasm_split_placeholder__";
const [input, output] = process.argv.slice(2);
const module = binaryen.readBinary(readFileSync(input));
// Written back with no more features than rustc enabled (scripts/wasm-features.mjs).
module.setFeatures(rustcFeatures(binaryen));
module.runPasses(["strip-dwarf"]);

const exported = new Map();
for (let index = 0; index < module.getNumExports(); index++) {
  const { kind, name, value } = binaryen.getExportInfo(module.getExportByIndex(index));
  if (kind === binaryen.ExternalFunction) exported.set(name, value);
}
const table = module.getNumTables() > 0 ? binaryen.getTableInfo(module.getTableByIndex(0)).name : null;
const fail = (why) => {
  console.error(`link-split-imports: ${why} in ${input}`);
  process.exit(1);
};

for (let index = module.getNumFunctions() - 1; index >= 0; index--) {
  const info = binaryen.getFunctionInfo(module.getFunctionByIndex(index));
  if (info.module !== PLACEHOLDER) continue;
  const params = binaryen.expandType(info.params);
  const args = params.map((type, at) => module.local.get(at, type));
  let body;
  if (info.base.startsWith("__wasm_split_load_")) {
    // (callback, data): the callback is a table index, called as callback(data, true).
    if (!table || params.length !== 2) fail(`unexpected loader ${info.base}`);
    const [callback, data] = args;
    body = module.call_indirect(
      table,
      callback,
      [data, module.i32.const(1)],
      binaryen.createType([binaryen.i32, binaryen.i32]),
      binaryen.none,
    );
  } else {
    const target = exported.get(info.base.replace(/^(__wasm_split_00.+?00)_import_/, "$1_export_"));
    if (!target) fail(`no export for ${info.base}`);
    body = module.call(target, args, info.results);
  }
  module.removeFunction(info.name);
  module.addFunction(info.name, info.params, info.results, [], body);
}
writeFileSync(output, module.emitBinary());
module.dispose();
