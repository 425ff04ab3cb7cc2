#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the ABI version of Debian's current 6.1 kernel (e.g. 6.1.0-NN-amd64),
# as pulled in by the linux-image-amd64 metapackage. Never hard-coded.
set -euo pipefail

dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null) || {
	echo "kver: linux-image-amd64 is not installed (run scripts/deps.sh)" >&2
	exit 1
}
kver=$(sed -n 's/.*linux-image-\(6\.1\.[^ ,]*-amd64\)\(-unsigned\)\{0,1\} .*/\1/p' <<<"$dep")
if [ -z "$kver" ]; then
	echo "kver: no 6.1 kernel in linux-image-amd64's dependencies: $dep" >&2
	exit 1
fi
hdr=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null || true)
case "$hdr" in
*"linux-headers-$kver "*) ;;
*) echo "kver: linux-headers-amd64 does not match $kver: $hdr" >&2; exit 1 ;;
esac
echo "$kver"
