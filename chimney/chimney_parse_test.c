// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the parsing of state requests from hostile input: trees
 * are built as a host would send them, validated as genetlink validates
 * them, and parsed by chimney_req_parse() on a registered device. Each
 * attribute counts once, the request has room for exactly the blocks it
 * was parsed from, and a value is checked alike on every path that takes it.
 */
#include <kunit/test.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <net/netlink.h>

#include "chimney.h"
#include "chimney_test.h"

static struct chimney_dev *chimney_parse_cdev(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;

	return netdev_priv(priv->dev);
}

static struct sk_buff *chimney_parse_skb(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(2 * CHIMNEY_IO_MAX_DATA, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb;
}

/* A new neighbor's block, left open for its dependents. */
static struct nlattr *chimney_parse_neigh(struct sk_buff *skb, u64 host)
{
	static const u8 mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };
	struct nlattr *blk, *cls;

	blk = nla_nest_start(skb, 1);
	nla_put_u8(skb, CHIMNEY_BLOCK_A_TYPE, CHIMNEY_NEIGHBOR_OFFLOAD_STATE);
	nla_put_flag(skb, CHIMNEY_BLOCK_A_NEW);
	nla_put_u64_64bit(skb, CHIMNEY_BLOCK_A_HOST_HANDLE, host, CHIMNEY_BLOCK_A_PAD);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CACHED);
	nla_put(skb, CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS, ETH_ALEN, mac);
	nla_nest_end(skb, cls);
	return blk;
}

/* A new path's block (IPv6 when v6), left open for its dependents. */
static struct nlattr *chimney_parse_path(struct sk_buff *skb, u64 host, bool v6, u32 mtu)
{
	struct in6_addr a6 = { .s6_addr = { 0xfd, [15] = 1 } };
	__be32 a4 = htonl(0x0a000001);
	struct nlattr *blk, *cls;

	blk = nla_nest_start(skb, 1);
	nla_put_u8(skb, CHIMNEY_BLOCK_A_TYPE,
		   v6 ? CHIMNEY_IP6_OFFLOAD_STATE : CHIMNEY_IP4_OFFLOAD_STATE);
	nla_put_flag(skb, CHIMNEY_BLOCK_A_NEW);
	nla_put_u64_64bit(skb, CHIMNEY_BLOCK_A_HOST_HANDLE, host, CHIMNEY_BLOCK_A_PAD);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CONST);
	if (v6) {
		nla_put(skb, CHIMNEY_PATH_A_SOURCE_ADDRESS, sizeof(a6), &a6);
		a6.s6_addr[15] = 2;
		nla_put(skb, CHIMNEY_PATH_A_DESTINATION_ADDRESS, sizeof(a6), &a6);
	} else {
		nla_put(skb, CHIMNEY_PATH_A_SOURCE_ADDRESS, sizeof(a4), &a4);
		a4 = htonl(0x0a000002);
		nla_put(skb, CHIMNEY_PATH_A_DESTINATION_ADDRESS, sizeof(a4), &a4);
	}
	nla_nest_end(skb, cls);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CACHED);
	nla_put_u32(skb, CHIMNEY_PATH_A_PATH_MTU, mtu);
	nla_nest_end(skb, cls);
	return blk;
}

/*
 * The usual tree, open: the list of blocks, a new neighbor, its dependents,
 * a new path (IPv6 when v6) and the path's dependents, for the test to add
 * connections to before chimney_parse_close().
 */
#define CHIMNEY_PARSE_OPEN	5

static void chimney_parse_open(struct sk_buff *skb, struct nlattr **open, bool v6, u32 mtu)
{
	open[0] = nla_nest_start(skb, CHIMNEY_A_BLOCKS);
	open[1] = chimney_parse_neigh(skb, 1);
	open[2] = nla_nest_start(skb, CHIMNEY_BLOCK_A_DEPENDENTS);
	open[3] = chimney_parse_path(skb, 2, v6, mtu);
	open[4] = nla_nest_start(skb, CHIMNEY_BLOCK_A_DEPENDENTS);
}

