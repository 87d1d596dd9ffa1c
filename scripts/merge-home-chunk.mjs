// Merges the desk's chunk (`home`, src/desk.rs) with every shared module it needs, for
// scripts/build-client, before the loader is paced. wasm-split-cli makes a module of each set
// of chunks sharing a function: the desk needs dozens (60 when this was written, 81 now), most
// under 2 KB, each compressed alone, and what a tablet downloads before the case list grew by
// 44 KB gzip over the same code in one module. Every other page is opened from inside the desk, so it never loads without the
// desk's modules anyway: merging them costs no page anything (the lock screen and the policy's
// decoder, the two chunks that can load first, then load the desk's module with theirs).
// The chunks link only through the main module's memory, table and stack pointer, which each
// imports from `__wasm_split`; binaryen's wasm-merge would make several memories of those, so
// each chunk imports them from a stub module instead that re-exports the main module's.
// Usage: node scripts/merge-home-chunk.mjs DIR (the splitter's output, rewritten in place).
import binaryen from "binaryen";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUSTC_FEATURE_FLAGS } from "./wasm-features.mjs";

const SPLIT = "home";
const SHARED = "__wasm_split";
/** The stub's name: as long as SHARED, so renaming an import moves no byte of the module. */
const STUB = "__wasm_merge";

const dir = process.argv[2];
const loaderFile = join(dir, "__wasm_split.js");
const loader = readFileSync(loaderFile, "utf8");
const fail = (why) => {
  console.error(`merge-home-chunk: ${why} in ${loaderFile}; the loader's form changed`);
  process.exit(1);
};

// The split's loader and the shared modules it waits for, as wasm-split-cli 0.2.4 writes them.
const splitPattern = new RegExp(
  `export const __wasm_split_load_${SPLIT} = wrapAsyncCb\\(makeLoad\\((\\(\\) => \\{[\\s\\S]*?\\n\\}\\n), \\[([^\\]]*)\\]\\)\\);\\n`,
);
const split = loader.match(splitPattern) ?? fail(`no loader for ${SPLIT}`);
const [splitBlock, splitFetcher, splitDeps] = split;
const merged = splitDeps.split(",").map((dep) => dep.trim()).filter(Boolean);
const chunkBlock = (name) =>
  new RegExp(`/\\* [^*]* \\*/\\nconst ${name} = makeLoad\\(\\(\\) => \\{[\\s\\S]*?\\n\\}\\n, \\[\\]\\);\\n`);
for (const name of merged) if (!chunkBlock(name).test(loader)) fail(`no loader for ${name}`);

/** `bytes` with the module name of every import from SHARED made STUB (the import section only). */
function importingFromStub(bytes) {
  const out = Buffer.from(bytes);
  const leb = (at) => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = out[at++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
      if (byte < 0x80) return [value, at];
    }
  };
  let at = 8;
  while (at < out.length) {
    const id = out[at];
    const [size, payload] = leb(at + 1);
    if (id === 2) {
      const section = out.subarray(payload, payload + size);
      const from = Buffer.from(SHARED);
      for (let i = section.indexOf(from); i !== -1; i = section.indexOf(from, i + from.length)) {
        // A name of exactly SHARED: its length byte right before it.
        if (section[i - 1] === from.length) section.write(STUB, i);
      }
    }
    at = payload + size;
  }
  return out;
}

/** A module that imports what the chunks import from SHARED and exports it under the same names. */
function stubFor(files) {
  const imports = new Map();
  for (const file of files) {
    const module = binaryen.readBinary(readFileSync(file));
    for (const line of module.emitText().split("\n")) {
      const found = line.match(/^\s*\(import "__wasm_split" "([^"]+)" \((memory|table|global) \$\S+ (.*)\)\)$/);
      if (!found) continue;
      const [, name, kind, type] = found;
      const known = imports.get(name);
      // The largest initial size of the memory or the table any chunk asks for.
      const size = (text) => Number(text.match(/^\d+/)?.[0] ?? 0);
      if (!known || size(type) > size(known.type)) imports.set(name, { kind, type });
    }
    module.dispose();
  }
  const lines = [...imports].flatMap(([name, { kind, type }], index) => [
    `  (import "${SHARED}" "${name}" (${kind} $i${index} ${type}))`,
    `  (export "${name}" (${kind} $i${index}))`,
  ]);
  const module = binaryen.parseText(`(module\n${lines.join("\n")}\n)`);
  const bytes = module.emitBinary();
  module.dispose();
  return bytes;
}

const work = mkdtempSync(join(tmpdir(), "kefu-merge-"));
const files = [join(dir, `split_${SPLIT}.wasm`), ...merged.map((name) => join(dir, `${name.slice(2)}.wasm`))];
writeFileSync(join(work, "stub.wasm"), stubFor(files));
const args = [join(work, "stub.wasm"), STUB];
files.forEach((file, index) => {
  const renamed = join(work, `${index}.wasm`);
  writeFileSync(renamed, importingFromStub(readFileSync(file)));
  args.push(renamed, `m${index}`);
});
const mergedFile = join(work, "merged.wasm");
const wasmMerge = new URL("../node_modules/.bin/wasm-merge", import.meta.url).pathname;
execFileSync(wasmMerge, [...args, "-o", mergedFile, ...RUSTC_FEATURE_FLAGS], { stdio: ["ignore", "ignore", "inherit"] });
// Every import from the stub must have been linked to it: one left would fail only in the browser.
const check = binaryen.readBinary(readFileSync(mergedFile));
if (check.emitText().includes(`(import "${STUB}"`)) fail(`an import the stub does not provide is left in the merged ${SPLIT}`);
check.dispose();
writeFileSync(files[0], readFileSync(mergedFile));
for (const file of files.slice(1)) unlinkSync(file);
rmSync(work, { recursive: true, force: true });

// One loader for the merged module, declared before anything waits for it; the merged
// modules' names stand for it, so the other chunks' loaders are unchanged.
let rewritten = loader.replace(splitBlock, `export const __wasm_split_load_${SPLIT} = wrapAsyncCb(__chunk_${SPLIT});\n`);
for (const name of merged) rewritten = rewritten.replace(chunkBlock(name), "");
// Before the first loader that could wait for it, a shared module's or a split's.
const loaders = [/\/\* [^*]* \*\/\nconst __chunk_/, /export const __wasm_split_load_/]
  .map((pattern) => rewritten.search(pattern))
  .filter((at) => at !== -1);
if (loaders.length === 0) fail("no loader left");
const firstLoader = Math.min(...loaders);
rewritten =
  rewritten.slice(0, firstLoader) +
  `/* ${SPLIT}, merged with the ${merged.length} shared modules it needs by scripts/merge-home-chunk.mjs */\n` +
  `const __chunk_${SPLIT} = makeLoad(${splitFetcher}, []);\n` +
  merged.map((name) => `const ${name} = __chunk_${SPLIT};\n`).join("") +
  rewritten.slice(firstLoader);
writeFileSync(loaderFile, rewritten);
console.log(`merge-home-chunk: split_${SPLIT}.wasm merged with ${merged.length} shared modules`);
