#!/usr/bin/env bash
# Installs KeepSharp from this checkout: /usr/sbin/keepsharp, the systemd unit
# /etc/systemd/system/keepsharp.service, and a sample /etc/keepalived/keepalived.conf only when there is none
# (an existing configuration is never touched). Builds artifacts/bin/keepsharp with ./build.sh when it is missing.
# Idempotent: run it again to update. Does not enable nor start the service (it conflicts with keepalived.service).
#
#   sudo scripts/install.sh                  # into /
#   scripts/install.sh --destdir /tmp/root   # into a staging root (also: DESTDIR=/tmp/root); no root needed
#   scripts/install.sh --binary PATH         # install that binary instead of artifacts/bin/keepsharp
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
destdir=${DESTDIR:-}
binary=

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0"; }
while (($#)); do
  case "$1" in
    --destdir|--root) destdir=${2:?"$1 needs a directory"}; shift 2 ;;
    --destdir=*|--root=*) destdir=${1#*=}; shift ;;
    --binary) binary=${2:?"--binary needs a path"}; shift 2 ;;
    --binary=*) binary=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
destdir=${destdir%/}

if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: installing into / needs root (or use --destdir DIR)" >&2
  exit 1
fi
if [ -z "$destdir" ] && dpkg-query -S /usr/sbin/keepsharp >/dev/null 2>&1; then
  echo "install.sh: /usr/sbin/keepsharp belongs to the keepsharp package; update it with apt, not this script" >&2
  exit 1
fi

if [ -z "$binary" ]; then
  binary=$repo/artifacts/bin/keepsharp
  if [ ! -x "$binary" ]; then
    echo "install.sh: $binary is missing; building it"
    "$repo/build.sh"
  fi
fi
[ -x "$binary" ] || { echo "install.sh: $binary is not an executable file" >&2; exit 1; }

# install_file SRC DEST MODE: atomically (a new file renamed into place, so a running binary is not disturbed).
install_file() {
  local src=$1 dest=$2 mode=$3 what=installed
  if [ -e "$dest" ]; then
    if cmp -s "$src" "$dest" && [ "$(stat -c %a "$dest")" = "${mode#0}" ]; then
      echo "install.sh: ${dest#"$destdir"} is up to date"
      return
    fi
    what=updated
  fi
  install -d -m 0755 "$(dirname "$dest")"
  install -m "$mode" "$src" "$dest.keepsharp-new"
  mv -f "$dest.keepsharp-new" "$dest"
  echo "install.sh: $what ${dest#"$destdir"}"
}

install_file "$binary" "$destdir/usr/sbin/keepsharp" 0755
install_file "$repo/packaging/keepsharp.service" "$destdir/etc/systemd/system/keepsharp.service" 0644

config=$destdir/etc/keepalived/keepalived.conf
if [ -e "$config" ] || [ -L "$config" ]; then
  echo "install.sh: kept the existing /etc/keepalived/keepalived.conf"
else
  install -d -m 0755 "$destdir/etc/keepalived"
  install -m 0644 "$repo/packaging/keepalived.conf.sample" "$config"
  echo "install.sh: installed a sample /etc/keepalived/keepalived.conf (it configures no instance yet)"
fi

if [ -z "$destdir" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if systemctl is-active --quiet keepsharp.service; then
    echo "install.sh: keepsharp.service runs the previous binary: systemctl restart keepsharp"
  else
    echo "install.sh: start it with: systemctl enable --now keepsharp   (this stops keepalived.service)"
  fi
fi