static void chimney_parse_close(struct sk_buff *skb, struct nlattr **open)
{
	int i;

	for (i = CHIMNEY_PARSE_OPEN - 1; i >= 0; i--)
		nla_nest_end(skb, open[i]);
}

/*
 * A new connection, established, with SndUna, SndNxt and SndMax as given
 * and no send data; dup repeats its SndUna.
 */
static void chimney_parse_tcp(struct sk_buff *skb, u64 host, u32 una, u32 nxt, u32 max,
			      bool dup)
{
	struct nlattr *blk, *cls;

	blk = nla_nest_start(skb, 1);
	nla_put_u8(skb, CHIMNEY_BLOCK_A_TYPE, CHIMNEY_TCP_OFFLOAD_STATE);
	nla_put_flag(skb, CHIMNEY_BLOCK_A_NEW);
	nla_put_u64_64bit(skb, CHIMNEY_BLOCK_A_HOST_HANDLE, host, CHIMNEY_BLOCK_A_PAD);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CONST);
	nla_put_u16(skb, CHIMNEY_TCP_A_LOCAL_PORT, 1000 + host);
	nla_put_u16(skb, CHIMNEY_TCP_A_REMOTE_PORT, 2000);
	nla_put_u16(skb, CHIMNEY_TCP_A_REMOTE_MSS, 1460);
	nla_nest_end(skb, cls);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CACHED);
	nla_nest_end(skb, cls);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_DELEGATED);
	nla_put_u8(skb, CHIMNEY_TCP_A_STATE, CHIMNEY_TCP_CONNECTION_ESTABLISHED);
	nla_put_u32(skb, CHIMNEY_TCP_A_SND_UNA, una);
	if (dup)
		nla_put_u32(skb, CHIMNEY_TCP_A_SND_UNA, una);
	nla_put_u32(skb, CHIMNEY_TCP_A_SND_NXT, nxt);
	nla_put_u32(skb, CHIMNEY_TCP_A_SND_MAX, max);
	nla_nest_end(skb, cls);
	nla_nest_end(skb, blk);
}

/*
 * The request's attributes in skb validated as genetlink validates them,
 * then its CHIMNEY_A_BLOCKS parsed: the request, or an ERR_PTR.
 */
static struct chimney_req *chimney_parse_run(struct kunit *test, u8 cmd, struct sk_buff *skb,
					     struct netlink_ext_ack *extack)
{
	const struct nlattr *blocks;
	int err;

	err = chimney_nl_validate(cmd, (struct nlattr *)skb->data, skb->len, extack);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "validation: %s", extack->_msg);
	blocks = nla_find((struct nlattr *)skb->data, skb->len, CHIMNEY_A_BLOCKS);
	KUNIT_ASSERT_NOT_NULL(test, blocks);
	return chimney_req_parse(chimney_parse_cdev(test), cmd, blocks, extack);
}

static void chimney_parse_expect_refused(struct kunit *test, struct chimney_req *req,
					 int err, const struct netlink_ext_ack *extack)
{
	KUNIT_EXPECT_TRUE(test, IS_ERR(req));
	if (!IS_ERR(req)) {
		chimney_req_free(req);
		return;
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR(req), err);
	KUNIT_EXPECT_NOT_NULL(test, extack->_msg);
}

/*
 * The report of issue 16, exactly: a neighbor block with two dependents
 * attributes, the first empty, the second with 200 path blocks. Counted
 * with the first and parsed with the second, 201 blocks were written into
 * room for 1. Now the second is refused, and named.
 */
