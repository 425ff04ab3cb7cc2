// SPDX-License-Identifier: GPL-2.0
/*
 * chimney-bench: the measurements of "make bench", run in a VM on one
 * chimney device that nothing else uses.
 *
 *   chimney-bench DEV DEBUGFS-DIR [conns N] [batch B] [single N] [storm N] [window W]
 *   chimney-bench DEV DEBUGFS-DIR conns N hold 1 [io M]
 *
 * Times the simplest generic netlink round trip (CTRL_CMD_GETFAMILY) and,
 * side by side in the same run, initiate, invalidate and terminate of N
 * connections with B blocks per request and of connections one per
 * request (W requests in flight, 4 by default), as a cost per connection
 * and its ratio to the round trip; the
 * slab memory per offloaded connection, its share of paths and neighbor
 * included; and a storm: a neighbor with S dependent connections
 * invalidated on corrupt hardware, whose 2 S events one listener must all
 * receive, in sequence. Exits 1 if a request fails or an event is lost.
 *
 * With "hold 1" it only offloads the N connections and leaves them; "io M"
 * then posts a receive and a send request on each of the first M, prints
 * "bench: io posted" and counts their completions until it has all 2 M or
 * nothing came for 300 s: the teardown test's listener. It times no round
 * trips: on the debug kernel the 24,000 of the references took minutes.
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/chimney.h>

#define WINDOW		4	/* requests in flight, by default */
#define MAX_PATHS	1000
#define REF_ROUNDS	2000	/* round trips timed on each side of a phase */

static struct mnl_socket *sk;
static uint32_t seq, ifindex, window = WINDOW;
static uint16_t family;
static uint32_t grp_completions, grp_events;
static char rbuf[8 << 20];

/* What the notifications said so far. */
static struct {
	uint64_t completions, ok, failed, events, next_seq, io, io_aborted;
	bool seq_gap;
	uint64_t *handles;	/* target handles of new objects, in order */
	size_t nhandles, cap;
} st;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "chimney-bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static struct nlmsghdr *msg_start(char *buf, uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static void send_msg(struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		die("send: %s", strerror(errno));
}

static void keep_handle(uint64_t h)
{
	if (st.nhandles == st.cap) {
		st.cap = st.cap ? 2 * st.cap : 4096;
		st.handles = realloc(st.handles, st.cap * sizeof(*st.handles));
		if (!st.handles)
			die("out of memory");
	}
	st.handles[st.nhandles++] = h;
}

/* What pump() keeps of the completions: no handles, new TCP ones, all. */
enum { KEEP_NONE, KEEP_TCP, KEEP_ALL };

/* Count the statuses of a list of blocks and keep the objects' handles. */
static void walk_blocks(const struct nlattr *list, int keep)
{
	const struct nlattr *b, *a;

	mnl_attr_for_each_nested(b, list) {
		const struct nlattr *deps = NULL;
		uint32_t status = 0;
		uint64_t handle = 0;
		uint8_t type = 0;

		mnl_attr_for_each_nested(a, b) {
			switch (mnl_attr_get_type(a)) {
			case CHIMNEY_BLOCK_A_TYPE:
				type = mnl_attr_get_u8(a);
				break;
			case CHIMNEY_BLOCK_A_STATUS:
				status = mnl_attr_get_u32(a);
				break;
			case CHIMNEY_BLOCK_A_HANDLE:
				handle = mnl_attr_get_u64(a);
				break;
			case CHIMNEY_BLOCK_A_DEPENDENTS:
				deps = a;
				break;
			}
		}
		if (status == CHIMNEY_NDIS_STATUS_SUCCESS)
			st.ok++;
		else
			st.failed++;
		if (handle && (keep == KEEP_ALL ||
			       (keep == KEEP_TCP && type == CHIMNEY_TCP_OFFLOAD_STATE)))
			keep_handle(handle);
		/* Traversal order: a block, then its dependents. */
		if (deps)
			walk_blocks(deps, keep);
	}
}

