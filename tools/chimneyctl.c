// SPDX-License-Identifier: GPL-2.0
/*
 * chimneyctl: drive chimney offload targets over generic netlink.
 *
 *   chimneyctl [-j] [-w] [-t SECONDS] OBJECT COMMAND [ARGS]
 *
 * Run "chimneyctl help" for the syntax. Exit codes: 0 done; 1 the kernel
 * rejected the request (its extack message is printed); 2 usage error;
 * 3 a completion waited for (-w) has a block that failed; 4 timed out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/ether.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/chimney.h>

#define EXIT_REJECTED	1
#define EXIT_USAGE	2
#define EXIT_FAILED	3
#define EXIT_TIMEOUT	4

static bool json;
static bool wait_done;
static int timeout_s = 10;
static uint16_t family_id;
static uint32_t grp_completions, grp_events;

/* ---- small helpers ---- */

static void __attribute__((noreturn, format(printf, 1, 2))) usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "chimneyctl: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see 'chimneyctl help')\n");
	va_end(ap);
	exit(EXIT_USAGE);
}

static uint64_t parse_u64(const char *s, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || !*s)
		usage_err("bad %s '%s'", what, s);
	return v;
}

static uint32_t parse_u32(const char *s, const char *what)
{
	uint64_t v = parse_u64(s, what);

	if (v > UINT32_MAX)
		usage_err("%s '%s' out of range", what, s);
	return v;
}

static const char *status_name(uint32_t st)
{
	switch (st) {
	case CHIMNEY_NDIS_STATUS_SUCCESS: return "SUCCESS";
	case CHIMNEY_NDIS_STATUS_PENDING: return "PENDING";
	case CHIMNEY_NDIS_STATUS_FAILURE: return "FAILURE";
	case CHIMNEY_NDIS_STATUS_RESOURCES: return "RESOURCES";
	case CHIMNEY_NDIS_STATUS_INVALID_STATE: return "INVALID_STATE";
	case CHIMNEY_NDIS_STATUS_REQUEST_ABORTED: return "REQUEST_ABORTED";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_PAUSE: return "OFFLOAD_PAUSE";
	case CHIMNEY_NDIS_STATUS_UPLOAD_ALL: return "UPLOAD_ALL";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_RESUME: return "OFFLOAD_RESUME";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS: return "OFFLOAD_PARTIAL_SUCCESS";
	case CHIMNEY_NDIS_STATUS_UPLOAD_IN_PROGRESS: return "UPLOAD_IN_PROGRESS";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_ENTRIES: return "OFFLOAD_TCP_ENTRIES";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_ENTRIES: return "OFFLOAD_PATH_ENTRIES";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES: return "OFFLOAD_NEIGHBOR_ENTRIES";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES: return "OFFLOAD_IP_ADDRESS_ENTRIES";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES: return "OFFLOAD_HW_ADDRESS_ENTRIES";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_VLAN_ENTRIES: return "OFFLOAD_VLAN_ENTRIES";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER: return "OFFLOAD_TCP_XMIT_BUFFER";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER: return "OFFLOAD_TCP_RCV_BUFFER";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW: return "OFFLOAD_TCP_RCV_WINDOW";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_VLAN_MISMATCH: return "OFFLOAD_VLAN_MISMATCH";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_CONNECTION_REJECTED: return "OFFLOAD_CONNECTION_REJECTED";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_MTU: return "OFFLOAD_PATH_MTU";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED: return "OFFLOAD_DATA_NOT_ACCEPTED";
	case CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED:
		return "OFFLOAD_DATA_PARTIALLY_ACCEPTED";
	default: return "UNKNOWN";
	}
}

static const char *const reason_names[] = {
	[CHIMNEY_UPLOAD_LOW_ACTIVITY] = "LowActivity",
	[CHIMNEY_UPLOAD_HIGH_DROP_RATE] = "HighDropRate",
	[CHIMNEY_UPLOAD_SMALL_IO] = "SmallIO",
	[CHIMNEY_UPLOAD_NO_BUFFER_PREPOSTING] = "NoBufferPreposting",
	[CHIMNEY_UPLOAD_RECEIVED_URGENT_DATA] = "ReceivedUrgentData",
	[CHIMNEY_UPLOAD_HIGH_FRAGMENTATION] = "HighFragmentation",
	[CHIMNEY_UPLOAD_HIGH_OUT_OF_ORDER_PACKETS] = "HighOutOfOrderPackets",
	[CHIMNEY_UPLOAD_TIMEOUT_EXPIRATION] = "TimeoutExpiration",
	[CHIMNEY_UPLOAD_INVALID_STATE] = "InvalidState",
	[CHIMNEY_UPLOAD_UPLOAD_REQUESTED] = "UploadRequested",
	[CHIMNEY_UPLOAD_HARDWARE_FAILURE] = "HardwareFailure",
};

static const char *const tcp_state_names[] = {
	"closed", "listen", "syn_sent", "syn_rcvd", "established", "fin_wait1",
	"fin_wait2", "close_wait", "closing", "last_ack", "time_wait",
};

static const char *const cmd_names[] = {
	[CHIMNEY_CMD_INITIATE_COMPLETE] = "initiate-complete",
	[CHIMNEY_CMD_UPDATE_COMPLETE] = "update-complete",
	[CHIMNEY_CMD_INVALIDATE_COMPLETE] = "invalidate-complete",
	[CHIMNEY_CMD_QUERY_COMPLETE] = "query-complete",
	[CHIMNEY_CMD_TERMINATE_COMPLETE] = "terminate-complete",
	[CHIMNEY_CMD_SEND_COMPLETE] = "send-complete",
	[CHIMNEY_CMD_RECEIVE_COMPLETE] = "receive-complete",
	[CHIMNEY_CMD_TCP_EVENT] = "tcp-event",
	[CHIMNEY_CMD_STATUS_INDICATE] = "status-indicate",
	[CHIMNEY_CMD_DISCONNECT_COMPLETE] = "disconnect-complete",
	[CHIMNEY_CMD_BUFFERED_DATA] = "buffered-data",
	[CHIMNEY_CMD_NEIGHBOR_EVENT] = "neighbor-event",
	[CHIMNEY_CMD_RECEIVE_INDICATE] = "receive-indicate",
	[CHIMNEY_CMD_FORWARD_COMPLETE] = "forward-complete",
};

/* ---- netlink plumbing ---- */

struct nl {
	struct mnl_socket *sk;
	uint32_t portid;
	uint32_t seq;
};

static struct nl nl_open(void)
{
	struct nl n = { .seq = (uint32_t)time(NULL) };
	int one = 1;

	n.sk = mnl_socket_open(NETLINK_GENERIC);
	if (!n.sk || mnl_socket_bind(n.sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("chimneyctl: netlink socket");
		exit(EXIT_REJECTED);
	}
	mnl_socket_setsockopt(n.sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(n.sk, NETLINK_CAP_ACK, &one, sizeof(one));
	n.portid = mnl_socket_get_portid(n.sk);
	return n;
}

static struct nlmsghdr *msg_start(char *buf, uint16_t type, uint16_t flags, uint8_t cmd,
				  struct nl *n)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++n->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : CHIMNEY_GENL_VERSION;
	return nlh;
}

typedef int (*msg_fn)(const struct nlmsghdr *nlh, void *data);

/*
 * The completion -w waits for; it may arrive before the request's ACK. A
 * state request's completion is known by its request id, an I/O request's
 * by its I/O id; a receive completion's bytes go to out (if set).
 */
static struct {
	bool armed, got;
	uint8_t done_cmd;
	uint16_t id_attr;
	uint64_t id;
	FILE *out;
	int result;
} waiter;

static bool any_failed;
struct notif;
static void print_notification(const struct nlmsghdr *nlh, struct notif *nt);

/* Is this the completion being waited for? Then print it and note it. */
static void check_waiter(const struct nlmsghdr *nlh);

/* A JSON string: quotes, backslashes and control characters escaped. */
static void put_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/*
 * Print an error with its extack message: the TLVs follow the error code
 * (and the echoed request) at offset tlv of the message. Return the errno.
 */
static int print_error(const struct nlmsghdr *nlh, int error, size_t tlv)
{
	uint32_t off = UINT32_MAX, miss = UINT32_MAX;
	const struct nlattr *a;
	const char *msg = NULL;

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		mnl_attr_for_each(a, nlh, tlv) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
				msg = mnl_attr_get_str(a);
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS)
				off = mnl_attr_get_u32(a);
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MISS_TYPE)
				miss = mnl_attr_get_u32(a);
		}
	}
	if (json) {
		/* One object on stderr: stdout stays what the command printed. */
		fprintf(stderr, "{\"error\":%d,\"strerror\":", -error);
		put_json_str(stderr, strerror(-error));
		if (msg) {
			fprintf(stderr, ",\"message\":");
			put_json_str(stderr, msg);
		}
		if (off != UINT32_MAX)
			fprintf(stderr, ",\"offset\":%u", off);
		if (miss != UINT32_MAX)
			fprintf(stderr, ",\"missing\":%u", miss);
		fprintf(stderr, "}\n");
		return -error;
	}
	fprintf(stderr, "Error: %s%s%s", strerror(-error), msg ? ": " : "", msg ? msg : "");
	if (off != UINT32_MAX)
		fprintf(stderr, " (attribute at offset %u)", off);
	if (miss != UINT32_MAX)
		fprintf(stderr, " (missing attribute %u)", miss);
	fprintf(stderr, "\n");
	return -error;
}

/* The error of an NLMSG_ERROR, or 0 for an ACK. */
static int nl_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	return e->error ? print_error(nlh, e->error, sizeof(*e)) : 0;
}

/* A dump that failed after it started ends with an error in its DONE. */
static int nl_done(const struct nlmsghdr *nlh)
{
	const int *error = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*error) || *error >= 0)
		return 0;
	return print_error(nlh, *error, sizeof(*error));
}

/* Send a request and read replies until its ACK or DONE; 0 or an errno. */
static int nl_talk(struct nl *n, struct nlmsghdr *req, msg_fn fn, void *data)
{
	char buf[1 << 16];
	bool done = false;
	int err = 0;

	req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(n->sk, req, req->nlmsg_len) < 0) {
		perror("chimneyctl: send");
		return errno;
	}
	while (!done) {
		int len = (int)mnl_socket_recvfrom(n->sk, buf, sizeof(buf));
		struct nlmsghdr *nlh;

		if (len < 0) {
			perror("chimneyctl: receive");
			return errno;
		}
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq) {
				check_waiter(nlh);
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = nl_error(nlh);
				done = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				err = nl_done(nlh);
				done = true;
			} else if (fn) {
				fn(nlh, data);
			}
		}
	}
	return err;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a, *g, *ga;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family_id = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(g, a) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(ga, g) {
				if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(ga);
				if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(ga);
			}
			if (name && !strcmp(name, CHIMNEY_MCGRP_COMPLETIONS))
				grp_completions = id;
			if (name && !strcmp(name, CHIMNEY_MCGRP_EVENTS))
				grp_events = id;
		}
	}
	return 0;
}

