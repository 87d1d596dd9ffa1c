// Starts the app. A file in the build's directory (scripts/build-client copies it beside
// kefu.js, so these relative addresses name this build's files), not an inline script: the
// Content-Security-Policy lets only the app's own files run.
import init from "./kefu.js";

await init({ module_or_path: new URL("./kefu_bg.wasm", import.meta.url) });
// The first screen is up: only now may the service worker fetch the rest of the build.
window.kefuStarted = true;
dispatchEvent(new Event("kefu-started"));
