#!/usr/bin/env bash
# Removes what scripts/install.sh installed: /usr/sbin/keepsharp and /etc/systemd/system/keepsharp.service
# (stopping and disabling the service first when systemd runs it). Leaves /etc/keepalived/ as it is: the
# configuration is the operator's. Idempotent.
#
#   sudo scripts/uninstall.sh                  # from /
#   scripts/uninstall.sh --destdir /tmp/root   # from a staging root (also: DESTDIR=/tmp/root)
set -euo pipefail

destdir=${DESTDIR:-}
usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }
while (($#)); do
  case "$1" in
    --destdir|--root) destdir=${2:?"$1 needs a directory"}; shift 2 ;;
    --destdir=*|--root=*) destdir=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
destdir=${destdir%/}

if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
  echo "uninstall.sh: removing from / needs root (or use --destdir DIR)" >&2
  exit 1
fi
if [ -z "$destdir" ] && dpkg-query -S /usr/sbin/keepsharp >/dev/null 2>&1; then
  echo "uninstall.sh: /usr/sbin/keepsharp belongs to the keepsharp package; remove it with: apt remove keepsharp" >&2
  exit 1
fi

unit=$destdir/etc/systemd/system/keepsharp.service
if [ -z "$destdir" ] && [ -d /run/systemd/system ] && [ -e "$unit" ]; then
  systemctl disable --now keepsharp.service >/dev/null 2>&1 || true
  echo "uninstall.sh: stopped and disabled keepsharp.service"
fi

for f in "$unit" "$destdir/usr/sbin/keepsharp"; do
  if [ -e "$f" ] || [ -L "$f" ]; then
    rm -f "$f"
    echo "uninstall.sh: removed ${f#"$destdir"}"
  else
    echo "uninstall.sh: ${f#"$destdir"} is not installed"
  fi
done

if [ -z "$destdir" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi
if [ -e "$destdir/etc/keepalived/keepalived.conf" ]; then
  echo "uninstall.sh: left /etc/keepalived/keepalived.conf in place"
fi
