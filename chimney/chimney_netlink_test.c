// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the family's policies: each command's attributes are
 * checked as genetlink checks them (strictly), down to the state variables
 * three nests deep in a block tree. Every rejection must carry a message.
 */
#include <kunit/test.h>
#include <linux/netlink.h>
#include <linux/tcp.h>
#include <net/netlink.h>

#include "chimney.h"

struct chimney_nl_test_case {
	const char *name;
	u8 cmd;
	void (*build)(struct sk_buff *skb, u32 arg);
	u32 arg;
	bool ok;
};

static void chimney_nl_test_ifindex(struct sk_buff *skb, u32 ifindex)
{
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, ifindex);
}

static void chimney_nl_test_short_ifindex(struct sk_buff *skb, u32 arg)
{
	nla_put_u16(skb, CHIMNEY_A_IFINDEX, arg);
}

/* CHIMNEY_A_MAX + 1 and an attribute of another command's policy. */
static void chimney_nl_test_unknown(struct sk_buff *skb, u32 type)
{
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	nla_put_u32(skb, type, 0);
}

/* A neighbor block whose VlanId (const) is arg. */
static void chimney_nl_test_neigh(struct sk_buff *skb, u32 vlan)
{
	struct nlattr *list, *blk, *cls;

	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	nla_put_u64_64bit(skb, CHIMNEY_A_REQ_ID, 7, CHIMNEY_A_PAD);
	list = nla_nest_start(skb, CHIMNEY_A_BLOCKS);
	blk = nla_nest_start(skb, 1);
	nla_put_u8(skb, CHIMNEY_BLOCK_A_TYPE, CHIMNEY_NEIGHBOR_OFFLOAD_STATE);
	nla_put_flag(skb, CHIMNEY_BLOCK_A_NEW);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CONST);
	nla_put_u16(skb, CHIMNEY_NEIGH_A_VLAN_ID, vlan);
	nla_nest_end(skb, cls);
	nla_nest_end(skb, blk);
	nla_nest_end(skb, list);
}

/*
 * Neighbor placeholder, path placeholder, and a TCP block: arg's low byte
 * is its UserPriority (cached), the next its const flags, the top its
 * block type.
 */
static void chimney_nl_test_tcp(struct sk_buff *skb, u32 arg)
{
	struct nlattr *list[3], *blk[3], *cls;
	int l;

	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	list[0] = nla_nest_start(skb, CHIMNEY_A_BLOCKS);
	for (l = 0; l < 3; l++) {
		if (l)
			list[l] = nla_nest_start(skb, CHIMNEY_BLOCK_A_DEPENDENTS);
		blk[l] = nla_nest_start(skb, 1);
	}
	nla_put_u8(skb, CHIMNEY_BLOCK_A_TYPE, arg >> 24);
	nla_put_flag(skb, CHIMNEY_BLOCK_A_NEW);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CONST);
	nla_put_u16(skb, CHIMNEY_TCP_A_CONST_FLAGS, (arg >> 8) & 0xff);
	nla_nest_end(skb, cls);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CACHED);
	nla_put_u8(skb, CHIMNEY_TCP_A_USER_PRIORITY, arg & 0xff);
	nla_nest_end(skb, cls);
	for (l = 2; l >= 0; l--) {
		nla_nest_end(skb, blk[l]);
		nla_nest_end(skb, list[l]);
	}
}

#define CHIMNEY_NL_TEST_TCP(type, flags, prio) ((type) << 24 | (flags) << 8 | (prio))

static void chimney_nl_test_ticks(struct sk_buff *skb, u32 ticks)
{
	struct nlattr *n;

	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	n = nla_nest_start(skb, CHIMNEY_A_PARAMS);
	nla_put_u32(skb, CHIMNEY_PARAM_A_TICKS_PER_SECOND, ticks);
	nla_nest_end(skb, n);
}

