// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the rules of the state operations (section 3 of the
 * specification), on a registered chimney device: requests are built as
 * netlink would build them and handed to the virtual hardware directly.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "chimney.h"
#include "chimney_test.h"

#define N	CHIMNEY_LAYER_NEIGH
#define P	CHIMNEY_LAYER_PATH
#define T	CHIMNEY_LAYER_TCP
#define NONE	CHIMNEY_BLOCK_NO_PARENT

struct chimney_test_block {
	u8 layer;
	u8 role;
	u16 parent;
	u64 handle;	/* of a referenced object */
};

static struct chimney_dev *chimney_test_cdev(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;

	return netdev_priv(priv->dev);
}

/* A request of the given blocks, in traversal order, new ones complete. */
static struct chimney_req *chimney_test_req(struct kunit *test, u8 cmd,
					    const struct chimney_test_block *tb,
					    unsigned int n)
{
	static const u8 types[] = {
		[N] = CHIMNEY_NEIGHBOR_OFFLOAD_STATE,
		[P] = CHIMNEY_IP4_OFFLOAD_STATE,
		[T] = CHIMNEY_TCP_OFFLOAD_STATE,
	};
	struct chimney_req *req;
	unsigned int i;

	req = kunit_kzalloc(test, struct_size(req, blocks, n), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	req->cmd = cmd;
	req->req_id = cmd;
	req->nblocks = n;
	for (i = 0; i < n; i++) {
		struct chimney_block *b = &req->blocks[i];

		b->layer = tb[i].layer;
		b->role = tb[i].role;
		b->parent = tb[i].parent;
		b->type = types[b->layer];
		b->handle = tb[i].handle;
		if (b->role != CHIMNEY_ROLE_NEW)
			continue;
		b->host_handle = 0x100 + i;
		b->has = CHIMNEY_HAS_CONST | CHIMNEY_HAS_CACHED | CHIMNEY_HAS_DELEGATED;
		if (b->layer == P)
			b->st.path.path_mtu = 1500;
		if (b->layer == T) {
			b->st.tcp.c.local_port = 1000 + i;
			b->st.tcp.d.state = CHIMNEY_TCP_CONNECTION_ESTABLISHED;
		}
	}
	return req;
}

static void chimney_test_expect(struct kunit *test, const struct chimney_req *req,
				const u32 *status)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++)
		KUNIT_EXPECT_EQ_MSG(test, req->blocks[i].status, status[i], "block %u", i);
}

static const struct chimney_test_block chimney_test_tree[] = {
	{ N, CHIMNEY_ROLE_NEW, NONE },
	{ P, CHIMNEY_ROLE_NEW, 0 },
	{ T, CHIMNEY_ROLE_NEW, 1 },
	{ T, CHIMNEY_ROLE_NEW, 1 },
};

static const u32 chimney_test_all_ok[] = {
	CHIMNEY_NDIS_STATUS_SUCCESS, CHIMNEY_NDIS_STATUS_SUCCESS,
	CHIMNEY_NDIS_STATUS_SUCCESS, CHIMNEY_NDIS_STATUS_SUCCESS,
};

/* Offload chimney_test_tree; refs[] references each of its four objects. */
static void chimney_test_offload_tree(struct kunit *test, struct chimney_test_block *refs)
{
	struct chimney_req *req;
	unsigned int i;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 4);
	chimney_test_process(test, req);
	for (i = 0; i < 4; i++) {
		refs[i] = chimney_test_tree[i];
		refs[i].role = CHIMNEY_ROLE_REF;
		refs[i].handle = req->blocks[i].handle;
	}
}

/* R2, R6, R7: a new tree succeeds and every object gets a handle. */
static void chimney_offload_test_initiate(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_req *req;
	unsigned int i;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 4);
	chimney_test_process(test, req);
	chimney_test_expect(test, req, chimney_test_all_ok);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NE(test, req->blocks[i].handle, 0ULL);
	KUNIT_EXPECT_EQ(test, cdev->count[T], 2U);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.initiates), 1ULL);
}

/*
 * R3: a tree is offloaded in traversal order: a block, its dependents, then
 * its next sibling (on a fresh device, objects are numbered as created).
 */
