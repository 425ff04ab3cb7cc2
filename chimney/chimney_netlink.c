// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the "chimney" generic netlink family.
 *
 * Requests are validated in full (strict per-command policies, then the
 * meaning of the tree: roles, layers, handles) before anything is queued,
 * so a rejected request changes nothing. Completions and events are
 * notifications on the device's netns, each with the device's next
 * sequence number; a notification that cannot be built still consumes its
 * number and sets ENOBUFS on the group's listeners, who recover by get and
 * dump.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ipv6.h>
#include <linux/memcontrol.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <kunit/visibility.h>

#include "chimney.h"
#include "chimney_trace.h"

enum chimney_mcgrp {
	CHIMNEY_MCGRP_COMPLETIONS_ID,
	CHIMNEY_MCGRP_EVENTS_ID,
};

/* Attribute payloads of at most 4 bytes take 8 bytes each. */
#define CHIMNEY_SMALL_ATTR	nla_total_size(sizeof(u32))

static int chimney_nl_validate_ipaddr(const struct nlattr *attr,
				      struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != sizeof(struct in_addr) &&
	    nla_len(attr) != sizeof(struct in6_addr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Address must be 4 or 16 bytes");
		return -EINVAL;
	}
	return 0;
}

static struct netlink_range_validation chimney_path_mtu_range = {
	.min = IPV4_MIN_MTU,
	.max = IP_MAX_MTU,
};

static struct netlink_range_validation chimney_flow_label_range = {
	.max = 0xfffff,
};

/*
 * A window no larger than the receive buffer the target takes (2^30, about
 * what TCP can advertise: 65535 scaled by 14), so that what it reports it
 * also takes back: the engine compares sequence numbers with before() and
 * after(), which a window of 2^31 or more would turn around.
 */
static struct netlink_range_validation chimney_window_range = {
	.max = CHIMNEY_MAX_RCV_WND,
};

static struct netlink_range_validation chimney_capacity_range = {
	.min = 1,
	.max = CHIMNEY_MAX_CAPACITY,
};

static struct netlink_range_validation chimney_io_len_range = {
	.max = CHIMNEY_IO_MAX_DATA,
};

static const struct nla_policy chimney_neigh_const_policy[CHIMNEY_NEIGH_A_MAX + 1] = {
	[CHIMNEY_NEIGH_A_DL_SOURCE_ADDRESS]	= NLA_POLICY_ETH_ADDR,
	[CHIMNEY_NEIGH_A_VLAN_ID]		= NLA_POLICY_MAX(NLA_U16, VLAN_VID_MASK),
};

static const struct nla_policy chimney_neigh_cached_policy[CHIMNEY_NEIGH_A_MAX + 1] = {
	[CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS] = NLA_POLICY_ETH_ADDR,
	[CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA] = { .type = NLA_U32 },
};

static const struct nla_policy chimney_neigh_delegated_policy[CHIMNEY_NEIGH_A_MAX + 1] = {
	[CHIMNEY_NEIGH_A_NIC_REACHABILITY_DELTA] = { .type = NLA_U32 },
};

static const struct nla_policy chimney_path_const_policy[CHIMNEY_PATH_A_MAX + 1] = {
	[CHIMNEY_PATH_A_SOURCE_ADDRESS] =
		NLA_POLICY_VALIDATE_FN(NLA_BINARY, chimney_nl_validate_ipaddr,
				       sizeof(struct in6_addr)),
	[CHIMNEY_PATH_A_DESTINATION_ADDRESS] =
		NLA_POLICY_VALIDATE_FN(NLA_BINARY, chimney_nl_validate_ipaddr,
				       sizeof(struct in6_addr)),
};

static const struct nla_policy chimney_path_cached_policy[CHIMNEY_PATH_A_MAX + 1] = {
	[CHIMNEY_PATH_A_PATH_MTU] = NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_path_mtu_range),
};

static const struct nla_policy chimney_path_delegated_policy[CHIMNEY_PATH_A_MAX + 1] = {
};

static const struct nla_policy chimney_tcp_const_policy[CHIMNEY_TCP_A_MAX + 1] = {
	[CHIMNEY_TCP_A_CONST_FLAGS]	= NLA_POLICY_MASK(NLA_U16, CHIMNEY_TCP_CONST_FLAGS),
	[CHIMNEY_TCP_A_REMOTE_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[CHIMNEY_TCP_A_LOCAL_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[CHIMNEY_TCP_A_SND_WIND_SCALE]	= NLA_POLICY_MAX(NLA_U8, 14),
	[CHIMNEY_TCP_A_RCV_WIND_SCALE]	= NLA_POLICY_MAX(NLA_U8, 14),
	[CHIMNEY_TCP_A_REMOTE_MSS]	= NLA_POLICY_MIN(NLA_U16, 1),
	[CHIMNEY_TCP_A_HASH_VALUE]	= { .type = NLA_U32 },
};

static const struct nla_policy chimney_tcp_cached_policy[CHIMNEY_TCP_A_MAX + 1] = {
	[CHIMNEY_TCP_A_CACHED_FLAGS]	= NLA_POLICY_MASK(NLA_U16, CHIMNEY_TCP_CACHED_FLAGS),
	[CHIMNEY_TCP_A_INITIAL_RCV_WND]	= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_RCV_INDICATION_SIZE] = { .type = NLA_U32 },
	[CHIMNEY_TCP_A_KA_PROBE_COUNT]	= { .type = NLA_U8 },
	[CHIMNEY_TCP_A_KA_TIMEOUT]	= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_KA_INTERVAL]	= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_MAX_RT]		= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_FLOW_LABEL]	= NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_flow_label_range),
	[CHIMNEY_TCP_A_TTL_OR_HOP_LIMIT] = { .type = NLA_U8 },
	[CHIMNEY_TCP_A_TOS_OR_TRAFFIC_CLASS] = { .type = NLA_U8 },
	[CHIMNEY_TCP_A_USER_PRIORITY]	= NLA_POLICY_MAX(NLA_U8, 7),
};

/*
 * Data of min to CHIMNEY_IO_MAX_DATA bytes. The maximum is the length's,
 * not the range's: a policy's range is an s16.
 */
#define CHIMNEY_POLICY_DATA(_min) {					\
	.type = NLA_BINARY,						\
	.len = CHIMNEY_IO_MAX_DATA,					\
	.validation_type = NLA_VALIDATE_MIN,				\
	.min = (_min),							\
}

static const struct nla_policy chimney_tcp_delegated_policy[CHIMNEY_TCP_A_MAX + 1] = {
	[CHIMNEY_TCP_A_STATE]		= NLA_POLICY_MAX(NLA_U8, CHIMNEY_TCP_CONNECTION_TIME_WAIT),
	[CHIMNEY_TCP_A_RCV_NXT]		= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_RCV_WND]		= NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_window_range),
	[CHIMNEY_TCP_A_SND_UNA]		= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_SND_NXT]		= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_SND_MAX]		= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_SND_WND]		= NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_window_range),
	[CHIMNEY_TCP_A_MAX_SND_WND]	= NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_window_range),
	[CHIMNEY_TCP_A_SEND_WL1]	= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_CWND]		= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_SS_THRESH]	= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_SRTT]		= { .type = NLA_U16 },
	[CHIMNEY_TCP_A_RTT_VAR]		= { .type = NLA_U16 },
	[CHIMNEY_TCP_A_TS_RECENT]	= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_TS_RECENT_AGE]	= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_TS_TIME]		= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_TOTAL_RT]	= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_DUP_ACK_COUNT]	= { .type = NLA_U8 },
	[CHIMNEY_TCP_A_SND_WND_PROBE_COUNT] = { .type = NLA_U8 },
	[CHIMNEY_TCP_A_KEEPALIVE_PROBE_COUNT] = { .type = NLA_U8 },
	[CHIMNEY_TCP_A_KEEPALIVE_TIMEOUT_DELTA] = { .type = NLA_U32 },
	[CHIMNEY_TCP_A_RETRANSMIT_COUNT] = { .type = NLA_U8 },
	[CHIMNEY_TCP_A_RETRANSMIT_TIMEOUT_DELTA] = { .type = NLA_U32 },
	[CHIMNEY_TCP_A_DWND]		= { .type = NLA_U32 },
	[CHIMNEY_TCP_A_SEND_IO_ID]	= { .type = NLA_U64 },
	[CHIMNEY_TCP_A_SEND_DATA]	= CHIMNEY_POLICY_DATA(1),
	[CHIMNEY_TCP_A_BUFFERED_DATA]	= CHIMNEY_POLICY_DATA(1),
};

#define CHIMNEY_BLOCK_COMMON_POLICY					\
	[CHIMNEY_BLOCK_A_TYPE] = NLA_POLICY_RANGE(NLA_U8,		\
		CHIMNEY_NEIGHBOR_OFFLOAD_CONST_STATE,			\
		CHIMNEY_TCP_OFFLOAD_STATE),				\
	[CHIMNEY_BLOCK_A_NEW] = { .type = NLA_FLAG },			\
	[CHIMNEY_BLOCK_A_HANDLE] = NLA_POLICY_MIN(NLA_U64, 1),		\
	[CHIMNEY_BLOCK_A_HOST_HANDLE] = { .type = NLA_U64 }

static const struct nla_policy chimney_tcp_block_policy[CHIMNEY_BLOCK_A_MAX + 1] = {
	CHIMNEY_BLOCK_COMMON_POLICY,
	[CHIMNEY_BLOCK_A_CONST]		= NLA_POLICY_NESTED(chimney_tcp_const_policy),
	[CHIMNEY_BLOCK_A_CACHED]	= NLA_POLICY_NESTED(chimney_tcp_cached_policy),
	[CHIMNEY_BLOCK_A_DELEGATED]	= NLA_POLICY_NESTED(chimney_tcp_delegated_policy),
};

static const struct nla_policy chimney_path_block_policy[CHIMNEY_BLOCK_A_MAX + 1] = {
	CHIMNEY_BLOCK_COMMON_POLICY,
	[CHIMNEY_BLOCK_A_CONST]		= NLA_POLICY_NESTED(chimney_path_const_policy),
	[CHIMNEY_BLOCK_A_CACHED]	= NLA_POLICY_NESTED(chimney_path_cached_policy),
	[CHIMNEY_BLOCK_A_DELEGATED]	= NLA_POLICY_NESTED(chimney_path_delegated_policy),
	[CHIMNEY_BLOCK_A_DEPENDENTS]	= NLA_POLICY_NESTED_ARRAY(chimney_tcp_block_policy),
};

static const struct nla_policy chimney_neigh_block_policy[CHIMNEY_BLOCK_A_MAX + 1] = {
	CHIMNEY_BLOCK_COMMON_POLICY,
	[CHIMNEY_BLOCK_A_CONST]		= NLA_POLICY_NESTED(chimney_neigh_const_policy),
	[CHIMNEY_BLOCK_A_CACHED]	= NLA_POLICY_NESTED(chimney_neigh_cached_policy),
	[CHIMNEY_BLOCK_A_DELEGATED]	= NLA_POLICY_NESTED(chimney_neigh_delegated_policy),
	[CHIMNEY_BLOCK_A_DEPENDENTS]	= NLA_POLICY_NESTED_ARRAY(chimney_path_block_policy),
};

static const struct nla_policy *const chimney_block_policies[CHIMNEY_LAYERS] = {
	[CHIMNEY_LAYER_NEIGH]	= chimney_neigh_block_policy,
	[CHIMNEY_LAYER_PATH]	= chimney_path_block_policy,
	[CHIMNEY_LAYER_TCP]	= chimney_tcp_block_policy,
};

static const struct nla_policy chimney_param_policy[CHIMNEY_PARAM_A_MAX + 1] = {
	[CHIMNEY_PARAM_A_ENCAPSULATION]	= { .type = NLA_U32 },
	[CHIMNEY_PARAM_A_TICKS_PER_SECOND] = NLA_POLICY_RANGE(NLA_U32, 10, 1000),
	[CHIMNEY_PARAM_A_TCP_ACK_FREQUENCY] = NLA_POLICY_MIN(NLA_U8, 1),
	[CHIMNEY_PARAM_A_TCP_DELAYED_ACK_TICKS] = { .type = NLA_U8 },
	[CHIMNEY_PARAM_A_TCP_MAXIMUM_RETRANSMISSIONS] = NLA_POLICY_MIN(NLA_U8, 1),
	[CHIMNEY_PARAM_A_TCP_DOUBT_REACHABILITY_RETRANSMISSIONS] = { .type = NLA_U8 },
	[CHIMNEY_PARAM_A_TCP_SWS_PREVENTION_TICKS] = { .type = NLA_U32 },
	[CHIMNEY_PARAM_A_TCP_DUPLICATE_ACK_THRESHOLD] = NLA_POLICY_MIN(NLA_U8, 1),
	[CHIMNEY_PARAM_A_TCP_PUSH_TICKS] = { .type = NLA_U32 },
	[CHIMNEY_PARAM_A_NCE_STALE_TICKS] = { .type = NLA_U32 },
	[CHIMNEY_PARAM_A_CONGESTION_ALGORITHM] = { .type = NLA_U32 },
};

static const struct nla_policy chimney_caps_set_policy[CHIMNEY_CAPS_A_MAX + 1] = {
	[CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_capacity_range),
};

static const struct nla_policy chimney_dev_get_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy chimney_dev_set_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_STATS_CLEAR]	= NLA_POLICY_MASK(NLA_U32, CHIMNEY_STATS_SET_ALL),
	[CHIMNEY_A_PARAMS]	= NLA_POLICY_NESTED(chimney_param_policy),
	[CHIMNEY_A_CAPS]	= NLA_POLICY_NESTED(chimney_caps_set_policy),
	[CHIMNEY_A_LIMITS]	= NLA_POLICY_NESTED(chimney_limit_policy),
};

