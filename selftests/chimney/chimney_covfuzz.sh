#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Coverage-guided fuzzing (chimney_covfuzz.py) for CHIMNEY_COVFUZZ_SECONDS
# (180), from the committed corpus (CHIMNEY_COVFUZZ_CORPUS, corpus/; "none"
# for none) and the valid request of every command. Needs KCOV (the debug
# kernel); skipped without it. The kernel log is checked for splats by the
# fuzzer after each input, and by the runner. make fuzz runs a longer
# campaign and keeps the grown corpus where CHIMNEY_COVFUZZ_SAVE says;
# CHIMNEY_COVFUZZ_STOP=1 stops at the first crash.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require

mount -t debugfs none /sys/kernel/debug 2>/dev/null
if [ ! -e /sys/kernel/debug/kcov ]; then
	echo "SKIP: no /sys/kernel/debug/kcov (a kernel without KCOV)"
	exit $ksft_skip
fi

SECS=${CHIMNEY_COVFUZZ_SECONDS:-180}
SEED=${CHIMNEY_COVFUZZ_SEED:-$RANDOM}
cleanup()
{
	ip link del cfz0 2>/dev/null
	ip link del cfz1 2>/dev/null
	chimney_unload 2>/dev/null
}
trap cleanup EXIT

chimney_unload
chimney_load
out=/tmp/chimney-covfuzz.out
python3 "$CHIMNEY_LIB_DIR/chimney_covfuzz.py" --seconds "$SECS" --seed "$SEED" \
	--corpus "${CHIMNEY_COVFUZZ_CORPUS:-$CHIMNEY_LIB_DIR/corpus}" \
	${CHIMNEY_COVFUZZ_SAVE:+--save "$CHIMNEY_COVFUZZ_SAVE"} \
	${CHIMNEY_COVFUZZ_STOP:+--stop-on-crash} >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
summary=$(grep '^covfuzz: seed' "$out" | sed 's/^covfuzz: //')
check "coverage-guided fuzzing, ${summary:-no summary}" [ $rc = 0 ]
edges=$(sed -n 's/^covfuzz: seed .* \([0-9]*\) edges.*/\1/p' "$out")
start=$(sed -n 's/^covfuzz: .* starting inputs, \([0-9]*\) edges/\1/p' "$out")
check "the fuzzer reached edges the starting inputs did not (${start:-?} -> ${edges:-?})" \
	[ "${edges:-0}" -gt "${start:-0}" ]
check "and the devices go away cleanly" ip link del cfz0
ip link del cfz1
check "the module unloads" chimney_unload

tap_done