static void resolve_family(struct nl *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_start(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, n);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CHIMNEY_GENL_NAME);
	if (nl_talk(n, nlh, family_cb, NULL)) {
		fprintf(stderr, "chimneyctl: is the chimney module loaded?\n");
		exit(EXIT_REJECTED);
	}
}

/* A device by name, or by ifindex given as a number. */
static uint32_t ifindex_of(const char *name)
{
	char *end;
	unsigned long n = strtoul(name, &end, 10);
	uint32_t idx = *name && !*end ? (uint32_t)n : if_nametoindex(name);

	if (!idx)
		usage_err("no device '%s'", name);
	return idx;
}

/* ---- printing ---- */

static void put_sep(bool *first)
{
	if (!*first)
		printf(json ? "," : " ");
	*first = false;
}

static void print_kv_u64(bool *first, const char *k, uint64_t v, bool hex)
{
	put_sep(first);
	if (json)
		printf("\"%s\":%" PRIu64, k, v);
	else
		printf(hex ? "%s 0x%" PRIx64 : "%s %" PRIu64, k, v);
}

static void print_kv_str(bool *first, const char *k, const char *v)
{
	put_sep(first);
	if (!json) {
		printf("%s %s", k, v);
		return;
	}
	printf("\"%s\":", k);
	put_json_str(stdout, v);
}

static const char *const neigh_names[CHIMNEY_NEIGH_A_MAX + 1] = {
	[CHIMNEY_NEIGH_A_DL_SOURCE_ADDRESS] = "dl_source_address",
	[CHIMNEY_NEIGH_A_VLAN_ID] = "vlan_id",
	[CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS] = "dl_destination_address",
	[CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA] = "host_reachability_delta",
	[CHIMNEY_NEIGH_A_NIC_REACHABILITY_DELTA] = "nic_reachability_delta",
};

static const char *const path_names[CHIMNEY_PATH_A_MAX + 1] = {
	[CHIMNEY_PATH_A_SOURCE_ADDRESS] = "source_address",
	[CHIMNEY_PATH_A_DESTINATION_ADDRESS] = "destination_address",
	[CHIMNEY_PATH_A_PATH_MTU] = "path_mtu",
};

static const char *const tcp_names[CHIMNEY_TCP_A_MAX + 1] = {
	[CHIMNEY_TCP_A_CONST_FLAGS] = "const_flags",
	[CHIMNEY_TCP_A_REMOTE_PORT] = "remote_port",
	[CHIMNEY_TCP_A_LOCAL_PORT] = "local_port",
	[CHIMNEY_TCP_A_SND_WIND_SCALE] = "snd_wind_scale",
	[CHIMNEY_TCP_A_RCV_WIND_SCALE] = "rcv_wind_scale",
	[CHIMNEY_TCP_A_REMOTE_MSS] = "remote_mss",
	[CHIMNEY_TCP_A_HASH_VALUE] = "hash_value",
	[CHIMNEY_TCP_A_CACHED_FLAGS] = "cached_flags",
	[CHIMNEY_TCP_A_INITIAL_RCV_WND] = "initial_rcv_wnd",
	[CHIMNEY_TCP_A_RCV_INDICATION_SIZE] = "rcv_indication_size",
	[CHIMNEY_TCP_A_KA_PROBE_COUNT] = "ka_probe_count",
	[CHIMNEY_TCP_A_KA_TIMEOUT] = "ka_timeout",
	[CHIMNEY_TCP_A_KA_INTERVAL] = "ka_interval",
	[CHIMNEY_TCP_A_MAX_RT] = "max_rt",
	[CHIMNEY_TCP_A_FLOW_LABEL] = "flow_label",
	[CHIMNEY_TCP_A_TTL_OR_HOP_LIMIT] = "ttl_or_hop_limit",
	[CHIMNEY_TCP_A_TOS_OR_TRAFFIC_CLASS] = "tos_or_traffic_class",
	[CHIMNEY_TCP_A_USER_PRIORITY] = "user_priority",
	[CHIMNEY_TCP_A_STATE] = "state",
	[CHIMNEY_TCP_A_RCV_NXT] = "rcv_nxt",
	[CHIMNEY_TCP_A_RCV_WND] = "rcv_wnd",
	[CHIMNEY_TCP_A_SND_UNA] = "snd_una",
	[CHIMNEY_TCP_A_SND_NXT] = "snd_nxt",
	[CHIMNEY_TCP_A_SND_MAX] = "snd_max",
	[CHIMNEY_TCP_A_SND_WND] = "snd_wnd",
	[CHIMNEY_TCP_A_MAX_SND_WND] = "max_snd_wnd",
	[CHIMNEY_TCP_A_SEND_WL1] = "send_wl1",
	[CHIMNEY_TCP_A_CWND] = "cwnd",
	[CHIMNEY_TCP_A_SS_THRESH] = "ss_thresh",
	[CHIMNEY_TCP_A_SRTT] = "srtt",
	[CHIMNEY_TCP_A_RTT_VAR] = "rtt_var",
	[CHIMNEY_TCP_A_TS_RECENT] = "ts_recent",
	[CHIMNEY_TCP_A_TS_RECENT_AGE] = "ts_recent_age",
	[CHIMNEY_TCP_A_TS_TIME] = "ts_time",
	[CHIMNEY_TCP_A_TOTAL_RT] = "total_rt",
	[CHIMNEY_TCP_A_DUP_ACK_COUNT] = "dup_ack_count",
	[CHIMNEY_TCP_A_SND_WND_PROBE_COUNT] = "snd_wnd_probe_count",
	[CHIMNEY_TCP_A_KEEPALIVE_PROBE_COUNT] = "keepalive_probe_count",
	[CHIMNEY_TCP_A_KEEPALIVE_TIMEOUT_DELTA] = "keepalive_timeout_delta",
	[CHIMNEY_TCP_A_RETRANSMIT_COUNT] = "retransmit_count",
	[CHIMNEY_TCP_A_RETRANSMIT_TIMEOUT_DELTA] = "retransmit_timeout_delta",
	[CHIMNEY_TCP_A_SEND_BACKLOG_SIZE] = "send_backlog_size",
	[CHIMNEY_TCP_A_RECEIVE_BACKLOG_SIZE] = "receive_backlog_size",
	[CHIMNEY_TCP_A_DWND] = "dwnd",
};

static const char *layer_name(uint8_t type)
{
	switch (type) {
	case CHIMNEY_NEIGHBOR_OFFLOAD_STATE: return "neigh";
	case CHIMNEY_IP4_OFFLOAD_STATE: return "path4";
	case CHIMNEY_IP6_OFFLOAD_STATE: return "path6";
	case CHIMNEY_TCP_OFFLOAD_STATE: return "tcp";
	default: return "placeholder";
	}
}

/* The attributes of one state class, as key-value pairs. */
static void print_state(bool *first, const struct nlattr *nest, const char *const *names,
			int max)
{
	const struct nlattr *a;
	char addr[INET6_ADDRSTRLEN];

	mnl_attr_for_each_nested(a, nest) {
		int t = mnl_attr_get_type(a);
		uint16_t len = mnl_attr_get_payload_len(a);
		const void *p = mnl_attr_get_payload(a);
		const char *k = t <= max && names[t] ? names[t] : "unknown";

		if (names == tcp_names && t == CHIMNEY_TCP_A_STATE && *(uint8_t *)p < 11) {
			print_kv_str(first, k, tcp_state_names[*(uint8_t *)p]);
		} else if (len == 6) {
			print_kv_str(first, k, ether_ntoa(p));
		} else if (len == 4 && names == path_names && t != CHIMNEY_PATH_A_PATH_MTU) {
			print_kv_str(first, k, inet_ntop(AF_INET, p, addr, sizeof(addr)));
		} else if (len == 16) {
			print_kv_str(first, k, inet_ntop(AF_INET6, p, addr, sizeof(addr)));
		} else {
			uint64_t v = len == 1 ? *(uint8_t *)p : len == 2 ? *(uint16_t *)p :
				     len == 4 ? *(uint32_t *)p : *(uint64_t *)p;

			print_kv_u64(first, k, v, false);
		}
	}
}

static void print_block(const struct nlattr *blk, int depth)
{
	const struct nlattr *a, *deps = NULL;
	const char *const *names = neigh_names;
	uint8_t type = 0;
	bool first = true;
	int max = CHIMNEY_NEIGH_A_MAX;

	mnl_attr_for_each_nested(a, blk)
		if (mnl_attr_get_type(a) == CHIMNEY_BLOCK_A_TYPE)
			type = mnl_attr_get_u8(a);
	if (type == CHIMNEY_IP4_OFFLOAD_STATE || type == CHIMNEY_IP6_OFFLOAD_STATE) {
		names = path_names;
		max = CHIMNEY_PATH_A_MAX;
	} else if (type == CHIMNEY_TCP_OFFLOAD_STATE) {
		names = tcp_names;
		max = CHIMNEY_TCP_A_MAX;
	}
	if (json)
		printf("{");
	else
		printf("%*s", 2 * depth + 2, "");
	print_kv_str(&first, "block", layer_name(type));
	mnl_attr_for_each_nested(a, blk) {
		switch (mnl_attr_get_type(a)) {
		case CHIMNEY_BLOCK_A_HANDLE:
			print_kv_u64(&first, "handle", mnl_attr_get_u64(a), true);
			break;
		case CHIMNEY_BLOCK_A_HOST_HANDLE:
			print_kv_u64(&first, "host", mnl_attr_get_u64(a), true);
			break;
		case CHIMNEY_BLOCK_A_STATUS:
			print_kv_str(&first, "status", status_name(mnl_attr_get_u32(a)));
			if (mnl_attr_get_u32(a) != CHIMNEY_NDIS_STATUS_SUCCESS)
				any_failed = true;
			break;
		case CHIMNEY_BLOCK_A_CONST:
		case CHIMNEY_BLOCK_A_CACHED:
		case CHIMNEY_BLOCK_A_DELEGATED:
			print_state(&first, a, names, max);
			break;
		case CHIMNEY_BLOCK_A_DEPENDENTS:
			deps = a;
			break;
		}
	}
	if (deps) {
		bool f2 = true;

		if (json)
			printf(",\"dependents\":[");
		else
			printf("\n");
		mnl_attr_for_each_nested(a, deps) {
			if (json && !f2)
				printf(",");
			f2 = false;
			print_block(a, depth + 1);
		}
		if (json)
			printf("]");
	} else if (!json) {
		printf("\n");
	}
	if (json)
		printf("}");
}