static const struct nla_policy chimney_state_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_REQ_ID]	= { .type = NLA_U64 },
	[CHIMNEY_A_BLOCKS]	= NLA_POLICY_NESTED_ARRAY(chimney_neigh_block_policy),
};

static const struct nla_policy chimney_obj_get_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_HANDLE]	= NLA_POLICY_MIN(NLA_U64, 1),
	[CHIMNEY_A_OBJ_TYPE]	= NLA_POLICY_RANGE(NLA_U8,
						   CHIMNEY_NEIGHBOR_OFFLOAD_CONST_STATE,
						   CHIMNEY_TCP_OFFLOAD_STATE),
	[CHIMNEY_A_PARENT]	= NLA_POLICY_MIN(NLA_U64, 1),
};

static const struct nla_policy chimney_send_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_HANDLE]	= NLA_POLICY_MIN(NLA_U64, 1),
	[CHIMNEY_A_IO_ID]	= { .type = NLA_U64 },
	[CHIMNEY_A_IO_DATA]	= { .type = NLA_BINARY, .len = CHIMNEY_IO_MAX_DATA },
};

static const struct nla_policy chimney_recv_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_HANDLE]	= NLA_POLICY_MIN(NLA_U64, 1),
	[CHIMNEY_A_IO_ID]	= { .type = NLA_U64 },
	[CHIMNEY_A_IO_LEN]	= NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_io_len_range),
	[CHIMNEY_A_IO_FLAGS]	= NLA_POLICY_MASK(NLA_U32, CHIMNEY_IO_NO_PUSH),
};

static const struct nla_policy chimney_disconnect_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_HANDLE]	= NLA_POLICY_MIN(NLA_U64, 1),
	[CHIMNEY_A_IO_ID]	= { .type = NLA_U64 },
	[CHIMNEY_A_IO_DATA]	= { .type = NLA_BINARY, .len = CHIMNEY_IO_MAX_DATA },
	[CHIMNEY_A_IO_FLAGS]	= NLA_POLICY_MASK(NLA_U32, CHIMNEY_IO_ABORTIVE_CLOSE),
};

static const struct nla_policy chimney_answer_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_HANDLE]	= NLA_POLICY_MIN(NLA_U64, 1),
	[CHIMNEY_A_IO_ID]	= NLA_POLICY_MIN(NLA_U64, 1),
	[CHIMNEY_A_STATUS]	= { .type = NLA_U32 },
	[CHIMNEY_A_IO_BYTES]	= NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_io_len_range),
};

static const struct nla_policy chimney_return_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_HANDLE]	= NLA_POLICY_MIN(NLA_U64, 1),
	[CHIMNEY_A_IO_ID]	= NLA_POLICY_MIN(NLA_U64, 1),
};

static const struct nla_policy chimney_forward_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_HANDLE]	= NLA_POLICY_MIN(NLA_U64, 1),
	[CHIMNEY_A_IO_ID]	= { .type = NLA_U64 },
	[CHIMNEY_A_IO_DATA]	= CHIMNEY_POLICY_DATA(sizeof(struct tcphdr)),
};

static const struct nla_policy chimney_notify_get_policy[CHIMNEY_A_MAX + 1] = {
	[CHIMNEY_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CHIMNEY_A_SEQ]		= { .type = NLA_U64 },
};

/*
 * A required attribute of a request: its absence is refused with its type
 * (NLMSGERR_ATTR_MISS_TYPE) and a message.
 */
#define CHIMNEY_NL_REQUIRE(info, type, msg) ({				\
	struct genl_info *__info = (info);				\
	bool __missing = !__info->attrs[type];				\
									\
	if (__missing) {						\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, type);	\
		NL_SET_ERR_MSG(__info->extack, msg);			\
	}								\
	__missing;							\
})

/*
 * The chimney device named by CHIMNEY_A_IFINDEX, with a reference held.
 * Every request resolves its device here first, so this is also where the
 * top level of each is refused when it repeats an attribute.
 */
static struct chimney_dev *__chimney_nl_dev(struct net *net, const struct nlmsghdr *nlh,
					    struct nlattr **attrs,
					    struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	int err;

	err = chimney_nl_once(nlh, extack);
	if (err)
		return ERR_PTR(err);
	if (!attrs[CHIMNEY_A_IFINDEX]) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, CHIMNEY_A_IFINDEX);
		NL_SET_ERR_MSG(extack, "Device ifindex is required");
		return ERR_PTR(-EINVAL);
	}
	dev = dev_get_by_index(net, nla_get_u32(attrs[CHIMNEY_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[CHIMNEY_A_IFINDEX], "No such device");
		return ERR_PTR(-ENODEV);
	}
	if (dev->rtnl_link_ops != &chimney_link_ops) {
		dev_put(dev);
		NL_SET_ERR_MSG_ATTR(extack, attrs[CHIMNEY_A_IFINDEX],
				    "Not a chimney device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

static struct chimney_dev *chimney_nl_dev(struct genl_info *info)
{
	return __chimney_nl_dev(genl_info_net(info), info->nlhdr, info->attrs, info->extack);
}

/* ---- parsing of state trees ---- */

struct chimney_parse {
	struct chimney_dev *cdev;
	struct chimney_req *req;
	struct netlink_ext_ack *extack;
};

/*
 * The block tree, parsed once: each block nest parsed (strictly, each
 * attribute once) into its attributes, in traversal order, with the index
 * of its parent. Its length is the request's count of blocks, so nothing
 * is counted one way and parsed another.
 */
struct chimney_nest {
	struct nlattr *tb[CHIMNEY_BLOCK_A_MAX + 1];
	const struct nlattr *nla;
	u8 layer;
	u16 parent;
};

struct chimney_tree {
	struct chimney_nest *nests;
	unsigned int n;
	unsigned int size;
};

static int chimney_tree_grow(struct chimney_tree *t)
{
	unsigned int size = t->size ? 2 * t->size : 16;
	struct chimney_nest *nests;

	size = min_t(unsigned int, size, CHIMNEY_MAX_BLOCKS);
	nests = kvmalloc_array(size, sizeof(*nests), CHIMNEY_GFP_USER_BUF);
	if (!nests)
		return -ENOMEM;
	if (t->n)
		memcpy(nests, t->nests, t->n * sizeof(*nests));
	kvfree(t->nests);
	t->nests = nests;
	t->size = size;
	return 0;
}

static int chimney_tree_parse(struct chimney_tree *t, const struct nlattr *list,
			      u8 layer, u16 parent, struct netlink_ext_ack *extack)
{
	const struct nlattr *attr;
	struct chimney_nest *nest;
	int rem, err;
	u16 idx;

	nla_for_each_nested(attr, list, rem) {
		if (t->n == CHIMNEY_MAX_BLOCKS) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "Too many blocks in one request");
			return -E2BIG;
		}
		if (t->n == t->size) {
			err = chimney_tree_grow(t);
			if (err)
				return err;
		}
		idx = t->n++;
		nest = &t->nests[idx];
		nest->nla = attr;
		nest->layer = layer;
		nest->parent = parent;
		err = chimney_nla_parse_nested(nest->tb, CHIMNEY_BLOCK_A_MAX, attr,
					       chimney_block_policies[layer], extack);
		if (err)
			return err;
		/* The TCP block's policy has no dependents: strict parsing refuses them. */
		if (layer < CHIMNEY_LAYER_TCP && nest->tb[CHIMNEY_BLOCK_A_DEPENDENTS]) {
			err = chimney_tree_parse(t, nest->tb[CHIMNEY_BLOCK_A_DEPENDENTS],
						 layer + 1, idx, extack);
			if (err)
				return err;
		}
	}
	return 0;
}

static void chimney_parse_neigh(struct chimney_block *b, struct nlattr **c,
				struct nlattr **ca)
{
	struct chimney_neigh_state *st = &b->st.neigh;

	if (c && c[CHIMNEY_NEIGH_A_DL_SOURCE_ADDRESS])
		nla_memcpy(st->dl_source_address,
			   c[CHIMNEY_NEIGH_A_DL_SOURCE_ADDRESS], ETH_ALEN);
	if (c && c[CHIMNEY_NEIGH_A_VLAN_ID])
		st->vlan_id = nla_get_u16(c[CHIMNEY_NEIGH_A_VLAN_ID]);
	if (ca && ca[CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS])
		nla_memcpy(st->dl_destination_address,
			   ca[CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS], ETH_ALEN);
	if (ca && ca[CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA])
		st->host_reachability_delta =
			nla_get_u32(ca[CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA]);
	/* HRD and NRD are equal at offload (section 4.3). */
	st->nic_reachability_delta = st->host_reachability_delta;
}

/* Optional attributes: keep the default when absent. */
static void chimney_get_u8(const struct nlattr *a, u8 *dst)
{
	if (a)
		*dst = nla_get_u8(a);
}

static void chimney_get_u16(const struct nlattr *a, u16 *dst)
{
	if (a)
		*dst = nla_get_u16(a);
}

static void chimney_get_u32(const struct nlattr *a, u32 *dst)
{
	if (a)
		*dst = nla_get_u32(a);
}

static void chimney_parse_tcp_cached(struct chimney_tcp_cached *ca,
				     struct nlattr **tb)
{
	chimney_get_u16(tb[CHIMNEY_TCP_A_CACHED_FLAGS], &ca->flags);
	chimney_get_u32(tb[CHIMNEY_TCP_A_INITIAL_RCV_WND], &ca->initial_rcv_wnd);
	chimney_get_u32(tb[CHIMNEY_TCP_A_RCV_INDICATION_SIZE], &ca->rcv_indication_size);
	chimney_get_u8(tb[CHIMNEY_TCP_A_KA_PROBE_COUNT], &ca->ka_probe_count);
	chimney_get_u32(tb[CHIMNEY_TCP_A_KA_TIMEOUT], &ca->ka_timeout);
	chimney_get_u32(tb[CHIMNEY_TCP_A_KA_INTERVAL], &ca->ka_interval);
	chimney_get_u32(tb[CHIMNEY_TCP_A_MAX_RT], &ca->max_rt);
	chimney_get_u32(tb[CHIMNEY_TCP_A_FLOW_LABEL], &ca->flow_label);
	chimney_get_u8(tb[CHIMNEY_TCP_A_TTL_OR_HOP_LIMIT], &ca->ttl_or_hop_limit);
	chimney_get_u8(tb[CHIMNEY_TCP_A_TOS_OR_TRAFFIC_CLASS], &ca->tos_or_traffic_class);
	chimney_get_u8(tb[CHIMNEY_TCP_A_USER_PRIORITY], &ca->user_priority);
}

static void chimney_parse_tcp(struct chimney_block *b, struct nlattr **c,
			      struct nlattr **ca, struct nlattr **d)
{
	struct chimney_tcp_delegated *dl = &b->st.tcp.d;
	struct chimney_tcp_const *k = &b->st.tcp.c;

	chimney_get_u16(c[CHIMNEY_TCP_A_CONST_FLAGS], &k->flags);
	chimney_get_u16(c[CHIMNEY_TCP_A_REMOTE_PORT], &k->remote_port);
	chimney_get_u16(c[CHIMNEY_TCP_A_LOCAL_PORT], &k->local_port);
	chimney_get_u8(c[CHIMNEY_TCP_A_SND_WIND_SCALE], &k->snd_wind_scale);
	chimney_get_u8(c[CHIMNEY_TCP_A_RCV_WIND_SCALE], &k->rcv_wind_scale);
	chimney_get_u16(c[CHIMNEY_TCP_A_REMOTE_MSS], &k->remote_mss);
	chimney_get_u32(c[CHIMNEY_TCP_A_HASH_VALUE], &k->hash_value);
	chimney_parse_tcp_cached(&b->st.tcp.ca, ca);
	/* Timers not given are not running (R20). */
	dl->keepalive_timeout_delta = U32_MAX;
	dl->retransmit_timeout_delta = U32_MAX;
	chimney_get_u8(d[CHIMNEY_TCP_A_STATE], &dl->state);
	chimney_get_u32(d[CHIMNEY_TCP_A_RCV_NXT], &dl->rcv_nxt);
	chimney_get_u32(d[CHIMNEY_TCP_A_RCV_WND], &dl->rcv_wnd);
	chimney_get_u32(d[CHIMNEY_TCP_A_SND_UNA], &dl->snd_una);
	chimney_get_u32(d[CHIMNEY_TCP_A_SND_NXT], &dl->snd_nxt);
	chimney_get_u32(d[CHIMNEY_TCP_A_SND_MAX], &dl->snd_max);
	chimney_get_u32(d[CHIMNEY_TCP_A_SND_WND], &dl->snd_wnd);
	chimney_get_u32(d[CHIMNEY_TCP_A_MAX_SND_WND], &dl->max_snd_wnd);
	chimney_get_u32(d[CHIMNEY_TCP_A_SEND_WL1], &dl->send_wl1);
	chimney_get_u32(d[CHIMNEY_TCP_A_CWND], &dl->cwnd);
	chimney_get_u32(d[CHIMNEY_TCP_A_SS_THRESH], &dl->ss_thresh);
	chimney_get_u16(d[CHIMNEY_TCP_A_SRTT], &dl->srtt);
	chimney_get_u16(d[CHIMNEY_TCP_A_RTT_VAR], &dl->rtt_var);
	chimney_get_u32(d[CHIMNEY_TCP_A_TS_RECENT], &dl->ts_recent);
	chimney_get_u32(d[CHIMNEY_TCP_A_TS_RECENT_AGE], &dl->ts_recent_age);
	chimney_get_u32(d[CHIMNEY_TCP_A_TS_TIME], &dl->ts_time);
	chimney_get_u32(d[CHIMNEY_TCP_A_TOTAL_RT], &dl->total_rt);
	chimney_get_u8(d[CHIMNEY_TCP_A_DUP_ACK_COUNT], &dl->dup_ack_count);
	chimney_get_u8(d[CHIMNEY_TCP_A_SND_WND_PROBE_COUNT], &dl->snd_wnd_probe_count);
	chimney_get_u8(d[CHIMNEY_TCP_A_KEEPALIVE_PROBE_COUNT], &dl->keepalive_probe_count);
	chimney_get_u32(d[CHIMNEY_TCP_A_KEEPALIVE_TIMEOUT_DELTA], &dl->keepalive_timeout_delta);
	chimney_get_u8(d[CHIMNEY_TCP_A_RETRANSMIT_COUNT], &dl->retransmit_count);
	chimney_get_u32(d[CHIMNEY_TCP_A_RETRANSMIT_TIMEOUT_DELTA], &dl->retransmit_timeout_delta);
	chimney_get_u32(d[CHIMNEY_TCP_A_DWND], &dl->dwnd);
}

/* Nested state of one class, parsed again (it was validated) into tb. */
static int chimney_parse_class(struct chimney_parse *p, struct nlattr *nest,
			       const struct nla_policy *policy, int maxtype,
			       struct nlattr **tb)
{
	return chimney_nla_parse_nested(tb, maxtype, nest, policy, p->extack);
}

/*
 * PathMtu, for a new path and in an update alike: its policy bounds it for
 * IPv4, and IPv6 needs 1280 (RFC 8200). Above what the hardware takes is a
 * status of the block, not a malformed request (chimney_path_mtu_fits()).
 */
static int chimney_parse_path_mtu(struct chimney_block *b, const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	u32 mtu = nla_get_u32(attr);

	if (b->type == CHIMNEY_IP6_OFFLOAD_STATE && mtu < IPV6_MIN_MTU) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "IPv6 PathMtu must be at least 1280");
		return -EINVAL;
	}
	b->st.path.path_mtu = mtu;
	return 0;
}

