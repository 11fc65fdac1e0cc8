#!/usr/bin/env bash
# Installs everything KeepSharp's build, lab and tests need on a fresh Debian machine.
# Idempotent: installs only what is missing. Needs root (as CI and the lab run).
set -euo pipefail

packages=(
  clang zlib1g-dev            # Native AOT publish
  iproute2 nftables procps psmisc util-linux   # namespaces, veth, bridges, process tools
  dpkg-dev                    # scripts/build-deb.sh (dpkg-shlibdeps) and its tests
  keepalived                  # the reference daemon: mixed-cluster tests, golden packets
  nginx-light                 # the seed scenario's service behind the VIP
  tshark tcpdump              # packet captures and VRRP dissection in tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # A package that starts its service on install must not leave it running: tests start their own.
  for svc in keepalived nginx; do
    if [[ " ${missing[*]} " == *" $svc"* ]]; then
      pkill -x "$svc" 2>/dev/null || true
    fi
  done
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK (dotnet) is not on PATH; install it first" >&2
  exit 1
fi
