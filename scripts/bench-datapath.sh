#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/bench-datapath.sh BUILD BYTES CONNS [bulk] [demux] [icount]
#   (in the guest, from bench.sh)
#
# The data path's figures, side by side in one VM:
# - bulk: BYTES through one offloaded connection (send requests, until the
#   peer's TCP acknowledged them) against the same through the kernel's own
#   TCP over a veth pair; the median ratio of three rounds, in turns;
# - demux, receive demultiplexing of traffic that is not offloaded: iperf3
#   -R (the data comes in at chim0) against veth, with no offloaded
#   connection and with CONNS of them in the lookup table; the median ratio
#   of ROUNDS rounds, the two devices alternating, since TCG's speed drifts
#   within a run. With "icount", the guest's clock counts instructions
#   (scripts/vm --icount): a rate is then bytes per instruction, the CPU
#   cost of each path whatever the host does, and three rounds do.
set -euo pipefail

build=$1 bytes=$2 conns=$3
parts=" ${*:4} "
[ "$parts" != "  " ] || parts=" bulk demux "
for p in $parts; do
	case "$p" in bulk|demux|icount) ;; *) echo "bench: unknown part $p" >&2; exit 2 ;; esac
done
[[ $parts == *" bulk "* || $parts == *" demux "* ]] ||
	{ echo "bench: nothing to measure:$parts" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
peer=$top/selftests/chimney/chimney_tcp_peer.py
export IP_LIB_DIR=$build/ip
tmp=$(mktemp -d)

insmod "$build/stock/chimney/chimney.ko"
ip netns add pc
ip netns add pv
ip link add chim0 type chimney peer name chim0p netns pc
ip link add veth0 type veth peer name veth1 netns pv
for l in chim0:10.77.0 veth0:10.88.0; do
	dev=${l%%:*} net=${l#*:} ns=pc other=chim0p
	[ "$dev" = veth0 ] && ns=pv other=veth1
	ip addr add "$net.1/24" dev "$dev"
	ip link set "$dev" up
	ip -n "$ns" addr add "$net.2/24" dev "$other"
	ip -n "$ns" link set "$other" up
	ip -n "$ns" link set lo up
done
id=$(ethtool -i chim0 | sed -n "s/^bus-info: chimney//p")
dbg=/sys/kernel/debug/chimney/$id

# serve NS ADDR PORT: the kernel's TCP reading BYTES on the other end.
serve()
{
	rm -f "$tmp"/peer_*
	ip netns exec "$1" python3 "$peer" serve "$2" "$3" "$tmp" "$bytes" 0 &
	serve_pid=$!
	for _ in $(seq 100); do [ -f "$tmp/peer_listening" ] && return; sleep 0.1; done
	echo "bench: the peer did not listen" >&2
	exit 1
}

# One bulk run, its rate in MB/s: through the kernel's TCP over veth, or
# through a connection offloaded for it (a new one each time).
bulk_veth()
{
	serve pv 10.88.0.2 "$1" >/dev/null
	python3 "$peer" source 10.88.0.2 "$1" "$bytes" veth | awk '{ print $(NF - 6) }'
	kill "$serve_pid" 2>/dev/null || true
	wait "$serve_pid" 2>/dev/null || true
}
bulk_offload()
{
	local st mac out h

	serve pc 10.77.0.2 "$1" >/dev/null
	st=$(python3 "$peer" repair 10.77.0.2 "$1" -)
	mac=$(ip -n pc -j link show chim0p |
	      python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["address"])')
	out=$("$build/tools/chimneyctl" -w initiate chim0 req "$1" neigh new host 1 dst "$mac" \
	      path new host 2 src 10.77.0.1 dst 10.77.0.2 mtu 1500 tcp new host 3 $st)
	h=$(grep -o 'block tcp handle 0x[0-9a-f]*' <<<"$out" | awk '{ print $4 }')
	"$build/tools/chimney-bench" chim0 "$dbg" stream "$h" "$bytes" |
		awk '/^bench: offloaded/ { print $(NF - 6) }'
	kill "$serve_pid" 2>/dev/null || true
	wait "$serve_pid" 2>/dev/null || true
}

# Bulk: ROUNDS rounds, the two in turns (ABBA), medians and the range of
# the per-round ratios, as for iperf3 below.
clock=
ROUNDS=${CHIMNEY_BENCH_ROUNDS:-11}
if [[ $parts == *" icount "* ]]; then
	clock=" (icount)"
	ROUNDS=${CHIMNEY_BENCH_ICOUNT_ROUNDS:-3}
fi
BULK_ROUNDS=${CHIMNEY_BENCH_BULK_ROUNDS:-3}
rows=
[[ $parts == *" bulk "* ]] || BULK_ROUNDS=0
for i in $(seq "$BULK_ROUNDS"); do
	if [ $((i % 2)) = 1 ]; then
		v=$(bulk_veth $((6000 + i))) o=$(bulk_offload $((6100 + i)))
	else
		o=$(bulk_offload $((6100 + i))) v=$(bulk_veth $((6000 + i)))
	fi
	rows+="$o $v"$'\n'
done
[ -z "$rows" ] || python3 -c 'import statistics as s, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
r = [o / v for o, v in rows]
print("bench: %-44s %9.2f MB/s (%d bytes, median of %d)" % (
      "kernel TCP over veth, bulk send", s.median(v for _, v in rows), int(sys.argv[1]), len(rows)))
print("bench: %-44s %9.2f MB/s: %.2fx (%.2f to %.2f over %d rounds)" % (
      "offloaded connection, send requests", s.median(o for o, _ in rows), s.median(r),
      min(r), max(r), len(rows)))' "$bytes" <<<"$rows"
[[ $parts == *" demux "* ]] || exit 0

# Receive demultiplexing: iperf3 through the wire and through veth.
ip netns exec pc iperf3 -s -D -B 10.77.0.2 >/dev/null
ip netns exec pv iperf3 -s -D -B 10.88.0.2 >/dev/null
sleep 1
rate()
{
	iperf3 -c "$1" -R -t 3 -J | python3 -c \
		'import json, sys; print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))'
}
# compare ADDR-A ADDR-B: ROUNDS rounds, each one run of A and one of B in
# turns (ABBA...: TCG's speed drifts, and a run after another differs); the
# median rates and the median of the per-round ratios, with their range:
# "A B RATIO MIN MAX".
compare()
{
	local a b i out=

	for i in $(seq "$ROUNDS"); do
		if [ $((i % 2)) = 1 ]; then
			a=$(rate "$1") b=$(rate "$2")
		else
			b=$(rate "$2") a=$(rate "$1")
		fi
		out+="$a $b"$'\n'
	done
	python3 -c 'import statistics as s, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
r = [a / b for a, b in rows]
print("%.0f %.0f %.3f %.3f %.3f" % (s.median(a for a, _ in rows),
      s.median(b for _, b in rows), s.median(r), min(r), max(r)))' <<<"$out"
}
# result WHAT A B RATIO MIN MAX
result()
{
	printf 'bench: %-44s %6s Mbit/s chim0, %6s veth: %sx (%s to %s over %s rounds)\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$ROUNDS"
}
read -r c0 v0 r0 lo0 hi0 <<<"$(compare 10.77.0.2 10.88.0.2)"
# (The icount run's figures of chimney-bench are instructions, not time.)
"$build/tools/chimney-bench" chim0 "$dbg" conns "$conns" hold 1 |
	grep -v '^bench: genl' | { [ -z "$clock" ] && cat || cat >/dev/null; }
read -r c1 v1 r1 lo1 hi1 <<<"$(compare 10.77.0.2 10.88.0.2)"
result "iperf3 -R, no connection offloaded$clock" "$c0" "$v0" "$r0" "$lo0" "$hi0"
result "iperf3 -R, $conns connections offloaded$clock" "$c1" "$v1" "$r1" "$lo1" "$hi1"