static bool chimney_offloadable_state(u8 state)
{
	switch (state) {
	case CHIMNEY_TCP_CONNECTION_ESTABLISHED:
	case CHIMNEY_TCP_CONNECTION_FIN_WAIT1:
	case CHIMNEY_TCP_CONNECTION_FIN_WAIT2:
	case CHIMNEY_TCP_CONNECTION_CLOSE_WAIT:
	case CHIMNEY_TCP_CONNECTION_CLOSING:
	case CHIMNEY_TCP_CONNECTION_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/*
 * The host's send data and buffered receive data of a new connection
 * (section 3.1): kept as attributes while parsing under RCU, copied by
 * chimney_req_copy_data() after.
 */
static int chimney_parse_tcp_data(struct chimney_block *b, struct nlattr **d,
				  struct netlink_ext_ack *extack)
{
	const struct nlattr *data = d[CHIMNEY_TCP_A_SEND_DATA];
	const struct chimney_tcp_delegated *st = &b->st.tcp.d;

	b->rcv_nla = d[CHIMNEY_TCP_A_BUFFERED_DATA];
	if (!data != !d[CHIMNEY_TCP_A_SEND_IO_ID]) {
		NL_SET_ERR_MSG_ATTR(extack, data ?: d[CHIMNEY_TCP_A_SEND_IO_ID],
				    "Send data goes with the id of its send request");
		return -EINVAL;
	}
	/*
	 * What lies between SndUna and SndMax was sent and may have to be
	 * sent again: the target can only do so from the host's send data.
	 * Without data, nothing may be outstanding.
	 */
	if (after(st->snd_una, st->snd_nxt) || after(st->snd_nxt, st->snd_max) ||
	    st->snd_max - st->snd_una > (data ? nla_len(data) : 0)) {
		NL_SET_ERR_MSG_ATTR(extack, data ?: d[CHIMNEY_TCP_A_SND_MAX],
				    "SndUna <= SndNxt <= SndMax, and SndMax - SndUna within the send data");
		return -EINVAL;
	}
	if (!data)
		return 0;
	b->snd_nla = data;
	b->snd_id = nla_get_u64(d[CHIMNEY_TCP_A_SEND_IO_ID]);
	return 0;
}

/* Copy the data of new connections; nothing is kept of the message. */
static int chimney_req_copy_data(struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++) {
		struct chimney_block *b = &req->blocks[i];

		if (b->snd_nla) {
			b->snd = kvmalloc(struct_size(b->snd, data, nla_len(b->snd_nla)),
					  CHIMNEY_GFP_USER_BUF);
			if (!b->snd)
				return -ENOMEM;
			b->snd->io_id = b->snd_id;
			b->snd->len = nla_len(b->snd_nla);
			b->snd->done = 0;
			b->snd->flags = 0;
			nla_memcpy(b->snd->data, b->snd_nla, b->snd->len);
			b->snd_nla = NULL;
		}
		if (b->rcv_nla) {
			b->rcvd = alloc_skb(nla_len(b->rcv_nla), CHIMNEY_GFP_USER_BUF);
			if (!b->rcvd)
				return -ENOMEM;
			skb_put_data(b->rcvd, nla_data(b->rcv_nla), nla_len(b->rcv_nla));
			b->rcv_nla = NULL;
		}
	}
	return 0;
}

/* The state of a new-offload block: what each layer cannot do without. */
static int chimney_parse_new_state(struct chimney_parse *p, struct chimney_block *b,
				   struct nlattr *const *tb)
{
	struct nlattr *c[CHIMNEY_TCP_A_MAX + 1] = {}, *ca[CHIMNEY_TCP_A_MAX + 1] = {};
	struct nlattr *d[CHIMNEY_TCP_A_MAX + 1] = {};
	struct netlink_ext_ack *extack = p->extack;
	struct nlattr *blk = tb[CHIMNEY_BLOCK_A_TYPE];
	int err = 0;

	switch (b->layer) {
	case CHIMNEY_LAYER_NEIGH:
		if (tb[CHIMNEY_BLOCK_A_CONST])
			err = chimney_parse_class(p, tb[CHIMNEY_BLOCK_A_CONST],
						  chimney_neigh_const_policy,
						  CHIMNEY_NEIGH_A_MAX, c);
		if (!err && tb[CHIMNEY_BLOCK_A_CACHED])
			err = chimney_parse_class(p, tb[CHIMNEY_BLOCK_A_CACHED],
						  chimney_neigh_cached_policy,
						  CHIMNEY_NEIGH_A_MAX, ca);
		if (err)
			return err;
		if (!ca[CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS]) {
			NL_SET_ERR_MSG_ATTR(extack, blk,
					    "A new neighbor needs DlDestinationAddress");
			return -EINVAL;
		}
		chimney_parse_neigh(b, c, ca);
		break;
	case CHIMNEY_LAYER_PATH: {
		unsigned int alen = b->type == CHIMNEY_IP4_OFFLOAD_STATE ?
				    sizeof(struct in_addr) : sizeof(struct in6_addr);
		struct nlattr *src, *dst;

		if (tb[CHIMNEY_BLOCK_A_CONST])
			err = chimney_parse_class(p, tb[CHIMNEY_BLOCK_A_CONST],
						  chimney_path_const_policy,
						  CHIMNEY_PATH_A_MAX, c);
		if (!err && tb[CHIMNEY_BLOCK_A_CACHED])
			err = chimney_parse_class(p, tb[CHIMNEY_BLOCK_A_CACHED],
						  chimney_path_cached_policy,
						  CHIMNEY_PATH_A_MAX, ca);
		if (err)
			return err;
		src = c[CHIMNEY_PATH_A_SOURCE_ADDRESS];
		dst = c[CHIMNEY_PATH_A_DESTINATION_ADDRESS];
		if (!src || !dst || !ca[CHIMNEY_PATH_A_PATH_MTU]) {
			NL_SET_ERR_MSG_ATTR(extack, blk,
					    "A new path needs SourceAddress, DestinationAddress and PathMtu");
			return -EINVAL;
		}
		if (nla_len(src) != alen || nla_len(dst) != alen) {
			NL_SET_ERR_MSG_ATTR(extack, nla_len(src) != alen ? src : dst,
					    "Address length does not match the path type");
			return -EINVAL;
		}
		nla_memcpy(&b->st.path.source_address, src, alen);
		nla_memcpy(&b->st.path.destination_address, dst, alen);
		err = chimney_parse_path_mtu(b, ca[CHIMNEY_PATH_A_PATH_MTU], extack);
		if (err)
			return err;
		break;
	}
	default:
		if (!tb[CHIMNEY_BLOCK_A_CONST] || !tb[CHIMNEY_BLOCK_A_CACHED] ||
		    !tb[CHIMNEY_BLOCK_A_DELEGATED]) {
			NL_SET_ERR_MSG_ATTR(extack, blk,
					    "A new TCP connection needs const, cached and delegated state");
			return -EINVAL;
		}
		err = chimney_parse_class(p, tb[CHIMNEY_BLOCK_A_CONST],
					  chimney_tcp_const_policy, CHIMNEY_TCP_A_MAX, c);
		if (!err)
			err = chimney_parse_class(p, tb[CHIMNEY_BLOCK_A_CACHED],
						  chimney_tcp_cached_policy,
						  CHIMNEY_TCP_A_MAX, ca);
		if (!err)
			err = chimney_parse_class(p, tb[CHIMNEY_BLOCK_A_DELEGATED],
						  chimney_tcp_delegated_policy,
						  CHIMNEY_TCP_A_MAX, d);
		if (err)
			return err;
		if (!c[CHIMNEY_TCP_A_LOCAL_PORT] || !c[CHIMNEY_TCP_A_REMOTE_PORT] ||
		    !c[CHIMNEY_TCP_A_REMOTE_MSS] || !d[CHIMNEY_TCP_A_STATE]) {
			NL_SET_ERR_MSG_ATTR(extack, blk,
					    "A new TCP connection needs LocalPort, RemotePort, RemoteMss and State");
			return -EINVAL;
		}
		if (!chimney_offloadable_state(nla_get_u8(d[CHIMNEY_TCP_A_STATE]))) {
			NL_SET_ERR_MSG_ATTR(extack, d[CHIMNEY_TCP_A_STATE],
					    "A connection in this state is never offloaded");
			return -EINVAL;
		}
		chimney_parse_tcp(b, c, ca, d);
		err = chimney_parse_tcp_data(b, d, extack);
		if (err)
			return err;
		break;
	}
	b->has = CHIMNEY_HAS_CONST | CHIMNEY_HAS_CACHED | CHIMNEY_HAS_DELEGATED;
	return 0;
}

/* Cached state of a referenced block in an update. */
static int chimney_parse_update_state(struct chimney_parse *p,
				      struct chimney_block *b, struct nlattr *nest,
				      const struct chimney_obj *obj)
{
	struct nlattr *tb[CHIMNEY_TCP_A_MAX + 1] = {};
	int err;

	/* Start from the current values: absent attributes keep them. */
	chimney_obj_get_state(p->cdev, obj, b);
	b->role = CHIMNEY_ROLE_REF;
	switch (b->layer) {
	case CHIMNEY_LAYER_NEIGH:
		err = chimney_parse_class(p, nest, chimney_neigh_cached_policy,
					  CHIMNEY_NEIGH_A_MAX, tb);
		if (!err)
			chimney_parse_neigh(b, NULL, tb);
		break;
	case CHIMNEY_LAYER_PATH:
		err = chimney_parse_class(p, nest, chimney_path_cached_policy,
					  CHIMNEY_PATH_A_MAX, tb);
		if (!err && tb[CHIMNEY_PATH_A_PATH_MTU])
			err = chimney_parse_path_mtu(b, tb[CHIMNEY_PATH_A_PATH_MTU], p->extack);
		break;
	default:
		err = chimney_parse_class(p, nest, chimney_tcp_cached_policy,
					  CHIMNEY_TCP_A_MAX, tb);
		if (!err) {
			/* One-shot flags are only those of this update. */
			b->st.tcp.ca.flags &= ~(CHIMNEY_TCP_FLAG_KEEP_ALIVE_RESTART |
						CHIMNEY_TCP_FLAG_MAX_RT_RESTART |
						CHIMNEY_TCP_FLAG_UPDATE_RCV_WND);
			chimney_parse_tcp_cached(&b->st.tcp.ca, tb);
		}
		break;
	}
	if (!err)
		b->has = CHIMNEY_HAS_CACHED;
	if (!err && b->layer == CHIMNEY_LAYER_NEIGH && tb[CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA])
		b->has |= CHIMNEY_HAS_HRD;
	return err;
}

/* Block idx of the request, from its nest. */
static int chimney_parse_block(struct chimney_parse *p, const struct chimney_nest *nest,
			       u16 idx)
{
	struct chimney_block *b = &p->req->blocks[idx];
	struct netlink_ext_ack *extack = p->extack;
	const struct nlattr *nla = nest->nla;
	struct nlattr *const *tb = nest->tb;
	struct chimney_req *req = p->req;
	u16 parent = nest->parent;
	u8 layer = nest->layer;
	struct chimney_obj *obj = NULL;
	int err;

	b->layer = layer;
	b->parent = parent;

	if (tb[CHIMNEY_BLOCK_A_NEW] && tb[CHIMNEY_BLOCK_A_HANDLE]) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "A block is either new or a reference");
		return -EINVAL;
	}
	if (tb[CHIMNEY_BLOCK_A_NEW])
		b->role = CHIMNEY_ROLE_NEW;
	else if (tb[CHIMNEY_BLOCK_A_HANDLE])
		b->role = CHIMNEY_ROLE_REF;
	else
		b->role = CHIMNEY_ROLE_PLACEHOLDER;

	if (b->role == CHIMNEY_ROLE_PLACEHOLDER) {
		if (tb[CHIMNEY_BLOCK_A_HOST_HANDLE] || tb[CHIMNEY_BLOCK_A_CONST] ||
		    tb[CHIMNEY_BLOCK_A_CACHED] || tb[CHIMNEY_BLOCK_A_DELEGATED]) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "A placeholder carries no host handle and no state");
			return -EINVAL;
		}
		return 0;
	}

	if (!tb[CHIMNEY_BLOCK_A_TYPE]) {
		NL_SET_ERR_ATTR_MISS(extack, nla, CHIMNEY_BLOCK_A_TYPE);
		NL_SET_ERR_MSG(extack, "A block that is not a placeholder needs a type");
		return -EINVAL;
	}
	b->type = nla_get_u8(tb[CHIMNEY_BLOCK_A_TYPE]);
	if (chimney_layer_of_type(b->type) != layer) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CHIMNEY_BLOCK_A_TYPE],
				    "Block type does not belong to this layer of the tree");
		return -EINVAL;
	}

	if (b->role == CHIMNEY_ROLE_REF) {
		b->handle = nla_get_u64(tb[CHIMNEY_BLOCK_A_HANDLE]);
		obj = chimney_obj_lookup(p->cdev, b->handle);
		if (!obj) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CHIMNEY_BLOCK_A_HANDLE],
					    "Unknown, stale or foreign handle");
			return -ENOENT;
		}
		if (obj->type != b->type) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CHIMNEY_BLOCK_A_TYPE],
					    "Handle refers to an object of another type");
			return -EINVAL;
		}
		if (tb[CHIMNEY_BLOCK_A_HOST_HANDLE] || tb[CHIMNEY_BLOCK_A_CONST] ||
		    tb[CHIMNEY_BLOCK_A_DELEGATED] ||
		    (tb[CHIMNEY_BLOCK_A_CACHED] && req->cmd != CHIMNEY_CMD_UPDATE)) {
			if (req->cmd == CHIMNEY_CMD_UPDATE)
				NL_SET_ERR_MSG_ATTR(extack, nla,
						    "An update carries cached state only");
			else
				NL_SET_ERR_MSG_ATTR(extack, nla,
						    "A reference carries no host handle and no state");
			return -EINVAL;
		}
		if (tb[CHIMNEY_BLOCK_A_CACHED]) {
			err = chimney_parse_update_state(p, b, tb[CHIMNEY_BLOCK_A_CACHED], obj);
			if (err)
				return err;
		}
		if (req->cmd == CHIMNEY_CMD_INITIATE && !tb[CHIMNEY_BLOCK_A_DEPENDENTS]) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "A linker needs dependent blocks");
			return -EINVAL;
		}
		return 0;
	}

	/* A new offload. */
	if (req->cmd != CHIMNEY_CMD_INITIATE) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CHIMNEY_BLOCK_A_NEW],
				    "New offloads belong in an initiate request");
		return -EINVAL;
	}
	if (layer != CHIMNEY_LAYER_NEIGH &&
	    (parent == CHIMNEY_BLOCK_NO_PARENT ||
	     req->blocks[parent].role == CHIMNEY_ROLE_PLACEHOLDER)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CHIMNEY_BLOCK_A_NEW],
				    "A new object needs a new or referenced parent");
		return -EINVAL;
	}
	if (!tb[CHIMNEY_BLOCK_A_HOST_HANDLE]) {
		NL_SET_ERR_ATTR_MISS(extack, nla, CHIMNEY_BLOCK_A_HOST_HANDLE);
		NL_SET_ERR_MSG(extack, "A new object needs the host's handle");
		return -EINVAL;
	}
	b->host_handle = nla_get_u64(tb[CHIMNEY_BLOCK_A_HOST_HANDLE]);
	return chimney_parse_new_state(p, b, tb);
}

