#!/usr/bin/env bash
# KeepSharp benchmark: ./bench.sh [--quick] [--only failover,scale,addresses,footprint,scripts] [--rounds N] [--cells ...] [--profile] ...
# Builds the netns lab and runs KeepSharp and keepalived in turn under identical configs (failover as a client sees it,
# 255 instances at 0.01 s, many VIPs, footprint, scripts); writes docs/benchmarks/latest.md, latest.json and charts/*.svg.
# A full run takes about 23 minutes on a 2-core machine, --quick about 3 (after the build). --help lists every option.
set -euo pipefail
cd "$(dirname "$0")"

if [[ $EUID -ne 0 ]]; then
    echo "bench.sh: needs root (network namespaces); try: sudo $0 $*" >&2
    exit 2
fi
scripts/setup.sh
./build.sh
exec dotnet run -c Release --project bench/KeepSharp.Bench -- "$@"