static void chimney_offload_test_traversal(struct kunit *test)
{
	static const struct chimney_test_block tree[] = {
		{ N, CHIMNEY_ROLE_NEW, NONE },
		{ P, CHIMNEY_ROLE_NEW, 0 },
		{ T, CHIMNEY_ROLE_NEW, 1 },
		{ T, CHIMNEY_ROLE_NEW, 1 },
		{ P, CHIMNEY_ROLE_NEW, 0 },
		{ T, CHIMNEY_ROLE_NEW, 4 },
	};
	struct chimney_req *req;
	unsigned int i;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, tree, ARRAY_SIZE(tree));
	req->blocks[4].st.path.destination_address.s6_addr[15] = 2;
	chimney_test_process(test, req);
	for (i = 0; i < ARRAY_SIZE(tree); i++) {
		KUNIT_EXPECT_EQ_MSG(test, req->blocks[i].status,
				    (u32)CHIMNEY_NDIS_STATUS_SUCCESS, "block %u", i);
		if (i)
			KUNIT_EXPECT_GT_MSG(test, (u32)req->blocks[i].handle,
					    (u32)req->blocks[i - 1].handle, "block %u", i);
	}
}

/* R6, R9, R17: a path whose MTU is too large; its connection is not tried. */
static void chimney_offload_test_path_mtu(struct kunit *test)
{
	static const u32 want[] = {
		CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS,
		CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_MTU,
		CHIMNEY_NDIS_STATUS_FAILURE,
	};
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_req *req;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 3);
	req->blocks[1].st.path.path_mtu = CHIMNEY_MAX_PATH_MTU + 1;
	chimney_test_process(test, req);
	chimney_test_expect(test, req, want);
	KUNIT_EXPECT_EQ(test, cdev->count[P], 0U);
	KUNIT_EXPECT_EQ(test, cdev->count[T], 0U);
}

/* R15, R18: a source MAC address, and the connection capacity. */
static void chimney_offload_test_resources(struct kunit *test)
{
	static const u32 want[] = {
		CHIMNEY_NDIS_STATUS_SUCCESS,
		CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS,
		CHIMNEY_NDIS_STATUS_SUCCESS,
		CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_ENTRIES,
	};
	static const u32 hw[] = { CHIMNEY_NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES };
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_req *req;

	cdev->capacity = 1;
	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 4);
	chimney_test_process(test, req);
	chimney_test_expect(test, req, want);

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 1);
	eth_broadcast_addr(req->blocks[0].st.neigh.dl_source_address);
	chimney_test_process(test, req);
	chimney_test_expect(test, req, hw);
}

/* Initiate one neighbor of the VLAN; its status. */
static u32 chimney_test_neigh_vlan(struct kunit *test, u16 vid)
{
	static const struct chimney_test_block neigh = { N, CHIMNEY_ROLE_NEW, NONE };
	struct chimney_req *req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, &neigh, 1);

	req->blocks[0].st.neigh.vlan_id = vid;
	chimney_test_process(test, req);
	return req->blocks[0].status;
}

