"""Starts the kernel, prints its pid, then waits to be killed (the test kills this process, the kernel's parent)."""
import sys
import time

from kclient import emit, start

km, kc = start(cwd=sys.argv[1])
emit({"kernel_pid": km.provisioner.process.pid})
time.sleep(600)
