#!/usr/bin/env bash
# Sets up whatever is missing, builds once, runs every test project and prints one line:
# "N passed, N failed[, N skipped]" summed over all of them. Exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
ensure_everything

dotnet build Recording.sln --no-restore --configuration Release --verbosity quiet -nologo

results_dir="$(mktemp -d)"
# The tests, and the ffmpeg, nginx, Azurite and s3rver processes they start, make their temp
# folders under one scratch folder that goes when the run ends, so that repeated runs on one
# machine do not fill its disk with what tests left behind.
scratch_dir="$(mktemp -d "${TMPDIR:-/tmp}/recording-tests.XXXXXX")"
trap 'rm -rf "$results_dir" "$scratch_dir"' EXIT
passed=0 failed=0 skipped=0 broken=0

# Projects run one after another: the media tests capture live sources in real time and
# should not compete with another project for the two cores of a CI machine.
for project in tests/*.Tests/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  log_file="$results_dir/$name.log"
  echo "== $name" >&2
  set +e
  TMPDIR="$scratch_dir" dotnet test "$project" --no-build --configuration Release --nologo \
    --logger "console;verbosity=minimal" 2>&1 | tee "$log_file" >&2
  status=${PIPESTATUS[0]}
  set -e
  summary="$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+' "$log_file" | tail -n 1 || true)"
  if [ -z "$summary" ] && [ "$status" -eq 0 ] && grep -q 'No test is available' "$log_file"; then
    echo "-- $name has no tests yet" >&2
    continue
  fi
  if [ -z "$summary" ]; then
    echo "!! $name produced no test summary (exit $status): counted as one failure" >&2
    broken=$((broken + 1))
    continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

failed=$((failed + broken))
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