/* The interface's VLAN ids change as 8021q changes them. */
static void chimney_test_vlan_filter(struct kunit *test, bool add, u16 vid)
{
	struct chimney_dev *cdev = chimney_test_cdev(test);
	const struct net_device_ops *ops = cdev->netdev->netdev_ops;
	int err;

	rtnl_lock();
	if (add)
		err = ops->ndo_vlan_rx_add_vid(cdev->netdev, htons(ETH_P_8021Q), vid);
	else
		err = ops->ndo_vlan_rx_kill_vid(cdev->netdev, htons(ETH_P_8021Q), vid);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

/*
 * R16: once the interface has VLAN ids (VLAN devices on it), a neighbor of
 * another non-zero VLAN fails with VLAN_MISMATCH; VLAN 0, which 8021q
 * always adds, is not one of them, and never fails.
 */
static void chimney_offload_test_vlan(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_test_cdev(test);

	KUNIT_EXPECT_TRUE(test, cdev->netdev->features & NETIF_F_HW_VLAN_CTAG_FILTER);
	chimney_test_vlan_filter(test, true, 0);
	KUNIT_EXPECT_EQ(test, chimney_test_neigh_vlan(test, 7), (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	chimney_test_vlan_filter(test, true, 5);
	KUNIT_EXPECT_EQ(test, chimney_test_neigh_vlan(test, 7),
			(u32)CHIMNEY_NDIS_STATUS_OFFLOAD_VLAN_MISMATCH);
	KUNIT_EXPECT_EQ(test, chimney_test_neigh_vlan(test, 5), (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, chimney_test_neigh_vlan(test, 0), (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	chimney_test_vlan_filter(test, false, 5);
	KUNIT_EXPECT_EQ(test, chimney_test_neigh_vlan(test, 7), (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, cdev->count[N], 4U);
}

/*
 * R10: an initiate whose connection fails leaves the host's send data
 * alone: the completion is the only notification, no send completes.
 */
static void chimney_offload_test_failed_data(struct kunit *test)
{
	static const u32 want[] = {
		CHIMNEY_NDIS_STATUS_SUCCESS,
		CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS,
		CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW,
	};
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_block *b;
	struct chimney_req *req;
	struct chimney_journal_note notes[4];
	u64 seq;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 3);
	b = &req->blocks[2];
	b->st.tcp.ca.initial_rcv_wnd = CHIMNEY_MAX_RCV_WND + 1;
	b->snd = kvzalloc(struct_size(b->snd, data, 100), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->snd);
	b->snd->io_id = 77;
	b->snd->len = 100;
	seq = cdev->seq;
	chimney_test_process(test, req);
	chimney_test_expect(test, req, want);
	KUNIT_EXPECT_EQ(test, chimney_journal_notes(cdev, seq, notes, ARRAY_SIZE(notes)), 1U);
	KUNIT_EXPECT_EQ(test, notes[0].cmd, (u8)CHIMNEY_CMD_INITIATE_COMPLETE);
	KUNIT_EXPECT_EQ(test, cdev->count[T], 0U);
	/* The request still holds it, for chimney_req_free() to free. */
	KUNIT_EXPECT_NOT_NULL(test, b->snd);
	kvfree(b->snd);
}

/*
 * R13: a connection offloaded with buffered receive data and no receive
 * request posted indicates the data, but only after the initiate completed.
 */
static void chimney_offload_test_indicate_after(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_block *b;
	struct chimney_req *req;
	struct chimney_journal_note notes[4];
	u64 seq;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 3);
	b = &req->blocks[2];
	b->rcvd = alloc_skb(50, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->rcvd);
	memset(skb_put(b->rcvd, 50), 'x', 50);
	seq = cdev->seq;
	chimney_test_process(test, req);
	chimney_test_expect(test, req, chimney_test_all_ok);
	KUNIT_EXPECT_NULL(test, b->rcvd);
	KUNIT_ASSERT_EQ(test, chimney_journal_notes(cdev, seq, notes, ARRAY_SIZE(notes)), 2U);
	KUNIT_EXPECT_EQ(test, notes[0].cmd, (u8)CHIMNEY_CMD_INITIATE_COMPLETE);
	KUNIT_EXPECT_EQ(test, notes[1].cmd, (u8)CHIMNEY_CMD_RECEIVE_INDICATE);
	/* Every notification names its device by number. */
	KUNIT_EXPECT_EQ(test, notes[0].dev_id, (u32)cdev->id);
	KUNIT_EXPECT_EQ(test, notes[1].dev_id, (u32)cdev->id);
}

/* R40, R41, R51: terminate returns delegated state and the objects go. */
static void chimney_offload_test_terminate(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_test_block refs[4];
	struct chimney_req *req;

	chimney_test_offload_tree(test, refs);
	req = chimney_test_req(test, CHIMNEY_CMD_TERMINATE, refs, 4);
	chimney_test_process(test, req);
	chimney_test_expect(test, req, chimney_test_all_ok);
	KUNIT_EXPECT_EQ(test, req->blocks[2].has, CHIMNEY_HAS_DELEGATED);
	KUNIT_EXPECT_EQ(test, req->blocks[2].st.tcp.d.state,
			(u8)CHIMNEY_TCP_CONNECTION_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, cdev->count[N] + cdev->count[P] + cdev->count[T], 0U);
	/* Their handles are stale now. */
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, chimney_obj_lookup(cdev, refs[2].handle));
	rcu_read_unlock();
}

/*
 * R51: a terminate that names one connection twice takes it out once; the
 * second block fails (freeing it twice would be a use after free).
 */
static void chimney_offload_test_terminate_twice(struct kunit *test)
{
	struct chimney_test_block refs[] = {
		{ N, CHIMNEY_ROLE_PLACEHOLDER, NONE },
		{ P, CHIMNEY_ROLE_PLACEHOLDER, 0 },
		{ T, CHIMNEY_ROLE_REF, 1 },
		{ T, CHIMNEY_ROLE_REF, 1 },
	};
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_req *req;
	u64 gone;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 4);
	chimney_test_process(test, req);
	gone = req->blocks[2].handle;
	refs[2].handle = gone;
	refs[3].handle = gone;
	req = chimney_test_req(test, CHIMNEY_CMD_TERMINATE, refs, 4);
	chimney_test_process(test, req);
	/* Dependents are taken out last first: the later block wins. */
	KUNIT_EXPECT_EQ(test, req->blocks[3].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_FAILURE);
	KUNIT_EXPECT_EQ(test, req->blocks[2].has, 0);
	KUNIT_EXPECT_EQ(test, cdev->count[T], 1U);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.terminates), 1ULL);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, chimney_obj_lookup(cdev, gone));
	rcu_read_unlock();
}

