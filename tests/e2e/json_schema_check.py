#!/usr/bin/env python3
"""Validates YAML run descriptions against the JSON Schema that `neurochip schema --json` prints,
with an independent validator (Debian's python3-jsonschema), as an editor's language server would.

usage: json_schema_check.py NEUROCHIP_BINARY REPO_ROOT
Every shipped run description (configs/**/*.yaml but the energy tables of configs/energy/ and the
sweep files of configs/sweeps/) and every good test config must validate; every bad-config
fixture whose problem is within one document's structure (unknown keys, types, ranges, enumerations,
required, conditional and alternative keys) must be rejected. The other fixtures are listed with the
reason a schema cannot see their problem. Exit 0 on success, 1 with a report otherwise."""
import glob
import json
import os
import subprocess
import sys

import jsonschema
import yaml

# Problems that lie outside one document's structure: references between items, file contents,
# arithmetic over several keys. The loader reports them; a JSON Schema cannot.
BEYOND_SCHEMA = {
    "capacity.yaml": "slot totals of several populations against a core's capacity",
    "cross_core.yaml": "a projection between populations of two cores (references)",
    "duplicate_synapse.yaml": "the same synapse defined by two projections",
    "missing_file.yaml": "a file that does not exist",
    "bad_synapse_file.yaml": "the contents of a CSV file",
    "malformed_trace.yaml": "the contents of a CSV file",
    "sram_too_small.yaml": "SRAM words against capacities (arithmetic over keys)",
    "illegal_kind.yaml": "the kinds of the two populations a projection references",
    "weight_range.yaml": "weights against the referenced core's weights.bits",
    "sparse_over_capacity.yaml": "a sparse core's synapse-list words, counted over the network, against its SRAM",
    "sparse_axon_table.yaml": "axon-table entries and widths against capacities (arithmetic over keys)",
    "sparse_learning.yaml": "learning against the core's memory.synapses (a rule across two sections)",
}


def main():
    binary, root = sys.argv[1], sys.argv[2]
    schema = json.loads(subprocess.run([binary, "schema", "--json"], check=True, capture_output=True).stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failures = []
    # configs/energy/ holds energy tables and configs/sweeps/ sweep files, not run descriptions
    # (checked by tests/unit/energy_model_test.cpp and tests/unit/sweep_test.cpp).
    good = sorted(p for p in glob.glob(os.path.join(root, "configs", "**", "*.yaml"), recursive=True)
                  if os.sep + "energy" + os.sep not in p and os.sep + "sweeps" + os.sep not in p)
    good += sorted(glob.glob(os.path.join(root, "tests", "data", "good", "*.yaml")))
    for path in good:
        with open(path) as f:
            errors = list(validator.iter_errors(yaml.safe_load(f)))
        if errors:
            failures.append(f"{path}: should validate, but: {errors[0].message} at {list(errors[0].path)}")
    bad = sorted(glob.glob(os.path.join(root, "tests", "data", "bad_configs", "*.yaml")))
    rejected = 0
    for path in bad:
        name = os.path.basename(path)
        try:
            with open(path) as f:
                valid = validator.is_valid(yaml.safe_load(f))
        except yaml.YAMLError:
            valid = False  # not one YAML document: nothing can validate it
        if name in BEYOND_SCHEMA:
            if not valid:
                failures.append(f"{path}: listed as beyond the schema ({BEYOND_SCHEMA[name]}) but rejected by it")
            continue
        if valid:
            failures.append(f"{path}: a bad config the JSON Schema accepts")
        else:
            rejected += 1
    for name in BEYOND_SCHEMA:
        if not os.path.exists(os.path.join(root, "tests", "data", "bad_configs", name)):
            failures.append(f"{name}: listed as beyond the schema but there is no such fixture")
    if failures:
        print("\n".join(failures))
        return 1
    print(f"{len(good)} good configs validate; {rejected} bad configs rejected; "
          f"{len(BEYOND_SCHEMA)} beyond a schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