static void chimney_parse_test_two_dependents(struct kunit *test)
{
	struct sk_buff *skb = chimney_parse_skb(test);
	struct netlink_ext_ack extack = {};
	struct nlattr *list, *neigh, *deps;
	struct chimney_req *req;
	int i;

	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	nla_put_u64_64bit(skb, CHIMNEY_A_REQ_ID, 1, CHIMNEY_A_PAD);
	list = nla_nest_start(skb, CHIMNEY_A_BLOCKS);
	neigh = chimney_parse_neigh(skb, 1);
	deps = nla_nest_start(skb, CHIMNEY_BLOCK_A_DEPENDENTS);
	nla_nest_end(skb, deps);
	deps = nla_nest_start(skb, CHIMNEY_BLOCK_A_DEPENDENTS);
	for (i = 0; i < 200; i++)
		nla_nest_end(skb, chimney_parse_path(skb, 2 + i, false, 1500));
	nla_nest_end(skb, deps);
	nla_nest_end(skb, neigh);
	nla_nest_end(skb, list);

	req = chimney_parse_run(test, CHIMNEY_CMD_INITIATE, skb, &extack);
	chimney_parse_expect_refused(test, req, -EINVAL, &extack);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, (const struct nlattr *)deps);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg ?: "", "appears twice"));
	kfree_skb(skb);
}

/* A repeated attribute is refused in each nest of a block, and at the top. */
static void chimney_parse_test_once(struct kunit *test)
{
	struct nlattr *open[CHIMNEY_PARSE_OPEN], *list, *neigh, *second;
	struct netlink_ext_ack extack = {};
	struct chimney_req *req;
	struct sk_buff *skb;
	struct nlmsghdr *nlh;

	/* SndUna twice in a connection's delegated state. */
	skb = chimney_parse_skb(test);
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	chimney_parse_open(skb, open, false, 1500);
	chimney_parse_tcp(skb, 3, 1, 1, 1, true);
	chimney_parse_close(skb, open);
	req = chimney_parse_run(test, CHIMNEY_CMD_INITIATE, skb, &extack);
	chimney_parse_expect_refused(test, req, -EINVAL, &extack);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg ?: "", "appears twice"));
	kfree_skb(skb);

	/* The host's handle twice in a block. */
	memset(&extack, 0, sizeof(extack));
	skb = chimney_parse_skb(test);
	list = nla_nest_start(skb, CHIMNEY_A_BLOCKS);
	neigh = chimney_parse_neigh(skb, 1);
	second = (struct nlattr *)skb_tail_pointer(skb);
	nla_put_u64_64bit(skb, CHIMNEY_BLOCK_A_HOST_HANDLE, 9, CHIMNEY_BLOCK_A_PAD);
	nla_nest_end(skb, neigh);
	nla_nest_end(skb, list);
	req = chimney_parse_run(test, CHIMNEY_CMD_INITIATE, skb, &extack);
	chimney_parse_expect_refused(test, req, -EINVAL, &extack);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg ?: "", "appears twice"));
	kfree_skb(skb);

	/* The device's ifindex twice at the top level of a message. */
	memset(&extack, 0, sizeof(extack));
	skb = chimney_parse_skb(test);
	nlh = nlmsg_put(skb, 0, 1, GENL_ID_CTRL, GENL_HDRLEN, 0);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 1);
	second = (struct nlattr *)skb_tail_pointer(skb);
	nla_put_u32(skb, CHIMNEY_A_IFINDEX, 2);
	nlmsg_end(skb, nlh);
	KUNIT_EXPECT_EQ(test, chimney_nl_once(nlh, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, (const struct nlattr *)second);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	kfree_skb(skb);
}