/* Notifications: completions, I/O completions and events. */
struct notif {
	uint8_t cmd;
	uint32_t ifindex;
	uint64_t seq, req_id;
	bool has_req;
};

static void print_notification(const struct nlmsghdr *nlh, struct notif *nt)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const char *name = g->cmd < sizeof(cmd_names) / sizeof(cmd_names[0]) &&
			   cmd_names[g->cmd] ? cmd_names[g->cmd] : "notification";
	const struct nlattr *a, *blocks = NULL;
	uint32_t ev_type = 0, ev_info = 0;
	bool first = true;

	memset(nt, 0, sizeof(*nt));
	nt->cmd = g->cmd;
	if (json)
		printf("{");
	print_kv_str(&first, "type", name);
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case CHIMNEY_A_IFINDEX:
			nt->ifindex = mnl_attr_get_u32(a);
			print_kv_u64(&first, "ifindex", nt->ifindex, false);
			break;
		case CHIMNEY_A_SEQ:
			nt->seq = mnl_attr_get_u64(a);
			print_kv_u64(&first, "seq", nt->seq, false);
			break;
		case CHIMNEY_A_REQ_ID:
			nt->req_id = mnl_attr_get_u64(a);
			nt->has_req = true;
			print_kv_u64(&first, "req", nt->req_id, false);
			break;
		case CHIMNEY_A_HANDLE:
			print_kv_u64(&first, "conn", mnl_attr_get_u64(a), true);
			break;
		case CHIMNEY_A_HOST_HANDLE:
			print_kv_u64(&first, "host", mnl_attr_get_u64(a), true);
			break;
		case CHIMNEY_A_IO_ID:
			print_kv_u64(&first, "io", mnl_attr_get_u64(a), false);
			break;
		case CHIMNEY_A_STATUS:
			print_kv_str(&first, "status", status_name(mnl_attr_get_u32(a)));
			break;
		case CHIMNEY_A_IO_BYTES:
			print_kv_u64(&first, "bytes", mnl_attr_get_u32(a), false);
			break;
		case CHIMNEY_A_EVENT_TYPE:
			ev_type = mnl_attr_get_u32(a);
			break;
		case CHIMNEY_A_EVENT_INFO:
			ev_info = mnl_attr_get_u32(a);
			break;
		case CHIMNEY_A_BLOCKS:
			blocks = a;
			break;
		case CHIMNEY_A_CAPS: {
			const struct nlattr *c;

			mnl_attr_for_each_nested(c, a)
				if (mnl_attr_get_type(c) ==
				    CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY)
					print_kv_u64(&first, "capacity", mnl_attr_get_u32(c),
						     false);
			break;
		}
		}
	}
	if (g->cmd == CHIMNEY_CMD_NEIGHBOR_EVENT) {
		print_kv_str(&first, "event",
			     ev_type == CHIMNEY_NEIGHBOR_REACHABILITY_QUERY ?
			     "NeighborReachabilityQuery" : "NeighborReachabilityInDoubt");
	} else if (ev_type == CHIMNEY_TCP_INDICATE_RETRIEVE) {
		print_kv_str(&first, "event", "TcpIndicateRetrieve");
		print_kv_str(&first, "reason", ev_info < CHIMNEY_UPLOAD_MAX_UPLOAD_REASON &&
			     reason_names[ev_info] ? reason_names[ev_info] : "unknown");
	} else if (ev_type == CHIMNEY_TCP_INDICATE_ABORT) {
		print_kv_str(&first, "event", "TcpIndicateAbort");
	} else if (ev_type == CHIMNEY_TCP_INDICATE_DISCONNECT) {
		print_kv_str(&first, "event", "TcpIndicateDisconnect");
	} else if (ev_type == CHIMNEY_TCP_INDICATE_SEND_BACKLOG_CHANGE) {
		print_kv_str(&first, "event", "TcpIndicateSendBacklogChange");
		print_kv_u64(&first, "backlog", ev_info, false);
	} else if (ev_type) {
		print_kv_u64(&first, "event", ev_type, false);
		print_kv_u64(&first, "info", ev_info, false);
	}
	if (blocks) {
		bool f2 = true;

		printf(json ? ",\"blocks\":[" : "\n");
		mnl_attr_for_each_nested(a, blocks) {
			if (json && !f2)
				printf(",");
			f2 = false;
			print_block(a, 0);
		}
		printf(json ? "]}\n" : "");
	} else {
		printf(json ? "}\n" : "\n");
	}
	fflush(stdout);
}

/* ---- state requests: the tree on the command line ---- */

struct tree_builder {
	struct nlmsghdr *nlh;
	struct nlattr *lists[3];	/* open block lists per layer */
	struct nlattr *block[3];	/* open block per layer */
	int idx[3];
	int layer;			/* layer of the open block, -1 if none */
};

static void tb_open_block(struct tree_builder *t, int layer)
{
	if (layer > 0 && (t->layer < layer - 1 || !t->block[layer - 1]))
		usage_err("a %s block needs a %s block before it",
			  layer == 1 ? "path" : "tcp", layer == 1 ? "neigh" : "path");
	/* Close deeper layers and the previous sibling. */
	while (t->layer >= layer) {
		int l = t->layer;

		if (l + 1 < 3 && t->lists[l + 1]) {
			mnl_attr_nest_end(t->nlh, t->lists[l + 1]);
			t->lists[l + 1] = NULL;
		}
		mnl_attr_nest_end(t->nlh, t->block[l]);
		t->block[l] = NULL;
		t->layer--;
	}
	if (layer > 0 && !t->lists[layer]) {
		t->lists[layer] = mnl_attr_nest_start(t->nlh, CHIMNEY_BLOCK_A_DEPENDENTS);
		t->idx[layer] = 0;
	}
	t->block[layer] = mnl_attr_nest_start(t->nlh, ++t->idx[layer]);
	t->layer = layer;
}

static void tb_finish(struct tree_builder *t)
{
	while (t->layer >= 0) {
		int l = t->layer;

		if (l + 1 < 3 && t->lists[l + 1]) {
			mnl_attr_nest_end(t->nlh, t->lists[l + 1]);
			t->lists[l + 1] = NULL;
		}
		mnl_attr_nest_end(t->nlh, t->block[l]);
		t->block[l] = NULL;
		t->layer--;
	}
	/* A netlink attribute, nests included, holds at most 64 KB. */
	if ((char *)mnl_nlmsg_get_payload_tail(t->nlh) - (char *)t->lists[0] > UINT16_MAX)
		usage_err("the tree with its data is over 64 KB: split the request");
	mnl_attr_nest_end(t->nlh, t->lists[0]);
}

static int tcp_state_of(const char *s)
{
	for (int i = 0; i < 11; i++)
		if (!strcmp(s, tcp_state_names[i]))
			return i;
	return parse_u32(s, "state");
}

struct kw {
	const char *name;
	int cls;	/* CHIMNEY_BLOCK_A_CONST, _CACHED or _DELEGATED */
	int attr;
	int width;	/* 1, 2, 4 bytes */
};

static const struct kw tcp_kws[] = {
	{ "flags", CHIMNEY_BLOCK_A_CONST, CHIMNEY_TCP_A_CONST_FLAGS, 2 },
	{ "rport", CHIMNEY_BLOCK_A_CONST, CHIMNEY_TCP_A_REMOTE_PORT, 2 },
	{ "lport", CHIMNEY_BLOCK_A_CONST, CHIMNEY_TCP_A_LOCAL_PORT, 2 },
	{ "sndscale", CHIMNEY_BLOCK_A_CONST, CHIMNEY_TCP_A_SND_WIND_SCALE, 1 },
	{ "rcvscale", CHIMNEY_BLOCK_A_CONST, CHIMNEY_TCP_A_RCV_WIND_SCALE, 1 },
	{ "mss", CHIMNEY_BLOCK_A_CONST, CHIMNEY_TCP_A_REMOTE_MSS, 2 },
	{ "hash", CHIMNEY_BLOCK_A_CONST, CHIMNEY_TCP_A_HASH_VALUE, 4 },
	{ "cflags", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_CACHED_FLAGS, 2 },
	{ "rcvwnd_initial", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_INITIAL_RCV_WND, 4 },
	{ "indication_size", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_RCV_INDICATION_SIZE, 4 },
	{ "ka_probes", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_KA_PROBE_COUNT, 1 },
	{ "ka_timeout", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_KA_TIMEOUT, 4 },
	{ "ka_interval", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_KA_INTERVAL, 4 },
	{ "maxrt", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_MAX_RT, 4 },
	{ "flowlabel", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_FLOW_LABEL, 4 },
	{ "ttl", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_TTL_OR_HOP_LIMIT, 1 },
	{ "tos", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_TOS_OR_TRAFFIC_CLASS, 1 },
	{ "prio", CHIMNEY_BLOCK_A_CACHED, CHIMNEY_TCP_A_USER_PRIORITY, 1 },
	{ "rcvnxt", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_RCV_NXT, 4 },
	{ "rcvwnd", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_RCV_WND, 4 },
	{ "snduna", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SND_UNA, 4 },
	{ "sndnxt", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SND_NXT, 4 },
	{ "sndmax", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SND_MAX, 4 },
	{ "sndwnd", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SND_WND, 4 },
	{ "maxsndwnd", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_MAX_SND_WND, 4 },
	{ "sendwl1", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SEND_WL1, 4 },
	{ "cwnd", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_CWND, 4 },
	{ "ssthresh", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SS_THRESH, 4 },
	{ "srtt", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SRTT, 2 },
	{ "rttvar", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_RTT_VAR, 2 },
	{ "tsrecent", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_TS_RECENT, 4 },
	{ "tstime", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_TS_TIME, 4 },
	{ "rto_delta", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_RETRANSMIT_TIMEOUT_DELTA, 4 },
	{ "ka_delta", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_KEEPALIVE_TIMEOUT_DELTA, 4 },
	{ "send_id", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SEND_IO_ID, 8 },
	/* Width 0: the bytes of a file. */
	{ "send_file", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_SEND_DATA, 0 },
	{ "buffered_file", CHIMNEY_BLOCK_A_DELEGATED, CHIMNEY_TCP_A_BUFFERED_DATA, 0 },
	{ NULL, 0, 0, 0 },
};

static uint32_t read_file(const char *path, uint8_t *p);

static void put_int(struct nlmsghdr *nlh, int attr, int width, uint64_t v)
{
	if (width == 8)
		mnl_attr_put_u64(nlh, attr, v);
	else if (width == 1)
		mnl_attr_put_u8(nlh, attr, v);
	else if (width == 2)
		mnl_attr_put_u16(nlh, attr, v);
	else
		mnl_attr_put_u32(nlh, attr, v);
}