static int chimney_req_fits(const struct chimney_req *req, struct netlink_ext_ack *extack);

/**
 * chimney_req_parse() - a state request from its tree of blocks
 * @cdev: the device it is for
 * @cmd: the request's &enum chimney_cmd
 * @blocks: its CHIMNEY_A_BLOCKS, validated by the command's policy
 * @extack: where a rejection is explained
 *
 * Each nest is parsed once: the tree first, which gives the count of
 * blocks, then each block from its parse, under RCU for the handles.
 *
 * Return: the request, with room for exactly its blocks, or an ERR_PTR.
 */
VISIBLE_IF_KUNIT struct chimney_req *chimney_req_parse(struct chimney_dev *cdev, u8 cmd,
						       const struct nlattr *blocks,
						       struct netlink_ext_ack *extack)
{
	struct chimney_parse p = { .cdev = cdev, .extack = extack };
	struct chimney_tree tree = {};
	struct chimney_req *req;
	unsigned int i;
	int err;

	err = chimney_tree_parse(&tree, blocks, CHIMNEY_LAYER_NEIGH,
				 CHIMNEY_BLOCK_NO_PARENT, extack);
	if (!err && !tree.n) {
		NL_SET_ERR_MSG_ATTR(extack, blocks, "The tree has no block");
		err = -EINVAL;
	}
	if (err)
		goto err_tree;
	/* Sized by user space: a failure is its ENOMEM, not a log line. */
	req = kvzalloc(struct_size(req, blocks, tree.n), CHIMNEY_GFP_USER_BUF);
	if (!req) {
		err = -ENOMEM;
		goto err_tree;
	}
	req->cmd = cmd;
	req->nblocks = tree.n;
	/* What the virtual hardware allocates for it is charged there too. */
	req->memcg = get_mem_cgroup_from_mm(current->mm);
	p.req = req;

	rcu_read_lock();
	for (i = 0; i < tree.n && !err; i++)
		err = chimney_parse_block(&p, &tree.nests[i], i);
	rcu_read_unlock();
	kvfree(tree.nests);
	if (!err)
		err = chimney_req_fits(req, extack);
	if (!err)
		err = chimney_req_copy_data(req);
	if (err) {
		chimney_req_free(req);
		return ERR_PTR(err);
	}
	return req;

err_tree:
	kvfree(tree.nests);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_req_parse);

static int chimney_nl_state_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct chimney_dev *cdev;
	struct chimney_req *req;
	int err;

	if (CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_REQ_ID, "A state request needs its id") ||
	    CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_BLOCKS, "A state request needs a tree of blocks"))
		return -EINVAL;
	cdev = chimney_nl_dev(info);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);

	req = chimney_req_parse(cdev, info->genlhdr->cmd, info->attrs[CHIMNEY_A_BLOCKS], extack);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		goto err_put;
	}
	req->req_id = nla_get_u64(info->attrs[CHIMNEY_A_REQ_ID]);
	err = chimney_offload_queue(cdev, req);
	if (err == -ENOBUFS)
		NL_SET_ERR_MSG(extack,
			       "The device has its limit of queued requests (CHIMNEY_LIMIT_A_REQUESTS)");
	else if (err)
		NL_SET_ERR_MSG(extack, "The device is going away");
	if (err)
		chimney_req_free(req);
err_put:
	dev_put(cdev->netdev);
	return err;
}

/* ---- object replies and notifications ---- */

static int chimney_put_u64(struct sk_buff *msg, int attr, u64 val, int pad)
{
	return nla_put_u64_64bit(msg, attr, val, pad);
}

