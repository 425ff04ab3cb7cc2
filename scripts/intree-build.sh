#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Show that chimney builds as part of a kernel tree: copy chimney/ to
# drivers/net/chimney of a scratch copy of the debug kernel's source,
# linux-source-6.12 (CHIMNEY_DEBUG_SERIES=6.1: linux-source-6.1), with hard
# links, so it is quick; hook its Kconfig and Makefile in, enable
# CONFIG_CHIMNEY=m and CONFIG_CHIMNEY_KUNIT_TEST=m on top of the debug
# kernel's configuration (allnoconfig and scripts/debug-kernel.config: the
# kernel itself need not be built), run olddefconfig and build the two
# modules.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
src=$("$here/debug-kernel.sh" --src)
work=$build/intree

rm -rf "$work"
mkdir -p "$work"
cp -al "$src" "$work/linux"
tree=$work/linux
# Files are only ever added or replaced (sed -i renames), never written in
# place: the tree shares its inodes with the cached source.
mkdir "$tree/drivers/net/chimney"
cp "$top"/chimney/*.[ch] "$top/chimney/Kbuild" "$tree/drivers/net/chimney/"
cp "$top/Kconfig" "$tree/drivers/net/chimney/Kconfig"
rm -f "$tree/include/uapi/linux/chimney.h"
cp "$top/include/uapi/linux/chimney.h" "$tree/include/uapi/linux/"
sed -i 's|^endif # NETDEVICES$|source "drivers/net/chimney/Kconfig"\n\n&|' "$tree/drivers/net/Kconfig"
sed -i '$a obj-$(CONFIG_CHIMNEY) += chimney/' "$tree/drivers/net/Makefile"
grep -q 'drivers/net/chimney/Kconfig' "$tree/drivers/net/Kconfig"

mkdir "$work/out"
make -C "$tree" O="$work/out" KCONFIG_ALLCONFIG="$here/debug-kernel.config" allnoconfig >/dev/null
"$tree/scripts/config" --file "$work/out/.config" -m CHIMNEY -m CHIMNEY_KUNIT_TEST
make -C "$tree" O="$work/out" olddefconfig >/dev/null
for sym in CONFIG_CHIMNEY=m CONFIG_CHIMNEY_KUNIT_TEST=m; do
	grep -qx "$sym" "$work/out/.config" || {
		echo "intree: $sym did not survive olddefconfig" >&2; exit 1; }
done
make -C "$tree" O="$work/out" -j"$(nproc)" modules_prepare >/dev/null
# No vmlinux, so no Module.symvers: the kernel's symbols are unresolved
# for modpost, which 6.12 counts as errors unless told otherwise.
make -C "$tree" O="$work/out" -j"$(nproc)" W=1 KCFLAGS=-Werror KBUILD_MODPOST_WARN=1 \
	drivers/net/chimney/chimney.ko drivers/net/chimney/chimney_test.ko
ls "$work/out/drivers/net/chimney/"*.ko
echo "intree: CONFIG_CHIMNEY=m and CONFIG_CHIMNEY_KUNIT_TEST=m built in drivers/net/chimney"