static bool is_block_word(const char *w)
{
	return !strcmp(w, "neigh") || !strcmp(w, "path") || !strcmp(w, "tcp");
}

/* The class nest a key of a layer goes into, or 0 for an unknown key. */
static int key_class(int layer, const char *k)
{
	const struct kw *kw;

	if (layer == 0)
		return !strcmp(k, "dst") || !strcmp(k, "hrd") ? CHIMNEY_BLOCK_A_CACHED :
		       !strcmp(k, "src") || !strcmp(k, "vlan") ? CHIMNEY_BLOCK_A_CONST : 0;
	if (layer == 1)
		return !strcmp(k, "mtu") ? CHIMNEY_BLOCK_A_CACHED :
		       !strcmp(k, "src") || !strcmp(k, "dst") ? CHIMNEY_BLOCK_A_CONST : 0;
	if (!strcmp(k, "state"))
		return CHIMNEY_BLOCK_A_DELEGATED;
	for (kw = tcp_kws; kw->name; kw++)
		if (!strcmp(kw->name, k))
			return kw->cls;
	return 0;
}

static void put_key(struct nlmsghdr *nlh, int layer, uint8_t type, const char *k,
		    const char *v)
{
	unsigned char buf[16];
	const struct kw *kw;

	if (layer == 0) {
		struct ether_addr *e;

		if (!strcmp(k, "vlan")) {
			mnl_attr_put_u16(nlh, CHIMNEY_NEIGH_A_VLAN_ID, parse_u32(v, "vlan"));
		} else if (!strcmp(k, "hrd")) {
			mnl_attr_put_u32(nlh, CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA,
					 parse_u32(v, "hrd"));
		} else {
			e = ether_aton(v);
			if (!e)
				usage_err("bad MAC address '%s'", v);
			mnl_attr_put(nlh, !strcmp(k, "dst") ? CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS :
				     CHIMNEY_NEIGH_A_DL_SOURCE_ADDRESS, 6, e);
		}
	} else if (layer == 1) {
		int af = type == CHIMNEY_IP6_OFFLOAD_STATE ? AF_INET6 : AF_INET;

		if (!strcmp(k, "mtu")) {
			mnl_attr_put_u32(nlh, CHIMNEY_PATH_A_PATH_MTU, parse_u32(v, "mtu"));
			return;
		}
		if (inet_pton(af, v, buf) != 1)
			usage_err("bad address '%s'", v);
		mnl_attr_put(nlh, !strcmp(k, "src") ? CHIMNEY_PATH_A_SOURCE_ADDRESS :
			     CHIMNEY_PATH_A_DESTINATION_ADDRESS, af == AF_INET ? 4 : 16, buf);
	} else if (!strcmp(k, "state")) {
		mnl_attr_put_u8(nlh, CHIMNEY_TCP_A_STATE, tcp_state_of(v));
	} else {
		static uint8_t data[CHIMNEY_IO_MAX_DATA + 1];

		for (kw = tcp_kws; kw->name; kw++) {
			if (strcmp(kw->name, k))
				continue;
			if (kw->width)
				put_int(nlh, kw->attr, kw->width, parse_u64(v, k));
			else
				mnl_attr_put(nlh, kw->attr, read_file(v, data), data);
		}
	}
}

/*
 * Build the block tree from the arguments:
 *   neigh|path|tcp  new|ref HANDLE|placeholder  [ip6]  [host H]  [KEY VALUE]...
 * A path goes under the last neigh, a tcp under the last path. The keys of
 * a block go into its const, cached and delegated nests; a new block gets
 * all three, empty ones included.
 */
static void build_tree(struct nlmsghdr *nlh, int argc, char **argv)
{
	static const int classes[] = {
		CHIMNEY_BLOCK_A_CONST, CHIMNEY_BLOCK_A_CACHED, CHIMNEY_BLOCK_A_DELEGATED,
	};
	struct tree_builder t = { .nlh = nlh, .layer = -1 };
	int i = 0;

	t.lists[0] = mnl_attr_nest_start(nlh, CHIMNEY_A_BLOCKS);
	while (i < argc) {
		const char *w = argv[i++];
		int layer = !strcmp(w, "neigh") ? 0 : !strcmp(w, "path") ? 1 :
			    !strcmp(w, "tcp") ? 2 : -1;
		bool is_new = false;
		const char *role;
		uint8_t type;
		int start, c, k;

		if (layer < 0)
			usage_err("expected neigh, path or tcp, not '%s'", w);
		if (i >= argc)
			usage_err("%s needs new, ref HANDLE or placeholder", w);
		tb_open_block(&t, layer);
		role = argv[i++];
		type = layer == 0 ? CHIMNEY_NEIGHBOR_OFFLOAD_STATE :
		       layer == 1 ? CHIMNEY_IP4_OFFLOAD_STATE : CHIMNEY_TCP_OFFLOAD_STATE;
		if (!strcmp(role, "new")) {
			is_new = true;
			mnl_attr_put(nlh, CHIMNEY_BLOCK_A_NEW, 0, NULL);
		} else if (!strcmp(role, "ref")) {
			if (i >= argc)
				usage_err("ref needs a handle");
			mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HANDLE, parse_u64(argv[i++], "handle"));
		} else if (strcmp(role, "placeholder")) {
			usage_err("expected new, ref HANDLE or placeholder, not '%s'", role);
		}
		if (i < argc && layer == 1 && !strcmp(argv[i], "ip6")) {
			type = CHIMNEY_IP6_OFFLOAD_STATE;
			i++;
		}
		if (strcmp(role, "placeholder"))
			mnl_attr_put_u8(nlh, CHIMNEY_BLOCK_A_TYPE, type);
		/* The block's keys, up to the next block. */
		start = i;
		while (i < argc && !is_block_word(argv[i])) {
			if (i + 1 >= argc || is_block_word(argv[i + 1]))
				usage_err("'%s' needs a value", argv[i]);
			if (!strcmp(argv[i], "host"))
				mnl_attr_put_u64(nlh, CHIMNEY_BLOCK_A_HOST_HANDLE,
						 parse_u64(argv[i + 1], "host handle"));
			else if (!key_class(layer, argv[i]))
				usage_err("unknown %s key '%s'", w, argv[i]);
			i += 2;
		}
		for (c = 0; c < 3; c++) {
			struct nlattr *nest = NULL;

			if (is_new && !(layer == 1 && c == 2))
				nest = mnl_attr_nest_start(nlh, classes[c]);
			for (k = start; k < i; k += 2) {
				if (key_class(layer, argv[k]) != classes[c])
					continue;
				if (!nest)
					nest = mnl_attr_nest_start(nlh, classes[c]);
				put_key(nlh, layer, type, argv[k], argv[k + 1]);
			}
			if (nest)
				mnl_attr_nest_end(nlh, nest);
		}
	}
	if (t.layer < 0)
		usage_err("the tree has no block");
	tb_finish(&t);
}

static void join_groups(struct nl *n, bool completions, bool events)
{
	if (completions &&
	    mnl_socket_setsockopt(n->sk, NETLINK_ADD_MEMBERSHIP, &grp_completions,
				  sizeof(grp_completions)) < 0) {
		perror("chimneyctl: join completions");
		exit(EXIT_REJECTED);
	}
	if (events &&
	    mnl_socket_setsockopt(n->sk, NETLINK_ADD_MEMBERSHIP, &grp_events,
				  sizeof(grp_events)) < 0) {
		perror("chimneyctl: join events");
		exit(EXIT_REJECTED);
	}
}

static void check_waiter(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct notif nt;
	bool ours = false;

	const struct nlattr *data = NULL;
	bool io_failed = false;

	if (!waiter.armed || waiter.got || nlh->nlmsg_type != family_id ||
	    g->cmd != waiter.done_cmd)
		return;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		if (mnl_attr_get_type(a) == waiter.id_attr &&
		    mnl_attr_get_u64(a) == waiter.id)
			ours = true;
		else if (mnl_attr_get_type(a) == CHIMNEY_A_IO_DATA)
			data = a;
		else if (mnl_attr_get_type(a) == CHIMNEY_A_STATUS &&
			 waiter.id_attr == CHIMNEY_A_IO_ID)
			io_failed = mnl_attr_get_u32(a) != CHIMNEY_NDIS_STATUS_SUCCESS;
	}
	if (!ours)
		return;
	any_failed = false;
	print_notification(nlh, &nt);
	if (data && waiter.out &&
	    fwrite(mnl_attr_get_payload(data), 1, mnl_attr_get_payload_len(data),
		   waiter.out) != mnl_attr_get_payload_len(data)) {
		perror("chimneyctl: out");
		io_failed = true;
	}
	waiter.got = true;
	waiter.result = any_failed || io_failed ? EXIT_FAILED : 0;
}

/* Wait for the completion of the armed request; print it. */
static int wait_completion(struct nl *n)
{
	time_t end = time(NULL) + timeout_s;
	char buf[1 << 17];

	while (!waiter.got) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(n->sk), .events = POLLIN };
		struct nlmsghdr *nlh;
		int len, left = (int)(end - time(NULL));

		if (left <= 0 || poll(&pfd, 1, left * 1000) <= 0) {
			fprintf(stderr, "chimneyctl: no completion within %d s\n", timeout_s);
			return EXIT_TIMEOUT;
		}
		len = (int)mnl_socket_recvfrom(n->sk, buf, sizeof(buf));
		if (len < 0) {
			perror("chimneyctl: receive");
			return EXIT_REJECTED;
		}
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			check_waiter(nlh);
	}
	return waiter.result;
}

static int cmd_state(int argc, char **argv, uint8_t cmd)
{
	static char buf[1 << 18];
	struct nl n = nl_open();
	struct nlmsghdr *nlh;
	uint64_t req_id;
	int err;

	if (argc < 3 || strcmp(argv[1], "req"))
		usage_err("usage: %s DEV req ID TREE...", argv[-1]);
	resolve_family(&n);
	req_id = parse_u64(argv[2], "request id");
	nlh = msg_start(buf, family_id, 0, cmd, &n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex_of(argv[0]));
	mnl_attr_put_u64(nlh, CHIMNEY_A_REQ_ID, req_id);
	build_tree(nlh, argc - 3, argv + 3);
	if (wait_done) {
		join_groups(&n, true, false);
		waiter.armed = true;
		waiter.done_cmd = CHIMNEY_CMD_INITIATE_COMPLETE + cmd - CHIMNEY_CMD_INITIATE;
		waiter.id_attr = CHIMNEY_A_REQ_ID;
		waiter.id = req_id;
	}
	err = nl_talk(&n, nlh, NULL, NULL);
	if (err)
		return EXIT_REJECTED;
	if (wait_done)
		return wait_completion(&n);
	if (!json)
		printf("request %" PRIu64 " accepted\n", req_id);
	return 0;
}

