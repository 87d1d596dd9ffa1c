// Runs wasm-opt's -Oz (and strips names and producers) on every wasm module given, in place, for
// scripts/build-client: one worker per core, each loading binaryen once. npm's wasm-opt is
// binaryen compiled to JavaScript, 11 MB that Node loads and compiles again for every command:
// 1.8 s of CPU for a 1.3 KB chunk, most of the 218 s the split build's 114 modules took.
// Usage: node scripts/wasm-opt-all.mjs FILE.wasm...
import { availableParallelism } from "node:os";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import { rustcFeatures } from "./wasm-features.mjs";

if (isMainThread) {
  // Largest first, so no worker is left with a big module at the end.
  const queue = process.argv.slice(2).sort((a, b) => statSync(b).size - statSync(a).size);
  const workers = Math.max(1, Math.min(availableParallelism(), queue.length));
  for (let i = 0; i < workers; i++) {
    const worker = new Worker(new URL(import.meta.url));
    worker.on("message", ({ failed }) => {
      if (failed) {
        console.error(`wasm-opt: ${failed}`);
        process.exit(1);
      }
      worker.postMessage(queue.shift() ?? null);
    });
    worker.on("error", (error) => {
      console.error(`wasm-opt: ${error.stack ?? error}`);
      process.exit(1);
    });
  }
} else {
  const { default: binaryen } = await import("binaryen");
  // The module is read and optimized with what rustc enables (scripts/wasm-features.mjs).
  const features = rustcFeatures(binaryen);
  // -Oz: the default passes at optimize level 2, shrink level 2, and the module written through
  // optimized Stack IR, as the command does at these levels (its output byte for byte).
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(2);
  binaryen.setDebugInfo(false);
  binaryen.setGenerateStackIR(true);
  binaryen.setOptimizeStackIR(true);
  parentPort.on("message", (file) => {
    if (file === null) {
      parentPort.close();
      return;
    }
    try {
      const module = binaryen.readBinary(readFileSync(file), features);
      module.optimize();
      module.runPasses(["strip-debug", "strip-producers"]);
      writeFileSync(file, module.emitBinary());
      module.dispose();
      parentPort.postMessage({});
    } catch (error) {
      parentPort.postMessage({ failed: `${file}: ${error.stack ?? error}` });
    }
  });
  parentPort.postMessage({});
}