static int chimney_put_neigh(struct sk_buff *msg, const struct chimney_block *b, u8 has)
{
	const struct chimney_neigh_state *st = &b->st.neigh;
	struct nlattr *n;

	if (has & CHIMNEY_HAS_CONST) {
		n = nla_nest_start(msg, CHIMNEY_BLOCK_A_CONST);
		if (!n || nla_put(msg, CHIMNEY_NEIGH_A_DL_SOURCE_ADDRESS, ETH_ALEN,
				  st->dl_source_address) ||
		    nla_put_u16(msg, CHIMNEY_NEIGH_A_VLAN_ID, st->vlan_id))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	if (has & CHIMNEY_HAS_CACHED) {
		n = nla_nest_start(msg, CHIMNEY_BLOCK_A_CACHED);
		if (!n || nla_put(msg, CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS, ETH_ALEN,
				  st->dl_destination_address) ||
		    nla_put_u32(msg, CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA,
				st->host_reachability_delta))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	if (has & CHIMNEY_HAS_DELEGATED) {
		n = nla_nest_start(msg, CHIMNEY_BLOCK_A_DELEGATED);
		if (!n || nla_put_u32(msg, CHIMNEY_NEIGH_A_NIC_REACHABILITY_DELTA,
				      st->nic_reachability_delta))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	return 0;
}

static int chimney_put_path(struct sk_buff *msg, const struct chimney_block *b, u8 has)
{
	int alen = b->type == CHIMNEY_IP4_OFFLOAD_STATE ? sizeof(struct in_addr) :
						       sizeof(struct in6_addr);
	const struct chimney_path_state *st = &b->st.path;
	struct nlattr *n;

	if (has & CHIMNEY_HAS_CONST) {
		n = nla_nest_start(msg, CHIMNEY_BLOCK_A_CONST);
		if (!n || nla_put(msg, CHIMNEY_PATH_A_SOURCE_ADDRESS, alen,
				  &st->source_address) ||
		    nla_put(msg, CHIMNEY_PATH_A_DESTINATION_ADDRESS, alen,
			    &st->destination_address))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	if (has & CHIMNEY_HAS_CACHED) {
		n = nla_nest_start(msg, CHIMNEY_BLOCK_A_CACHED);
		if (!n || nla_put_u32(msg, CHIMNEY_PATH_A_PATH_MTU, st->path_mtu))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	if (has & CHIMNEY_HAS_DELEGATED) {
		/* PATH_OFFLOAD_STATE_DELEGATED has no variables. */
		n = nla_nest_start(msg, CHIMNEY_BLOCK_A_DELEGATED);
		if (!n)
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	return 0;
}

static int chimney_put_tcp_delegated(struct sk_buff *msg,
				     const struct chimney_tcp_state *st, bool query)
{
	const struct chimney_tcp_delegated *d = &st->d;
	struct nlattr *n = nla_nest_start(msg, CHIMNEY_BLOCK_A_DELEGATED);

	if (!n ||
	    nla_put_u8(msg, CHIMNEY_TCP_A_STATE, d->state) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_RCV_NXT, d->rcv_nxt) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_RCV_WND, d->rcv_wnd) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_SND_UNA, d->snd_una) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_SND_NXT, d->snd_nxt) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_SND_MAX, d->snd_max) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_SND_WND, d->snd_wnd) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_MAX_SND_WND, d->max_snd_wnd) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_SEND_WL1, d->send_wl1) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_CWND, d->cwnd) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_SS_THRESH, d->ss_thresh) ||
	    nla_put_u16(msg, CHIMNEY_TCP_A_SRTT, d->srtt) ||
	    nla_put_u16(msg, CHIMNEY_TCP_A_RTT_VAR, d->rtt_var) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_TS_RECENT, d->ts_recent) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_TS_RECENT_AGE, d->ts_recent_age) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_TS_TIME, d->ts_time) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_TOTAL_RT, d->total_rt) ||
	    nla_put_u8(msg, CHIMNEY_TCP_A_DUP_ACK_COUNT, d->dup_ack_count) ||
	    nla_put_u8(msg, CHIMNEY_TCP_A_SND_WND_PROBE_COUNT, d->snd_wnd_probe_count) ||
	    nla_put_u8(msg, CHIMNEY_TCP_A_KEEPALIVE_PROBE_COUNT,
		       d->keepalive_probe_count) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_KEEPALIVE_TIMEOUT_DELTA,
			d->keepalive_timeout_delta) ||
	    nla_put_u8(msg, CHIMNEY_TCP_A_RETRANSMIT_COUNT, d->retransmit_count) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_RETRANSMIT_TIMEOUT_DELTA,
			d->retransmit_timeout_delta) ||
	    nla_put_u32(msg, CHIMNEY_TCP_A_DWND, d->dwnd))
		return -EMSGSIZE;
	/* The receive backlog is not tracked: 0xFFFFFFFF (R23). */
	if (query && (nla_put_u32(msg, CHIMNEY_TCP_A_SEND_BACKLOG_SIZE,
				  chimney_tcp_send_backlog(&st->c, d)) ||
		      nla_put_u32(msg, CHIMNEY_TCP_A_RECEIVE_BACKLOG_SIZE, U32_MAX)))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static int chimney_put_tcp(struct sk_buff *msg, const struct chimney_block *b,
			   u8 has, bool query)
{
	const struct chimney_tcp_state *st = &b->st.tcp;
	struct nlattr *n;

	if (has & CHIMNEY_HAS_CONST) {
		n = nla_nest_start(msg, CHIMNEY_BLOCK_A_CONST);
		if (!n ||
		    nla_put_u16(msg, CHIMNEY_TCP_A_CONST_FLAGS, st->c.flags) ||
		    nla_put_u16(msg, CHIMNEY_TCP_A_REMOTE_PORT, st->c.remote_port) ||
		    nla_put_u16(msg, CHIMNEY_TCP_A_LOCAL_PORT, st->c.local_port) ||
		    nla_put_u8(msg, CHIMNEY_TCP_A_SND_WIND_SCALE, st->c.snd_wind_scale) ||
		    nla_put_u8(msg, CHIMNEY_TCP_A_RCV_WIND_SCALE, st->c.rcv_wind_scale) ||
		    nla_put_u16(msg, CHIMNEY_TCP_A_REMOTE_MSS, st->c.remote_mss) ||
		    nla_put_u32(msg, CHIMNEY_TCP_A_HASH_VALUE, st->c.hash_value))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	if (has & CHIMNEY_HAS_CACHED) {
		n = nla_nest_start(msg, CHIMNEY_BLOCK_A_CACHED);
		if (!n ||
		    nla_put_u16(msg, CHIMNEY_TCP_A_CACHED_FLAGS, st->ca.flags) ||
		    nla_put_u32(msg, CHIMNEY_TCP_A_INITIAL_RCV_WND, st->ca.initial_rcv_wnd) ||
		    nla_put_u32(msg, CHIMNEY_TCP_A_RCV_INDICATION_SIZE,
				st->ca.rcv_indication_size) ||
		    nla_put_u8(msg, CHIMNEY_TCP_A_KA_PROBE_COUNT, st->ca.ka_probe_count) ||
		    nla_put_u32(msg, CHIMNEY_TCP_A_KA_TIMEOUT, st->ca.ka_timeout) ||
		    nla_put_u32(msg, CHIMNEY_TCP_A_KA_INTERVAL, st->ca.ka_interval) ||
		    nla_put_u32(msg, CHIMNEY_TCP_A_MAX_RT, st->ca.max_rt) ||
		    nla_put_u32(msg, CHIMNEY_TCP_A_FLOW_LABEL, st->ca.flow_label) ||
		    nla_put_u8(msg, CHIMNEY_TCP_A_TTL_OR_HOP_LIMIT, st->ca.ttl_or_hop_limit) ||
		    nla_put_u8(msg, CHIMNEY_TCP_A_TOS_OR_TRAFFIC_CLASS,
			       st->ca.tos_or_traffic_class) ||
		    nla_put_u8(msg, CHIMNEY_TCP_A_USER_PRIORITY, st->ca.user_priority))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	if (has & CHIMNEY_HAS_DELEGATED)
		return chimney_put_tcp_delegated(msg, st, query);
	return 0;
}

/*
 * The block's own attributes, without its dependents, with the state
 * classes in has (&chimney_block.has bits).
 */
static int chimney_put_block(struct sk_buff *msg, const struct chimney_block *b,
			     u8 has, bool with_status, bool query)
{
	if ((b->role != CHIMNEY_ROLE_PLACEHOLDER &&
	     nla_put_u8(msg, CHIMNEY_BLOCK_A_TYPE, b->type)) ||
	    (b->handle && chimney_put_u64(msg, CHIMNEY_BLOCK_A_HANDLE, b->handle,
					  CHIMNEY_BLOCK_A_PAD)) ||
	    (b->role != CHIMNEY_ROLE_PLACEHOLDER &&
	     chimney_put_u64(msg, CHIMNEY_BLOCK_A_HOST_HANDLE, b->host_handle,
			     CHIMNEY_BLOCK_A_PAD)) ||
	    (with_status && nla_put_u32(msg, CHIMNEY_BLOCK_A_STATUS, b->status)))
		return -EMSGSIZE;
	switch (b->layer) {
	case CHIMNEY_LAYER_NEIGH:
		return chimney_put_neigh(msg, b, has);
	case CHIMNEY_LAYER_PATH:
		return chimney_put_path(msg, b, has);
	default:
		return chimney_put_tcp(msg, b, has, query);
	}
}

/*
 * Upper bound of what chimney_put_block() writes for a block with the state
 * classes in has (&chimney_block.has bits), dependents nest included.
 */
static size_t chimney_block_size(const struct chimney_block *b, u8 has)
{
	size_t n = 2 * nla_total_size(0) + CHIMNEY_SMALL_ATTR +
		   2 * nla_total_size_64bit(sizeof(u64)) + CHIMNEY_SMALL_ATTR +
		   3 * nla_total_size(0);

	switch (b->layer) {
	case CHIMNEY_LAYER_NEIGH:
		return n + 2 * nla_total_size(ETH_ALEN) + 3 * CHIMNEY_SMALL_ATTR;
	case CHIMNEY_LAYER_PATH:
		return n + 2 * nla_total_size(sizeof(struct in6_addr)) + CHIMNEY_SMALL_ATTR;
	default:
		/* Every TCP attribute is at most 32 bits. */
		if (has & CHIMNEY_HAS_CONST)
			n += (CHIMNEY_TCP_A_HASH_VALUE - CHIMNEY_TCP_A_CONST_FLAGS + 1) *
			     CHIMNEY_SMALL_ATTR;
		if (has & CHIMNEY_HAS_CACHED)
			n += (CHIMNEY_TCP_A_USER_PRIORITY - CHIMNEY_TCP_A_CACHED_FLAGS + 1) *
			     CHIMNEY_SMALL_ATTR;
		if (has & CHIMNEY_HAS_DELEGATED)
			n += (CHIMNEY_TCP_A_MAX - CHIMNEY_TCP_A_STATE + 1) * CHIMNEY_SMALL_ATTR;
		return n;
	}
}

/*
 * The completion of a request nests all its blocks in one attribute, whose
 * length is 16 bits: refuse a request whose completion could not fit, rather
 * than complete it with a truncated attribute.
 */
static int chimney_req_fits(const struct chimney_req *req, struct netlink_ext_ack *extack)
{
	size_t size = nla_total_size(0);
	unsigned int i;
	u8 has = 0;

	/* At most what chimney_req_returns() will say, once processed. */
	if (req->cmd == CHIMNEY_CMD_QUERY)
		has = CHIMNEY_HAS_CONST | CHIMNEY_HAS_CACHED | CHIMNEY_HAS_DELEGATED;
	else if (req->cmd == CHIMNEY_CMD_TERMINATE)
		has = CHIMNEY_HAS_DELEGATED;
	for (i = 0; i < req->nblocks; i++)
		size += chimney_block_size(&req->blocks[i], has);
	if (size <= U16_MAX)
		return 0;
	NL_SET_ERR_MSG(extack,
		       "Too many blocks: the completion would not fit in one netlink attribute (64 KiB)");
	return -E2BIG;
}

/*
 * The state a completion returns in a block: a query's every class, a
 * terminate's delegated state (as its processing left them in @b->has);
 * the other requests' completions return none, the host has it.
 */
static u8 chimney_req_returns(const struct chimney_req *req, const struct chimney_block *b)
{
	if (req->cmd == CHIMNEY_CMD_QUERY || req->cmd == CHIMNEY_CMD_TERMINATE)
		return b->has;
	return 0;
}

static int chimney_put_blocks(struct sk_buff *msg, const struct chimney_req *req,
			      unsigned int *i, u16 parent, int attrtype, bool query)
{
	struct nlattr *list = nla_nest_start(msg, attrtype);
	int idx = 1, err;

	if (!list)
		return -EMSGSIZE;
	while (*i < req->nblocks && req->blocks[*i].parent == parent) {
		unsigned int me = (*i)++;
		struct nlattr *n = nla_nest_start(msg, idx++);

		if (!n)
			return -EMSGSIZE;
		err = chimney_put_block(msg, &req->blocks[me],
					chimney_req_returns(req, &req->blocks[me]), true, query);
		if (!err && *i < req->nblocks && req->blocks[*i].parent == me)
			err = chimney_put_blocks(msg, req, i, me,
						 CHIMNEY_BLOCK_A_DEPENDENTS, query);
		if (err)
			return err;
		nla_nest_end(msg, n);
	}
	/* Never a truncated length (chimney_req_fits() should see to it). */
	if (WARN_ON_ONCE(skb_tail_pointer(msg) - (unsigned char *)list > U16_MAX))
		return -EMSGSIZE;
	nla_nest_end(msg, list);
	return 0;
}

static int chimney_put_caps(struct sk_buff *msg, struct chimney_dev *cdev);

/*
 * A notification of the device, with its next sequence number. The device's
 * number names it too: completions sent by its teardown follow ip link del,
 * and its ifindex may by then be another device's.
 */
static struct sk_buff *chimney_notify_new(struct chimney_dev *cdev, size_t size,
					  u8 cmd, void **hdr)
{
	struct sk_buff *msg;

	lockdep_assert_held(&cdev->lock);
	msg = genlmsg_new(size + 2 * nla_total_size(sizeof(u32)) +
			  nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg)
		goto err_lost;
	*hdr = genlmsg_put(msg, 0, 0, &chimney_genl_family, 0, cmd);
	if (!*hdr ||
	    nla_put_u32(msg, CHIMNEY_A_IFINDEX, cdev->netdev->ifindex) ||
	    nla_put_u32(msg, CHIMNEY_A_DEV_ID, cdev->id) ||
	    chimney_put_u64(msg, CHIMNEY_A_SEQ, cdev->seq, CHIMNEY_A_PAD)) {
		nlmsg_free(msg);
		goto err_lost;
	}
	chimney_dev_set_seq(cdev, &cdev->seq, cdev->seq + 1);
	return msg;

err_lost:
	chimney_dev_set_seq(cdev, &cdev->seq, cdev->seq + 1);
	chimney_stat_add(cdev, &cdev->stats.notify_lost, 1);
	return NULL;
}

/*
 * Where the device's notifications go: its netns, or once it is going
 * away, the one its teardown holds, none when that was being dismantled.
 */
static struct net *chimney_notify_net(const struct chimney_dev *cdev)
{
	lockdep_assert_held(&cdev->lock);
	return chimney_dev_dead(cdev) ? cdev->notify_net : dev_net(cdev->netdev);
}

static void chimney_notify_send(struct chimney_dev *cdev, struct sk_buff *msg,
				void *hdr, unsigned int group)
{
	struct genlmsghdr *ghdr = nlmsg_data(nlmsg_hdr(msg));
	struct net *net = chimney_notify_net(cdev);

	genlmsg_end(msg, hdr);
	/* Built under the lock since chimney_notify_new(): seq - 1 is ours. */
	chimney_journal_add(cdev, cdev->seq - 1, ghdr->cmd, hdr,
			    skb_tail_pointer(msg) - (unsigned char *)hdr);
	if (net)
		genlmsg_multicast_netns(&chimney_genl_family, net, msg, 0, group, GFP_KERNEL);
	else
		nlmsg_free(msg);
}

/* A notification that could not be built: its listeners learn it. */
static void chimney_notify_failed(struct chimney_dev *cdev, struct sk_buff *msg,
				  unsigned int group)
{
	struct net *net = chimney_notify_net(cdev);

	if (msg) {
		WARN_ONCE(1, "chimney: notification larger than estimated\n");
		nlmsg_free(msg);
		chimney_stat_add(cdev, &cdev->stats.notify_lost, 1);
	}
	/* Not in the journal either: a replay across it must fail. */
	chimney_dev_set_seq(cdev, &cdev->journal_first, cdev->seq);
	if (net)
		genl_set_err(&chimney_genl_family, net, 0, group, -ENOBUFS);
}

/**
 * chimney_notify_complete() - send the completion of a state request
 * @cdev: the device; its lock must be held
 * @req: the request, with a status in every block
 */
void chimney_notify_complete(struct chimney_dev *cdev, const struct chimney_req *req)
{
	size_t size = nla_total_size_64bit(sizeof(u64)) + nla_total_size(0);
	unsigned int i = 0;
	struct sk_buff *msg;
	void *hdr;
	u8 cmd;

	trace_chimney_complete(cdev, req);
	for (i = 0; i < req->nblocks; i++) {
		trace_chimney_block(cdev, req, i);
		size += chimney_block_size(&req->blocks[i],
					   chimney_req_returns(req, &req->blocks[i]));
	}
	cmd = CHIMNEY_CMD_INITIATE_COMPLETE + req->cmd - CHIMNEY_CMD_INITIATE;
	msg = chimney_notify_new(cdev, size, cmd, &hdr);
	i = 0;
	if (!msg ||
	    chimney_put_u64(msg, CHIMNEY_A_REQ_ID, req->req_id, CHIMNEY_A_PAD) ||
	    chimney_put_blocks(msg, req, &i, CHIMNEY_BLOCK_NO_PARENT, CHIMNEY_A_BLOCKS,
			       req->cmd == CHIMNEY_CMD_QUERY)) {
		chimney_notify_failed(cdev, msg, CHIMNEY_MCGRP_COMPLETIONS_ID);
		return;
	}
	chimney_notify_send(cdev, msg, hdr, CHIMNEY_MCGRP_COMPLETIONS_ID);
}

/**
 * chimney_notify_tcp_event() - NdisTcpOffloadEventHandler
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @type: &enum chimney_tcp_event_type
 * @info: EventSpecificInformation
 */
void chimney_notify_tcp_event(struct chimney_dev *cdev, const struct chimney_obj *conn,
			      u32 type, u32 info)
{
	struct sk_buff *msg;
	void *hdr;

	trace_chimney_tcp_event(cdev, conn, type, info);
	chimney_stat_add(cdev, &cdev->stats.events, 1);
	msg = chimney_notify_new(cdev, 2 * nla_total_size_64bit(sizeof(u64)) +
				 2 * CHIMNEY_SMALL_ATTR, CHIMNEY_CMD_TCP_EVENT, &hdr);
	if (!msg ||
	    chimney_put_u64(msg, CHIMNEY_A_HANDLE, chimney_obj_handle(conn), CHIMNEY_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_A_HOST_HANDLE, conn->host_handle, CHIMNEY_A_PAD) ||
	    nla_put_u32(msg, CHIMNEY_A_EVENT_TYPE, type) ||
	    nla_put_u32(msg, CHIMNEY_A_EVENT_INFO, info)) {
		chimney_notify_failed(cdev, msg, CHIMNEY_MCGRP_EVENTS_ID);
		return;
	}
	chimney_notify_send(cdev, msg, hdr, CHIMNEY_MCGRP_EVENTS_ID);
}

/**
 * chimney_notify_io() - complete a send or receive request
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @cmd: CHIMNEY_CMD_SEND_COMPLETE or CHIMNEY_CMD_RECEIVE_COMPLETE
 * @io_id: the host's id of the request
 * @status: its NDIS status
 * @bytes: bytes transferred
 * @data: for a receive completion, the @bytes placed; NULL otherwise
 */
void chimney_notify_io(struct chimney_dev *cdev, const struct chimney_obj *conn,
		       u8 cmd, u64 io_id, u32 status, u32 bytes, const void *data)
{
	struct sk_buff *msg;
	void *hdr;

	trace_chimney_io(cdev, conn, cmd, io_id, status, bytes);
	msg = chimney_notify_new(cdev, 3 * nla_total_size_64bit(sizeof(u64)) +
				 2 * CHIMNEY_SMALL_ATTR +
				 (data ? nla_total_size(bytes) : 0), cmd, &hdr);
	if (!msg ||
	    chimney_put_u64(msg, CHIMNEY_A_HANDLE, chimney_obj_handle(conn), CHIMNEY_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_A_HOST_HANDLE, conn->host_handle, CHIMNEY_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_A_IO_ID, io_id, CHIMNEY_A_PAD) ||
	    nla_put_u32(msg, CHIMNEY_A_STATUS, status) ||
	    nla_put_u32(msg, CHIMNEY_A_IO_BYTES, bytes) ||
	    (data && bytes && nla_put(msg, CHIMNEY_A_IO_DATA, bytes, data))) {
		chimney_notify_failed(cdev, msg, CHIMNEY_MCGRP_COMPLETIONS_ID);
		return;
	}
	chimney_notify_send(cdev, msg, hdr, CHIMNEY_MCGRP_COMPLETIONS_ID);
}

/**
 * chimney_notify_data() - hand back received bytes (BufferedData, R45)
 * @cdev: the device; its lock must be held
 * @conn: the connection being terminated
 * @skb: holds the bytes
 * @off: where they start in @skb
 * @len: how many, at most %CHIMNEY_IO_MAX_DATA
 */
void chimney_notify_data(struct chimney_dev *cdev, const struct chimney_obj *conn,
			 const struct sk_buff *skb, u32 off, u32 len)
{
	struct nlattr *data;
	struct sk_buff *msg;
	void *hdr;

	msg = chimney_notify_new(cdev, 2 * nla_total_size_64bit(sizeof(u64)) +
				 CHIMNEY_SMALL_ATTR + nla_total_size(len),
				 CHIMNEY_CMD_BUFFERED_DATA, &hdr);
	if (!msg ||
	    chimney_put_u64(msg, CHIMNEY_A_HANDLE, chimney_obj_handle(conn), CHIMNEY_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_A_HOST_HANDLE, conn->host_handle, CHIMNEY_A_PAD) ||
	    nla_put_u32(msg, CHIMNEY_A_IO_BYTES, len))
		goto err_lost;
	data = nla_reserve(msg, CHIMNEY_A_IO_DATA, len);
	if (!data || skb_copy_bits(skb, off, nla_data(data), len))
		goto err_lost;
	chimney_notify_send(cdev, msg, hdr, CHIMNEY_MCGRP_COMPLETIONS_ID);
	return;

err_lost:
	chimney_notify_failed(cdev, msg, CHIMNEY_MCGRP_COMPLETIONS_ID);
}

/**
 * chimney_notify_indicate() - NdisTcpOffloadReceiveHandler
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @id: the indication's id
 * @len: the first @len bytes of the connection's receive queue
 *
 * Return: 0, or -ENOMEM when the notification could not be sent (the
 * listeners learn it was lost).
 */
int chimney_notify_indicate(struct chimney_dev *cdev,
			    const struct chimney_conn *conn, u64 id, u32 len)
{
	struct nlattr *data;
	struct sk_buff *msg;
	void *hdr;

	trace_chimney_io(cdev, &conn->obj, CHIMNEY_CMD_RECEIVE_INDICATE, id, 0, len);
	msg = chimney_notify_new(cdev, 3 * nla_total_size_64bit(sizeof(u64)) +
				 CHIMNEY_SMALL_ATTR + nla_total_size(len),
				 CHIMNEY_CMD_RECEIVE_INDICATE, &hdr);
	if (!msg ||
	    chimney_put_u64(msg, CHIMNEY_A_HANDLE, chimney_obj_handle(&conn->obj),
			    CHIMNEY_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_A_HOST_HANDLE, conn->obj.host_handle, CHIMNEY_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_A_IO_ID, id, CHIMNEY_A_PAD) ||
	    nla_put_u32(msg, CHIMNEY_A_IO_BYTES, len))
		goto err_lost;
	data = nla_reserve(msg, CHIMNEY_A_IO_DATA, len);
	if (!data)
		goto err_lost;
	chimney_ind_copy(conn, nla_data(data), len);
	chimney_notify_send(cdev, msg, hdr, CHIMNEY_MCGRP_COMPLETIONS_ID);
	return 0;

err_lost:
	chimney_notify_failed(cdev, msg, CHIMNEY_MCGRP_COMPLETIONS_ID);
	return -ENOMEM;
}

/**
 * chimney_notify_status() - NdisMIndicateStatusEx for the whole adapter
 * @cdev: the device; its lock must be held
 * @status: CHIMNEY_NDIS_STATUS_OFFLOAD_PAUSE, _UPLOAD_ALL or _OFFLOAD_RESUME;
 *	a resume carries the capabilities, which may have changed
 */
void chimney_notify_status(struct chimney_dev *cdev, u32 status)
{
	size_t size = CHIMNEY_SMALL_ATTR + nla_total_size(0) + 8 * CHIMNEY_SMALL_ATTR;
	struct sk_buff *msg;
	void *hdr;

	trace_chimney_status(cdev, status);
	chimney_stat_add(cdev, &cdev->stats.events, 1);
	msg = chimney_notify_new(cdev, size, CHIMNEY_CMD_STATUS_INDICATE, &hdr);
	if (!msg || nla_put_u32(msg, CHIMNEY_A_STATUS, status) ||
	    (status == CHIMNEY_NDIS_STATUS_OFFLOAD_RESUME && chimney_put_caps(msg, cdev))) {
		chimney_notify_failed(cdev, msg, CHIMNEY_MCGRP_EVENTS_ID);
		return;
	}
	chimney_notify_send(cdev, msg, hdr, CHIMNEY_MCGRP_EVENTS_ID);
}

/**
 * chimney_notify_neigh_event() - NdisMOffloadEventIndicate
 * @cdev: the device; its lock must be held
 * @neigh: the neighbor
 * @code: &enum chimney_neighbor_event
 *
 * One block of type NeighborOffloadState, without dependents, with status
 * SUCCESS and its const, cached and delegated state (R91, decision 15).
 */
void chimney_notify_neigh_event(struct chimney_dev *cdev,
				const struct chimney_neigh *neigh, u32 code)
{
	struct chimney_block b = { .role = CHIMNEY_ROLE_REF,
				   .status = CHIMNEY_NDIS_STATUS_SUCCESS };
	struct nlattr *list, *n;
	struct sk_buff *msg;
	void *hdr;

	chimney_obj_get_state(cdev, &neigh->obj, &b);
	trace_chimney_neigh_event(cdev, &neigh->obj, code, b.st.neigh.nic_reachability_delta);
	chimney_stat_add(cdev, &cdev->stats.events, 1);
	msg = chimney_notify_new(cdev, CHIMNEY_SMALL_ATTR + 2 * nla_total_size(0) +
				 chimney_block_size(&b, b.has),
				 CHIMNEY_CMD_NEIGHBOR_EVENT, &hdr);
	if (!msg || nla_put_u32(msg, CHIMNEY_A_EVENT_TYPE, code))
		goto err_failed;
	list = nla_nest_start(msg, CHIMNEY_A_BLOCKS);
	n = list ? nla_nest_start(msg, 1) : NULL;
	if (!n || chimney_put_block(msg, &b, b.has, true, false))
		goto err_failed;
	nla_nest_end(msg, n);
	nla_nest_end(msg, list);
	chimney_notify_send(cdev, msg, hdr, CHIMNEY_MCGRP_EVENTS_ID);
	return;

err_failed:
	chimney_notify_failed(cdev, msg, CHIMNEY_MCGRP_EVENTS_ID);
}

/* ---- devices ---- */

/* NDIS_TCP_CONNECTION_OFFLOAD: device replies and OFFLOAD_RESUME. */
static int chimney_put_caps(struct sk_buff *msg, struct chimney_dev *cdev)
{
	struct nlattr *n = nla_nest_start(msg, CHIMNEY_A_CAPS);

	if (!n ||
	    nla_put_u32(msg, CHIMNEY_CAPS_A_ENCAPSULATION, cdev->params.encapsulation) ||
	    nla_put_u8(msg, CHIMNEY_CAPS_A_SUPPORT_IPV4, 1) ||
	    nla_put_u8(msg, CHIMNEY_CAPS_A_SUPPORT_IPV6, 1) ||
	    nla_put_u8(msg, CHIMNEY_CAPS_A_SUPPORT_IPV6_EXTENSION_HEADERS, 0) ||
	    nla_put_u8(msg, CHIMNEY_CAPS_A_SUPPORT_SACK, 0) ||
	    nla_put_u32(msg, CHIMNEY_CAPS_A_CONGESTION_ALGORITHM, 0) ||
	    nla_put_u32(msg, CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY,
			READ_ONCE(cdev->capacity)) ||
	    nla_put_u32(msg, CHIMNEY_CAPS_A_FLAGS, 0))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static int chimney_put_dev(struct sk_buff *msg, struct chimney_dev *cdev)
{
	const struct chimney_params *pa = &cdev->params;
	const struct chimney_stats *st = &cdev->stats;
	u64 seq, journal_first;
	struct nlattr *n;
	u32 pending;

	chimney_dev_read_seq(cdev, &seq, &journal_first);
	if (nla_put_u32(msg, CHIMNEY_A_IFINDEX, cdev->netdev->ifindex) ||
	    nla_put_string(msg, CHIMNEY_A_IFNAME, cdev->netdev->name) ||
	    nla_put_u32(msg, CHIMNEY_A_DEV_ID, cdev->id) ||
	    chimney_put_u64(msg, CHIMNEY_A_SEQ, seq, CHIMNEY_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_A_JOURNAL_FIRST, journal_first, CHIMNEY_A_PAD))
		return -EMSGSIZE;

	spin_lock_bh(&cdev->req_lock);
	pending = cdev->nreqs;
	spin_unlock_bh(&cdev->req_lock);
	if (nla_put_u32(msg, CHIMNEY_A_PENDING, pending))
		return -EMSGSIZE;

	if (chimney_put_caps(msg, cdev) || chimney_limits_put(msg, cdev))
		return -EMSGSIZE;

	n = nla_nest_start(msg, CHIMNEY_A_PARAMS);
	if (!n ||
	    nla_put_u32(msg, CHIMNEY_PARAM_A_ENCAPSULATION, pa->encapsulation) ||
	    nla_put_u32(msg, CHIMNEY_PARAM_A_TICKS_PER_SECOND, pa->ticks_per_second) ||
	    nla_put_u8(msg, CHIMNEY_PARAM_A_TCP_ACK_FREQUENCY, pa->tcp_ack_frequency) ||
	    nla_put_u8(msg, CHIMNEY_PARAM_A_TCP_DELAYED_ACK_TICKS,
		       pa->tcp_delayed_ack_ticks) ||
	    nla_put_u8(msg, CHIMNEY_PARAM_A_TCP_MAXIMUM_RETRANSMISSIONS,
		       pa->tcp_maximum_retransmissions) ||
	    nla_put_u8(msg, CHIMNEY_PARAM_A_TCP_DOUBT_REACHABILITY_RETRANSMISSIONS,
		       pa->tcp_doubt_reachability_retransmissions) ||
	    nla_put_u32(msg, CHIMNEY_PARAM_A_TCP_SWS_PREVENTION_TICKS,
			pa->tcp_sws_prevention_ticks) ||
	    nla_put_u8(msg, CHIMNEY_PARAM_A_TCP_DUPLICATE_ACK_THRESHOLD,
		       pa->tcp_duplicate_ack_threshold) ||
	    nla_put_u32(msg, CHIMNEY_PARAM_A_TCP_PUSH_TICKS, pa->tcp_push_ticks) ||
	    nla_put_u32(msg, CHIMNEY_PARAM_A_NCE_STALE_TICKS, pa->nce_stale_ticks) ||
	    nla_put_u32(msg, CHIMNEY_PARAM_A_CONGESTION_ALGORITHM,
			pa->congestion_algorithm))
		return -EMSGSIZE;
	nla_nest_end(msg, n);

	n = nla_nest_start(msg, CHIMNEY_A_STATS);
	if (!n ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_NEIGHBORS,
			    READ_ONCE(cdev->count[CHIMNEY_LAYER_NEIGH]), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_PATHS,
			    READ_ONCE(cdev->count[CHIMNEY_LAYER_PATH]), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_CONNECTIONS,
			    READ_ONCE(cdev->count[CHIMNEY_LAYER_TCP]), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_INITIATES,
			    chimney_stat_read(cdev, &st->initiates), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_UPDATES,
			    chimney_stat_read(cdev, &st->updates), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_INVALIDATES,
			    chimney_stat_read(cdev, &st->invalidates), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_QUERIES,
			    chimney_stat_read(cdev, &st->queries), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_TERMINATES,
			    chimney_stat_read(cdev, &st->terminates), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_EVENTS,
			    chimney_stat_read(cdev, &st->events), CHIMNEY_STATS_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_STATS_A_NOTIFY_LOST,
			    chimney_stat_read(cdev, &st->notify_lost), CHIMNEY_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return chimney_stats_put(msg, cdev);
}

static int chimney_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct chimney_dev *cdev;
	struct sk_buff *msg;
	void *hdr;
	int err;

	cdev = chimney_nl_dev(info);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto err_put;
	hdr = genlmsg_put_reply(msg, info, &chimney_genl_family, 0, CHIMNEY_CMD_DEV_GET);
	err = -EMSGSIZE;
	if (!hdr || chimney_put_dev(msg, cdev))
		goto err_free;
	genlmsg_end(msg, hdr);
	dev_put(cdev->netdev);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
err_put:
	dev_put(cdev->netdev);
	return err;
}

/**
 * struct chimney_dump_err - a dump's start rejected the request
 * @err: the errno, or 0
 * @msg: its extack message
 *
 * Linux 6.1 gives a dump's start callback no extack: the start keeps its
 * verdict here and the first dumpit reports it, with the message, in the
 * dump's final NLMSG_DONE.
 */
struct chimney_dump_err {
	int err;
	const char *msg;
};

static int chimney_dump_report(struct netlink_callback *cb,
			       const struct chimney_dump_err *de)
{
	if (cb->extack)
		cb->extack->_msg = de->msg;
	return de->err;
}

/**
 * struct chimney_dev_dump_ctx - cursor of a device dump, in &netlink_callback.ctx
 * @err: the start's verdict
 * @skip: devices already dumped
 */
struct chimney_dev_dump_ctx {
	struct chimney_dump_err err;
	long skip;
};

static int chimney_nl_dev_get_dump_start(struct netlink_callback *cb)
{
	struct chimney_dev_dump_ctx *ctx = (void *)cb->ctx;
	struct netlink_ext_ack ext = {};

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	ctx->err.err = chimney_nl_once(cb->nlh, &ext);
	ctx->err.msg = ext._msg;
	return 0;
}

static int chimney_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct chimney_dev_dump_ctx *ctx = (void *)cb->ctx;
	struct net *net = sock_net(skb->sk);
	long skip = ctx->skip, n = 0;
	struct net_device *dev;
	int err = 0;

	if (ctx->err.err)
		return chimney_dump_report(cb, &ctx->err);
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		void *hdr;

		if (dev->rtnl_link_ops != &chimney_link_ops || n++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &chimney_genl_family, NLM_F_MULTI, CHIMNEY_CMD_DEV_GET);
		if (!hdr || chimney_put_dev(skb, netdev_priv(dev))) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			n--;
			err = skb->len ? 0 : -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	ctx->skip = n;
	return err ? err : skb->len;
}

static int chimney_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pa[CHIMNEY_PARAM_A_MAX + 1] = {};
	struct nlattr *ca[CHIMNEY_CAPS_A_MAX + 1] = {};
	struct nlattr *li[CHIMNEY_LIMIT_A_MAX + 1] = {};
	struct chimney_params *p;
	struct chimney_dev *cdev;
	int err = 0;

	cdev = chimney_nl_dev(info);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	if (info->attrs[CHIMNEY_A_PARAMS])
		err = chimney_nla_parse_nested(pa, CHIMNEY_PARAM_A_MAX,
					       info->attrs[CHIMNEY_A_PARAMS],
					       chimney_param_policy, info->extack);
	if (!err && info->attrs[CHIMNEY_A_CAPS])
		err = chimney_nla_parse_nested(ca, CHIMNEY_CAPS_A_MAX,
					       info->attrs[CHIMNEY_A_CAPS],
					       chimney_caps_set_policy, info->extack);
	if (!err && info->attrs[CHIMNEY_A_LIMITS])
		err = chimney_nla_parse_nested(li, CHIMNEY_LIMIT_A_MAX,
					       info->attrs[CHIMNEY_A_LIMITS],
					       chimney_limit_policy, info->extack);
	if (!err && pa[CHIMNEY_PARAM_A_TICKS_PER_SECOND]) {
		u32 t = nla_get_u32(pa[CHIMNEY_PARAM_A_TICKS_PER_SECOND]);

		if (t != 10 && t != 100 && t != 1000) {
			NL_SET_ERR_MSG_ATTR(info->extack, pa[CHIMNEY_PARAM_A_TICKS_PER_SECOND],
					    "TicksPerSecond must be 10, 100 or 1000");
			err = -EINVAL;
		}
	}
	if (err)
		goto out;

	mutex_lock(&cdev->lock);
	p = &cdev->params;
	/* Offloaded connections keep their timestamp clock in these ticks. */
	if (pa[CHIMNEY_PARAM_A_TICKS_PER_SECOND] && cdev->count[CHIMNEY_LAYER_TCP] &&
	    nla_get_u32(pa[CHIMNEY_PARAM_A_TICKS_PER_SECOND]) != p->ticks_per_second) {
		NL_SET_ERR_MSG_ATTR(info->extack, pa[CHIMNEY_PARAM_A_TICKS_PER_SECOND],
				    "TicksPerSecond cannot change while connections are offloaded");
		err = -EBUSY;
		goto out_unlock;
	}
	/* Refused or taken whole: the limits are checked first. */
	err = chimney_limits_set(cdev, li, info->extack);
	if (err)
		goto out_unlock;
	chimney_get_u32(pa[CHIMNEY_PARAM_A_ENCAPSULATION], &p->encapsulation);
	chimney_get_u32(pa[CHIMNEY_PARAM_A_TICKS_PER_SECOND], &p->ticks_per_second);
	chimney_get_u8(pa[CHIMNEY_PARAM_A_TCP_ACK_FREQUENCY], &p->tcp_ack_frequency);
	chimney_get_u8(pa[CHIMNEY_PARAM_A_TCP_DELAYED_ACK_TICKS], &p->tcp_delayed_ack_ticks);
	chimney_get_u8(pa[CHIMNEY_PARAM_A_TCP_MAXIMUM_RETRANSMISSIONS],
		       &p->tcp_maximum_retransmissions);
	chimney_get_u8(pa[CHIMNEY_PARAM_A_TCP_DOUBT_REACHABILITY_RETRANSMISSIONS],
		       &p->tcp_doubt_reachability_retransmissions);
	chimney_get_u32(pa[CHIMNEY_PARAM_A_TCP_SWS_PREVENTION_TICKS], &p->tcp_sws_prevention_ticks);
	chimney_get_u8(pa[CHIMNEY_PARAM_A_TCP_DUPLICATE_ACK_THRESHOLD],
		       &p->tcp_duplicate_ack_threshold);
	chimney_get_u32(pa[CHIMNEY_PARAM_A_TCP_PUSH_TICKS], &p->tcp_push_ticks);
	chimney_get_u32(pa[CHIMNEY_PARAM_A_NCE_STALE_TICKS], &p->nce_stale_ticks);
	chimney_get_u32(pa[CHIMNEY_PARAM_A_CONGESTION_ALGORITHM], &p->congestion_algorithm);
	if (ca[CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY])
		WRITE_ONCE(cdev->capacity,
			   nla_get_u32(ca[CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY]));
	if (info->attrs[CHIMNEY_A_STATS_CLEAR])
		chimney_stats_clear(cdev, nla_get_u32(info->attrs[CHIMNEY_A_STATS_CLEAR]));
out_unlock:
	mutex_unlock(&cdev->lock);
out:
	dev_put(cdev->netdev);
	return err;
}

/* ---- objects ---- */

static int chimney_put_obj(struct sk_buff *msg, const struct chimney_dev *cdev,
			   const struct chimney_obj *obj)
{
	struct chimney_obj *parent = chimney_obj_parent(cdev, obj);
	struct chimney_block b = { .role = CHIMNEY_ROLE_REF };
	struct nlattr *n;

	chimney_obj_get_state(cdev, obj, &b);
	if (chimney_put_u64(msg, CHIMNEY_A_HANDLE, b.handle, CHIMNEY_A_PAD) ||
	    chimney_put_u64(msg, CHIMNEY_A_HOST_HANDLE, obj->host_handle, CHIMNEY_A_PAD) ||
	    nla_put_u8(msg, CHIMNEY_A_OBJ_TYPE, obj->type) ||
	    nla_put_u32(msg, CHIMNEY_A_OBJ_STATE,
			READ_ONCE(obj->flags) & CHIMNEY_OBJ_UAPI_FLAGS) ||
	    (parent && chimney_put_u64(msg, CHIMNEY_A_PARENT, chimney_obj_handle(parent),
				       CHIMNEY_A_PAD)))
		return -EMSGSIZE;
	n = nla_nest_start(msg, CHIMNEY_A_OBJ);
	if (!n || chimney_put_block(msg, &b, b.has, false, false))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static int chimney_nl_obj_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct chimney_dev *cdev;
	struct chimney_obj *obj;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_HANDLE, "Object get needs a handle"))
		return -EINVAL;
	cdev = chimney_nl_dev(info);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto err_put;
	hdr = genlmsg_put_reply(msg, info, &chimney_genl_family, 0, CHIMNEY_CMD_OBJ_GET);
	err = -EMSGSIZE;
	if (!hdr || nla_put_u32(msg, CHIMNEY_A_IFINDEX, cdev->netdev->ifindex))
		goto err_free;
	rcu_read_lock();
	obj = chimney_obj_lookup(cdev, nla_get_u64(info->attrs[CHIMNEY_A_HANDLE]));
	if (!obj) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CHIMNEY_A_HANDLE],
				    "Unknown, stale or foreign handle");
		err = -ENOENT;
		goto err_free;
	}
	err = chimney_put_obj(msg, cdev, obj);
	rcu_read_unlock();
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	dev_put(cdev->netdev);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
err_put:
	dev_put(cdev->netdev);
	return err;
}

