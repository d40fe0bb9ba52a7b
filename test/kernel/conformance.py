"""Debian's Jupyter kernel conformance suite (python3-jupyter-kernel-test) against the installed simlab kernel."""
import unittest

import jupyter_kernel_test


class SimlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "simlab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'

    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "const abcdef = 1; abcd", "matches": {"abcdef"}},
        {"text": "%lsma", "matches": {"%lsmagic"}},
        {"text": "%%sh --sh", "matches": {"--shell"}},
    ]
    complete_code_samples = ["1 + 1", "const x = 1;", "function f() { return 1; }", "%lsmagic"]
    incomplete_code_samples = ["function f() {", "const a = [1, 2,", "if (true) {"]
    invalid_code_samples = ["1 +* 2)", "const = 5;"]

    code_inspect_sample = "Math.floor"
    code_page_something = "%lsmagic?"
    code_generate_error = 'throw new Error("expected failure")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"ab" + "c"', "result": "'abc'"},
    ]
    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")
    code_clear_output = "clearOutput()"
    code_display_data = [
        {"code": 'display("shown")', "mime": "text/plain"},
        {"code": 'display(html("<b>bold</b>"))', "mime": "text/html"},
        {"code": 'display({ "text/markdown": "*raw*" }, { raw: true })', "mime": "text/markdown"},
    ]


if __name__ == "__main__":
    unittest.main(verbosity=2)