static void on_notification(const struct nlmsghdr *nlh, int keep)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		if (mnl_attr_get_type(a) == CHIMNEY_A_STATUS &&
		    mnl_attr_get_u32(a) != CHIMNEY_NDIS_STATUS_SUCCESS &&
		    g->cmd == CHIMNEY_CMD_SEND_COMPLETE)
			st.failed++;
		if (mnl_attr_get_type(a) == CHIMNEY_A_SEQ) {
			uint64_t s = mnl_attr_get_u64(a);

			if (st.next_seq && s != st.next_seq)
				st.seq_gap = true;
			st.next_seq = s + 1;
		} else if (mnl_attr_get_type(a) == CHIMNEY_A_BLOCKS) {
			walk_blocks(a, keep);
		}
	}
	if (g->cmd == CHIMNEY_CMD_SEND_COMPLETE || g->cmd == CHIMNEY_CMD_RECEIVE_COMPLETE) {
		mnl_attr_for_each(a, nlh, sizeof(*g))
			if (mnl_attr_get_type(a) == CHIMNEY_A_STATUS &&
			    mnl_attr_get_u32(a) == CHIMNEY_NDIS_STATUS_REQUEST_ABORTED)
				st.io_aborted++;
		st.io++;
	}
	if (g->cmd == CHIMNEY_CMD_TCP_EVENT)
		st.events++;
	else
		st.completions++;
}

/* What came in: notifications counted, a rejected request fails the run. */
static void on_messages(int len, int keep)
{
	struct nlmsghdr *nlh;

	for (nlh = (void *)rbuf; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			const struct nlattr *a;
			const char *m = "";
			uint32_t off = 0;

			if (!e->error)
				continue;
			if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
				mnl_attr_for_each(a, nlh, sizeof(*e)) {
					if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
						m = mnl_attr_get_str(a);
					else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS)
						off = mnl_attr_get_u32(a);
				}
			}
			die("request %u rejected: %s: %s (at offset %u)", nlh->nlmsg_seq,
			    strerror(-e->error), m, off);
		} else if (nlh->nlmsg_type == family && !nlh->nlmsg_seq) {
			on_notification(nlh, keep);
		}
	}
}

/*
 * Read until *count reaches target; replies to our requests need no action.
 * With a receive timeout set, returns when nothing came for that long.
 */
static void pump(const uint64_t *count, uint64_t target, int keep)
{
	while (*count < target) {
		int len = (int)mnl_socket_recvfrom(sk, rbuf, sizeof(rbuf));

		if (len < 0 && errno == EAGAIN)
			return;
		if (len < 0)
			die("receive: %s (a lost notification fails the benchmark)", strerror(errno));
		on_messages(len, keep);
	}
}

/* Read what is queued now, without waiting. */
static void pump_pending(void)
{
	for (;;) {
		int len = (int)recv(mnl_socket_get_fd(sk), rbuf, sizeof(rbuf), MSG_DONTWAIT);

		if (len < 0 && errno == EAGAIN)
			return;
		if (len < 0)
			die("receive: %s", strerror(errno));
		on_messages(len, KEEP_NONE);
	}
}

/* ---- the reference: CTRL_CMD_GETFAMILY ---- */

static void parse_groups(const struct nlattr *list)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, list) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, g) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, CHIMNEY_MCGRP_COMPLETIONS))
			grp_completions = id;
		if (name && !strcmp(name, CHIMNEY_MCGRP_EVENTS))
			grp_events = id;
	}
}

/* One round trip; the first one also learns the family and its groups. */
static void getfamily(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	bool done = false;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CHIMNEY_GENL_NAME);
	send_msg(nlh);
	while (!done) {
		int len = (int)mnl_socket_recvfrom(sk, rbuf, sizeof(rbuf));
		struct nlmsghdr *r;
		const struct nlattr *a;

		if (len < 0)
			die("receive: %s", strerror(errno));
		for (r = (void *)rbuf; mnl_nlmsg_ok(r, len); r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR)
				die("no chimney family: is chimney.ko loaded?");
			done = true;
			if (family)
				continue;
			mnl_attr_for_each(a, r, sizeof(struct genlmsghdr)) {
				if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
					family = mnl_attr_get_u16(a);
				else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
					parse_groups(a);
			}
		}
	}
}

