"""1,000 random magic lines sent to the kernel as cells: each must end ok, with a one-line SimlabError or with TypeScript diagnostics
(optionally plus a hint line, never a stack trace), and the kernel must still answer afterwards. Prints one JSON summary line."""
import random
import sys

from kclient import emit, execute, start, text_result

NAMES = ["lsmagic", "time", "cd", "env", "load", "fit", "eval", "plot", "sweep", "tiem", "", "lsmagic?", "c d", "énv", "plot?"]
WORDS = ["--help", "-h", "-r", "--repeat", "--repeat=x", "-r0", "--", "--db", "--target", "--model", "forest", "nope",
         "--cv", "logo", "--format", "csv", "pred", "rank", "--png", "x.png", "missing.csv", "'unterminated", '"a b"',
         "->", "-> x", "-> 2x", "=", "A=1", "--space", "M=abc", "--tools", "qemu", "--jobs", "-1", "\\", "%", "?"]
GARBAGE = "abc-_=,.:;'\"\\/ \t%?→é{}[]()$`!|&*"


def random_line(rng):
    words = [rng.choice(WORDS) if rng.random() < 0.7 else "".join(rng.choice(GARBAGE) for _ in range(rng.randint(1, 8)))
             for _ in range(rng.randint(0, 5))]
    return "%" + rng.choice(NAMES) + " " + " ".join(words)


def main():
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 2025)
    km, kc = start()
    counts = {"ok": 0, "simlab_error": 0, "compile_error": 0}
    bad = []
    try:
        for _ in range(1000):
            line = random_line(rng)
            result = execute(kc, line, timeout=30, stop_on_error=False)
            reply = result["reply"]
            if reply["status"] == "ok":
                counts["ok"] += 1
                continue
            # One line of message, optionally followed by one line of hint.
            lines = reply.get("evalue", "").strip().split("\n")
            one_line = len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("hint: "))
            stackless = not any(" at " in frame and ".js:" in frame for frame in reply.get("traceback", []))
            if reply.get("ename") == "SimlabError" and one_line and stackless:
                counts["simlab_error"] += 1
            elif reply.get("ename") == "CompileError" and stackless:
                # A magic whose argument is TypeScript (%time STMT, %eval EXPR) reports the compiler's diagnostics.
                counts["compile_error"] += 1
            else:
                bad.append({"line": line, "ename": reply.get("ename"), "evalue": reply.get("evalue"), "traceback": reply.get("traceback", [])[:3]})
        after = text_result(execute(kc, "6 * 7"))
        emit({"counts": counts, "bad": bad[:5], "bad_count": len(bad), "after": after, "alive": km.is_alive()})
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


main()