static void chimney_nl_test_capacity(struct sk_buff *skb, u32 capacity)
{
	struct nlattr *n;

	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	n = nla_nest_start(skb, CHIMNEY_A_CAPS);
	nla_put_u32(skb, CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY, capacity);
	nla_nest_end(skb, n);
}

static void chimney_nl_test_clear(struct sk_buff *skb, u32 sets)
{
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	nla_put_u32(skb, CHIMNEY_A_STATS_CLEAR, sets);
}

static void chimney_nl_test_io(struct sk_buff *skb)
{
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	nla_put_u64_64bit(skb, CHIMNEY_A_HANDLE, 1, CHIMNEY_A_PAD);
	nla_put_u64_64bit(skb, CHIMNEY_A_IO_ID, 1, CHIMNEY_A_PAD);
}

static void chimney_nl_test_data(struct sk_buff *skb, u32 len)
{
	struct nlattr *data;

	chimney_nl_test_io(skb);
	data = nla_reserve(skb, CHIMNEY_A_IO_DATA, len);
	if (data)
		memset(nla_data(data), 'x', len);
}

static void chimney_nl_test_recv_len(struct sk_buff *skb, u32 len)
{
	chimney_nl_test_io(skb);
	nla_put_u32(skb, CHIMNEY_A_IO_LEN, len);
}

static void chimney_nl_test_io_flags(struct sk_buff *skb, u32 flags)
{
	chimney_nl_test_io(skb);
	nla_put_u32(skb, CHIMNEY_A_IO_FLAGS, flags);
}

/* An answer to receive indication 1 consuming bytes (SUCCESS). */
static void chimney_nl_test_answer(struct sk_buff *skb, u32 bytes)
{
	chimney_nl_test_io(skb);
	nla_put_u32(skb, CHIMNEY_A_STATUS, CHIMNEY_NDIS_STATUS_SUCCESS);
	nla_put_u32(skb, CHIMNEY_A_IO_BYTES, bytes);
}

/* Receive-return of indication id. */
static void chimney_nl_test_return(struct sk_buff *skb, u32 id)
{
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	nla_put_u64_64bit(skb, CHIMNEY_A_HANDLE, 1, CHIMNEY_A_PAD);
	nla_put_u64_64bit(skb, CHIMNEY_A_IO_ID, id, CHIMNEY_A_PAD);
}

static void chimney_nl_test_handle(struct sk_buff *skb, u32 handle)
{
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	nla_put_u64_64bit(skb, CHIMNEY_A_HANDLE, handle, CHIMNEY_A_PAD);
}

static void chimney_nl_test_obj_type(struct sk_buff *skb, u32 type)
{
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	nla_put_u8(skb, CHIMNEY_A_OBJ_TYPE, type);
}

