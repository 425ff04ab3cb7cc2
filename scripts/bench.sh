#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/bench.sh [conns N] [batch B] [single N] [storm N] [bulk BYTES]
#
# make bench: boot the stock kernel with enough memory for a million
# offloaded connections and run tools/chimney-bench on one chimney device.
# Every figure it prints is measured in that one VM run, side by side with
# the generic netlink round trip it is compared to. Then a second VM run
# measures the data path side by side with veth (scripts/bench-datapath.sh):
# BYTES (default 50 MB) through an offloaded connection and through the
# kernel's TCP, and iperf3 through the wire with no connection and with
# "conns" connections offloaded. A third measures the iperf3 pair again
# with the guest's clock counting instructions (scripts/vm --icount), which
# the host's load does not move: the CPU cost of the receive path.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
cd "$top"
conns=1000000 bulk=50000000 args=()
while [ $# -gt 0 ]; do
	case "$1" in
	bulk) bulk=$2 ;;
	conns) conns=$2; args+=("$1" "$2") ;;
	*) args+=("$1" "$2") ;;
	esac
	shift 2 || break
done
set -- "${args[@]}"
set +e
"$here/vm" --kernel stock --mem 4096 --timeout 1800 --quiet --out "$build/vm/bench" -- \
	bash -c 'set -e
		insmod "$1/stock/chimney/chimney.ko"
		ip link add chim0 type chimney
		ip link set chim0 up
		id=$(ethtool -i chim0 | sed -n "s/^bus-info: chimney//p")
		shift
		"$0" chim0 "/sys/kernel/debug/chimney/$id" "$@"' \
	"$build/tools/chimney-bench" "$build" "$@"
rc=$?
grep '^bench:' "$build/vm/bench/output.log"
"$here/vm" --kernel stock --mem 4096 --timeout 1800 --quiet --out "$build/vm/bench-datapath" -- \
	bash "$here/bench-datapath.sh" "$build" "$bulk" "$conns"
rc2=$?
grep '^bench:' "$build/vm/bench-datapath/output.log"
"$here/vm" --kernel stock --mem 4096 --timeout 1800 --smp 1 --icount 0 --quiet \
	--out "$build/vm/bench-icount" -- bash "$here/bench-datapath.sh" "$build" "$bulk" "$conns" \
	demux icount
rc3=$?
grep '^bench:' "$build/vm/bench-icount/output.log"
[ $rc -ne 0 ] || rc=$rc2
[ $rc -ne 0 ] || rc=$rc3
exit $rc
