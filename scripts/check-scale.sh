# SPDX-License-Identifier: GPL-2.0
#
# Sourced by check.sh and check-one.sh: the environment the kselftests run
# in, per kernel, so that a test run alone (make check T=...) runs as in
# make check. make check-full (CHIMNEY_CHECK_FULL=1) runs them at full
# scale.

# The debug kernel: its blind fuzzing is bounded to 10000 messages (KASAN
# and lockdep make each slow), and coverage-guided fuzzing to 180 s from
# the committed corpus (make fuzz and make fuzz-blind for longer). The
# teardown test sets up 5,000 connections with 5,000 I/O requests, four
# times: on the 6.12 debug kernel, with 20,000 and 20,000, each teardown
# took 83 to 166 s and the test outgrew its 1,800 s in make check; with
# 10,000 and 10,000, alone, each of its four rounds took about 4 minutes
# (a teardown 51 s), too close to it beside the other VMs. A dummy
# device's add alone takes 40-150 ms there: the teardown's bound on RTNL
# waits is 1 s, still far below the teardown's own length.
debug_env=(CHIMNEY_FUZZ_COUNT=10000 CHIMNEY_COVFUZZ_SECONDS=180
	   CHIMNEY_TEARDOWN_CONNS=5000 CHIMNEY_TEARDOWN_IO=2500
	   CHIMNEY_TEARDOWN_RTNL_MS=1000)

# The stock kernels: 30,000 fuzzed messages (441 s for 100,000, the
# longest test of the 6.1 lane), and the teardown of 200,000 connections,
# which needs more than 1 GiB; with CHIMNEY_CHECK_FULL=1, 100,000 messages
# and a million connections. Beside the two debug VMs, on 2 cores, an add
# of a dummy device alone takes up to 46 ms: the bound on RTNL waits during
# a teardown is 250 ms (alone, the default 50 ms holds with the slowest add
# at 7 to 39 ms), still 15 times below a million-connection teardown under
# RTNL (3.7 s).
teardown_conns=200000 fuzz_count=30000
[ "${CHIMNEY_CHECK_FULL:-0}" = 0 ] || teardown_conns=1000000 fuzz_count=100000
stock_env=(CHIMNEY_VM_MEM=3072 CHIMNEY_TEARDOWN_RTNL_MS=250
	   CHIMNEY_TEARDOWN_CONNS=$teardown_conns CHIMNEY_FUZZ_COUNT=$fuzz_count)
