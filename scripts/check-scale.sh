# SPDX-License-Identifier: GPL-2.0
#
# Sourced by check.sh and check-one.sh: which kselftests run on which
# kernel, and the environment they run in there, so that a test run alone
# (make check T=...) runs as in make check. make check-full
# (CHIMNEY_CHECK_FULL=1) runs them at full scale.

# The stock kernels (6.1 and 6.12) run these; and chimney_security.sh with
# slab poisoning (slub_debug=P), which shows uninitialised bytes in a
# notification as 0x6b.
stock_tests=(chimney_link.sh chimney_offload.sh chimney_badinput.sh chimney_fuzz.sh chimney_tcp.sh
	     chimney_stress.sh chimney_teardown.sh chimney_limits.sh)
poison_tests=(chimney_security.sh)
# The debug kernel runs these in two VMs of their own, beside the rest:
# the control plane, and the data path with allocation failures and the
# teardown.
debug_tests=(chimney_link.sh chimney_offload.sh chimney_badinput.sh chimney_fuzz.sh
	     chimney_security.sh chimney_stress.sh chimney_limits.sh chimney_covfuzz.sh)
debug_dp_tests=(chimney_tcp.sh chimney_allocfail.sh chimney_teardown.sh)
#
# make check runs every test on every kernel it runs on, at the scale that
# keeps the whole within 20 minutes here (2 cores, TCG, three VMs side by
# side). On the debug kernel a process takes 200 ms to start and python3
# 1.3 s (KASAN, lockdep, kmemleak), so what a test does many times is cut
# there most: the stress's four rounds run 10 s each instead of 20 (each
# round also has a minute of setup there); blind fuzzing sends 3,000
# messages (10,000 took 280 s) and coverage-guided fuzzing runs 90 s from
# the committed corpus (make fuzz and make fuzz-blind for longer); the
# teardown test sets up 1,000 connections with 2,000 I/O requests, four
# times (5,000 connections took 204 s to set up and 51 s to tear down, each
# round). A dummy device's add alone takes 40-200 ms there: the teardown's
# bound on RTNL waits is 1 s, still far above the slowest add seen.
debug_env=(CHIMNEY_FUZZ_COUNT=3000 CHIMNEY_COVFUZZ_SECONDS=90 CHIMNEY_STRESS_SECONDS=10
	   CHIMNEY_TEARDOWN_CONNS=1000 CHIMNEY_TEARDOWN_IO=1000
	   CHIMNEY_TEARDOWN_RTNL_MS=1000)

# The stock kernels: 10,000 fuzzed messages (441 s for 100,000 on 6.1),
# the stress at 10 s a round, and the teardown of 100,000 connections,
# which needs more than 1 GiB; with CHIMNEY_CHECK_FULL=1, 100,000
# messages, 20 s rounds and a million connections. Beside the two debug
# VMs, on 2 cores, an add of a dummy device alone takes up to 46 ms: the
# bound on RTNL waits during a teardown is 250 ms (alone, the default
# 50 ms holds with the slowest add at 7 to 39 ms), still 15 times below a
# million-connection teardown under RTNL (3.7 s).
teardown_conns=100000 fuzz_count=10000 stress_secs=10
if [ "${CHIMNEY_CHECK_FULL:-0}" != 0 ]; then
	teardown_conns=1000000 fuzz_count=100000 stress_secs=20
	debug_env=(CHIMNEY_FUZZ_COUNT=10000 CHIMNEY_COVFUZZ_SECONDS=180
		   CHIMNEY_TEARDOWN_CONNS=5000 CHIMNEY_TEARDOWN_IO=2500
		   CHIMNEY_TEARDOWN_RTNL_MS=1000)
fi
stock_env=(CHIMNEY_VM_MEM=3072 CHIMNEY_TEARDOWN_RTNL_MS=250 CHIMNEY_STRESS_SECONDS=$stress_secs
	   CHIMNEY_TEARDOWN_CONNS=$teardown_conns CHIMNEY_FUZZ_COUNT=$fuzz_count)