/* ---- state requests ---- */

static struct nlattr *block_start(struct nlmsghdr *nlh, int idx, uint8_t type, bool is_new)
{
	struct nlattr *b = mnl_attr_nest_start(nlh, idx);

	if (is_new)
		mnl_attr_put(nlh, CHIMNEY_BLOCK_A_NEW, 0, NULL);
	if (type)
		mnl_attr_put_u8(nlh, CHIMNEY_BLOCK_A_TYPE, type);
	return b;
}

static void put_new_tcp(struct nlmsghdr *nlh, int idx, uint32_t n)
{
	struct nlattr *b = block_start(nlh, idx, CHIMNEY_TCP_OFFLOAD_STATE, true), *c;

	mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HOST_HANDLE, 0x1000000 + n);
	c = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_CONST);
	/* Ports apart: the receive path keys connections by them. */
	mnl_attr_put_u16(nlh, CHIMNEY_TCP_A_REMOTE_PORT, 80 + n / 60000);
	mnl_attr_put_u16(nlh, CHIMNEY_TCP_A_LOCAL_PORT, 1024 + n % 60000);
	mnl_attr_put_u16(nlh, CHIMNEY_TCP_A_REMOTE_MSS, 1460);
	mnl_attr_nest_end(nlh, c);
	c = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_CACHED);
	mnl_attr_nest_end(nlh, c);
	c = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_DELEGATED);
	mnl_attr_put_u8(nlh, CHIMNEY_TCP_A_STATE, CHIMNEY_TCP_CONNECTION_ESTABLISHED);
	mnl_attr_put_u32(nlh, CHIMNEY_TCP_A_RCV_NXT, n);
	mnl_attr_put_u32(nlh, CHIMNEY_TCP_A_SND_UNA, n);
	mnl_attr_put_u32(nlh, CHIMNEY_TCP_A_SND_NXT, n);
	mnl_attr_put_u32(nlh, CHIMNEY_TCP_A_SND_MAX, n);
	mnl_attr_nest_end(nlh, c);
	mnl_attr_nest_end(nlh, b);
}

/*
 * One request: neighbor (placeholder or ref), path (placeholder or ref),
 * then count TCP blocks, new (numbered from first) or references to
 * handles[first...]. Sent; its completion is counted by pump().
 */
static void tcp_request(uint8_t cmd, uint64_t neigh, uint64_t path, bool is_new,
			const uint64_t *handles, uint32_t first, uint32_t count)
{
	static char buf[4 << 20];
	struct nlattr *l0, *n, *l1, *p, *l2;
	struct nlmsghdr *nlh = msg_start(buf, family, cmd, CHIMNEY_GENL_VERSION);
	uint32_t i;

	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, CHIMNEY_A_REQ_ID, seq);
	l0 = mnl_attr_nest_start(nlh, CHIMNEY_A_BLOCKS);
	n = block_start(nlh, 1, neigh ? CHIMNEY_NEIGHBOR_OFFLOAD_STATE : 0, false);
	if (neigh)
		mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HANDLE, neigh);
	l1 = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_DEPENDENTS);
	p = block_start(nlh, 1, path ? CHIMNEY_IP4_OFFLOAD_STATE : 0, false);
	if (path)
		mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HANDLE, path);
	l2 = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_DEPENDENTS);
	for (i = 0; i < count; i++) {
		if (is_new) {
			put_new_tcp(nlh, i + 1, first + i);
		} else {
			struct nlattr *b = block_start(nlh, i + 1, CHIMNEY_TCP_OFFLOAD_STATE, false);

			mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HANDLE, handles[first + i]);
			mnl_attr_nest_end(nlh, b);
		}
	}
	mnl_attr_nest_end(nlh, l2);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, l1);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, l0);
	send_msg(nlh);
}

/* A request on one neighbor alone. */
static void neigh_request(uint8_t cmd, uint64_t neigh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_start(buf, family, cmd, CHIMNEY_GENL_VERSION);
	struct nlattr *l0, *n;

	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, CHIMNEY_A_REQ_ID, seq);
	l0 = mnl_attr_nest_start(nlh, CHIMNEY_A_BLOCKS);
	n = block_start(nlh, 1, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, false);
	mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HANDLE, neigh);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, l0);
	send_msg(nlh);
}

