"""Interrupts, stop_on_error, signature checks and magic bindings, on one kernel. Prints one JSON object."""
import os
import signal
import sys
import time

from jupyter_client.session import Session

from kclient import Empty, emit, execute, outputs_of, reply_to, start, text_result

workdir = sys.argv[1]
km, kc = start(cwd=workdir)
report = {}

execute(kc, "const kept: number = 41")

LOOPS = {
    "sync": "while (true) {}",
    "timer": "await new Promise((resolve) => setTimeout(resolve, 600000))",
    "microtask": "while (true) { await Promise.resolve() }",
}
pid = km.provisioner.process.pid
for how in ("message", "signal"):
    for name, code in LOOPS.items():
        msg_id = kc.execute(code)
        time.sleep(0.4)
        started = time.time()
        if how == "message":
            km.interrupt_kernel()
        else:
            os.kill(pid, signal.SIGINT)
        reply = reply_to(kc, msg_id, timeout=10)["content"]
        elapsed = time.time() - started
        outputs_of(kc, msg_id)
        after = execute(kc, "kept + 1", timeout=10)
        report[f"{how}-{name}"] = {
            "elapsed": elapsed,
            "status": reply["status"],
            "ename": reply.get("ename"),
            "next": text_result(after),
        }

# stop_on_error: the cells queued behind a failing one are aborted, later ones run.
ids = [kc.execute('await new Promise((r) => setTimeout(r, 300)); throw new Error("stop here")')]
ids += [kc.execute("kept + 2"), kc.execute("kept + 3")]
statuses = [reply_to(kc, i)["content"]["status"] for i in ids]
report["stop_on_error"] = {"statuses": statuses, "after": text_result(execute(kc, "kept + 4"))}
no_stop = [kc.execute('throw new Error("no stop")', stop_on_error=False), kc.execute("kept + 5")]
report["no_stop_on_error"] = [reply_to(kc, i)["content"]["status"] for i in no_stop]

# A message signed with the wrong key is dropped; the kernel keeps answering good ones.
bad = Session(key=b"not-the-kernel-key", session=kc.session.session)
msg = bad.msg("kernel_info_request")
bad.send(kc.shell_channel.socket, msg)
try:
    reply_to(kc, msg["header"]["msg_id"], timeout=1.5)
    report["bad_signature_answered"] = True
except Empty:
    report["bad_signature_answered"] = False
good = kc.kernel_info()
report["good_after_bad"] = reply_to(kc, good, timeout=10)["content"]["status"]

# Magic bindings are typed variables.
with open(os.path.join(workdir, "points.csv"), "w") as f:
    f.write("x,y\n1,2\n3,4\n5,6\n")
bind = execute(kc, "%load points.csv -> pts")
typed = execute(kc, "const rows: number = pts.numRows(); rows")
mistyped = execute(kc, "const wrong: string = pts.numRows()")
shown = execute(kc, "pts")
report["binding"] = {
    "bind": bind["reply"]["status"],
    "rows": text_result(typed),
    "mistyped": mistyped["reply"].get("ename"),
    "mistyped_text": mistyped["reply"].get("evalue"),
    "html": any("text/html" in o["content"].get("data", {}) for o in shown["outputs"]),
    "plain": text_result(shown),
}
bad_magic = execute(kc, "%load --no-such-option")
report["bad_magic"] = {"ename": bad_magic["reply"].get("ename"), "evalue": bad_magic["reply"].get("evalue")}
report["after_bad_magic"] = text_result(execute(kc, "kept"))

# %cd moves the directory that magics and user code see (the runtime is a worker, which may not chdir itself).
sub = os.path.join(workdir, "sub dir")
os.makedirs(sub, exist_ok=True)
with open(os.path.join(sub, "note.txt"), "w") as f:
    f.write("from the subfolder")
with open(os.path.join(sub, "small.csv"), "w") as f:
    f.write("a\n1\n2\n")
with open(os.path.join(sub, "helper.js"), "w") as f:
    f.write("module.exports = 'required from the subfolder';")
cd = execute(kc, "%cd \"sub dir\"")
report["cd"] = {
    "status": cd["reply"]["status"],
    "printed": "".join(o["content"].get("text", "") for o in cd["outputs"] if o["type"] == "stream"),
    "cwd": text_result(execute(kc, "process.cwd()")),
    "fs": text_result(execute(kc, 'require("node:fs").readFileSync("note.txt", "utf8")')),
    "require": text_result(execute(kc, 'require("./helper.js")')),
    "load": text_result(execute(kc, "%load small.csv -> small\nsmall.numRows()")),
    "chdir_error": execute(kc, 'process.chdir("no-such-folder")')["reply"].get("evalue"),
    "back": execute(kc, "%cd -")["reply"]["status"],
    "cwd_after_back": text_result(execute(kc, "process.cwd()")),
}

# input(prompt): an input_request on stdin, answered by the frontend; refused when the request disallows stdin.
msg_id = kc.execute('const who = await input("name? "); "hi " + who', allow_stdin=True)
request = kc.get_stdin_msg(timeout=20)
kc.input("simlab")
report["input"] = {
    "prompt": request["content"].get("prompt"),
    "parent_is_execute": request["parent_header"].get("msg_id") == msg_id,
    "status": reply_to(kc, msg_id)["content"]["status"],
    "result": text_result({"outputs": outputs_of(kc, msg_id)}),
}
refused = execute(kc, 'await input("x")', allow_stdin=False)
report["input_refused"] = {"ename": refused["reply"].get("ename"), "evalue": refused["reply"].get("evalue")}

# restart: a new kernel process on the same connection, with none of the old variables.
old_pid = km.provisioner.process.pid
km.restart_kernel(now=False)
kc.wait_for_ready(timeout=60)
report["restart"] = {
    "new_process": km.provisioner.process.pid != old_pid,
    "fresh": execute(kc, "kept")["reply"].get("evalue"),
    "works": text_result(execute(kc, "6 * 7")),
}

kc.stop_channels()
km.shutdown_kernel(now=False)
emit(report)
