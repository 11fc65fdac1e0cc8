#!/usr/bin/env bash
# Runs every test: unit and simulation tests, then the integration tests on the real kernel (network
# namespaces, the native binary, the real keepalived). Needs root. Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

scripts/setup.sh || exit 1
./build.sh || exit 1

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

status=0
for project in tests/KeepSharp.Tests tests/KeepSharp.IntegrationTests; do
  name=$(basename "$project")
  echo "== $name"
  dotnet test "$project" -c Release --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || status=1
done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # no test ran: that is a failure, not a pass
fi
[ "$failed" -ne 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
