#!/usr/bin/env bash
# Publishes the daemon as one Native AOT binary: artifacts/bin/keepsharp. Fails on any build warning
# (trim and AOT analysis included).
set -euo pipefail
cd "$(dirname "$0")"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet publish src/KeepSharp.Daemon/KeepSharp.Daemon.csproj -c Release -r linux-x64 \
      -o artifacts/bin -p:TreatWarningsAsErrors=true -nologo >"$log" 2>&1; then
  cat "$log"
  echo "build.sh: publish failed" >&2
  exit 1
fi
if grep -E "warning [A-Z]+[0-9]+" "$log" | grep -v "^\s*0 Warning" >/dev/null; then
  grep -E "warning [A-Z]+[0-9]+" "$log" | sort -u
  echo "build.sh: the build has warnings" >&2
  exit 1
fi
rm -f artifacts/bin/*.dbg artifacts/bin/*.pdb
ls -l artifacts/bin/keepsharp | awk '{print "build.sh: artifacts/bin/keepsharp (" $5 " bytes)"}'
