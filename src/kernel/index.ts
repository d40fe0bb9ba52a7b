/** Starts the simlab kernel for a Jupyter connection file and runs it until shutdown or the parent's death. */
import { CompilerClient } from "./compile/client.js";

export async function runKernel(connectionFile: string): Promise<void> {
  // The converter takes 1–2 s to build: start it before loading anything else (zeromq, the protocol server).
  const compiler = new CompilerClient();
  const [{ KernelServer }, { watchParent }, { readConnectionFile }] = await Promise.all([import("./protocol/server.js"), import("./protocol/watchdog.js"), import("./protocol/wire.js")]);
  let server: InstanceType<typeof KernelServer>;
  try {
    server = new KernelServer(await readConnectionFile(connectionFile), compiler);
    await server.start();
  } catch (e) {
    await compiler.close(); // the worker would keep the process alive after the error is printed
    throw e;
  }
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
