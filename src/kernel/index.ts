/** Starts the simlab kernel for a Jupyter connection file and runs it until shutdown or the parent's death. */
import { CompilerClient } from "./compile/client.js";

export async function runKernel(connectionFile: string): Promise<void> {
  // The converter takes 1–2 s to build: start it before loading anything else (zeromq, the protocol server).
  const compiler = new CompilerClient();
  const [{ KernelServer }, { watchParent }, { readConnectionFile }] = await Promise.all([import("./protocol/server.js"), import("./protocol/watchdog.js"), import("./protocol/wire.js")]);
  let info: Awaited<ReturnType<typeof readConnectionFile>>;
  try {
    info = await readConnectionFile(connectionFile);
  } catch (e) {
    await compiler.close(); // its thread would keep the process alive after the error
    throw e;
  }
  if (info.key === "") {
    process.stderr.write(`simlab kernel: warning: ${connectionFile} has no key, so messages are not signed: anyone who can reach the kernel's ports can run code\n`);
  }
  const server = new KernelServer(info, compiler);
  await server.start();
  process.on("SIGINT", () => server.interrupt());
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    const forced = setTimeout(() => process.exit(code), 1000);
    forced.unref();
    void server.close().finally(() => process.exit(code));
  };
  process.on("SIGTERM", () => exit(0));
  watchParent(() => {
    process.stderr.write("simlab kernel: parent process is gone, exiting\n");
    exit(0);
  });
  await server.done;
  exit(0);
}
