#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed requests over a raw generic netlink socket (chimney_badinput.py):
# each is refused with an errno and an extack message, and nothing changes.
# They are sent twice: as root, and as root of an unprivileged user
# namespace in a netns of its own (uid 65534, which on Debian is any local
# user), to a device that user made there.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require

cleanup()
{
	ip link del chimbad0 2>/dev/null
	chimney_unload 2>/dev/null
}
trap cleanup EXIT

# run_cases PREFIX CMD...: the PASS/FAIL lines of CMD as checks.
run_cases()
{
	local prefix=$1 verdict text n=0

	shift
	while read -r verdict text; do
		case $verdict in
		PASS|FAIL) ;;
		*) echo "# $verdict $text"; continue ;;
		esac
		n=$((n + 1))
		check "$prefix${text%%: *}" [ "$verdict" = PASS ]
		echo "#   $text"
	done < <("$@" 2>&1)
	check "${prefix}the cases ran (got $n)" [ "$n" -gt 30 ]
}

chimney_unload
chimney_load
ip link add chimbad0 type chimney
ifindex=$(cat /sys/class/net/chimbad0/ifindex)

BAD=$CHIMNEY_LIB_DIR/chimney_badinput.py
run_cases "" python3 "$BAD" "$ifindex"
check "the device still works afterwards" ip link set chimbad0 up
while read -r verdict text; do
	check "$text" [ "$verdict" = PASS ]
done < <(python3 "$BAD" gone "$ifindex" chimbad0 2>&1)

nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
if $nobody unshare -Urn true 2>/dev/null; then
	run_cases "user namespace: " $nobody unshare -Urn bash -c "
		ip link add chimbad1 type chimney || exit 1
		python3 '$BAD' \$(ip -o link show chimbad1 | cut -d: -f1)"
else
	echo "# SKIP unprivileged user namespaces are disabled here"
fi
# The VM runner fails on any splat; this names the test that caused it.
check_fail "no BUG, KASAN report or Oops in the kernel log" \
	bash -c "dmesg | grep -Eq 'BUG:|KASAN:|Oops'"

tap_done