/* Resolve the dump's device in its start, or note why not. */
static void chimney_dump_start_dev(struct netlink_callback *cb,
				   struct chimney_dump_err *de, int *ifindex)
{
	struct nlattr **attrs = chimney_dump_attrs(cb);
	struct netlink_ext_ack ext = {};
	struct chimney_dev *cdev;

	cdev = __chimney_nl_dev(sock_net(cb->skb->sk), cb->nlh, attrs, &ext);
	if (IS_ERR(cdev)) {
		de->err = PTR_ERR(cdev);
		de->msg = ext._msg;
		return;
	}
	*ifindex = cdev->netdev->ifindex;
	dev_put(cdev->netdev);
}

/**
 * struct chimney_dump_ctx - cursor of an object dump, in &netlink_callback.ctx
 * @err: the start's verdict
 * @ifindex: the device
 * @type: only objects of this type, or 0
 * @parent: only children of this object, or 0
 * @next: index of the next object to visit: a stable key, so that a dump
 *	of millions of objects resumes in constant time and survives
 *	concurrent changes
 */
struct chimney_dump_ctx {
	struct chimney_dump_err err;
	int ifindex;
	u8 type;
	u64 parent;
	unsigned long next;
};

static int chimney_nl_obj_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = chimney_dump_attrs(cb);
	struct chimney_dump_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	chimney_dump_start_dev(cb, &ctx->err, &ctx->ifindex);
	if (attrs[CHIMNEY_A_OBJ_TYPE])
		ctx->type = nla_get_u8(attrs[CHIMNEY_A_OBJ_TYPE]);
	if (attrs[CHIMNEY_A_PARENT])
		ctx->parent = nla_get_u64(attrs[CHIMNEY_A_PARENT]);
	ctx->next = 1;
	return 0;
}