/* The payload of "send ... len N": a pattern a peer can check. */
static void fill_pattern(uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = 'a' + i % 26;
}

static uint32_t read_file(const char *path, uint8_t *p)
{
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f) {
		perror(path);
		exit(EXIT_USAGE);
	}
	len = fread(p, 1, CHIMNEY_IO_MAX_DATA + 1, f);
	fclose(f);
	if (!len || len > CHIMNEY_IO_MAX_DATA)
		usage_err("%s: a send takes 1 to %d bytes", path, CHIMNEY_IO_MAX_DATA);
	return (uint32_t)len;
}

/* The keys every I/O command has: the connection's handle and an id. */
static bool io_key(const char *k, const char *v, uint64_t *handle, uint64_t *id)
{
	if (!strcmp(k, "handle"))
		*handle = parse_u64(v, "handle");
	else if (!strcmp(k, "id"))
		*id = parse_u64(v, "id");
	else
		return false;
	return true;
}

/*
 * send DEV handle H id ID (len N | data STRING | file PATH)
 * recv DEV handle H id ID len N [nopush] [out FILE]
 * disconnect DEV handle H id ID [abortive | len N | data STRING | file PATH]
 * forward DEV handle H id ID (data STRING | file PATH)
 */
static int cmd_io(int argc, char **argv, uint8_t cmd)
{
	static uint8_t payload[CHIMNEY_IO_MAX_DATA + 1];
	static char buf[1 << 17];
	uint64_t handle = 0, id = 0;
	struct nl n = nl_open();
	const char *out = NULL;
	uint32_t len = 0, flags = 0;
	struct nlmsghdr *nlh;
	bool have = false;
	int i, err;

	if (argc < 1)
		usage_err("usage: %s DEV handle H id ID len N", argv[-1]);
	resolve_family(&n);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "nopush") && cmd == CHIMNEY_CMD_RECEIVE) {
			flags |= CHIMNEY_IO_NO_PUSH;
			continue;
		}
		if (!strcmp(argv[i], "abortive") && cmd == CHIMNEY_CMD_DISCONNECT) {
			flags |= CHIMNEY_IO_ABORTIVE_CLOSE;
			continue;
		}
		if (i + 1 >= argc)
			usage_err("'%s' needs a value", argv[i]);
		if (io_key(argv[i], argv[i + 1], &handle, &id)) {
			i++;
			continue;
		}
		if (!strcmp(argv[i], "len")) {
			len = parse_u32(argv[i + 1], "len");
			if (cmd != CHIMNEY_CMD_RECEIVE) {
				if (len > CHIMNEY_IO_MAX_DATA)
					usage_err("a send takes at most %d bytes",
						  CHIMNEY_IO_MAX_DATA);
				fill_pattern(payload, len);
			}
			have = true;
		} else if (!strcmp(argv[i], "data") && cmd != CHIMNEY_CMD_RECEIVE) {
			len = strlen(argv[i + 1]);
			if (len > CHIMNEY_IO_MAX_DATA)
				usage_err("a send takes at most %d bytes", CHIMNEY_IO_MAX_DATA);
			memcpy(payload, argv[i + 1], len);
			have = true;
		} else if (!strcmp(argv[i], "file") && cmd != CHIMNEY_CMD_RECEIVE) {
			len = read_file(argv[i + 1], payload);
			have = true;
		} else if (!strcmp(argv[i], "out") && cmd == CHIMNEY_CMD_RECEIVE) {
			out = argv[i + 1];
		} else {
			usage_err("unknown key '%s'", argv[i]);
		}
		i++;
	}
	if (!have && cmd != CHIMNEY_CMD_DISCONNECT)
		usage_err(cmd == CHIMNEY_CMD_RECEIVE ? "recv needs len" :
			  "send and forward need len, data or file");
	nlh = msg_start(buf, family_id, 0, cmd, &n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex_of(argv[0]));
	mnl_attr_put_u64(nlh, CHIMNEY_A_HANDLE, handle);
	mnl_attr_put_u64(nlh, CHIMNEY_A_IO_ID, id);
	if (cmd == CHIMNEY_CMD_RECEIVE)
		mnl_attr_put_u32(nlh, CHIMNEY_A_IO_LEN, len);
	else if (len)
		mnl_attr_put(nlh, CHIMNEY_A_IO_DATA, len, payload);
	if (flags)
		mnl_attr_put_u32(nlh, CHIMNEY_A_IO_FLAGS, flags);
	if (wait_done) {
		join_groups(&n, true, false);
		waiter.armed = true;
		waiter.done_cmd = cmd == CHIMNEY_CMD_SEND ? CHIMNEY_CMD_SEND_COMPLETE :
				  cmd == CHIMNEY_CMD_RECEIVE ? CHIMNEY_CMD_RECEIVE_COMPLETE :
				  cmd == CHIMNEY_CMD_FORWARD ? CHIMNEY_CMD_FORWARD_COMPLETE :
				  CHIMNEY_CMD_DISCONNECT_COMPLETE;
		waiter.id_attr = CHIMNEY_A_IO_ID;
		waiter.id = id;
		if (out) {
			waiter.out = fopen(out, "ab");
			if (!waiter.out) {
				perror(out);
				return EXIT_USAGE;
			}
		}
	}
	if (nl_talk(&n, nlh, NULL, NULL))
		return EXIT_REJECTED;
	if (!wait_done)
		return 0;
	err = wait_completion(&n);
	if (waiter.out && fclose(waiter.out))
		err = EXIT_FAILED;
	return err;
}

/* ---- receive indications: the host's answer and receive-return ---- */

/* Answer indication id of a connection: SUCCESS, partial or refused. */
static int send_answer(struct nl *n, uint32_t ifindex, uint64_t handle, uint64_t id,
		       uint32_t status, uint32_t bytes)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = msg_start(buf, family_id, 0, CHIMNEY_CMD_RECEIVE_ANSWER, n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, CHIMNEY_A_HANDLE, handle);
	mnl_attr_put_u64(nlh, CHIMNEY_A_IO_ID, id);
	mnl_attr_put_u32(nlh, CHIMNEY_A_STATUS, status);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IO_BYTES, bytes);
	return nl_talk(n, nlh, NULL, NULL);
}

static int send_return(struct nl *n, uint32_t ifindex, uint64_t handle, uint64_t id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = msg_start(buf, family_id, 0, CHIMNEY_CMD_RECEIVE_RETURN, n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, CHIMNEY_A_HANDLE, handle);
	mnl_attr_put_u64(nlh, CHIMNEY_A_IO_ID, id);
	return nl_talk(n, nlh, NULL, NULL);
}

/*
 * answer DEV handle H id ID (accept N | partial N | refuse)
 * return DEV handle H id ID
 */
static int cmd_answer(int argc, char **argv, uint8_t cmd)
{
	uint32_t status = CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED, bytes = 0;
	uint64_t handle = 0, id = 0;
	struct nl n = nl_open();
	int i;

	if (argc < 1)
		usage_err("usage: %s DEV handle H id ID ...", argv[-1]);
	resolve_family(&n);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "refuse") && cmd == CHIMNEY_CMD_RECEIVE_ANSWER) {
			status = CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED;
			continue;
		}
		if (i + 1 >= argc)
			usage_err("'%s' needs a value", argv[i]);
		if (io_key(argv[i], argv[i + 1], &handle, &id)) {
			i++;
			continue;
		}
		if (!strcmp(argv[i], "accept") && cmd == CHIMNEY_CMD_RECEIVE_ANSWER) {
			status = CHIMNEY_NDIS_STATUS_SUCCESS;
			bytes = parse_u32(argv[i + 1], "accept");
		} else if (!strcmp(argv[i], "partial") && cmd == CHIMNEY_CMD_RECEIVE_ANSWER) {
			status = CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED;
			bytes = parse_u32(argv[i + 1], "partial");
		} else {
			usage_err("unknown key '%s'", argv[i]);
		}
		i++;
	}
	if (cmd == CHIMNEY_CMD_RECEIVE_RETURN)
		return send_return(&n, ifindex_of(argv[0]), handle, id) ? EXIT_REJECTED : 0;
	return send_answer(&n, ifindex_of(argv[0]), handle, id, status, bytes) ?
	       EXIT_REJECTED : 0;
}

/*
 * The host side of receive indications, for monitor: take all (and give
 * the buffer back at once), take the first N bytes, or refuse; the bytes
 * taken are appended to a file.
 */
static struct {
	bool on;
	uint32_t partial;	/* 0: refuse; UINT32_MAX: accept all */
	FILE *out;
	struct nl n;
} responder;

static void mon_answer(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	uint32_t ifindex = 0, len = 0, take, status;
	const struct nlattr *a, *data = NULL;
	uint64_t handle = 0, id = 0;
	bool first = true;
	int err;

	if (!responder.on || g->cmd != CHIMNEY_CMD_RECEIVE_INDICATE)
		return;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case CHIMNEY_A_IFINDEX:
			ifindex = mnl_attr_get_u32(a);
			break;
		case CHIMNEY_A_HANDLE:
			handle = mnl_attr_get_u64(a);
			break;
		case CHIMNEY_A_IO_ID:
			id = mnl_attr_get_u64(a);
			break;
		case CHIMNEY_A_IO_DATA:
			data = a;
			len = mnl_attr_get_payload_len(a);
			break;
		}
	}
	take = responder.partial < len ? responder.partial : len;
	status = take == len ? CHIMNEY_NDIS_STATUS_SUCCESS :
		 take ? CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED :
		 CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED;
	err = send_answer(&responder.n, ifindex, handle, id, status, take);
	if (!err && take && responder.out &&
	    (fwrite(mnl_attr_get_payload(data), 1, take, responder.out) != take ||
	     fflush(responder.out)))
		perror("chimneyctl: out");
	if (json)
		printf("{");
	print_kv_str(&first, "type", "receive-answer");
	print_kv_u64(&first, "io", id, false);
	print_kv_str(&first, "status", status_name(status));
	print_kv_u64(&first, "bytes", take, false);
	print_kv_str(&first, "result", err ? "rejected" : "ok");
	printf(json ? "}\n" : "\n");
	if (!err && status == CHIMNEY_NDIS_STATUS_SUCCESS)
		send_return(&responder.n, ifindex, handle, id);
}

/* ---- show: devices and objects ---- */

