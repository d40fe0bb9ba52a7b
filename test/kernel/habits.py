"""IPython habits, kept state and history through jupyter_client, on one kernel. Prints one JSON object."""
import os
import sys
import time

from kclient import emit, execute, outputs_of, reply_to, start, text_result

workdir = sys.argv[1]
os.makedirs(os.path.join(workdir, "folder"), exist_ok=True)
with open(os.path.join(workdir, "data.csv"), "w") as f:
    f.write("x\n1\n")
km, kc = start(cwd=workdir)
report = {}


def stdout_of(result):
    return "".join(o["content"]["text"] for o in result["outputs"] if o["type"] == "stream" and o["content"]["name"] == "stdout")


def stderr_of(result):
    return "".join(o["content"]["text"] for o in result["outputs"] if o["type"] == "stream" and o["content"]["name"] == "stderr")


def pages(result):
    return [p["data"]["text/plain"] for p in result["reply"].get("payload", []) if p.get("source") == "page"]


execute(kc, "const warm = 1")  # the first cell also waits for the compiler to be ready

# Kept state: a variable assigned before an interrupt, and before an error, is readable in the next cell.
msg_id = kc.execute("let spins = 0; while (true) spins++")
time.sleep(0.6)
km.interrupt_kernel()
interrupted = reply_to(kc, msg_id, timeout=10)["content"]
outputs_of(kc, msg_id)
after = execute(kc, "spins > 1000")
failed = execute(kc, 'let partial = [1, 2]; partial.push(3); throw new Error("late")')
report["kept"] = {
    "interrupted": interrupted.get("ename"),
    "spins": text_result(after),
    "typed": execute(kc, "const s: number = spins; typeof s")["reply"]["status"],
    "failed": failed["reply"].get("ename"),
    "partial": text_result(execute(kc, "partial")),
}

# A runtime error names the cell and the TypeScript line.
boom = execute(kc, 'const before = 1;\nfunction boom(): never {\n  throw new Error("boom")\n}\nboom()')
report["traceback"] = {"count": boom["reply"]["execution_count"], "lines": boom["reply"].get("traceback", [])}

# %who / %whos list the notebook's variables, not the kernel's globals.
execute(kc, 'const ratio = 0.5; const label = "gemm"; const xs = new Float64Array(8); function addUp(a: number, b: number) { return a + b }')
report["who"] = stdout_of(execute(kc, "%who"))
report["who_number"] = stdout_of(execute(kc, "%who number"))
report["whos"] = stdout_of(execute(kc, "%whos"))

# %timeit picks a loop count and prints IPython's line.
report["timeit"] = stdout_of(execute(kc, "%timeit addUp(1, 2)", timeout=60))
report["timeit_n"] = stdout_of(execute(kc, "%timeit -n 3 -r 2 xs.fill(1)", timeout=60))
report["timeit_bound"] = text_result(execute(kc, "%timeit -o -n 5 -r 3 addUp(2, 3) -> t\nt.timings.length * 10 + t.loops", timeout=60))

# %pwd, %ls, !cmd
report["pwd"] = text_result(execute(kc, "%pwd"))
report["ls"] = stdout_of(execute(kc, "%ls"))
shell = execute(kc, "!echo from-the-shell && echo to-stderr 1>&2\nconst afterShell = 1;\n!exit 3")
report["shell"] = {"status": shell["reply"]["status"], "stdout": stdout_of(shell), "stderr": stderr_of(shell)}
msg_id = kc.execute("!sleep 30")
time.sleep(0.5)
started = time.time()
km.interrupt_kernel()
slept = reply_to(kc, msg_id, timeout=10)["content"]
outputs_of(kc, msg_id)
report["shell_interrupt"] = {"elapsed": time.time() - started, "ename": slept.get("ename"), "next": text_result(execute(kc, "ratio * 2"))}

# %name? and obj? answer through the pager payload.
magic_help = execute(kc, "%timeit?")
report["magic_help"] = {"pages": pages(magic_help), "stdout": stdout_of(magic_help)}
report["obj_help"] = pages(execute(kc, "addUp?"))
report["value_help"] = pages(execute(kc, "ratio?"))
report["missing_help"] = stdout_of(execute(kc, "nothingHere?"))

# Display helpers as results and %%html
shown = execute(kc, 'html("<b>bold</b>")')
report["html_result"] = [sorted(o["content"]["data"].keys()) for o in shown["outputs"] if o["type"] == "execute_result"]
cell_html = execute(kc, "%%html\n<i>cell</i>")
report["cell_html"] = [o["content"]["data"].get("text/html") for o in cell_html["outputs"] if o["type"] == "execute_result"]

# %history sees this session's cells
report["history"] = stdout_of(execute(kc, "%history -n -l 3"))

# %reset -f forgets variables, for the runtime and the type checker
report["reset"] = stdout_of(execute(kc, "%reset -f"))
gone = execute(kc, "ratio")
report["after_reset"] = {"ename": gone["reply"].get("ename"), "evalue": gone["reply"].get("evalue"), "works": text_result(execute(kc, "const fresh = 2; fresh * 3"))}
refused = execute(kc, "%reset", allow_stdin=False)
report["reset_refused"] = refused["reply"].get("evalue")

kc.stop_channels()
km.shutdown_kernel(now=True)
emit(report)