/* The request has exactly its blocks, in traversal order, with parents. */
static void chimney_parse_test_tree(struct kunit *test)
{
	static const u16 parent[] = { CHIMNEY_BLOCK_NO_PARENT, 0, 1, 1, 0, 4 };
	static const u8 layer[] = { 0, 1, 2, 2, 1, 2 };
	struct sk_buff *skb = chimney_parse_skb(test);
	struct netlink_ext_ack extack = {};
	struct nlattr *list, *neigh, *deps, *path, *tcps;
	struct chimney_req *req;
	unsigned int i, p;

	list = nla_nest_start(skb, CHIMNEY_A_BLOCKS);
	neigh = chimney_parse_neigh(skb, 1);
	deps = nla_nest_start(skb, CHIMNEY_BLOCK_A_DEPENDENTS);
	for (p = 0; p < 2; p++) {
		path = chimney_parse_path(skb, 2 + 4 * p, p, 1500);
		tcps = nla_nest_start(skb, CHIMNEY_BLOCK_A_DEPENDENTS);
		for (i = 0; i < 2 - p; i++)
			chimney_parse_tcp(skb, 3 + 4 * p + i, 7, 7, 7, false);
		nla_nest_end(skb, tcps);
		nla_nest_end(skb, path);
	}
	nla_nest_end(skb, deps);
	nla_nest_end(skb, neigh);
	nla_nest_end(skb, list);

	req = chimney_parse_run(test, CHIMNEY_CMD_INITIATE, skb, &extack);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(req), "%s", extack._msg);
	KUNIT_EXPECT_EQ(test, req->nblocks, ARRAY_SIZE(parent));
	for (i = 0; i < min_t(unsigned int, req->nblocks, ARRAY_SIZE(parent)); i++) {
		KUNIT_EXPECT_EQ_MSG(test, req->blocks[i].parent, parent[i], "block %u", i);
		KUNIT_EXPECT_EQ_MSG(test, req->blocks[i].layer, layer[i], "block %u", i);
		KUNIT_EXPECT_EQ_MSG(test, req->blocks[i].role, CHIMNEY_ROLE_NEW, "block %u", i);
	}
	KUNIT_EXPECT_EQ(test, req->blocks[5].st.tcp.c.local_port, 1007);
	chimney_req_free(req);
	kfree_skb(skb);
}

/* One block more than a request may have is refused with its reason. */
static void chimney_parse_test_too_many(struct kunit *test)
{
	struct sk_buff *skb = chimney_parse_skb(test);
	struct netlink_ext_ack extack = {};
	struct nlattr *list, *blk;
	struct chimney_req *req;
	int i;

	list = nla_nest_start(skb, CHIMNEY_A_BLOCKS);
	for (i = 0; i <= CHIMNEY_MAX_BLOCKS; i++) {
		blk = nla_nest_start(skb, 1);
		nla_nest_end(skb, blk);
	}
	nla_nest_end(skb, list);
	req = chimney_parse_run(test, CHIMNEY_CMD_QUERY, skb, &extack);
	chimney_parse_expect_refused(test, req, -E2BIG, &extack);
	kfree_skb(skb);
}

/*
 * Without send data nothing may be outstanding: the target could never
 * send it (SndUna 5000, SndMax 6000 and no data once left a send hanging).
 */
static void chimney_parse_test_send_state(struct kunit *test)
{
	static const struct { u32 una, nxt, max; bool ok; } cases[] = {
		{ 5000, 6000, 6000, false },
		{ 5000, 5000, 6000, false },
		{ 6000, 5000, 5000, false },
		{ 5000, 5000, 5000, true },
	};
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct sk_buff *skb = chimney_parse_skb(test);
		struct netlink_ext_ack extack = {};
		struct nlattr *open[CHIMNEY_PARSE_OPEN];
		struct chimney_req *req;

		chimney_parse_open(skb, open, false, 1500);
		chimney_parse_tcp(skb, 3, cases[c].una, cases[c].nxt, cases[c].max, false);
		chimney_parse_close(skb, open);
		req = chimney_parse_run(test, CHIMNEY_CMD_INITIATE, skb, &extack);
		if (cases[c].ok) {
			KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(req), "case %u: %s", c, extack._msg);
			if (!IS_ERR(req))
				chimney_req_free(req);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(req), -EINVAL, "case %u", c);
			KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "case %u", c);
			if (!IS_ERR(req))
				chimney_req_free(req);
		}
		kfree_skb(skb);
	}
}