/*
 * A neighbor (new when *nh is 0) and paths first..first+count-1 under it;
 * their handles in *nh and ph[].
 */
static void neigh_paths(uint32_t first, uint32_t count, uint64_t *nh, uint64_t *ph)
{
	static char buf[1 << 20];
	struct nlmsghdr *nlh = msg_start(buf, family, CHIMNEY_CMD_INITIATE, CHIMNEY_GENL_VERSION);
	struct nlattr *l0, *n, *l1, *p, *c;
	uint64_t want = st.completions + 1;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 2 };
	uint32_t i;

	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, CHIMNEY_A_REQ_ID, seq);
	l0 = mnl_attr_nest_start(nlh, CHIMNEY_A_BLOCKS);
	n = block_start(nlh, 1, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, !*nh);
	if (*nh) {
		mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HANDLE, *nh);
	} else {
		mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HOST_HANDLE, 0x10);
		c = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_CONST);
		mnl_attr_nest_end(nlh, c);
		c = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_CACHED);
		mnl_attr_put(nlh, CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS, 6, mac);
		mnl_attr_nest_end(nlh, c);
		c = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_DELEGATED);
		mnl_attr_nest_end(nlh, c);
	}
	l1 = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_DEPENDENTS);
	for (i = first; i < first + count; i++) {
		uint8_t src[4] = { 10, 0, 0, 1 }, dst[4] = { 10, 1, i >> 8, i & 0xff };

		p = block_start(nlh, i - first + 1, CHIMNEY_IP4_OFFLOAD_STATE, true);
		mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HOST_HANDLE, 0x20000 + i);
		c = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_CONST);
		mnl_attr_put(nlh, CHIMNEY_PATH_A_SOURCE_ADDRESS, 4, src);
		mnl_attr_put(nlh, CHIMNEY_PATH_A_DESTINATION_ADDRESS, 4, dst);
		mnl_attr_nest_end(nlh, c);
		c = mnl_attr_nest_start(nlh, CHIMNEY_BLOCK_A_CACHED);
		mnl_attr_put_u32(nlh, CHIMNEY_PATH_A_PATH_MTU, 1500);
		mnl_attr_nest_end(nlh, c);
		mnl_attr_nest_end(nlh, p);
	}
	mnl_attr_nest_end(nlh, l1);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, l0);
	st.nhandles = 0;
	st.ok = st.failed = 0;
	send_msg(nlh);
	pump(&st.completions, want, KEEP_ALL);
	if (st.failed || st.nhandles != count + 1)
		die("neighbor and paths: %" PRIu64 " blocks failed", st.failed);
	*nh = st.handles[0];
	memcpy(ph + first, st.handles + 1, count * sizeof(*ph));
}

/* A neighbor and npaths IPv4 paths under it, 200 paths per request. */
static void new_neigh_paths(uint32_t npaths, uint64_t *nh, uint64_t *ph)
{
	uint32_t first;

	*nh = 0;
	for (first = 0; first < npaths; first += 200)
		neigh_paths(first, npaths - first < 200 ? npaths - first : 200, nh, ph);
}

/*
 * cmd on n connections, batch per request (all under one path when path
 * is 0 and neigh 0: placeholders), window requests in flight. New ones are
 * spread over the paths. Returns microseconds.
 */
static double run_tcp(uint8_t cmd, uint32_t n, uint32_t batch, const uint64_t *paths,
		      uint32_t npaths, const uint64_t *handles)
{
	uint64_t base = st.completions, sent = 0;
	bool is_new = cmd == CHIMNEY_CMD_INITIATE;
	uint32_t per_path = (n + npaths - 1) / npaths;
	double t0 = now_us();
	uint32_t first;

	st.ok = st.failed = 0;
	if (is_new)
		st.nhandles = 0;
	for (first = 0; first < n;) {
		uint32_t p = first / per_path;
		uint32_t count = batch;

		if (count > n - first)
			count = n - first;
		if (is_new && count > (p + 1) * per_path - first)
			count = (p + 1) * per_path - first;
		if (sent - (st.completions - base) >= window)
			pump(&st.completions, base + sent - window + 1,
			     is_new ? KEEP_TCP : KEEP_NONE);
		tcp_request(cmd, 0, is_new ? paths[p] : 0, is_new, handles, first, count);
		sent++;
		first += count;
	}
	pump(&st.completions, base + sent, is_new ? KEEP_TCP : KEEP_NONE);
	if (st.failed)
		die("%" PRIu64 " of %u blocks failed", st.failed, n);
	return now_us() - t0;
}