/* The offload parameters by name: NDIS_TCP_CONNECTION_OFFLOAD_PARAMETERS. */
static const struct kw param_kws[] = {
	{ "encapsulation", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_ENCAPSULATION, 4 },
	{ "ticks", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_TICKS_PER_SECOND, 4 },
	{ "ack_frequency", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_TCP_ACK_FREQUENCY, 1 },
	{ "delayed_ack_ticks", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_TCP_DELAYED_ACK_TICKS, 1 },
	{ "max_retransmissions", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_TCP_MAXIMUM_RETRANSMISSIONS, 1 },
	{ "doubt_reachability_retransmissions", CHIMNEY_A_PARAMS,
	  CHIMNEY_PARAM_A_TCP_DOUBT_REACHABILITY_RETRANSMISSIONS, 1 },
	{ "sws_prevention_ticks", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_TCP_SWS_PREVENTION_TICKS, 4 },
	{ "dup_ack_threshold", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_TCP_DUPLICATE_ACK_THRESHOLD, 1 },
	{ "push_ticks", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_TCP_PUSH_TICKS, 4 },
	{ "nce_stale_ticks", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_NCE_STALE_TICKS, 4 },
	{ "congestion_algorithm", CHIMNEY_A_PARAMS, CHIMNEY_PARAM_A_CONGESTION_ALGORITHM, 4 },
};

/* What the device holds for user space at most (enum chimney_limit_attr). */
static const struct kw limit_kws[] = {
	{ "max_send_bytes", CHIMNEY_A_LIMITS, CHIMNEY_LIMIT_A_SEND_BYTES, 4 },
	{ "max_receives", CHIMNEY_A_LIMITS, CHIMNEY_LIMIT_A_RECEIVES, 4 },
	{ "max_requests", CHIMNEY_A_LIMITS, CHIMNEY_LIMIT_A_REQUESTS, 4 },
	{ "max_neighbors", CHIMNEY_A_LIMITS, CHIMNEY_LIMIT_A_NEIGHBORS, 4 },
	{ "max_paths", CHIMNEY_A_LIMITS, CHIMNEY_LIMIT_A_PATHS, 4 },
	{ "max_journal_kb", CHIMNEY_A_LIMITS, CHIMNEY_LIMIT_A_JOURNAL_KB, 4 },
	{ "max_devices", CHIMNEY_A_LIMITS, CHIMNEY_LIMIT_A_DEVICES, 4 },
};

/* The capabilities: NDIS_TCP_CONNECTION_OFFLOAD; "capacity" as dev set has it. */
static const struct kw caps_kws[] = {
	{ "caps_encapsulation", CHIMNEY_A_CAPS, CHIMNEY_CAPS_A_ENCAPSULATION, 4 },
	{ "support_ipv4", CHIMNEY_A_CAPS, CHIMNEY_CAPS_A_SUPPORT_IPV4, 1 },
	{ "support_ipv6", CHIMNEY_A_CAPS, CHIMNEY_CAPS_A_SUPPORT_IPV6, 1 },
	{ "support_ipv6_extension_headers", CHIMNEY_A_CAPS,
	  CHIMNEY_CAPS_A_SUPPORT_IPV6_EXTENSION_HEADERS, 1 },
	{ "support_sack", CHIMNEY_A_CAPS, CHIMNEY_CAPS_A_SUPPORT_SACK, 1 },
	{ "caps_congestion_algorithm", CHIMNEY_A_CAPS, CHIMNEY_CAPS_A_CONGESTION_ALGORITHM, 4 },
	{ "capacity", CHIMNEY_A_CAPS, CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY, 4 },
	{ "caps_flags", CHIMNEY_A_CAPS, CHIMNEY_CAPS_A_FLAGS, 4 },
};

/* Every attribute of a nest that a table names, as its key. */
static void print_nest_kws(bool *first, const struct nlattr *nest,
			   const struct kw *kws, size_t n)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		for (size_t i = 0; i < n; i++) {
			if (kws[i].attr != mnl_attr_get_type(a))
				continue;
			print_kv_u64(first, kws[i].name, kws[i].width == 1 ?
				     mnl_attr_get_u8(a) : mnl_attr_get_u32(a), false);
			break;
		}
}

static int print_dev_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *s;
	bool first = true;

	if (json)
		printf("{");
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CHIMNEY_A_IFNAME:
			print_kv_str(&first, "dev", mnl_attr_get_str(a));
			break;
		case CHIMNEY_A_IFINDEX:
			print_kv_u64(&first, "ifindex", mnl_attr_get_u32(a), false);
			break;
		case CHIMNEY_A_DEV_ID:
			print_kv_u64(&first, "id", mnl_attr_get_u32(a), false);
			break;
		case CHIMNEY_A_SEQ:
			print_kv_u64(&first, "seq", mnl_attr_get_u64(a), false);
			break;
		case CHIMNEY_A_JOURNAL_FIRST:
			print_kv_u64(&first, "journal_first", mnl_attr_get_u64(a), false);
			break;
		case CHIMNEY_A_PENDING:
			print_kv_u64(&first, "pending", mnl_attr_get_u32(a), false);
			break;
		case CHIMNEY_A_CAPS:
			print_nest_kws(&first, a, caps_kws, sizeof(caps_kws) / sizeof(caps_kws[0]));
			break;
		case CHIMNEY_A_PARAMS:
			print_nest_kws(&first, a, param_kws, sizeof(param_kws) / sizeof(param_kws[0]));
			break;
		case CHIMNEY_A_LIMITS:
			print_nest_kws(&first, a, limit_kws, sizeof(limit_kws) / sizeof(limit_kws[0]));
			break;
		case CHIMNEY_A_STATS: {
			static const char *const names[CHIMNEY_STATS_A_MAX + 1] = {
				[CHIMNEY_STATS_A_NEIGHBORS] = "neighbors",
				[CHIMNEY_STATS_A_PATHS] = "paths",
				[CHIMNEY_STATS_A_CONNECTIONS] = "connections",
				[CHIMNEY_STATS_A_INITIATES] = "initiates",
				[CHIMNEY_STATS_A_UPDATES] = "updates",
				[CHIMNEY_STATS_A_INVALIDATES] = "invalidates",
				[CHIMNEY_STATS_A_QUERIES] = "queries",
				[CHIMNEY_STATS_A_TERMINATES] = "terminates",
				[CHIMNEY_STATS_A_EVENTS] = "events",
				[CHIMNEY_STATS_A_NOTIFY_LOST] = "notify_lost",
			};

			mnl_attr_for_each_nested(s, a) {
				int t = mnl_attr_get_type(s);

				if (t <= CHIMNEY_STATS_A_MAX && names[t])
					print_kv_u64(&first, names[t], mnl_attr_get_u64(s), false);
			}
			break;
		}
		}
	}
	printf(json ? "}\n" : "\n");
	return 0;
}

/* dev stats: TCP_OFFLOAD_STATS and IP_OFFLOAD_STATS, a line per set. */
static int print_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	static const char *const tcp[CHIMNEY_TCP_STATS_A_MAX + 1] = {
		[CHIMNEY_TCP_STATS_A_IN_SEGMENTS] = "in_segments",
		[CHIMNEY_TCP_STATS_A_OUT_SEGMENTS] = "out_segments",
		[CHIMNEY_TCP_STATS_A_RESET_ESTABLISHED] = "reset_established",
		[CHIMNEY_TCP_STATS_A_RETRANSMITTED_SEGMENTS] = "retransmitted_segments",
		[CHIMNEY_TCP_STATS_A_IN_ERRORS] = "in_errors",
		[CHIMNEY_TCP_STATS_A_OUT_RESETS] = "out_resets",
		[CHIMNEY_TCP_STATS_A_CURRENTLY_ESTABLISHED] = "currently_established",
	};
	static const char *const ip[CHIMNEY_IP_STATS_A_MAX + 1] = {
		[CHIMNEY_IP_STATS_A_IN_RECEIVES] = "in_receives",
		[CHIMNEY_IP_STATS_A_IN_OCTETS] = "in_octets",
		[CHIMNEY_IP_STATS_A_IN_DELIVERS] = "in_delivers",
		[CHIMNEY_IP_STATS_A_OUT_REQUESTS] = "out_requests",
		[CHIMNEY_IP_STATS_A_OUT_OCTETS] = "out_octets",
		[CHIMNEY_IP_STATS_A_IN_HEADER_ERRORS] = "in_header_errors",
		[CHIMNEY_IP_STATS_A_IN_TRUNCATED_PACKETS] = "in_truncated_packets",
		[CHIMNEY_IP_STATS_A_IN_DISCARDS] = "in_discards",
		[CHIMNEY_IP_STATS_A_OUT_DISCARDS] = "out_discards",
		[CHIMNEY_IP_STATS_A_OUT_NO_ROUTES] = "out_no_routes",
	};
	static const char *const sets[] = { "tcp4", "tcp6", "ip4", "ip6" };
	const struct nlattr *a, *c;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		int t = mnl_attr_get_type(a), set = t - CHIMNEY_A_TCP4_OFFLOAD_STATS;
		const char *const *names = set < 2 ? tcp : ip;
		int max = set < 2 ? CHIMNEY_TCP_STATS_A_MAX : CHIMNEY_IP_STATS_A_MAX;
		bool first = true;

		if (t < CHIMNEY_A_TCP4_OFFLOAD_STATS || t > CHIMNEY_A_IP6_OFFLOAD_STATS)
			continue;
		if (json)
			printf("{");
		print_kv_str(&first, "set", sets[set]);
		mnl_attr_for_each_nested(c, a) {
			int ct = mnl_attr_get_type(c);

			if (ct <= max && names[ct])
				print_kv_u64(&first, names[ct], mnl_attr_get_u64(c), false);
		}
		printf(json ? "}\n" : "\n");
	}
	return 0;
}

static int cmd_dev_stats(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl n = nl_open();
	struct nlmsghdr *nlh;

	if (argc != 1)
		usage_err("usage: dev stats DEV");
	resolve_family(&n);
	nlh = msg_start(buf, family_id, 0, CHIMNEY_CMD_DEV_GET, &n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex_of(argv[0]));
	return nl_talk(&n, nlh, print_stats_cb, NULL) ? EXIT_REJECTED : 0;
}

static int cmd_dev_show(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl n = nl_open();
	struct nlmsghdr *nlh;

	resolve_family(&n);
	nlh = msg_start(buf, family_id, argc ? 0 : NLM_F_DUMP, CHIMNEY_CMD_DEV_GET, &n);
	if (argc)
		mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex_of(argv[0]));
	return nl_talk(&n, nlh, print_dev_cb, NULL) ? EXIT_REJECTED : 0;
}

/* A counter set of "dev set DEV clear SET", as enum chimney_stats_set. */
static uint32_t stats_set_of(const char *v)
{
	static const struct { const char *name; uint32_t set; } sets[] = {
		{ "tcp4", CHIMNEY_STATS_SET_TCP4 }, { "tcp6", CHIMNEY_STATS_SET_TCP6 },
		{ "ip4", CHIMNEY_STATS_SET_IP4 }, { "ip6", CHIMNEY_STATS_SET_IP6 },
		{ "all", CHIMNEY_STATS_SET_ALL },
	};

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		if (!strcmp(v, sets[i].name))
			return sets[i].set;
	usage_err("unknown counter set '%s'", v);
}

