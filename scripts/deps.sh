#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything chimney needs from Debian's archive. Idempotent: when
# every package is already present it prints nothing and touches nothing.
set -euo pipefail

PKGS=(
	# the target kernels: Debian's 6.1 and 6.12 LTS (bookworm-security), each
	# image + headers, and their sources: the debug kernel is built from
	# 6.12's, which also carries the kselftest and KUnit tooling
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	linux-image-6.12-amd64 linux-headers-6.12-amd64 linux-source-6.12
	# kernel build dependencies
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	xz-utils rsync python3 perl
	# the VM
	qemu-system-x86 busybox-static
	# static checks
	sparse
	# what runs inside the guest and the userspace tool
	iproute2 ethtool libmnl-dev pkg-config
	# make bench: throughput through the wire
	iperf3
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

[ ${#missing[@]} -gt 0 ] || exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