static int chimney_nl_obj_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct chimney_dump_ctx *ctx = (void *)cb->ctx;
	struct net_device *dev;
	struct chimney_dev *cdev;
	struct chimney_obj *obj;
	unsigned int n = 0;
	unsigned long idx;
	int err = 0;

	if (ctx->err.err)
		return chimney_dump_report(cb, &ctx->err);
	if (ctx->next == ULONG_MAX)
		return 0;
again:
	rcu_read_lock();
	dev = dev_get_by_index_rcu(sock_net(skb->sk), ctx->ifindex);
	if (!dev || dev->rtnl_link_ops != &chimney_link_ops) {
		/* Gone mid-dump: the dump ends saying so, not as if complete. */
		NL_SET_ERR_MSG(cb->extack, "The device has gone: its objects with it");
		err = -ENODEV;
		goto out;
	}
	cdev = netdev_priv(dev);
	idx = ctx->next;
	xa_for_each_start(&cdev->objs, idx, obj, ctx->next) {
		struct chimney_obj *parent;
		void *hdr;

		/*
		 * A filter may match nothing in millions: the walk lets RCU
		 * go every 1024 objects, and goes on from the index.
		 */
		if (!(++n % 1024)) {
			ctx->next = idx;
			rcu_read_unlock();
			cond_resched();
			goto again;
		}
		if (ctx->type && obj->type != ctx->type)
			continue;
		parent = chimney_obj_parent(cdev, obj);
		if (ctx->parent && (!parent || chimney_obj_handle(parent) != ctx->parent))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &chimney_genl_family, NLM_F_MULTI, CHIMNEY_CMD_OBJ_GET);
		if (!hdr || nla_put_u32(skb, CHIMNEY_A_IFINDEX, ctx->ifindex) ||
		    chimney_put_obj(skb, cdev, obj)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			err = skb->len ? 0 : -EMSGSIZE;
			ctx->next = idx;
			goto out;
		}
		genlmsg_end(skb, hdr);
	}
	ctx->next = ULONG_MAX;
