// Paces the chunk loader wasm-split-cli writes (__wasm_split.js), for scripts/build-client: a
// page's chunk needs up to 60 shared modules, and the loader started every fetch in one task.
// Each fetch costs the main thread a little (the service worker answers it), so opening the
// desk's pages, or their load in the background after sign-in (src/lazy.rs), held the main
// thread for one long task: 190 ms of Lighthouse's 4×-slowed CPU, most of the case list's total
// blocking time. Here the fetches start a few per task, in order, so input is handled between.
// Usage: node scripts/pace-chunk-fetches.mjs DIR/__wasm_split.js (rewritten in place).
import { readFileSync, writeFileSync } from "node:fs";

const FETCHES_PER_TASK = 4;
const file = process.argv[2];
const source = readFileSync(file, "utf8");

// Every module the loader fetches, as wasm-split-cli 0.2.4 writes it.
const call = 'fetch(new URL("./';
const fetches = source.split(call).length - 1;
const modules = (source.match(/\bconst __chunk_\w+ = makeLoad\(/g) ?? []).length +
  (source.match(/\bexport const __wasm_split_load_\w+ = wrapAsyncCb\(makeLoad\(/g) ?? []).length;
if (fetches === 0 || fetches !== modules) {
  // A new splitter writes its loader differently: fail rather than ship it unpaced.
  console.error(`pace-chunk-fetches: ${fetches} fetches for ${modules} modules in ${file}; the loader's form changed`);
  process.exit(1);
}

const pacedFetch = `
// Added by scripts/pace-chunk-fetches.mjs: the modules' fetches start ${FETCHES_PER_TASK} per task.
const pacedFetches = [];
function startPacedFetches() {
    for (const start of pacedFetches.splice(0, ${FETCHES_PER_TASK})) start();
    if (pacedFetches.length > 0) setTimeout(startPacedFetches, 0);
}
function pacedFetch(url) {
    return new Promise((resolve, reject) => {
        if (pacedFetches.push(() => fetch(url).then(resolve, reject)) === 1) setTimeout(startPacedFetches, 0);
    });
}
`;
const imports = source.indexOf("\n", source.indexOf("import ")) + 1;
const paced = source.slice(0, imports) + pacedFetch + source.slice(imports).split(call).join('pacedFetch(new URL("./');
writeFileSync(file, paced);
console.log(`pace-chunk-fetches: ${fetches} module fetches paced, ${FETCHES_PER_TASK} per task`);
