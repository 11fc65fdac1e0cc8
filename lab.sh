#!/usr/bin/env bash
# KeepSharp network-namespace lab: ./lab.sh [--scenario seed|seed-check|seed-trap|nginx-weight|dual-master] [--daemon keepsharp|keepalived] [--backup-daemon ...] [--seed DIR] [--keep-logs]
# Two VRRP hosts (keep_171 MASTER, keep_172 BACKUP) + nginx behind a VIP, a client probing the VIP;
# the master's link is cut and restored, its daemon stopped and started; outages are measured.
set -euo pipefail
cd "$(dirname "$0")"

if [[ $EUID -ne 0 ]]; then
    echo "lab.sh: needs root (network namespaces); try: sudo $0 $*" >&2
    exit 2
fi
scripts/setup.sh
./build.sh
exec dotnet run -c Release --project lab/KeepSharp.Lab -- "$@"
