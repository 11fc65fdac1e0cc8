#!/usr/bin/env bash
# Builds the Debian package artifacts/keepsharp_<version>_<arch>.deb (version: the daemon project's <Version>;
# arch: dpkg --print-architecture) from artifacts/bin/keepsharp, building it with ./build.sh when it is missing.
# Install it with: apt install ./artifacts/keepsharp_*.deb
#
# The package Provides, Conflicts with and Replaces keepalived: installing it removes keepalived (its
# configuration stays) and takes over its names: /usr/sbin/keepalived (a hard link to /usr/sbin/keepsharp, so the
# process is named keepalived for killall and pidof, even when it detaches), keepalived.service (an alias of
# keepsharp.service) and /etc/default/keepalived (a conffile, byte for byte Debian's). The sample
# /etc/keepalived/keepalived.conf is copied by postinst only where there is none; it is not a conffile.
# Needs dpkg-deb and dpkg-shlibdeps (dpkg-dev); not root (files are owned by root in the package).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
binary=$repo/artifacts/bin/keepsharp
out=$repo/artifacts

command -v dpkg-deb >/dev/null || { echo "build-deb.sh: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 1; }
command -v dpkg-shlibdeps >/dev/null || { echo "build-deb.sh: dpkg-shlibdeps is missing (apt-get install dpkg-dev)" >&2; exit 1; }

if [ ! -x "$binary" ]; then
  echo "build-deb.sh: $binary is missing; building it"
  "$repo/build.sh"
fi

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/src/KeepSharp.Daemon/KeepSharp.Daemon.csproj" | head -n 1)
[ -n "$version" ] || { echo "build-deb.sh: no <Version> in src/KeepSharp.Daemon/KeepSharp.Daemon.csproj" >&2; exit 1; }
arch=$(dpkg --print-architecture)
deb=$out/keepsharp_${version}_${arch}.deb

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/debian/keepsharp   # where dpkg-shlibdeps expects a package's files
install -d -m 0755 "$root/DEBIAN" "$root/usr/sbin" "$root/lib/systemd/system" "$root/etc/default" \
  "$root/usr/share/keepsharp" "$root/usr/share/doc/keepsharp"

install -m 0755 "$binary" "$root/usr/sbin/keepsharp"
ln "$root/usr/sbin/keepsharp" "$root/usr/sbin/keepalived"

# The package's unit: the binary run under the name keepalived, reachable as keepalived.service, and no longer
# in conflict with keepalived.service (it is that unit now).
unit=$root/lib/systemd/system/keepsharp.service
sed -e 's|^ExecStart=/usr/sbin/keepsharp |ExecStart=/usr/sbin/keepalived |' \
    -e '/^Conflicts=keepalived\.service$/d' \
    -e 's|^WantedBy=multi-user\.target$|WantedBy=multi-user.target\nAlias=keepalived.service|' \
    -e 's|`systemctl edit keepsharp`|`systemctl edit keepalived`|' \
    "$repo/packaging/keepsharp.service" >"$unit"
chmod 0644 "$unit"
grep -q '^ExecStart=/usr/sbin/keepalived --dont-fork ' "$unit" && grep -q '^Alias=keepalived.service$' "$unit" \
  && ! grep -q '^Conflicts=' "$unit" \
  || { echo "build-deb.sh: packaging/keepsharp.service no longer has the lines this script rewrites" >&2; exit 1; }
ln -s keepsharp.service "$root/lib/systemd/system/keepalived.service"

install -m 0644 "$repo/packaging/debian/default" "$root/etc/default/keepalived"
install -m 0644 "$repo/packaging/keepalived.conf.sample" "$root/usr/share/keepsharp/keepalived.conf.sample"
install -m 0644 "$repo/README.md" "$root/usr/share/doc/keepsharp/README.md"
for script in postinst prerm postrm; do
  install -m 0755 "$repo/packaging/debian/$script" "$root/DEBIAN/$script"
done
echo "/etc/default/keepalived" >"$root/DEBIAN/conffiles"

mkdir -p "$work/debian"
printf 'Source: keepsharp\n\nPackage: keepsharp\nArchitecture: any\n' >"$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O -edebian/keepsharp/usr/sbin/keepsharp | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)

cat >"$root/DEBIAN/control" <<EOF
Package: keepsharp
Version: $version
Architecture: $arch
Maintainer: KeepSharp developers <keepsharp@localhost>
Installed-Size: $size
Depends: $depends
Provides: keepalived
Conflicts: keepalived
Replaces: keepalived
Section: admin
Priority: optional
Description: keepalived-compatible VRRP daemon (Native AOT)
 KeepSharp is a drop-in successor to the VRRP half of keepalived: it reads
 /etc/keepalived/keepalived.conf unchanged, speaks the same wire protocol
 (VRRPv2 and VRRPv3) and takes the same command-line flags.
 .
 This package replaces keepalived. It installs the daemon also as
 /usr/sbin/keepalived and its unit also as keepalived.service, so scripts
 that run "killall keepalived" or "systemctl restart keepalived" keep
 working. It has no LVS/IPVS health checker.
EOF

mkdir -p "$out"
rm -f "$deb"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "build-deb.sh: $deb ($(stat -c %s "$deb") bytes)"
