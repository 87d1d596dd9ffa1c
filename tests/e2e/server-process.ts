// Servers of a test's own, beside the shared one playwright.config.ts starts: for the tests that
// kill and restart their server, change its files, or count what the whole team did (a count
// that another worker's test could move). Each has a port and a data directory (SQLite file,
// photos, and a copy of dist/ when asked) of its own, so workers never share or kill them.
import { test as base, type TestInfo } from "./fixtures";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";

/** The release server scripts/test builds once for the e2e tests and the benchmarks. */
export const serverBin = process.env.KEFU_SERVER_BIN ?? "target/release/kefu-server";
/** The shared server's port; the servers of tests' own take the ports just above it. */
export const sharedPort = Number(process.env.KEFU_E2E_PORT ?? 8090);

/** Every test with a server of its own, by name: each gets one port per project. */
const OWN = ["server-restart", "photo-upload", "after-sales-guide", "update-prompt", "complaints", "first-start", "https", "policy", "shift", "reports", "photo-upload-server", "restore"] as const;
export type OwnName = (typeof OWN)[number];

/** The port of `name`'s server in this project: distinct for every test and project. */
export function ownPort(name: OwnName, testInfo: TestInfo): number {
  const projects = testInfo.config.projects.map((project) => project.name);
  return sharedPort + 1 + OWN.indexOf(name) * projects.length + projects.indexOf(testInfo.project.name);
}

/** `name`'s data directory in this project, emptied. */
export function ownDir(name: OwnName, testInfo: TestInfo): string {
  const dir = `target/e2e-${name}-${testInfo.project.name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Starts the server on `port` with its data in `dir` (demo data unless `demo` is false),
 * serving `dist`, with any `extra` arguments; resolves once it listens.
 */
export function startServer(
  port: number,
  dir: string,
  dist = "dist",
  demo = true,
  extra: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(
    serverBin,
    [
      "--database",
      `sqlite://${dir}/kefu.db`,
      "--listen",
      `127.0.0.1:${port}`,
      "--dist",
      dist,
      ...(demo ? ["--demo"] : []),
      ...extra,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    // A server that exits before listening (a port in use, a missing binary) fails the test now.
    child.once("exit", (code, signal) => reject(new Error(`${serverBin} exited (${code ?? signal}) before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening")) resolve(child);
    });
  });
}

/** Kills a server this test started (never the shared one: it only ever gets its own child). */
export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/**
 * A `test` whose pages, contexts and `request` all talk to a server of its own (started before
 * the test, killed after it): `baseURL` points there. `ownServer.dist` is the directory it
 * serves: a copy of dist/ when `copyDist`, which the test may change.
 */
export function testOnOwnServer(name: OwnName, copyDist = false) {
  return base.extend<{ ownServer: { base: string; dir: string; dist: string } }>({
    ownServer: async ({}, use, testInfo) => {
      const port = ownPort(name, testInfo);
      const dir = ownDir(name, testInfo);
      const dist = copyDist ? `${dir}/dist` : "dist";
      if (copyDist) cpSync("dist", dist, { recursive: true });
      const server = await startServer(port, dir, dist);
      try {
        await use({ base: `http://127.0.0.1:${port}`, dir, dist });
      } finally {
        await stopServer(server);
      }
    },
    baseURL: async ({ ownServer }, use) => use(ownServer.base),
  });
}
