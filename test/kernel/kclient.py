"""Helpers for driving the simlab kernel through Debian's jupyter_client (run under /usr/bin/python3)."""
import json
import time
from queue import Empty

from jupyter_client.manager import KernelManager


def start(kernel_name="simlab", cwd=None):
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def reply_to(kc, msg_id, timeout=30, channel="shell"):
    """The reply whose parent is msg_id (other replies, e.g. a stray kernel_info_reply, are skipped)."""
    get = kc.get_shell_msg if channel == "shell" else kc.control_channel.get_msg
    deadline = time.time() + timeout
    while True:
        msg = get(timeout=max(0.01, deadline - time.time()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def outputs_of(kc, msg_id, timeout=30):
    """IOPub messages of a request, up to its idle status."""
    out = []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out
        if msg["msg_type"] != "status":
            out.append({"type": msg["msg_type"], "content": msg["content"]})


def execute(kc, code, timeout=30, **kwargs):
    """Runs code; returns the reply content and the outputs."""
    msg_id = kc.execute(code, **kwargs)
    reply = reply_to(kc, msg_id, timeout)
    return {"reply": reply["content"], "outputs": outputs_of(kc, msg_id, timeout)}


def text_result(result):
    for out in result["outputs"]:
        if out["type"] == "execute_result":
            return out["content"]["data"]["text/plain"]
    return None


def emit(obj):
    print(json.dumps(obj), flush=True)


__all__ = ["start", "reply_to", "outputs_of", "execute", "text_result", "emit", "Empty"]
