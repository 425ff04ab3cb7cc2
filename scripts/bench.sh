#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/bench.sh [conns N] [batch B] [single N] [storm N]
#
# make bench: boot the stock kernel with enough memory for a million
# offloaded connections and run tools/chimney-bench on one chimney device.
# Every figure it prints is measured in that one VM run, side by side with
# the generic netlink round trip it is compared to.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
cd "$top"
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
exit $rc
