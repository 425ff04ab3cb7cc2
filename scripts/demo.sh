#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: on a fresh machine, install what is needed, build chimney.ko
# for Debian's stock 6.1 kernel and chimneyctl, boot that kernel in QEMU and
# run the corrupt-hardware invalidate sequence (scripts/demo-guest.sh). Only
# the demo's own output is shown; the guest's console log is in
# build/vm/demo/console.log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
cd "$top"

"$here/deps.sh"
echo "demo: building chimney.ko for $("$here/kver.sh") and chimneyctl"
make -s module tool
echo "demo: booting the stock kernel under QEMU (TCG, about half a minute)"

out=$build/vm/demo
rm -rf "$out"
"$here/vm" --kernel stock --quiet --out "$out" -- "$here/demo-guest.sh" &
vm=$!
# Follow the guest's output as it is written to the shared directory.
tail -n +1 -F --pid=$vm "$out/output.log" 2>/dev/null &
wait $vm
rc=$?
sleep 0.5
exit $rc