out:
	rcu_read_unlock();
	return err ? err : skb->len;
}

/* ---- replay of notifications ---- */

/**
 * struct chimney_replay_ctx - where a replay dump is
 * @err: the start's verdict
 * @ifindex: the device
 * @from: the sequence number of the next notification to put
 */
struct chimney_replay_ctx {
	struct chimney_dump_err err;
	int ifindex;
	u64 from;
};

static int chimney_nl_notify_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = chimney_dump_attrs(cb);
	struct chimney_replay_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	if (!attrs[CHIMNEY_A_SEQ]) {
		ctx->err.err = -EINVAL;
		ctx->err.msg = "Missing the first sequence number (CHIMNEY_A_SEQ)";
		return 0;
	}
	ctx->from = nla_get_u64(attrs[CHIMNEY_A_SEQ]);
	/*
	 * Room for a completion with a full tree of blocks (64 KiB) and the
	 * attributes that name its device and sequence number.
	 */
	cb->min_dump_alloc = U16_MAX + NLMSG_HDRLEN + GENL_HDRLEN + 64;
	chimney_dump_start_dev(cb, &ctx->err, &ctx->ifindex);
	return 0;
}

static int chimney_nl_notify_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct chimney_replay_ctx *ctx = (void *)cb->ctx;
	struct chimney_dev *cdev;
	struct net_device *dev;
	int err = 0;

	if (ctx->err.err)
		return chimney_dump_report(cb, &ctx->err);
	dev = dev_get_by_index(sock_net(skb->sk), ctx->ifindex);
	if (!dev) {
		NL_SET_ERR_MSG(cb->extack, "The device has gone: its notifications with it");
		return -ENODEV;
	}
	if (dev->rtnl_link_ops != &chimney_link_ops)
		goto out;
	cdev = netdev_priv(dev);
	mutex_lock(&cdev->lock);
	if (chimney_dev_dead(cdev)) {
		NL_SET_ERR_MSG(cb->extack, "The device is going away");
		err = -ENODEV;
	} else {
		err = chimney_journal_put(cdev, skb, cb, &ctx->from);
	}
	mutex_unlock(&cdev->lock);
out:
	dev_put(dev);
	/* The dump's extack exists here, not in its start (6.1). */
	if (err == -ERANGE)
		NL_SET_ERR_MSG(cb->extack,
			       "Notifications from this number on are no longer all in the journal: dump the objects");
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	if (err == -EMSGSIZE)
		NL_SET_ERR_MSG(cb->extack,
			       "A notification is larger than a dump message: dump the objects");
	return err;
}

/* ---- TCP I/O requests ---- */

/* A send request owns a copy of its data; a receive request its buffer. */
static struct chimney_io *chimney_nl_io_new(struct genl_info *info)
{
	struct nlattr *data = info->attrs[CHIMNEY_A_IO_DATA];
	struct chimney_io *io;
	u32 len;

	u32 flags = info->attrs[CHIMNEY_A_IO_FLAGS] ?
		    nla_get_u32(info->attrs[CHIMNEY_A_IO_FLAGS]) : 0;

	if (data && !nla_len(data)) {
		NL_SET_ERR_MSG_ATTR(info->extack, data, "Data needs at least one byte");
		return ERR_PTR(-EINVAL);
	}
	if (info->genlhdr->cmd == CHIMNEY_CMD_DISCONNECT) {
		len = data ? nla_len(data) : 0;
		if (data && (flags & CHIMNEY_IO_ABORTIVE_CLOSE)) {
			NL_SET_ERR_MSG_ATTR(info->extack, data,
					    "An abortive disconnect carries no data");
			return ERR_PTR(-EINVAL);
		}
	} else if (info->genlhdr->cmd == CHIMNEY_CMD_SEND) {
		if (CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_IO_DATA, "A send needs its data"))
			return ERR_PTR(-EINVAL);
		len = nla_len(data);
	} else {
		if (CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_IO_LEN,
				       "A receive needs the size of its buffer"))
			return ERR_PTR(-EINVAL);
		len = nla_get_u32(info->attrs[CHIMNEY_A_IO_LEN]);
	}
	io = kvmalloc(struct_size(io, data, len), CHIMNEY_GFP_USER_BUF);
	if (!io)
		return ERR_PTR(-ENOMEM);
	io->io_id = nla_get_u64(info->attrs[CHIMNEY_A_IO_ID]);
	io->len = len;
	io->done = 0;
	io->flags = flags;
	if (data)
		nla_memcpy(io->data, data, len);
	return io;
}

/* The host disconnects a connection once (3.8). */
static bool chimney_nl_disconnecting(const struct chimney_conn *conn)
{
	return (conn->x && conn->x->disc) || test_bit(CHIMNEY_DP_FIN_SENT, &conn->dp) ||
	       test_bit(CHIMNEY_DP_RST, &conn->dp);
}

static int chimney_nl_io_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct chimney_dev *cdev;
	struct chimney_obj *obj;
	struct chimney_io *io;
	int err;

	if (CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_HANDLE,
			       "An I/O request needs a connection's handle") ||
	    CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_IO_ID, "An I/O request needs its id"))
		return -EINVAL;
	cdev = chimney_nl_dev(info);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	io = chimney_nl_io_new(info);
	if (IS_ERR(io)) {
		dev_put(cdev->netdev);
		return PTR_ERR(io);
	}

	mutex_lock(&cdev->lock);
	obj = chimney_obj_lookup(cdev, nla_get_u64(info->attrs[CHIMNEY_A_HANDLE]));
	if (chimney_dev_dead(cdev)) {
		NL_SET_ERR_MSG(extack, "The device is going away");
		err = -ENODEV;
	} else if (!obj || obj->layer != CHIMNEY_LAYER_TCP) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[CHIMNEY_A_HANDLE],
				    "Not the handle of an offloaded TCP connection");
		err = -ENOENT;
	} else if (info->genlhdr->cmd == CHIMNEY_CMD_DISCONNECT &&
		   chimney_nl_disconnecting(container_of(obj, struct chimney_conn, obj))) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[CHIMNEY_A_HANDLE],
				    "The connection is already being disconnected");
		err = -EALREADY;
	} else {
		struct chimney_conn *conn = container_of(obj, struct chimney_conn, obj);

		err = chimney_offload_io_room(cdev, conn, info->genlhdr->cmd, io, extack);
		if (!err) {
			err = chimney_offload_post_io(cdev, conn, info->genlhdr->cmd, io);
			io = NULL;
		}
	}
	mutex_unlock(&cdev->lock);
	kvfree(io);
	dev_put(cdev->netdev);
	return err;
}

/*
 * The host's answer to a receive indication, its receive-return, and a
 * forwarded segment: each about one offloaded connection.
 */
static int chimney_nl_conn_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	u8 cmd = info->genlhdr->cmd;
	struct chimney_conn *conn;
	struct chimney_dev *cdev;
	struct chimney_obj *obj;
	u64 id;
	int err;

	if (CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_HANDLE, "The request needs a connection's handle") ||
	    CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_IO_ID, "The request needs the id it answers") ||
	    (cmd == CHIMNEY_CMD_RECEIVE_ANSWER &&
	     CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_STATUS, "A receive answer needs a status")) ||
	    (cmd == CHIMNEY_CMD_FORWARD &&
	     CHIMNEY_NL_REQUIRE(info, CHIMNEY_A_IO_DATA, "A forward needs the segment")))
		return -EINVAL;
	id = nla_get_u64(attrs[CHIMNEY_A_IO_ID]);
	cdev = chimney_nl_dev(info);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);

	mutex_lock(&cdev->lock);
	obj = chimney_obj_lookup(cdev, nla_get_u64(attrs[CHIMNEY_A_HANDLE]));
	if (chimney_dev_dead(cdev)) {
		NL_SET_ERR_MSG(extack, "The device is going away");
		err = -ENODEV;
		goto out;
	}
	if (!obj || obj->layer != CHIMNEY_LAYER_TCP) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[CHIMNEY_A_HANDLE],
				    "Not the handle of an offloaded TCP connection");
		err = -ENOENT;
		goto out;
	}
	conn = container_of(obj, struct chimney_conn, obj);
	if (cmd == CHIMNEY_CMD_RECEIVE_ANSWER)
		err = chimney_ind_answer(cdev, conn, id, nla_get_u32(attrs[CHIMNEY_A_STATUS]),
					 attrs[CHIMNEY_A_IO_BYTES] ?
					 nla_get_u32(attrs[CHIMNEY_A_IO_BYTES]) : 0, extack);
	else if (cmd == CHIMNEY_CMD_RECEIVE_RETURN)
		err = chimney_ind_return(cdev, conn, id, extack);
	else
		err = chimney_dp_forward(cdev, conn, id, nla_data(attrs[CHIMNEY_A_IO_DATA]),
					 nla_len(attrs[CHIMNEY_A_IO_DATA]), extack);
out:
	mutex_unlock(&cdev->lock);
	dev_put(cdev->netdev);
	return err;
}

/* ---- the family ---- */

#define CHIMNEY_STATE_OP(_cmd) {					\
	.cmd = _cmd,							\
	.flags = GENL_UNS_ADMIN_PERM,					\
	.policy = chimney_state_policy,					\
	.maxattr = CHIMNEY_A_MAX,					\
	.doit = chimney_nl_state_doit,					\
}

static const struct genl_ops chimney_genl_ops[] = {
	{
		.cmd = CHIMNEY_CMD_DEV_GET,
		.policy = chimney_dev_get_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_dev_get_doit,
		.start = chimney_nl_dev_get_dump_start,
		.dumpit = chimney_nl_dev_get_dumpit,
	},
	{
		.cmd = CHIMNEY_CMD_DEV_SET,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_dev_set_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_dev_set_doit,
	},
	CHIMNEY_STATE_OP(CHIMNEY_CMD_INITIATE),
	CHIMNEY_STATE_OP(CHIMNEY_CMD_UPDATE),
	CHIMNEY_STATE_OP(CHIMNEY_CMD_INVALIDATE),
	CHIMNEY_STATE_OP(CHIMNEY_CMD_QUERY),
	CHIMNEY_STATE_OP(CHIMNEY_CMD_TERMINATE),
	{
		/* Offloaded TCP state is sensitive: admins only. */
		.cmd = CHIMNEY_CMD_OBJ_GET,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_obj_get_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_obj_get_doit,
		.start = chimney_nl_obj_dump_start,
		.dumpit = chimney_nl_obj_dumpit,
	},
	{
		/* Notifications are for the groups' members: admins only. */
		.cmd = CHIMNEY_CMD_NOTIFY_GET,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_notify_get_policy,
		.maxattr = CHIMNEY_A_MAX,
		.start = chimney_nl_notify_dump_start,
		.dumpit = chimney_nl_notify_dumpit,
	},
	{
		.cmd = CHIMNEY_CMD_SEND,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_send_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_io_doit,
	},
	{
		.cmd = CHIMNEY_CMD_RECEIVE,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_recv_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_io_doit,
	},
	{
		.cmd = CHIMNEY_CMD_DISCONNECT,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_disconnect_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_io_doit,
	},
	{
		.cmd = CHIMNEY_CMD_RECEIVE_ANSWER,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_answer_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_conn_doit,
	},
	{
		.cmd = CHIMNEY_CMD_RECEIVE_RETURN,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_return_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_conn_doit,
	},
	{
		.cmd = CHIMNEY_CMD_FORWARD,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = chimney_forward_policy,
		.maxattr = CHIMNEY_A_MAX,
		.doit = chimney_nl_conn_doit,
	},
};

static const struct genl_multicast_group chimney_mcgrps[] = {
	[CHIMNEY_MCGRP_COMPLETIONS_ID] = {
		.name = CHIMNEY_MCGRP_COMPLETIONS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
	[CHIMNEY_MCGRP_EVENTS_ID] = {
		.name = CHIMNEY_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family chimney_genl_family __ro_after_init = {
	.name		= CHIMNEY_GENL_NAME,
	.version	= CHIMNEY_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= chimney_genl_ops,
	.n_ops		= ARRAY_SIZE(chimney_genl_ops),
	.mcgrps		= chimney_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(chimney_mcgrps),
};

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * chimney_nl_validate() - check attributes as the family checks a request
 * @cmd: the command, &enum chimney_cmd
 * @head: its first attribute
 * @len: the attributes' length
 * @extack: the rejection's message
 *
 * Strict validation against the command's policy, as genetlink does before
 * a doit; for the policies' own tests.
 *
 * Return: 0, -EOPNOTSUPP for a command the family does not take, or the
 * validation's error.
 */
VISIBLE_IF_KUNIT int chimney_nl_validate(u8 cmd, const struct nlattr *head, int len,
					 struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(chimney_genl_ops); i++)
		if (chimney_genl_ops[i].cmd == cmd)
			return __nla_validate(head, len, chimney_genl_ops[i].maxattr,
					      chimney_genl_ops[i].policy,
					      NL_VALIDATE_STRICT, extack);
	return -EOPNOTSUPP;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_nl_validate);
#endif

/**
 * chimney_netlink_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int chimney_netlink_init(void)
{
	chimney_nla_init();
	return genl_register_family(&chimney_genl_family);
}

/**
 * chimney_netlink_exit() - unregister the generic netlink family
 */
void chimney_netlink_exit(void)
{
	genl_unregister_family(&chimney_genl_family);
}