#define DEV_SET_USAGE "usage: dev set DEV [capacity N] [PARAM N]... [LIMIT N]... " \
	"[clear tcp4|tcp6|ip4|ip6|all]..."

/* The parameter or limit called name, or NULL. */
static const struct kw *dev_set_kw(const char *name)
{
	for (size_t j = 0; j < sizeof(param_kws) / sizeof(param_kws[0]); j++)
		if (!strcmp(name, param_kws[j].name))
			return &param_kws[j];
	for (size_t j = 0; j < sizeof(limit_kws) / sizeof(limit_kws[0]); j++)
		if (!strcmp(name, limit_kws[j].name))
			return &limit_kws[j];
	return NULL;
}

static int cmd_dev_set(int argc, char **argv)
{
	struct { const struct kw *k; uint32_t v; } set[32];
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl n = nl_open();
	struct nlmsghdr *nlh;
	static const int nests[] = { CHIMNEY_A_PARAMS, CHIMNEY_A_LIMITS };
	struct nlattr *nest;
	uint32_t clear = 0;
	int i, nset = 0;

	if (argc < 1)
		usage_err(DEV_SET_USAGE);
	resolve_family(&n);
	nlh = msg_start(buf, family_id, 0, CHIMNEY_CMD_DEV_SET, &n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex_of(argv[0]));
	for (i = 1; i + 1 < argc; i += 2) {
		const struct kw *k = dev_set_kw(argv[i]);

		if (k && nset < (int)(sizeof(set) / sizeof(set[0]))) {
			set[nset].k = k;
			set[nset++].v = parse_u32(argv[i + 1], k->name);
			if (k->width == 1 && set[nset - 1].v > 255)
				usage_err("%s must be at most 255", k->name);
		} else if (!strcmp(argv[i], "clear")) {
			clear |= stats_set_of(argv[i + 1]);
		} else if (!strcmp(argv[i], "capacity")) {
			struct nlattr *caps = mnl_attr_nest_start(nlh, CHIMNEY_A_CAPS);

			mnl_attr_put_u32(nlh, CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY,
					 parse_u32(argv[i + 1], "capacity"));
			mnl_attr_nest_end(nlh, caps);
		} else {
			usage_err("unknown key '%s'", argv[i]);
		}
	}
	if (i != argc)
		usage_err("'%s' needs a value", argv[argc - 1]);
	/* Each kind in one nest: the device refuses a nest given twice. */
	for (size_t c = 0; c < sizeof(nests) / sizeof(nests[0]); c++) {
		nest = NULL;
		for (i = 0; i < nset; i++) {
			if (set[i].k->cls != nests[c])
				continue;
			if (!nest)
				nest = mnl_attr_nest_start(nlh, nests[c]);
			if (set[i].k->width == 1)
				mnl_attr_put_u8(nlh, set[i].k->attr, set[i].v);
			else
				mnl_attr_put_u32(nlh, set[i].k->attr, set[i].v);
		}
		if (nest)
			mnl_attr_nest_end(nlh, nest);
	}
	if (clear)
		mnl_attr_put_u32(nlh, CHIMNEY_A_STATS_CLEAR, clear);
	return nl_talk(&n, nlh, NULL, NULL) ? EXIT_REJECTED : 0;
}

static int print_obj_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	bool first = true;

	if (json)
		printf("{");
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CHIMNEY_A_HANDLE:
			print_kv_u64(&first, "handle", mnl_attr_get_u64(a), true);
			break;
		case CHIMNEY_A_PARENT:
			print_kv_u64(&first, "parent", mnl_attr_get_u64(a), true);
			break;
		case CHIMNEY_A_OBJ_TYPE:
			print_kv_str(&first, "type", layer_name(mnl_attr_get_u8(a)));
			break;
		case CHIMNEY_A_OBJ_STATE:
			print_kv_u64(&first, "flags", mnl_attr_get_u32(a), true);
			break;
		}
	}
	if (json)
		printf(",\"object\":");
	else
		printf("\n");
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CHIMNEY_A_OBJ)
			print_block(a, 0);
	if (json)
		printf("}\n");
	if (data)
		(*(unsigned long *)data)++;
	return 0;
}

static int cmd_obj_show(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl n = nl_open();
	struct nlmsghdr *nlh;
	uint64_t handle = 0;
	unsigned long count = 0;
	int i, err;

	if (argc < 1)
		usage_err("usage: obj show DEV [handle H] [type neigh|path4|path6|tcp] [parent H]");
	resolve_family(&n);
	for (i = 1; i + 1 < argc; i += 2)
		if (!strcmp(argv[i], "handle"))
			handle = parse_u64(argv[i + 1], "handle");
	nlh = msg_start(buf, family_id, handle ? 0 : NLM_F_DUMP, CHIMNEY_CMD_OBJ_GET, &n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex_of(argv[0]));
	for (i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "handle")) {
			mnl_attr_put_u64(nlh, CHIMNEY_A_HANDLE, handle);
		} else if (!strcmp(k, "parent")) {
			mnl_attr_put_u64(nlh, CHIMNEY_A_PARENT, parse_u64(v, "parent"));
		} else if (!strcmp(k, "type")) {
			uint8_t t = !strcmp(v, "neigh") ? CHIMNEY_NEIGHBOR_OFFLOAD_STATE :
				    !strcmp(v, "path4") ? CHIMNEY_IP4_OFFLOAD_STATE :
				    !strcmp(v, "path6") ? CHIMNEY_IP6_OFFLOAD_STATE :
				    !strcmp(v, "tcp") ? CHIMNEY_TCP_OFFLOAD_STATE : 0;

			if (!t)
				usage_err("unknown type '%s'", v);
			mnl_attr_put_u8(nlh, CHIMNEY_A_OBJ_TYPE, t);
		} else {
			usage_err("unknown key '%s'", k);
		}
	}
	err = nl_talk(&n, nlh, print_obj_cb, &count);
	if (!err && !json && !handle)
		printf("%lu objects\n", count);
	return err ? EXIT_REJECTED : 0;
}

/* ---- monitor ---- */

/*
 * The monitor's bookkeeping, per device (by ifindex): the sequence number
 * of the next notification it expects. A device it has not heard of yet
 * (created since it started) starts at 0.
 */
#define MON_SLOTS 4096
static uint64_t mon_expect[MON_SLOTS];
static bool mon_seen[MON_SLOTS];

static void notif_ids(const struct nlmsghdr *nlh, uint32_t *ifindex, uint64_t *seq)
{
	const struct nlattr *a;

	*ifindex = 0;
	*seq = 0;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CHIMNEY_A_IFINDEX)
			*ifindex = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == CHIMNEY_A_SEQ)
			*seq = mnl_attr_get_u64(a);
	}
}

/* Print a notification, live or replayed, unless it was printed already. */
static int mon_print_cb(const struct nlmsghdr *nlh, void *data)
{
	unsigned int slot;
	struct notif nt;
	uint32_t ifindex;
	uint64_t seq;

	notif_ids(nlh, &ifindex, &seq);
	slot = ifindex % MON_SLOTS;
	if (mon_seen[slot] && seq < mon_expect[slot])
		return 0;
	print_notification(nlh, &nt);
	mon_seen[slot] = true;
	mon_expect[slot] = seq + 1;
	return 0;
}

/* Ask a device for its notifications from seq on again: 0 or an errno. */
static int replay(uint32_t ifindex, uint64_t from)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl n = nl_open();
	struct nlmsghdr *nlh;
	int err;

	resolve_family(&n);
	nlh = msg_start(buf, family_id, NLM_F_DUMP, CHIMNEY_CMD_NOTIFY_GET, &n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, CHIMNEY_A_SEQ, from);
	err = nl_talk(&n, nlh, mon_print_cb, NULL);
	mnl_socket_close(n.sk);
	return err;
}

struct dev_seq {
	uint32_t ifindex[MON_SLOTS];
	uint64_t seq[MON_SLOTS];
	unsigned int n;
};

static int dev_seq_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_seq *ds = data;

	if (ds->n < MON_SLOTS) {
		notif_ids(nlh, &ds->ifindex[ds->n], &ds->seq[ds->n]);
		ds->n++;
	}
	return 0;
}

/* The chimney devices of this netns and their next sequence numbers. */
static void dev_seqs(struct dev_seq *ds)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl n = nl_open();
	struct nlmsghdr *nlh;

	ds->n = 0;
	resolve_family(&n);
	nlh = msg_start(buf, family_id, NLM_F_DUMP, CHIMNEY_CMD_DEV_GET, &n);
	nl_talk(&n, nlh, dev_seq_cb, ds);
	mnl_socket_close(n.sk);
}

/* The current devices and all their objects, after notifications were lost. */
static void resync(void)
{
	static struct dev_seq ds;
	unsigned int i;

	printf(json ? "{\"type\":\"resync\"}\n" : "resync: current devices and objects\n");
	fflush(stdout);
	if (cmd_dev_show(0, NULL))
		return;
	dev_seqs(&ds);
	for (i = 0; i < ds.n; i++) {
		char name[16];
		char *args[] = { name };

		snprintf(name, sizeof(name), "%u", ds.ifindex[i]);
		cmd_obj_show(1, args);
	}
	fflush(stdout);
}

/*
 * Notifications were lost: get every missed one again from its device's
 * journal; where the journal no longer has them all, say so and dump the
 * objects instead.
 */
static void recover(void)
{
	static struct dev_seq ds;
	bool lost = false;
	unsigned int i;

	dev_seqs(&ds);
	for (i = 0; i < ds.n; i++) {
		unsigned int slot = ds.ifindex[i] % MON_SLOTS;
		uint64_t from = mon_seen[slot] ? mon_expect[slot] : 0;

		if (from >= ds.seq[i])
			continue;
		if (json)
			printf("{\"type\":\"replay\",\"ifindex\":%u,\"from\":%" PRIu64 "}\n",
			       ds.ifindex[i], from);
		else
			printf("replay: ifindex %u from seq %" PRIu64 "\n", ds.ifindex[i], from);
		fflush(stdout);
		if (replay(ds.ifindex[i], from)) {
			lost = true;
			mon_seen[slot] = true;
			mon_expect[slot] = ds.seq[i];
		}
	}
	if (lost)
		resync();
	fflush(stdout);
}

static int replay_cb(const struct nlmsghdr *nlh, void *data)
{
	struct notif nt;

	print_notification(nlh, &nt);
	return 0;
}