/* Dump the device's objects of one type; returns how many came. */
static uint64_t dump_objects(uint8_t type)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_start(buf, family, CHIMNEY_CMD_OBJ_GET, CHIMNEY_GENL_VERSION);
	uint64_t n = 0;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
	mnl_attr_put_u8(nlh, CHIMNEY_A_OBJ_TYPE, type);
	send_msg(nlh);
	for (;;) {
		int len = (int)mnl_socket_recvfrom(sk, rbuf, sizeof(rbuf));
		struct nlmsghdr *r;

		if (len < 0)
			die("dump: %s", strerror(errno));
		for (r = (void *)rbuf; mnl_nlmsg_ok(r, len); r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_type == NLMSG_DONE)
				return n;
			if (r->nlmsg_type == NLMSG_ERROR)
				die("dump rejected");
			n++;
		}
	}
}

static long slab_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void write_file(const char *dir, const char *name, const char *v)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(v, f) < 0 || fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* Round trips timed on each side of a phase; none with "hold". */
static uint32_t ref_rounds = REF_ROUNDS;

/* The reference: the mean of rounds round trips, in microseconds. */
static double round_trip(uint32_t rounds)
{
	double t = now_us();
	uint32_t i;

	for (i = 0; i < rounds; i++)
		getfamily();
	return rounds ? (now_us() - t) / rounds : 0;
}

/*
 * One phase of n connections, side by side with the reference: TCG's speed
 * drifts within a run, so the round trip is timed right before and right
 * after the phase, and the phase is compared to their mean.
 */
static void phase(const char *what, uint8_t cmd, uint32_t n, uint32_t batch,
		  const uint64_t *paths, uint32_t npaths, const uint64_t *handles)
{
	double before = round_trip(ref_rounds), us, ref;

	us = run_tcp(cmd, n, batch, paths, npaths, handles);
	if (!ref_rounds) {
		printf("bench: %-44s %9.2f us/conn\n", what, us / n);
		return;
	}
	ref = (before + round_trip(ref_rounds)) / 2;
	printf("bench: %-44s %9.2f us/conn  %6.3fx the round trip (%.2f us)\n", what, us / n,
	       us / n / ref, ref);
}

/* One I/O request on a connection: a receive of len, or a send of len bytes. */
static void post_io(uint8_t cmd, uint64_t handle, uint64_t id, uint32_t len)
{
	static uint8_t payload[1000];
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_start(buf, family, cmd, CHIMNEY_GENL_VERSION);

	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, CHIMNEY_A_HANDLE, handle);
	mnl_attr_put_u64(nlh, CHIMNEY_A_IO_ID, id);
	if (cmd == CHIMNEY_CMD_SEND)
		mnl_attr_put(nlh, CHIMNEY_A_IO_DATA, len, payload);
	else
		mnl_attr_put_u32(nlh, CHIMNEY_A_IO_LEN, len);
	send_msg(nlh);
}

/*
 * Outstanding I/O for a teardown: a receive and a send request on each of
 * the first n connections (nothing answers them), then their completions,
 * which the device's teardown owes, counted until all came or none came
 * for 300 s (a netns is deleted by a work item, which a busy machine may
 * run late). The host must be told of every one: exits 1 otherwise.
 */
