#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/debug-kernel.sh        print the debug kernel's build directory
#   scripts/debug-kernel.sh --src  print the unpacked kernel source tree
#
# Build (once) the chimney debug kernel from Debian's linux-source-6.12 (or
# linux-source-6.1 with CHIMNEY_DEBUG_SERIES=6.1) and print the directory
# that holds it: bzImage, and the O= build tree that out-of-tree modules
# are built against. The build is cached outside the work tree, keyed by
# the series, the config fragment, the source package version and RECIPE
# (bump it when the build steps below change), so a second run only prints
# the path.
set -euo pipefail

RECIPE=1

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/debug-kernel.config
cache=${CHIMNEY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/chimney}
series=${CHIMNEY_DEBUG_SERIES:-6.12}
case "$series" in
6.1|6.12) ;;
*) echo "debug-kernel: CHIMNEY_DEBUG_SERIES must be 6.1 or 6.12" >&2; exit 1 ;;
esac
tarball=/usr/src/linux-source-$series.tar.xz

srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null) || {
	echo "debug-kernel: linux-source-$series is not installed (run scripts/deps.sh)" >&2
	exit 1
}
key=$( { cat "$frag"; echo "$srcver recipe $RECIPE"; } | sha256sum | cut -c1-16)
src=$cache/linux-source-$srcver
out=$cache/debug-$key

mkdir -p "$cache"
# What is whole (its mark is written last) needs no lock: the source of one
# series stays readable while the other's kernel builds.
if [ "${1:-}" = --src ] && [ -f "$src/.unpacked" ]; then
	echo "$src"
	exit 0
fi
if [ "${1:-}" != --src ] && [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi
# One unpack or build at a time; a second caller waits and reuses it.
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$src/.unpacked" ]; then
	echo "debug-kernel: unpacking $tarball" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf "$tarball"
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi
if [ "${1:-}" = --src ]; then
	echo "$src"
	exit 0
fi

if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

log=$cache/debug-$key.log
exec 3>&1 1>"$log" 2>&1
trap 'echo "debug-kernel: build failed, see $log" >&3; tail -20 "$log" >&3' ERR

echo "debug-kernel: building $out (a few minutes on 2 cores)" >&3
# Built in place (a kernel O= tree holds absolute paths); .done marks it whole.
rm -rf "$out"
mkdir -p "$out"
make -C "$src" O="$out" KCONFIG_ALLCONFIG="$frag" allnoconfig
make -C "$src" O="$out" olddefconfig

# Every option of the fragment must have survived dependency resolution.
bad=0
while IFS= read -r line; do
	case "$line" in CONFIG_*) ;; *) continue ;; esac
	if ! grep -qxF "$line" "$out/.config"; then
		echo "debug-kernel: $line did not survive olddefconfig" >&3
		bad=1
	fi
done <"$frag"
[ $bad -eq 0 ] || exit 1

make -C "$src" O="$out" -j"$(nproc)" all
touch "$out/.done"
echo "debug-kernel: built in ${SECONDS}s" >&3
echo "$out" >&3
