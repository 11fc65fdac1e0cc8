#!/bin/bash
# How the keepalived golden bytes in VrrpGoldenBytesTests were captured (run as root; not run by the tests).
#   capture-keepalived.sh 2   -> VRRPv2, auth PASS 1111      capture-keepalived.sh 3 -> VRRPv3, no auth
# A private network namespace kssim-<random> with a veth pair; keepalived 2.2.7 runs on ksa as the
# only router (vrid 51, priority 100, advert_int 1, VIP 10.99.0.100), becomes MASTER after
# Master_Down_Interval, adverts for a few seconds, then gets SIGTERM and sends its priority-0 advert.
# tcpdump on ksb records proto 112. The namespace and every process are removed on every path.
set -u
VERSION=${1:-2}
NS=kssim-$RANDOM$RANDOM
D=$(mktemp -d /tmp/$NS.XXXX)
KPID=""; TPID=""
cleanup() {
  [ -n "$KPID" ] && kill "$KPID" 2>/dev/null
  [ -n "$TPID" ] && kill "$TPID" 2>/dev/null
  sleep 0.5
  [ -f "$D/vrrp.pid" ] && kill -9 "$(cat "$D/vrrp.pid")" 2>/dev/null
  [ -f "$D/k.pid" ] && kill -9 "$(cat "$D/k.pid")" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT INT TERM
ip netns add "$NS"
ip -n "$NS" link add ksa type veth peer name ksb
ip -n "$NS" addr add 10.99.0.1/24 dev ksa
ip -n "$NS" addr add 10.99.0.2/24 dev ksb
for l in lo ksa ksb; do ip -n "$NS" link set "$l" up; done
if [ "$VERSION" = 3 ]; then AUTH="version 3"; else AUTH="authentication {
    auth_type PASS
    auth_pass 1111
  }"; fi
cat > "$D/k.conf" <<CONF
global_defs {
  router_id kssim
}
vrrp_instance VI_1 {
  state BACKUP
  interface ksa
  virtual_router_id 51
  priority 100
  advert_int 1
  $AUTH
  virtual_ipaddress {
    10.99.0.100
  }
}
CONF
ip netns exec "$NS" tcpdump -i ksb -U -w "$D/cap.pcap" proto 112 2>"$D/tcpdump.err" &
TPID=$!
sleep 1
ip netns exec "$NS" /usr/sbin/keepalived -n -l -D -P -f "$D/k.conf" -p "$D/k.pid" -r "$D/vrrp.pid" >"$D/k.log" 2>&1 &
KPID=$!
sleep 7
kill -TERM "$KPID"; wait "$KPID"; KPID=""
sleep 1
kill "$TPID"; wait "$TPID"; TPID=""
# The IPv4 datagrams (after the 14-byte Ethernet header) as hex:
tcpdump -r "$D/cap.pcap" -nn -v -x 2>/dev/null
echo "capture: $D/cap.pcap"