static const struct chimney_nl_test_case chimney_nl_test_cases[] = {
	{ "dev get", CHIMNEY_CMD_DEV_GET, chimney_nl_test_ifindex, 1, true },
	{ "ifindex 0", CHIMNEY_CMD_DEV_GET, chimney_nl_test_ifindex, 0, false },
	{ "ifindex of 16 bits", CHIMNEY_CMD_INITIATE, chimney_nl_test_short_ifindex, 1, false },
	{ "attribute past the maximum", CHIMNEY_CMD_INITIATE, chimney_nl_test_unknown,
	  CHIMNEY_A_MAX + 1, false },
	{ "another command's attribute", CHIMNEY_CMD_TERMINATE, chimney_nl_test_unknown,
	  CHIMNEY_A_IO_LEN, false },
	{ "reply-only attribute", CHIMNEY_CMD_SEND, chimney_nl_test_unknown,
	  CHIMNEY_A_IO_BYTES, false },
	{ "neighbor VlanId 4095", CHIMNEY_CMD_INITIATE, chimney_nl_test_neigh, 4095, true },
	{ "neighbor VlanId 4096", CHIMNEY_CMD_INITIATE, chimney_nl_test_neigh, 4096, false },
	{ "TCP block", CHIMNEY_CMD_INITIATE, chimney_nl_test_tcp,
	  CHIMNEY_NL_TEST_TCP(CHIMNEY_TCP_OFFLOAD_STATE, CHIMNEY_TCP_CONST_FLAGS, 7), true },
	{ "TCP UserPriority 8", CHIMNEY_CMD_UPDATE, chimney_nl_test_tcp,
	  CHIMNEY_NL_TEST_TCP(CHIMNEY_TCP_OFFLOAD_STATE, 0, 8), false },
	{ "TCP const flag unknown", CHIMNEY_CMD_INITIATE, chimney_nl_test_tcp,
	  CHIMNEY_NL_TEST_TCP(CHIMNEY_TCP_OFFLOAD_STATE, 0x08, 0), false },
	{ "block type 0", CHIMNEY_CMD_INITIATE, chimney_nl_test_tcp,
	  CHIMNEY_NL_TEST_TCP(0, 0, 0), false },
	{ "block type past TcpOffloadState", CHIMNEY_CMD_QUERY, chimney_nl_test_tcp,
	  CHIMNEY_NL_TEST_TCP(CHIMNEY_TCP_OFFLOAD_STATE + 1, 0, 0), false },
	{ "TicksPerSecond 1000", CHIMNEY_CMD_DEV_SET, chimney_nl_test_ticks, 1000, true },
	{ "TicksPerSecond 9", CHIMNEY_CMD_DEV_SET, chimney_nl_test_ticks, 9, false },
	{ "TicksPerSecond 1001", CHIMNEY_CMD_DEV_SET, chimney_nl_test_ticks, 1001, false },
	{ "capacity 0", CHIMNEY_CMD_DEV_SET, chimney_nl_test_capacity, 0, false },
	{ "capacity past the maximum", CHIMNEY_CMD_DEV_SET, chimney_nl_test_capacity,
	  CHIMNEY_MAX_CAPACITY + 1, false },
	{ "clear all counter sets", CHIMNEY_CMD_DEV_SET, chimney_nl_test_clear,
	  CHIMNEY_STATS_SET_ALL, true },
	{ "clear an unknown set", CHIMNEY_CMD_DEV_SET, chimney_nl_test_clear,
	  CHIMNEY_STATS_SET_ALL + 1, false },
	{ "send of 65000 bytes", CHIMNEY_CMD_SEND, chimney_nl_test_data,
	  CHIMNEY_IO_MAX_DATA, true },
	{ "send of 65001 bytes", CHIMNEY_CMD_SEND, chimney_nl_test_data,
	  CHIMNEY_IO_MAX_DATA + 1, false },
	{ "disconnect data of 65001 bytes", CHIMNEY_CMD_DISCONNECT, chimney_nl_test_data,
	  CHIMNEY_IO_MAX_DATA + 1, false },
	{ "receive of 65000 bytes", CHIMNEY_CMD_RECEIVE, chimney_nl_test_recv_len,
	  CHIMNEY_IO_MAX_DATA, true },
	{ "receive of 65001 bytes", CHIMNEY_CMD_RECEIVE, chimney_nl_test_recv_len,
	  CHIMNEY_IO_MAX_DATA + 1, false },
	{ "receive no-push", CHIMNEY_CMD_RECEIVE, chimney_nl_test_io_flags,
	  CHIMNEY_IO_NO_PUSH, true },
	{ "receive abortive", CHIMNEY_CMD_RECEIVE, chimney_nl_test_io_flags,
	  CHIMNEY_IO_ABORTIVE_CLOSE, false },
	{ "disconnect abortive", CHIMNEY_CMD_DISCONNECT, chimney_nl_test_io_flags,
	  CHIMNEY_IO_ABORTIVE_CLOSE, true },
	{ "disconnect no-push", CHIMNEY_CMD_DISCONNECT, chimney_nl_test_io_flags,
	  CHIMNEY_IO_NO_PUSH, false },
	{ "indication answer of 65000 bytes", CHIMNEY_CMD_RECEIVE_ANSWER, chimney_nl_test_answer,
	  CHIMNEY_IO_MAX_DATA, true },
	{ "indication answer of 65001 bytes", CHIMNEY_CMD_RECEIVE_ANSWER, chimney_nl_test_answer,
	  CHIMNEY_IO_MAX_DATA + 1, false },
	{ "receive-return of indication 1", CHIMNEY_CMD_RECEIVE_RETURN, chimney_nl_test_return,
	  1, true },
	{ "receive-return of indication 0", CHIMNEY_CMD_RECEIVE_RETURN, chimney_nl_test_return,
	  0, false },
	{ "forward of a TCP header", CHIMNEY_CMD_FORWARD, chimney_nl_test_data,
	  sizeof(struct tcphdr), true },
	{ "forward shorter than a TCP header", CHIMNEY_CMD_FORWARD, chimney_nl_test_data,
	  sizeof(struct tcphdr) - 1, false },
	{ "forward of 65001 bytes", CHIMNEY_CMD_FORWARD, chimney_nl_test_data,
	  CHIMNEY_IO_MAX_DATA + 1, false },
	{ "object handle 0", CHIMNEY_CMD_OBJ_GET, chimney_nl_test_handle, 0, false },
	{ "object type 0", CHIMNEY_CMD_OBJ_GET, chimney_nl_test_obj_type, 0, false },
	{ "object type TcpOffloadState", CHIMNEY_CMD_OBJ_GET, chimney_nl_test_obj_type,
	  CHIMNEY_TCP_OFFLOAD_STATE, true },
	{ "a notification is no request", CHIMNEY_CMD_SEND_COMPLETE, chimney_nl_test_ifindex,
	  1, false },
};

