#!/usr/bin/env python3
"""Checks that includes follow the layering of the libraries (README "Layout"; CMakeLists.txt):
the hw_model kernels never see SystemC, no hw_model file sees anything of sim/ or rtl/, only the
loader (sim/config) sees yaml-cpp, each sim/ library includes only the layers below it, and the RTL
wrapper (rtl/wrapper, beside hw_model) sees neither sim/ nor SystemC.

usage: layering_check.py REPO_ROOT    (exit 0 when every include is allowed, 1 with the list otherwise)"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')

# Project headers each sim/ directory may include (hw_model headers are always allowed in sim/).
ALLOWED_SIM = {
    "base": {"base"},
    "io": {"base", "io"},
    "config": {"base", "io", "config"},
    "reference": {"base", "reference"},
    "energy": {"base", "energy"},
    "runner": {"base", "io", "reference", "runner", "check", "energy"},
    "check": {"base", "io", "check", "energy"},
    "sweep": {"base", "io", "config", "sweep"},
}
SIM_DIRS = set(ALLOWED_SIM)
HW_DIRS = {"common", "core", "memory", "chip", "learning"}


def shells(root):
    text = open(os.path.join(root, "hw_model", "CMakeLists.txt")).read()
    block = re.search(r"set\(NEUROCHIP_HW_SHELLS(.*?)\)", text, re.S).group(1)
    return {os.path.join(root, "hw_model", p) for p in block.split()}


def main():
    root = sys.argv[1]
    problems = []
    shell_sources = shells(root)
    shell_headers = {s[:-4] + ".h" for s in shell_sources}
    for top in ("hw_model", "sim", "rtl/wrapper"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                layer = os.path.relpath(dirpath, os.path.join(root, top)).split(os.sep)[0]
                for n, line in enumerate(open(path), 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    first = inc.split("/")[0]
                    where = f"{rel}:{n}: includes {inc}"
                    if inc.startswith("yaml-cpp/") and not (top == "sim" and layer == "config"):
                        problems.append(where + " (only sim/config may see yaml-cpp)")
                    if top == "rtl/wrapper":
                        if (first in SIM_DIRS and first not in HW_DIRS) or inc in ("systemc", "systemc.h"):
                            problems.append(where + " (the RTL wrapper sees hw_model and Verilator only)")
                    elif top == "hw_model":
                        if (first in SIM_DIRS and first not in HW_DIRS) or first == "wrapper":
                            problems.append(where + " (hw_model must not see sim/ or rtl/)")
                        is_shell = path in shell_sources or path in shell_headers
                        if inc in ("systemc", "systemc.h") and not is_shell:
                            problems.append(where + " (a kernel must not see SystemC; shells are listed in "
                                            "hw_model/CMakeLists.txt)")
                    elif layer in ALLOWED_SIM and first in SIM_DIRS and first not in ALLOWED_SIM[layer]:
                        problems.append(where + f" (sim/{layer} may include only {sorted(ALLOWED_SIM[layer])})")
                    elif top == "sim" and layer in ALLOWED_SIM and inc in ("systemc", "systemc.h") \
                            and layer != "runner":
                        problems.append(where + " (only the runner elaborates SystemC)")
    if problems:
        print("\n".join(problems))
        return 1
    print("includes follow the layering")
    return 0


if __name__ == "__main__":
    sys.exit(main())
