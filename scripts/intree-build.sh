#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Show that chimney builds as part of a kernel tree: chimney/ as
# drivers/net/chimney of a copy of the debug kernel's source,
# linux-source-6.12 (CHIMNEY_DEBUG_SERIES=6.1: linux-source-6.1), hooked
# into its Kconfig and Makefile, with CONFIG_CHIMNEY=m and
# CONFIG_CHIMNEY_KUNIT_TEST=m on top of the debug kernel's configuration
# (allnoconfig and scripts/debug-kernel.config: the kernel itself need not
# be built); olddefconfig, then the two modules, W=1 -Werror.
#
# The tree (hard links to the cached source) and its prepared O= build
# (modules_prepare: a minute or two here) are cached beside the debug
# kernel, keyed like it, by the fragment, the source version and RECIPE
# (bump it when the preparation below changes). Each run puts the current
# chimney/ in place and builds it from scratch.
set -euo pipefail

RECIPE=2

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
frag=$here/debug-kernel.config
src=$("$here/debug-kernel.sh" --src)
cache=$(dirname "$src")
key=$( { cat "$frag"; basename "$src"; echo "recipe $RECIPE"; } | sha256sum | cut -c1-16)
work=$cache/intree-$key
tree=$work/linux
out=$work/out

# One make check at a time uses a prepared tree; a second waits.
exec 9>"$cache/.intree-lock"
flock 9
if [ ! -f "$work/.done" ]; then
	echo "intree: preparing $work"
	rm -rf "$work"
	mkdir -p "$work"
	cp -al "$src" "$tree"
	# Files are only ever added or replaced (sed -i renames), never
	# written in place: the tree shares its inodes with the cached source.
	mkdir "$tree/drivers/net/chimney"
	sed -i 's|^endif # NETDEVICES$|source "drivers/net/chimney/Kconfig"\n\n&|' \
		"$tree/drivers/net/Kconfig"
	sed -i '$a obj-$(CONFIG_CHIMNEY) += chimney/' "$tree/drivers/net/Makefile"
	grep -q 'drivers/net/chimney/Kconfig' "$tree/drivers/net/Kconfig"
	cp "$top/Kconfig" "$tree/drivers/net/chimney/Kconfig"
	mkdir "$out"
	make -C "$tree" O="$out" KCONFIG_ALLCONFIG="$frag" allnoconfig >/dev/null
	"$tree/scripts/config" --file "$out/.config" -m CHIMNEY -m CHIMNEY_KUNIT_TEST
	make -C "$tree" O="$out" olddefconfig >/dev/null
	make -C "$tree" O="$out" -j"$(nproc)" modules_prepare >/dev/null
	touch "$work/.done"
fi

# This clone's chimney/ and UAPI header, replacing the last run's.
rm -rf "$tree/drivers/net/chimney" "$out/drivers/net/chimney"
mkdir "$tree/drivers/net/chimney"
cp "$top"/chimney/*.[ch] "$top/chimney/Kbuild" "$tree/drivers/net/chimney/"
cp "$top/Kconfig" "$tree/drivers/net/chimney/Kconfig"
rm -f "$tree/include/uapi/linux/chimney.h"
cp "$top/include/uapi/linux/chimney.h" "$tree/include/uapi/linux/"

# A Kconfig changed since the preparation may change the configuration;
# then modules_prepare redoes what depends on it.
make -C "$tree" O="$out" olddefconfig >/dev/null
for sym in CONFIG_CHIMNEY=m CONFIG_CHIMNEY_KUNIT_TEST=m; do
	grep -qx "$sym" "$out/.config" || {
		echo "intree: $sym did not survive olddefconfig" >&2; exit 1; }
done
make -C "$tree" O="$out" -j"$(nproc)" modules_prepare >/dev/null
# No vmlinux, so no Module.symvers: the kernel's symbols are unresolved
# for modpost, which 6.12 counts as errors unless told otherwise.
make -C "$tree" O="$out" -j"$(nproc)" W=1 KCFLAGS=-Werror KBUILD_MODPOST_WARN=1 \
	drivers/net/chimney/chimney.ko drivers/net/chimney/chimney_test.ko
ls "$out/drivers/net/chimney/"*.ko
echo "intree: CONFIG_CHIMNEY=m and CONFIG_CHIMNEY_KUNIT_TEST=m built in drivers/net/chimney of $(basename "$src")"
