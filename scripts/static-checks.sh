#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/static-checks.sh checkpatch   checkpatch.pl --strict on every source
#   scripts/static-checks.sh sparse KDIR  sparse (C=2) over the module built for KDIR
#
# Prints the findings and exits non-zero on any.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
cd "$top"

case "${1:-}" in
checkpatch)
	src=$("$here/debug-kernel.sh" --src)
	mapfile -t files < <(git ls-files -co --exclude-standard \
		'chimney/*.[ch]' 'chimney/Kbuild' 'include/*.h' 'Kconfig')
	# One run for all but the one file whose purpose is to tell the
	# kernels apart (checkpatch.pl takes a second to start).
	bad=0
	others=()
	for f in "${files[@]}"; do
		[ "$f" = chimney/chimney_compat.h ] || others+=("$f")
	done
	"$src/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
		--ignore FILE_PATH_CHANGES -f "${others[@]}" || bad=1
	"$src/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
		--ignore FILE_PATH_CHANGES,LINUX_VERSION_CODE -f chimney/chimney_compat.h || bad=1
	echo "checkpatch: ${#files[@]} files, $([ $bad -eq 0 ] && echo clean || echo FINDINGS)"
	exit $bad
	;;
sparse)
	kdir=$2
	# /lib/modules/VERSION/build: named by VERSION, not "build".
	name=$(basename "$kdir")
	[ "$name" != build ] || name=$(basename "$(dirname "$kdir")")
	dir=$build/sparse/$name
	mkdir -p "$dir"
	rsync -a --delete chimney include "$dir/"
	log=$dir/sparse.log
	# C=2 checks every file whether or not it needs rebuilding.
	make -C "$kdir" M="$dir/chimney" C=2 CHECK=sparse modules >"$log" 2>&1 || {
		cat "$log"; exit 1; }
	if grep -E '(warning|error):' "$log"; then
		echo "sparse: FINDINGS (against $kdir)"
		exit 1
	fi
	echo "sparse: clean, $(grep -c '  CHECK ' "$log") files (against $kdir)"
	;;
*)
	echo "usage: $0 checkpatch | sparse KDIR" >&2
	exit 2
	;;
esac