static int hold_io(uint32_t n)
{
	struct timeval idle = { .tv_sec = 300 };
	uint64_t want = 2ULL * n;
	uint32_t i;

	if (n > st.nhandles)
		die("io %u: only %zu connections", n, st.nhandles);
	st.io = st.io_aborted = 0;
	for (i = 0; i < n; i++) {
		post_io(CHIMNEY_CMD_RECEIVE, st.handles[i], 2 * i + 1, 1000);
		post_io(CHIMNEY_CMD_SEND, st.handles[i], 2 * i + 2, 1000);
		/* Rejections would come back here: read them as we go. */
		if (i % 256 == 255)
			pump_pending();
	}
	pump_pending();
	if (st.io)
		die("%" PRIu64 " I/O requests completed before the teardown", st.io);
	printf("bench: io posted, %" PRIu64 " requests on %u connections\n", want, n);
	fflush(stdout);
	if (setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle)))
		die("SO_RCVTIMEO: %s", strerror(errno));
	pump(&st.io, want, KEEP_NONE);
	printf("bench: io completions %" PRIu64 " of %" PRIu64 ", %" PRIu64 " REQUEST_ABORTED\n",
	       st.io, want, st.io_aborted);
	return st.io == want && st.io_aborted == want ? 0 : 1;
}

/*
 * The data path: bytes through one offloaded connection in send requests
 * of 65000 bytes, WINDOW * 4 of them outstanding, until the peer has
 * acknowledged them all.
 */
