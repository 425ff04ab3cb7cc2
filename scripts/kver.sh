#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/kver.sh [6.1|6.12]
#
# Print the ABI version of one of Debian's stock kernels (6.1 by default,
# e.g. 6.1.0-NN-amd64, or 6.12.NN+deb12-amd64), as pulled in by its
# metapackage: linux-image-amd64 for 6.1, linux-image-6.12-amd64 for 6.12
# (bookworm-security). The headers' metapackage must pull in the same
# version. Never hard-coded.
set -euo pipefail

series=${1:-6.1}
case "$series" in
6.1) img=linux-image-amd64 hdr=linux-headers-amd64 ;;
6.12) img=linux-image-6.12-amd64 hdr=linux-headers-6.12-amd64 ;;
*) echo "kver: the series is 6.1 or 6.12, not $series" >&2; exit 1 ;;
esac

dep=$(dpkg-query -W -f='${Depends}' "$img" 2>/dev/null) || {
	echo "kver: $img is not installed (run scripts/deps.sh)" >&2
	exit 1
}
re=${series//./\\.}
kver=$(sed -n "s/.*linux-image-\($re\.[^ ,]*-amd64\)\(-unsigned\)\{0,1\} .*/\1/p" <<<"$dep")
if [ -z "$kver" ]; then
	echo "kver: no $series kernel in $img's dependencies: $dep" >&2
	exit 1
fi
hdrdep=$(dpkg-query -W -f='${Depends}' "$hdr" 2>/dev/null || true)
case "$hdrdep" in
*"linux-headers-$kver "*) ;;
*) echo "kver: $hdr does not match $kver: $hdrdep" >&2; exit 1 ;;
esac
echo "$kver"
