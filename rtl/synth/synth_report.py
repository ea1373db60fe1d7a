#!/usr/bin/env python3
# Synthesises the e-prop engine RTL (SPEC.md §6) with Yosys to generic cells and writes a JSON report
# for the design-space sweeps: cell count, cells by type, flip-flops, and an area estimate (Yosys's
# CMOS transistor estimate of the generic gates). Fails when Yosys fails or reports no cells.
# Usage: synth_report.py <yosys> <out.json> <top> <n_slots> <file.sv>...
import json
import os
import subprocess
import sys
import tempfile


def main():
    yosys, out, top, n_slots, sources = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    with tempfile.TemporaryDirectory() as tmp:
        stat_json = os.path.join(tmp, "stat.json")
        script = "; ".join([
            "read_verilog -sv " + " ".join(sources),
            f"hierarchy -top {top} -chparam N_SLOTS {n_slots}",
            f"synth -top {top}",
            f"tee -q -o {stat_json} stat -json -tech cmos -top {top}",
        ])
        subprocess.run([yosys, "-q", "-p", script], check=True)
        with open(stat_json) as f:
            stat = json.load(f)
    design = stat["design"]
    by_type = design.get("num_cells_by_type", {})
    cells = int(design["num_cells"])
    if cells <= 0:
        sys.exit("synthesis produced no cells")
    report = {
        "top": top,
        "parameters": {"N_SLOTS": int(n_slots)},
        "tool": stat.get("creator", "yosys"),
        "cells": cells,
        "flip_flops": sum(n for t, n in by_type.items() if "DFF" in t),
        "cells_by_type": by_type,
        # Yosys marks the estimate with "+" when some cell types have no transistor count: then it
        # is a lower bound.
        "area_estimate": {"unit": "transistors (yosys stat -tech cmos)",
                          "value": int(str(design["estimated_num_transistors"]).rstrip("+")),
                          "lower_bound": str(design["estimated_num_transistors"]).endswith("+")},
    }
    with open(out, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"{top} N_SLOTS={n_slots}: {cells} cells, {report['flip_flops']} flip-flops, "
          f"~{report['area_estimate']['value']} transistors -> {out}")


if __name__ == "__main__":
    main()