/* R36, R37: invalidate on corrupt hardware fails, then Retrieve and Abort. */
static void chimney_offload_test_corrupt_invalidate(struct kunit *test)
{
	static const u32 fail[] = { CHIMNEY_NDIS_STATUS_FAILURE };
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_test_block ref = { N, CHIMNEY_ROLE_REF, NONE };
	struct chimney_obj *conn;
	struct chimney_req *req;
	u64 events;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 4);
	chimney_test_process(test, req);
	ref.handle = req->blocks[0].handle;
	/* It stays until a terminate: this test case makes none. */
	rcu_read_lock();
	conn = chimney_obj_lookup(cdev, req->blocks[2].handle);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, conn);
	events = chimney_stat_read(cdev, &cdev->stats.events);
	cdev->corrupt = true;
	req = chimney_test_req(test, CHIMNEY_CMD_INVALIDATE, &ref, 1);
	chimney_test_process(test, req);
	cdev->corrupt = false;
	chimney_test_expect(test, req, fail);
	/* Two connections: a Retrieve and an Abort each. */
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events) - events, 4ULL);
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->flags));
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_ABORTED_BIT, &conn->flags));
}

/*
 * R4, R5: a placeholder is SUCCESS; a linker is SUCCESS with all its new
 * dependents offloaded, OFFLOAD_PARTIAL_SUCCESS with some, FAILURE with none.
 */
static void chimney_offload_test_linker(struct kunit *test)
{
	static const u32 partial[] = {
		CHIMNEY_NDIS_STATUS_SUCCESS, CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS,
		CHIMNEY_NDIS_STATUS_SUCCESS, CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_ENTRIES,
	};
	static const u32 none[] = {
		CHIMNEY_NDIS_STATUS_SUCCESS, CHIMNEY_NDIS_STATUS_FAILURE,
		CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_ENTRIES,
	};
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_test_block tb[] = {
		{ N, CHIMNEY_ROLE_PLACEHOLDER, NONE },
		{ P, CHIMNEY_ROLE_REF, 0 },
		{ T, CHIMNEY_ROLE_NEW, 1 },
		{ T, CHIMNEY_ROLE_NEW, 1 },
	};
	struct chimney_req *req;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 2);
	chimney_test_process(test, req);
	tb[1].handle = req->blocks[1].handle;
	cdev->capacity = 1;
	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, tb, 4);
	chimney_test_process(test, req);
	chimney_test_expect(test, req, partial);
	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, tb, 3);
	chimney_test_process(test, req);
	chimney_test_expect(test, req, none);
	KUNIT_EXPECT_EQ(test, cdev->count[T], 1U);
}

/* R22: a query returns every class of the current state, and SUCCESS. */
static void chimney_offload_test_query(struct kunit *test)
{
	struct chimney_test_block ref = { T, CHIMNEY_ROLE_REF, NONE };
	struct chimney_req *req;
	struct chimney_block *b;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 4);
	chimney_test_process(test, req);
	ref.handle = req->blocks[3].handle;
	req = chimney_test_req(test, CHIMNEY_CMD_QUERY, &ref, 1);
	chimney_test_process(test, req);
	b = &req->blocks[0];
	KUNIT_EXPECT_EQ(test, b->status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, b->has,
			CHIMNEY_HAS_CONST | CHIMNEY_HAS_CACHED | CHIMNEY_HAS_DELEGATED);
	KUNIT_EXPECT_EQ(test, b->host_handle, 0x103ULL);
	KUNIT_EXPECT_EQ(test, b->st.tcp.c.local_port, 1003);
	KUNIT_EXPECT_EQ(test, b->st.tcp.d.state, (u8)CHIMNEY_TCP_CONNECTION_ESTABLISHED);
}