static int stream(uint64_t handle, uint64_t bytes)
{
	static uint8_t payload[65000];
	uint64_t posted = 0, reqs, id = 0;
	char *buf = malloc(1 << 17);
	double t;

	if (!buf)
		die("out of memory");
	memset(payload, 'x', sizeof(payload));
	reqs = (bytes + sizeof(payload) - 1) / sizeof(payload);
	st.completions = 0;
	t = now_us();
	while (st.completions < reqs) {
		while (id < reqs && id - st.completions < 4 * WINDOW) {
			struct nlmsghdr *nlh = msg_start(buf, family, CHIMNEY_CMD_SEND,
							 CHIMNEY_GENL_VERSION);
			uint64_t len = bytes - posted < sizeof(payload) ?
				       bytes - posted : sizeof(payload);

			mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
			mnl_attr_put_u64(nlh, CHIMNEY_A_HANDLE, handle);
			mnl_attr_put_u64(nlh, CHIMNEY_A_IO_ID, ++id);
			mnl_attr_put(nlh, CHIMNEY_A_IO_DATA, len, payload);
			send_msg(nlh);
			posted += len;
		}
		pump(&st.completions, st.completions + 1, KEEP_NONE);
	}
	t = now_us() - t;
	if (st.failed)
		die("%" PRIu64 " send requests failed", st.failed);
	printf("bench: %-44s %9.2f MB/s (%" PRIu64 " bytes in %.2f s)\n",
	       "offloaded connection, send requests", bytes / t, bytes, t / 1e6);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t conns = 1000000, batch = 128, single = 10000, storm = 100000, hold = 0, io = 0;
	uint64_t stream_handle = 0, stream_bytes = 0;
	static uint64_t paths[MAX_PATHS];
	int rcvbuf = 256 << 20, sndbuf = 16 << 20, one = 1;
	uint32_t npaths, i;
	double t;
	const char *dbg;
	uint64_t neigh;
	long slab0;

	if (argc < 3)
		die("usage: chimney-bench DEV DEBUGFS-DIR [conns N] [batch B] [single N] [storm N]\n"
		    "       [hold 1 [io M]] | [stream HANDLE BYTES]");
	ifindex = if_nametoindex(argv[1]);
	dbg = argv[2];
	if (!ifindex)
		die("no device %s", argv[1]);
	for (i = 3; i + 1 < (uint32_t)argc; i += 2) {
		uint32_t v = strtoul(argv[i + 1], NULL, 0);

		if (!strcmp(argv[i], "stream") && i + 2 < (uint32_t)argc) {
			stream_handle = strtoull(argv[i + 1], NULL, 0);
			stream_bytes = strtoull(argv[i + 2], NULL, 0);
			i++;
			continue;
		}
		if (!strcmp(argv[i], "hold")) {
			hold = v;
			continue;
		}
		if (!strcmp(argv[i], "io")) {
			io = v;
			continue;
		}

		if (!strcmp(argv[i], "conns"))
			conns = v;
		else if (!strcmp(argv[i], "batch"))
			batch = v;
		else if (!strcmp(argv[i], "single"))
			single = v;
		else if (!strcmp(argv[i], "storm"))
			storm = v;
		else if (!strcmp(argv[i], "window"))
			window = v;
	}
	if (!conns || !batch || batch > 1000 || !window)
		die("conns must be > 0, batch 1 to 1000 (a completion's blocks must fit in 64 KiB)");

	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink socket: %s", strerror(errno));
	setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));

	/*
	 * The reference, first and last, so that drift shows; each phase is
	 * compared to round trips timed beside it.
	 */
	getfamily();
	if (hold)
		ref_rounds = 0;
	else
		printf("bench: %-44s %9.2f us\n", "genl round trip (CTRL_CMD_GETFAMILY)",
		       round_trip(10 * ref_rounds));
	if (mnl_socket_setsockopt(sk, NETLINK_ADD_MEMBERSHIP, &grp_completions,
				  sizeof(grp_completions)) < 0)
		die("join completions: %s", strerror(errno));
	if (stream_handle)
		return stream(stream_handle, stream_bytes);

	/* Scale: conns connections under one neighbor and up to 1000 paths. */
	npaths = conns / 1000 ? conns / 1000 : 1;
	if (npaths > MAX_PATHS)
		npaths = MAX_PATHS;
	slab0 = slab_kb();
	new_neigh_paths(npaths, &neigh, paths);
	phase("initiate, batched", CHIMNEY_CMD_INITIATE, conns, batch, paths, npaths, NULL);
	printf("bench: %-44s %9.0f bytes (target 512)\n",
	       "slab memory per offloaded connection",
	       (slab_kb() - slab0) * 1024.0 / conns);
	/* "hold 1": leave them offloaded (the receive path's table is full). */
	if (hold)
		return io ? hold_io(io) : 0;
	t = now_us();
	if (dump_objects(CHIMNEY_TCP_OFFLOAD_STATE) != conns)
		die("the dump did not return every connection");
	t = now_us() - t;
	printf("bench: %-44s %9.2f us/object, all %u\n", "dump of the TCP objects", t / conns,
	       conns);
	phase("invalidate, batched", CHIMNEY_CMD_INVALIDATE, conns, batch, paths, npaths,
	      st.handles);
	phase("terminate, batched", CHIMNEY_CMD_TERMINATE, conns, batch, paths, npaths,
	      st.handles);

	/* One connection per request. */
	phase("initiate, one per request", CHIMNEY_CMD_INITIATE, single, 1, paths, 1, NULL);
	phase("invalidate, one per request", CHIMNEY_CMD_INVALIDATE, single, 1, paths, 1,
	      st.handles);
	phase("terminate, one per request", CHIMNEY_CMD_TERMINATE, single, 1, paths, 1,
	      st.handles);

	/* The storm: one neighbor invalidated on corrupt hardware. */
	if (storm) {
		uint64_t want = st.events + (uint64_t)2 * storm;

		run_tcp(CHIMNEY_CMD_INITIATE, storm, batch, paths, 1, NULL);
		if (mnl_socket_setsockopt(sk, NETLINK_ADD_MEMBERSHIP, &grp_events,
					  sizeof(grp_events)) < 0)
			die("join events: %s", strerror(errno));
		write_file(dbg, "corrupt", "Y");
		st.next_seq = 0;
		st.seq_gap = false;
		t = now_us();
		neigh_request(CHIMNEY_CMD_INVALIDATE, neigh);
		pump(&st.events, want, KEEP_NONE);
		t = now_us() - t;
		write_file(dbg, "corrupt", "N");
		printf("bench: %-44s %9.2f us/event, %" PRIu64 " of %" PRIu64 " received, %s\n",
		       "storm: neighbor invalidate on corrupt hw", t / (2.0 * storm),
		       st.events, (uint64_t)2 * storm,
		       st.seq_gap ? "SEQUENCE GAP" : "no gap");
		if (st.seq_gap)
			return 1;
	}
	printf("bench: %-44s %9.2f us\n", "genl round trip, again at the end",
	       round_trip(10 * ref_rounds));
	return 0;
}
