// The wasm features rustc's wasm32 target enables by default: every binaryen step of the build
// and the tests reads and writes modules with these, and no more.
/** As binaryen's JavaScript API takes them. */
export function rustcFeatures(binaryen) {
  const { Features } = binaryen;
  return (
    Features.BulkMemory |
    Features.BulkMemoryOpt |
    Features.NontrappingFPToInt |
    Features.SignExt |
    Features.MutableGlobals |
    Features.ReferenceTypes |
    Features.CallIndirectOverlong |
    Features.Multivalue
  );
}

/** As binaryen's commands take them. */
export const RUSTC_FEATURE_FLAGS = [
  "--enable-bulk-memory",
  "--enable-bulk-memory-opt",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-mutable-globals",
  "--enable-reference-types",
  "--enable-multivalue",
  "--enable-call-indirect-overlong",
];