/*
 * R34-R36: invalidating a path is SUCCESS on sound hardware; each of its
 * connections gets Retrieve(InvalidState), and every object stays, to be
 * queried and terminated.
 */
static void chimney_offload_test_invalidate(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_test_block ref = { P, CHIMNEY_ROLE_REF, NONE };
	struct chimney_test_block refs[4];
	struct chimney_obj *conn;
	struct chimney_req *req;
	unsigned int i;
	u64 events;

	chimney_test_offload_tree(test, refs);
	ref.handle = refs[1].handle;
	events = chimney_stat_read(cdev, &cdev->stats.events);
	req = chimney_test_req(test, CHIMNEY_CMD_INVALIDATE, &ref, 1);
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[0].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events) - events, 2ULL);
	for (i = 2; i < 4; i++) {
		rcu_read_lock();
		conn = chimney_obj_lookup(cdev, refs[i].handle);
		rcu_read_unlock();
		KUNIT_ASSERT_NOT_NULL(test, conn);
		KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->flags));
		KUNIT_EXPECT_FALSE(test, test_bit(CHIMNEY_OBJ_ABORTED_BIT, &conn->flags));
	}
	KUNIT_EXPECT_EQ(test, cdev->count[N] + cdev->count[P] + cdev->count[T], 4U);
	req = chimney_test_req(test, CHIMNEY_CMD_QUERY, &refs[2], 1);
	req->blocks[0].parent = NONE;
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[0].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	req = chimney_test_req(test, CHIMNEY_CMD_TERMINATE, refs, 4);
	chimney_test_process(test, req);
	chimney_test_expect(test, req, chimney_test_all_ok);
	KUNIT_EXPECT_EQ(test, cdev->count[N] + cdev->count[P] + cdev->count[T], 0U);
}

/* One request of cmd on one object; its status. */
static u32 chimney_test_one(struct kunit *test, u8 cmd, u8 layer, u64 handle)
{
	struct chimney_test_block ref = { layer, CHIMNEY_ROLE_REF, NONE, handle };
	struct chimney_req *req = chimney_test_req(test, cmd, &ref, 1);

	chimney_test_process(test, req);
	return req->blocks[0].status;
}

/* debugfs fail_next_<kind> 1, then cmd on a connection: FAILURE, used up. */
static void chimney_test_fail_one(struct kunit *test, enum chimney_fail kind, u8 cmd,
				  u64 handle)
{
	struct chimney_dev *cdev = chimney_test_cdev(test);

	cdev->fail_next[kind] = 1;
	KUNIT_EXPECT_EQ(test, chimney_test_one(test, cmd, T, handle),
			(u32)CHIMNEY_NDIS_STATUS_FAILURE);
	KUNIT_EXPECT_EQ(test, cdev->fail_next[kind], 0U);
}

/*
 * debugfs fail_next_<kind>: the next block of that kind fails, once. An
 * update fails and changes nothing (R27); a query, invalidate or terminate
 * fails as on hardware that hung, and Retrieve(HardwareFailure) and Abort
 * follow (R37-R39); a new offload gets RESOURCES.
 */
