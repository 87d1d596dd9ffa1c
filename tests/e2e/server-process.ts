// A server process of its own for the tests that kill and restart it, on a port and a data
// directory (SQLite file and photos) of their own.
import { spawn, type ChildProcess } from "node:child_process";

const serverBin = process.env.KEFU_SERVER_BIN ?? "target/debug/kefu-server";

export function startServer(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    serverBin,
    ["--database", `sqlite://${dir}/kefu.db`, "--listen", `127.0.0.1:${port}`, "--dist", "dist", "--demo"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening")) resolve(child);
    });
  });
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
