#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang into their own build tree (incrementally)
# and runs each for a while; fails if clang or libFuzzer is missing or if any target reports a
# finding (crash, sanitizer report, unexpected exception, broken contract, timeout, out of memory).
#
#   tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]
#
# Seeds come from tests/data and configs (copied at every run into BUILD_DIR/seeds); what the
# fuzzers find is kept in BUILD_DIR/corpus/<target>, the findings of the last run in
# BUILD_DIR/findings/<target>/, logs in BUILD_DIR/logs/. Called by the CTest tests fuzz_smoke (label fuzz) and fuzz_long (label
# long). NEUROCHIP_FUZZ_CXX selects the compiler (default: clang++).
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS_PER_TARGET [TARGET...]" >&2
  exit 2
fi
build="$1"
seconds="$2"
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_config fuzz_override fuzz_input_trace fuzz_synapse_file fuzz_sample_file)

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cxx="${NEUROCHIP_FUZZ_CXX:-clang++}"

if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "run_fuzzers: $cxx not found: the fuzz targets need clang and libFuzzer" \
       "(Debian: apt-get install clang libclang-rt-14-dev, or run .ci/setup)" >&2
  exit 1
fi
mkdir -p "$build"
probe="$build/libfuzzer_probe"
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' |
     "$cxx" -x c++ - -fsanitize=fuzzer,address,undefined -o "$probe" 2>"$probe.log"; then
  echo "run_fuzzers: $cxx cannot link a libFuzzer target with -fsanitize=fuzzer,address,undefined" \
       "(Debian: apt-get install libclang-rt-14-dev, or run .ci/setup):" >&2
  cat "$probe.log" >&2
  exit 1
fi

cmake -S "$here" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE= >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }
nice -n 10 cmake --build "$build" -j2 --target "${targets[@]}" >"$build/build.log" 2>&1 ||
  { cat "$build/build.log" >&2; exit 1; }

# Seed corpora, from the repository's own inputs.
seed_dir() { echo "$build/seeds/$1"; }
rm -rf "$build/seeds"
mkdir -p "$(seed_dir fuzz_config)" "$(seed_dir fuzz_override)" "$(seed_dir fuzz_input_trace)" \
         "$(seed_dir fuzz_synapse_file)" "$(seed_dir fuzz_sample_file)"
copy_seeds() {  # copy_seeds TARGET FILE...
  local target="$1"
  shift
  for f in "$@"; do cp "$f" "$(seed_dir "$target")/$(echo "${f#"$root"/}" | tr / _)"; done
}
copy_seeds fuzz_config $(find "$root/tests/data" "$root/configs" -name '*.yaml' | sort)
copy_seeds fuzz_override "$here"/seeds/override/*
copy_seeds fuzz_input_trace $(find "$root/tests/data" "$root/traces/inputs" -name '*trace*.csv' -o -name 'tiny.csv' | sort)
copy_seeds fuzz_synapse_file $(find "$root/tests/data" -name '*synapses*.csv' | sort)
copy_seeds fuzz_sample_file $(find "$root/tests/data/samples" -type f | sort)

dictionary() {
  case "$1" in
    fuzz_config | fuzz_override) echo "$here/yaml.dict" ;;
    *) echo "$here/csv.dict" ;;
  esac
}

status=0
mkdir -p "$build/logs"
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  findings="$build/findings/$target"
  log="$build/logs/$target.log"
  rm -rf "$findings"
  mkdir -p "$corpus" "$findings"
  set +e
  "$build/$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$(dictionary "$target")" -artifact_prefix="$findings/" "$corpus" "$(seed_dir "$target")" >"$log" 2>&1
  rc=$?
  set -e
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  if [ $rc -ne 0 ]; then
    status=1
    echo "$target: FINDING after ${runs:-?} executions (exit $rc); input saved in $findings/" >&2
    grep -E 'FUZZ FINDING|ERROR: |SUMMARY: |runtime error|Test unit written' "$log" | head -20 >&2
    echo "  full log: $log" >&2
  else
    echo "$target: ${runs:-?} executions in ${seconds} s, no findings ($(ls "$corpus" | wc -l) corpus inputs)"
  fi
done
exit $status