static void chimney_offload_test_fail_next(struct kunit *test)
{
	static const struct chimney_test_block neigh = { N, CHIMNEY_ROLE_NEW, NONE };
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_obj *a, *b;
	struct chimney_req *req;
	u64 ha, hb, events;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, chimney_test_tree, 4);
	chimney_test_process(test, req);
	ha = req->blocks[2].handle;
	hb = req->blocks[3].handle;
	rcu_read_lock();
	a = chimney_obj_lookup(cdev, ha);
	b = chimney_obj_lookup(cdev, hb);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	events = chimney_stat_read(cdev, &cdev->stats.events);

	chimney_test_fail_one(test, CHIMNEY_FAIL_UPDATE, CHIMNEY_CMD_UPDATE, ha);
	KUNIT_EXPECT_EQ(test, chimney_test_one(test, CHIMNEY_CMD_UPDATE, T, ha),
			(u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events), events);
	KUNIT_EXPECT_FALSE(test, test_bit(CHIMNEY_OBJ_FAILED_BIT, &a->flags));

	chimney_test_fail_one(test, CHIMNEY_FAIL_QUERY, CHIMNEY_CMD_QUERY, ha);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events) - events, 2ULL);
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_ABORTED_BIT, &a->flags));
	KUNIT_EXPECT_FALSE(test, test_bit(CHIMNEY_OBJ_FAILED_BIT, &b->flags));

	chimney_test_fail_one(test, CHIMNEY_FAIL_INVALIDATE, CHIMNEY_CMD_INVALIDATE, hb);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events) - events, 4ULL);
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_ABORTED_BIT, &b->flags));

	/* A terminate that fails: the sequence again (R39), then one that works. */
	chimney_test_fail_one(test, CHIMNEY_FAIL_TERMINATE, CHIMNEY_CMD_TERMINATE, hb);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events) - events, 6ULL);
	KUNIT_EXPECT_EQ(test, chimney_test_one(test, CHIMNEY_CMD_TERMINATE, T, hb),
			(u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, chimney_test_one(test, CHIMNEY_CMD_TERMINATE, T, ha),
			(u32)CHIMNEY_NDIS_STATUS_SUCCESS);

	cdev->fail_next[CHIMNEY_FAIL_OFFLOAD] = 1;
	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, &neigh, 1);
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[0].status, (u32)CHIMNEY_NDIS_STATUS_RESOURCES);
	KUNIT_EXPECT_EQ(test, cdev->count[N], 1U);
	KUNIT_EXPECT_EQ(test, cdev->fail_next[CHIMNEY_FAIL_OFFLOAD], 0U);
}

/*
 * An update that fails a neighbor's block relinks no path to it: the path
 * below keeps its parent (R26 needs the new parent's block to succeed).
 */
static void chimney_offload_test_relink_failed(struct kunit *test)
{
	static const struct chimney_test_block tree[] = {
		{ N, CHIMNEY_ROLE_NEW, NONE },
		{ P, CHIMNEY_ROLE_NEW, 0 },
		{ N, CHIMNEY_ROLE_NEW, NONE },
	};
	struct chimney_dev *cdev = chimney_test_cdev(test);
	struct chimney_test_block update[] = {
		{ N, CHIMNEY_ROLE_REF, NONE },
		{ P, CHIMNEY_ROLE_REF, 0 },
	};
	struct chimney_obj *n1, *path;
	struct chimney_req *req;

	req = chimney_test_req(test, CHIMNEY_CMD_INITIATE, tree, ARRAY_SIZE(tree));
	chimney_test_process(test, req);
	update[0].handle = req->blocks[2].handle;
	update[1].handle = req->blocks[1].handle;
	rcu_read_lock();
	n1 = chimney_obj_lookup(cdev, req->blocks[0].handle);
	path = chimney_obj_lookup(cdev, req->blocks[1].handle);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, n1);
	KUNIT_ASSERT_NOT_NULL(test, path);

	cdev->fail_next[CHIMNEY_FAIL_UPDATE] = 1;
	req = chimney_test_req(test, CHIMNEY_CMD_UPDATE, update, ARRAY_SIZE(update));
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[0].status, (u32)CHIMNEY_NDIS_STATUS_FAILURE);
	KUNIT_EXPECT_PTR_EQ(test, chimney_test_parent(cdev, path), n1);
}

static struct kunit_case chimney_offload_test_cases[] = {
	KUNIT_CASE(chimney_offload_test_relink_failed),
	KUNIT_CASE(chimney_offload_test_initiate),
	KUNIT_CASE(chimney_offload_test_traversal),
	KUNIT_CASE(chimney_offload_test_path_mtu),
	KUNIT_CASE(chimney_offload_test_resources),
	KUNIT_CASE(chimney_offload_test_vlan),
	KUNIT_CASE(chimney_offload_test_failed_data),
	KUNIT_CASE(chimney_offload_test_indicate_after),
	KUNIT_CASE(chimney_offload_test_terminate),
	KUNIT_CASE(chimney_offload_test_terminate_twice),
	KUNIT_CASE(chimney_offload_test_corrupt_invalidate),
	KUNIT_CASE(chimney_offload_test_fail_next),
	KUNIT_CASE(chimney_offload_test_linker),
	KUNIT_CASE(chimney_offload_test_query),
	KUNIT_CASE(chimney_offload_test_invalidate),
	{}
};

static struct kunit_suite chimney_offload_test_suite = {
	.name = "chimney_offload",
	.init = chimney_test_dev_init,
	.exit = chimney_test_dev_exit,
	.test_cases = chimney_offload_test_cases,
};

kunit_test_suite(chimney_offload_test_suite);
