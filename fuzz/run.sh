#!/usr/bin/env bash
# Run every fuzz target (or the ones named) for SECONDS each, two at a time,
# at low priority. Usage:
#
#   fuzz/run.sh SECONDS [TARGET...]        e.g. fuzz/run.sh 1800
#
# Environment: JOBS (targets run at once, default 2), SANITIZER (address,
# the default, or none: about twice as fast, no ASan), TARGET_DIR (build
# directory, default target: a second one lets a new build run while an
# older one is still fuzzing), RUSTC_BOOTSTRAP is set to 1 here so
# cargo-fuzz works on the stable toolchain.
#
# New corpus entries go to fuzz/corpus/TARGET/, crashes and timeouts to
# fuzz/artifacts/TARGET/, logs to fuzz/logs/TARGET.log. Fuzzing goes on
# after a crash (libFuzzer fork mode with -ignore_crashes), so one run finds
# every crash it can. The exit status is 1 if any artifact was written.
set -euo pipefail
cd "$(dirname "$0")"

secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
if [ $# -gt 0 ]; then targets=("$@"); else targets=(parse_compile check date_expr fragment audit fmt); fi
jobs=${JOBS:-2}
sanitizer=${SANITIZER:-address}
export RUSTC_BOOTSTRAP=1

max_len() {
    case $1 in
        parse_compile|fmt) echo 8192 ;;  # a ruleset with one article is ~4–8 KB
        date_expr) echo 256 ;;
        *) echo 4096 ;;
    esac
}

# Build once, then run the binaries directly: every target of this run
# fuzzes the same build, even if the crate's sources change meanwhile.
target_dir=${TARGET_DIR:-target}
nice -n 10 cargo fuzz build -s "$sanitizer" --target-dir "$target_dir"
triple=$(rustc -vV | sed -n 's/^host: //p')
bin=$target_dir/$triple/release
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}
mkdir -p logs

run_one() {
    local t=$1
    mkdir -p "corpus/$t" "artifacts/$t"
    # -fork=1 runs the fuzzing in a child process and restarts it after a
    # crash or timeout; -timeout flags any input slower than 20 s.
    nice -n 10 "$bin/$t" "corpus/$t" \
        -max_total_time="$secs" -max_len="$(max_len "$t")" -timeout=20 \
        -rss_limit_mb=2048 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
        -ignore_ooms=1 -artifact_prefix="artifacts/$t/" -print_final_stats=1 \
        >"logs/$t.log" 2>&1 || true
    local last
    last=$(grep -E '^#[0-9]+' "logs/$t.log" | tail -1 || true)
    echo "$t: ${last:-no stats (see fuzz/logs/$t.log)}"
}

for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    run_one "$t" &
done
wait

# Fork mode keeps no child output: replay each artifact once to show where
# it panicked (minimise with `cargo fuzz tmin TARGET fuzz/artifacts/...`).
found=0
for t in "${targets[@]}"; do
    for f in artifacts/"$t"/*; do
        [ -e "$f" ] || continue
        found=1
        why=$(RUST_BACKTRACE=0 "$bin/$t" "$f" 2>&1 | grep -A1 -m1 'panicked at' | tr '\n' ' ' || true)
        echo "artifact: fuzz/$f ${why:-(no panic message: timeout or OOM?)}"
    done
done
exit "$found"
