/** Starts the simlab kernel for a Jupyter connection file and runs it until shutdown or the parent's death. */
import { KernelServer } from "./server.js";
import { watchParent } from "./watchdog.js";
import { readConnectionFile } from "./wire.js";

export { KernelServer, kernelInfo } from "./server.js";

export async function runKernel(connectionFile: string): Promise<void> {
  const server = new KernelServer(await readConnectionFile(connectionFile));
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