static int cmd_replay(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl n = nl_open();
	struct nlmsghdr *nlh;

	if (argc != 3 || strcmp(argv[1], "seq"))
		usage_err("usage: replay DEV seq N");
	resolve_family(&n);
	nlh = msg_start(buf, family_id, NLM_F_DUMP, CHIMNEY_CMD_NOTIFY_GET, &n);
	mnl_attr_put_u32(nlh, CHIMNEY_A_IFINDEX, ifindex_of(argv[0]));
	mnl_attr_put_u64(nlh, CHIMNEY_A_SEQ, parse_u64(argv[2], "seq"));
	return nl_talk(&n, nlh, replay_cb, NULL) ? EXIT_REJECTED : 0;
}

static int cmd_monitor(int argc, char **argv)
{
	static struct dev_seq ds;
	char buf[1 << 17];
	struct nl n = nl_open();
	unsigned int i;
	int rcvbuf = 0;

	for (i = 0; i + 1 < (unsigned int)argc; i += 2) {
		if (!strcmp(argv[i], "rcvbuf")) {
			rcvbuf = parse_u32(argv[i + 1], "rcvbuf");
		} else if (!strcmp(argv[i], "answer")) {
			responder.on = true;
			responder.partial = !strcmp(argv[i + 1], "accept") ? UINT32_MAX :
					    !strcmp(argv[i + 1], "refuse") ? 0 :
					    parse_u32(argv[i + 1], "answer");
		} else if (!strcmp(argv[i], "out")) {
			responder.out = fopen(argv[i + 1], "ab");
			if (!responder.out) {
				perror(argv[i + 1]);
				return EXIT_USAGE;
			}
		} else {
			usage_err("unknown key '%s'", argv[i]);
		}
	}
	if (i != (unsigned int)argc)
		usage_err("'%s' needs a value", argv[i]);
	resolve_family(&n);
	if (responder.on) {
		responder.n = nl_open();
		resolve_family(&responder.n);
	}
	if (rcvbuf)
		setsockopt(mnl_socket_get_fd(n.sk), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	join_groups(&n, true, true);
	/* Joined first: nothing sent from these numbers on is missed. */
	dev_seqs(&ds);
	for (i = 0; i < ds.n; i++) {
		mon_seen[ds.ifindex[i] % MON_SLOTS] = true;
		mon_expect[ds.ifindex[i] % MON_SLOTS] = ds.seq[i];
	}
	if (!json)
		printf("monitoring chimney completions and events\n");
	fflush(stdout);
	for (;;) {
		int len = (int)mnl_socket_recvfrom(n.sk, buf, sizeof(buf));
		struct nlmsghdr *nlh;

		if (len < 0 && errno == ENOBUFS) {
			printf(json ? "{\"type\":\"overrun\",\"error\":\"ENOBUFS\"}\n" :
			       "overrun: ENOBUFS, notifications were lost\n");
			recover();
			continue;
		}
		if (len < 0) {
			perror("chimneyctl: receive");
			return EXIT_REJECTED;
		}
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			unsigned int slot;
			uint32_t ifindex;
			uint64_t seq;

			if (nlh->nlmsg_type != family_id)
				continue;
			notif_ids(nlh, &ifindex, &seq);
			slot = ifindex % MON_SLOTS;
			if (mon_seen[slot] && seq > mon_expect[slot]) {
				if (json)
					printf("{\"type\":\"gap\",\"ifindex\":%u,\"expected\":%" PRIu64
					       ",\"got\":%" PRIu64 "}\n", ifindex, mon_expect[slot], seq);
				else
					printf("gap: ifindex %u expected seq %" PRIu64 " got %" PRIu64
					       "\n", ifindex, mon_expect[slot], seq);
				recover();
			}
			mon_print_cb(nlh, NULL);
			mon_answer(nlh);
		}
		fflush(stdout);
	}
}

static void help(void)
{
	puts("usage: chimneyctl [-j] [-w] [-t SECONDS] OBJECT COMMAND [ARGS]\n"
	     "\n"
	     "  dev show [DEV]                      devices: capacity, counters, sequence\n"
	     "                                      (DEV: a name, or an ifindex)\n"
	     "  dev set DEV [capacity N] [PARAM N]...  set TcpConnectionOffloadCapacity and\n"
	     "      offload parameters: encapsulation ticks ack_frequency delayed_ack_ticks\n"
	     "      max_retransmissions doubt_reachability_retransmissions sws_prevention_ticks\n"
	     "      dup_ack_threshold push_ticks nce_stale_ticks congestion_algorithm\n"
	     "      and limits: max_send_bytes max_receives max_requests max_neighbors\n"
	     "      max_paths max_journal_kb\n"
	     "          [clear tcp4|tcp6|ip4|ip6|all] zero one set of offload counters\n"
	     "  dev stats DEV                       TCP_OFFLOAD_STATS and IP_OFFLOAD_STATS, per IP version\n"
	     "  obj show DEV [handle H] [type neigh|path4|path6|tcp] [parent H]\n"
	     "  initiate|update|invalidate|query|terminate DEV req ID TREE...\n"
	     "  send DEV handle H id ID len N|data STR|file PATH\n"
	     "                                      post a TCP send request (len N: a pattern)\n"
	     "  recv DEV handle H id ID len N [nopush] [out FILE]\n"
	     "                                      post a TCP receive request; with -w, its\n"
	     "                                      bytes are appended to FILE\n"
	     "  disconnect DEV handle H id ID [abortive | len N | data STR | file PATH]\n"
	     "                                      graceful (data, then FIN) or abortive (RST)\n"
	     "  forward DEV handle H id ID data STR|file PATH\n"
	     "                                      a TCP segment (from its header on) the host\n"
	     "                                      received for the connection\n"
	     "  answer DEV handle H id ID accept N|partial N|refuse\n"
	     "                                      the host's answer to receive indication ID\n"
	     "  return DEV handle H id ID           give back an accepted indication's buffer\n"
	     "  monitor [rcvbuf BYTES] [answer accept|refuse|N] [out FILE]\n"
	     "                                      print completions and events as they come;\n"
	     "                                      on a sequence gap or ENOBUFS, replay the missed\n"
	     "                                      ones from the device's journal (or resync by dump);\n"
	     "                                      with answer, take each receive indication (all,\n"
	     "                                      none, or its first N bytes), append the bytes\n"
	     "                                      taken to FILE and return accepted buffers\n"
	     "  replay DEV seq N                    the device's notifications from N on, again\n"
	     "  help\n"
	     "\n"
	     "TREE is a list of blocks in traversal order; a path goes under the last\n"
	     "neigh, a tcp under the last path:\n"
	     "  neigh new host H dst MAC [src MAC] [vlan N] [hrd N]\n"
	     "  path new [ip6] host H src IP dst IP mtu N\n"
	     "  tcp new host H lport P rport P mss N state established [KEY VALUE]...\n"
	     "  neigh|path|tcp ref HANDLE [ip6]     an offloaded object (a linker in initiate)\n"
	     "  neigh|path|tcp placeholder\n"
	     "TCP keys: flags rport lport sndscale rcvscale mss hash cflags rcvwnd_initial\n"
	     "  indication_size ka_probes ka_timeout ka_interval maxrt flowlabel ttl tos prio\n"
	     "  rcvnxt rcvwnd snduna sndnxt sndmax sndwnd maxsndwnd sendwl1 cwnd ssthresh\n"
	     "  srtt rttvar tsrecent tstime rto_delta ka_delta state\n"
	     "  send_id ID send_file PATH  the host's send data, from SndUna on (initiate)\n"
	     "  buffered_file PATH         the host's received, undelivered bytes (initiate)\n"
	     "\n"
	     "-j JSON, one object a line; -w wait for the completion and print it;\n"
	     "-t seconds to wait (10). Exit: 0 done, 1 rejected (the kernel's message is\n"
	     "printed), 2 usage, 3 a block of the completion failed, 4 timed out.");
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "+jwt:h")) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'w':
			wait_done = true;
			break;
		case 't':
			timeout_s = parse_u32(optarg, "timeout");
			break;
		default:
			help();
			return opt == 'h' ? 0 : EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || !strcmp(argv[0], "help")) {
		help();
		return argc < 1 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[0], "dev") && argc >= 2 && !strcmp(argv[1], "show"))
		return cmd_dev_show(argc - 2, argv + 2);
	if (!strcmp(argv[0], "dev") && argc >= 2 && !strcmp(argv[1], "stats"))
		return cmd_dev_stats(argc - 2, argv + 2);
	if (!strcmp(argv[0], "dev") && argc >= 2 && !strcmp(argv[1], "set"))
		return cmd_dev_set(argc - 2, argv + 2);
	if (!strcmp(argv[0], "obj") && argc >= 2 && !strcmp(argv[1], "show"))
		return cmd_obj_show(argc - 2, argv + 2);
	if (!strcmp(argv[0], "initiate"))
		return cmd_state(argc - 1, argv + 1, CHIMNEY_CMD_INITIATE);
	if (!strcmp(argv[0], "update"))
		return cmd_state(argc - 1, argv + 1, CHIMNEY_CMD_UPDATE);
	if (!strcmp(argv[0], "invalidate"))
		return cmd_state(argc - 1, argv + 1, CHIMNEY_CMD_INVALIDATE);
	if (!strcmp(argv[0], "query"))
		return cmd_state(argc - 1, argv + 1, CHIMNEY_CMD_QUERY);
	if (!strcmp(argv[0], "terminate"))
		return cmd_state(argc - 1, argv + 1, CHIMNEY_CMD_TERMINATE);
	if (!strcmp(argv[0], "send"))
		return cmd_io(argc - 1, argv + 1, CHIMNEY_CMD_SEND);
	if (!strcmp(argv[0], "recv"))
		return cmd_io(argc - 1, argv + 1, CHIMNEY_CMD_RECEIVE);
	if (!strcmp(argv[0], "disconnect"))
		return cmd_io(argc - 1, argv + 1, CHIMNEY_CMD_DISCONNECT);
	if (!strcmp(argv[0], "forward"))
		return cmd_io(argc - 1, argv + 1, CHIMNEY_CMD_FORWARD);
	if (!strcmp(argv[0], "answer"))
		return cmd_answer(argc - 1, argv + 1, CHIMNEY_CMD_RECEIVE_ANSWER);
	if (!strcmp(argv[0], "return"))
		return cmd_answer(argc - 1, argv + 1, CHIMNEY_CMD_RECEIVE_RETURN);
	if (!strcmp(argv[0], "monitor"))
		return cmd_monitor(argc - 1, argv + 1);
	if (!strcmp(argv[0], "replay"))
		return cmd_replay(argc - 1, argv + 1);
	usage_err("unknown command '%s'", argv[0]);
}