static void chimney_nl_test_desc(const struct chimney_nl_test_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chimney_nl_test_policy, chimney_nl_test_cases, chimney_nl_test_desc);

static void chimney_nl_test_policy(struct kunit *test)
{
	const struct chimney_nl_test_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct sk_buff *skb;
	int err;

	skb = alloc_skb(2 * CHIMNEY_IO_MAX_DATA, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	c->build(skb, c->arg);
	err = chimney_nl_validate(c->cmd, (struct nlattr *)skb->data, skb->len, &extack);
	if (c->ok) {
		KUNIT_EXPECT_EQ(test, err, 0);
	} else {
		KUNIT_EXPECT_LT(test, err, 0);
		/* Only an unknown command has no message: genetlink says so. */
		if (err != -EOPNOTSUPP)
			KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	}
	kfree_skb(skb);
}

/* Every command the family takes refuses an attribute it does not know. */
static void chimney_nl_test_strict(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	unsigned int taken = 0;
	u8 cmd;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	chimney_nl_test_unknown(skb, CHIMNEY_A_MAX + 1);
	for (cmd = CHIMNEY_CMD_UNSPEC + 1; cmd <= CHIMNEY_CMD_MAX; cmd++) {
		struct netlink_ext_ack extack = {};
		int err;

		err = chimney_nl_validate(cmd, (struct nlattr *)skb->data, skb->len, &extack);
		if (err == -EOPNOTSUPP)
			continue;
		taken++;
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "command %u", cmd);
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "command %u", cmd);
	}
	/*
	 * dev get/set, 5 state requests, obj get, notify get, 3 I/O posts,
	 * indication answer and return, forward
	 */
	KUNIT_EXPECT_EQ(test, taken, 15U);
	kfree_skb(skb);
}

static struct kunit_case chimney_nl_test_cases_list[] = {
	KUNIT_CASE_PARAM(chimney_nl_test_policy, chimney_nl_test_policy_gen_params),
	KUNIT_CASE(chimney_nl_test_strict),
	{}
};

static struct kunit_suite chimney_nl_test_suite = {
	.name = "chimney_netlink",
	.test_cases = chimney_nl_test_cases_list,
};

kunit_test_suite(chimney_nl_test_suite);