/* A request with one referenced path whose PathMtu is mtu. */
static struct chimney_req *chimney_parse_mtu_update(struct kunit *test, u64 handle, bool v6,
						    u32 mtu, struct netlink_ext_ack *extack)
{
	struct sk_buff *skb = chimney_parse_skb(test);
	struct nlattr *list, *neigh, *deps, *blk, *cls;
	struct chimney_req *req;

	list = nla_nest_start(skb, CHIMNEY_A_BLOCKS);
	neigh = nla_nest_start(skb, 1);
	deps = nla_nest_start(skb, CHIMNEY_BLOCK_A_DEPENDENTS);
	blk = nla_nest_start(skb, 1);
	nla_put_u8(skb, CHIMNEY_BLOCK_A_TYPE,
		   v6 ? CHIMNEY_IP6_OFFLOAD_STATE : CHIMNEY_IP4_OFFLOAD_STATE);
	nla_put_u64_64bit(skb, CHIMNEY_BLOCK_A_HANDLE, handle, CHIMNEY_BLOCK_A_PAD);
	cls = nla_nest_start(skb, CHIMNEY_BLOCK_A_CACHED);
	nla_put_u32(skb, CHIMNEY_PATH_A_PATH_MTU, mtu);
	nla_nest_end(skb, cls);
	nla_nest_end(skb, blk);
	nla_nest_end(skb, deps);
	nla_nest_end(skb, neigh);
	nla_nest_end(skb, list);
	req = chimney_parse_run(test, CHIMNEY_CMD_UPDATE, skb, extack);
	kfree_skb(skb);
	return req;
}

/*
 * PathMtu is checked alike in an initiate and in an update: an IPv6 path
 * below 1280 is refused both ways, and one above what the hardware sends
 * fails its block both ways, leaving the path as it was.
 */
static void chimney_parse_test_path_mtu(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_parse_cdev(test);
	struct nlattr *open[CHIMNEY_PARSE_OPEN];
	struct netlink_ext_ack extack = {};
	struct chimney_obj *obj;
	struct chimney_req *req;
	struct sk_buff *skb;
	u64 path;
	u32 mtu;

	skb = chimney_parse_skb(test);
	chimney_parse_open(skb, open, true, 1279);
	chimney_parse_close(skb, open);
	req = chimney_parse_run(test, CHIMNEY_CMD_INITIATE, skb, &extack);
	chimney_parse_expect_refused(test, req, -EINVAL, &extack);
	kfree_skb(skb);

	memset(&extack, 0, sizeof(extack));
	skb = chimney_parse_skb(test);
	chimney_parse_open(skb, open, true, 1500);
	chimney_parse_close(skb, open);
	req = chimney_parse_run(test, CHIMNEY_CMD_INITIATE, skb, &extack);
	kfree_skb(skb);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(req), "%s", extack._msg);
	chimney_test_process(test, req);
	KUNIT_ASSERT_EQ(test, req->blocks[1].status, CHIMNEY_NDIS_STATUS_SUCCESS);
	path = req->blocks[1].handle;
	chimney_req_free(req);

	/* 68 is a valid IPv4 MTU: the policy takes it, the IPv6 path does not. */
	memset(&extack, 0, sizeof(extack));
	req = chimney_parse_mtu_update(test, path, true, 68, &extack);
	chimney_parse_expect_refused(test, req, -EINVAL, &extack);

	memset(&extack, 0, sizeof(extack));
	req = chimney_parse_mtu_update(test, path, true, CHIMNEY_MAX_PATH_MTU + 1, &extack);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(req), "%s", extack._msg);
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[1].status, CHIMNEY_NDIS_STATUS_FAILURE);
	chimney_req_free(req);

	/* No expectation under RCU: a failed one allocates its report. */
	rcu_read_lock();
	obj = chimney_obj_lookup(cdev, path);
	mtu = obj ? container_of(obj, struct chimney_path, obj)->st.path_mtu : 0;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, mtu, 1500U);
}

static struct kunit_case chimney_parse_test_cases[] = {
	KUNIT_CASE(chimney_parse_test_two_dependents),
	KUNIT_CASE(chimney_parse_test_once),
	KUNIT_CASE(chimney_parse_test_tree),
	KUNIT_CASE(chimney_parse_test_too_many),
	KUNIT_CASE(chimney_parse_test_send_state),
	KUNIT_CASE(chimney_parse_test_path_mtu),
	{}
};

static struct kunit_suite chimney_parse_test_suite = {
	.name = "chimney_parse",
	.init = chimney_test_dev_init,
	.exit = chimney_test_dev_exit,
	.test_cases = chimney_parse_test_cases,
};

kunit_test_suite(chimney_parse_test_suite);
