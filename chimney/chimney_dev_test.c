// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the chimney netdevice: setup, link validation, open and
 * stop, and the transmit counters.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ethtool.h>
#include <linux/delay.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "chimney.h"
#include "chimney_test.h"

/**
 * chimney_test_dev_init() - a registered chimney device for one test case
 * @test: the test; its priv becomes a &struct chimney_dev_test_priv
 *
 * Return: 0 or a negative errno.
 */
int chimney_test_dev_init(struct kunit *test)
{
	struct chimney_dev_test_priv *priv;
	struct net_device *dev;
	int err;

	priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	dev = alloc_netdev(sizeof(struct chimney_dev), "chimt%d",
			   NET_NAME_UNKNOWN, chimney_dev_setup);
	if (!dev)
		return -ENOMEM;
	dev->rtnl_link_ops = &chimney_link_ops;

	err = register_netdev(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	priv->dev = dev;
	test->priv = priv;
	return 0;
}

/**
 * chimney_test_process() - the test's device processes a state request
 * @test: the test, with a device from chimney_test_dev_init()
 * @req: the request, built as netlink would build it; the test frees it
 */
void chimney_test_process(struct kunit *test, struct chimney_req *req)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct chimney_dev *cdev = netdev_priv(priv->dev);

	mutex_lock(&cdev->lock);
	chimney_process(cdev, req);
	mutex_unlock(&cdev->lock);
}

/**
 * chimney_test_bare_dev() - a device's state without a netdevice
 * @test: the test, which frees it
 *
 * Return: the device, with its lock, counters and data path initialised,
 * or NULL.
 */
struct chimney_dev *chimney_test_bare_dev(struct kunit *test)
{
	struct chimney_dev *cdev = kunit_kzalloc(test, sizeof(*cdev), GFP_KERNEL);

	if (cdev) {
		mutex_init(&cdev->lock);
		u64_stats_init(&cdev->syncp);
		chimney_limits_init(cdev);
		chimney_dp_init(cdev);
	}
	return cdev;
}

/**
 * chimney_test_dev_exit() - unregister (and so free) the test case's device
 * @test: the test
 */
void chimney_test_dev_exit(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct chimney_dev *cdev = netdev_priv(priv->dev);

	if (priv->peer) {
		dev_remove_pack(&priv->host_tap);
		dev_remove_pack(&priv->tap);
		skb_queue_purge(&priv->frames);
		skb_queue_purge(&priv->host_frames);
		rtnl_lock();
		RCU_INIT_POINTER(cdev->peer, NULL);
		RCU_INIT_POINTER(((struct chimney_dev *)netdev_priv(priv->peer))->peer, NULL);
		rtnl_unlock();
		synchronize_net();
		unregister_netdev(priv->peer);
	}
	/* needs_free_netdev: unregistering frees the device. */
	unregister_netdev(priv->dev);
}

/* A copy of every frame a device receives goes to the tap's queue. */
static int chimney_test_tap(struct sk_buff *skb, struct net_device *dev,
			    struct packet_type *pt, struct net_device *orig_dev)
{
	struct sk_buff *copy;

	if (skb->pkt_type != PACKET_OUTGOING) {
		copy = skb_copy(skb, GFP_ATOMIC);
		if (copy)
			skb_queue_tail(pt->af_packet_priv, copy);
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void chimney_test_tap_add(struct packet_type *pt, struct net_device *dev,
				 struct sk_buff_head *q)
{
	skb_queue_head_init(q);
	pt->type = htons(ETH_P_ALL);
	pt->dev = dev;
	pt->func = chimney_test_tap;
	pt->af_packet_priv = q;
	dev_add_pack(pt);
}

/**
 * chimney_test_wire() - give the test case's device a wire, and watch it
 * @test: the test, with a device from chimney_test_dev_init()
 *
 * The device gets a peer, as "ip link add ... peer" would, and both ends
 * are up: what the device sends reaches the peer (and its host stack, which
 * has no address), and a copy is kept for chimney_test_frame(); what the
 * device's own host stack receives, for chimney_test_host_frame().
 */
void chimney_test_wire(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct chimney_dev *cdev = netdev_priv(priv->dev);
	struct net_device *peer;
	int err;

	peer = alloc_netdev(sizeof(struct chimney_dev), "chimtp%d", NET_NAME_UNKNOWN,
			    chimney_dev_setup);
	KUNIT_ASSERT_NOT_NULL(test, peer);
	peer->rtnl_link_ops = &chimney_link_ops;
	err = register_netdev(peer);
	if (err)
		free_netdev(peer);
	KUNIT_ASSERT_EQ(test, err, 0);
	priv->peer = peer;
	chimney_test_tap_add(&priv->tap, peer, &priv->frames);
	chimney_test_tap_add(&priv->host_tap, priv->dev, &priv->host_frames);
	rtnl_lock();
	rcu_assign_pointer(cdev->peer, peer);
	rcu_assign_pointer(((struct chimney_dev *)netdev_priv(peer))->peer, priv->dev);
	err = dev_open(peer, NULL);
	if (!err)
		err = dev_open(priv->dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

/*
 * The next frame of a tap's queue that is a TCP segment (parsed into
 * @pkt), or with no @pkt an IPv4 frame. Frames cross the wire in the
 * sender's context but are seen in the receiver's softirq: this waits up
 * to a second for one.
 */
static struct sk_buff *chimney_test_next(struct sk_buff_head *q, struct chimney_pkt *pkt)
{
	struct sk_buff *skb;
	int i;

	for (i = 0; i < 50; i++) {
		while ((skb = skb_dequeue(q))) {
			if (pkt ? !chimney_dp_parse(skb, pkt) : skb->protocol == htons(ETH_P_IP))
				return skb;
			kfree_skb(skb);
		}
		msleep(20);
	}
	return NULL;
}

/**
 * chimney_test_frame() - the next TCP segment on the wire
 * @test: the test, after chimney_test_wire()
 * @pkt: where it is parsed to
 *
 * Other frames (the peer's IPv6 neighbor discovery, say) are skipped.
 *
 * Return: the frame, which the test frees, or NULL if none came.
 */
struct sk_buff *chimney_test_frame(struct kunit *test, struct chimney_pkt *pkt)
{
	struct chimney_dev_test_priv *priv = test->priv;

	return chimney_test_next(&priv->frames, pkt);
}

/**
 * chimney_test_parent() - an object's parent, read as a reader under RCU does
 * @cdev: the object's device, its lock not held
 * @obj: the object
 *
 * Return: the parent; a test compares it after the read-side section (an
 * expectation that fails allocates its report).
 */
struct chimney_obj *chimney_test_parent(struct chimney_dev *cdev, struct chimney_obj *obj)
{
	struct chimney_obj *parent;

	rcu_read_lock();
	parent = chimney_obj_parent(cdev, obj);
	rcu_read_unlock();
	return parent;
}

/**
 * chimney_test_host_frame() - the next IPv4 frame the device's stack took
 * @test: the test, after chimney_test_wire()
 *
 * A frame the device passed up to the host stack rather than to its TCP
 * engine. Other frames are skipped.
 *
 * Return: the frame, from its IP header on, which the test frees, or NULL.
 */
struct sk_buff *chimney_test_host_frame(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;

	return chimney_test_next(&priv->host_frames, NULL);
}

static void chimney_dev_test_setup(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct net_device *dev = priv->dev;
	struct chimney_dev *cdev = netdev_priv(dev);

	KUNIT_EXPECT_PTR_EQ(test, cdev->netdev, dev);
	KUNIT_EXPECT_EQ(test, dev->type, (unsigned short)ARPHRD_ETHER);
	KUNIT_EXPECT_TRUE(test, is_valid_ether_addr(dev->dev_addr));
	KUNIT_EXPECT_EQ(test, dev->mtu, (unsigned int)ETH_DATA_LEN);
	KUNIT_EXPECT_EQ(test, dev->min_mtu, (unsigned int)CHIMNEY_MIN_MTU);
	KUNIT_EXPECT_EQ(test, dev->max_mtu, (unsigned int)CHIMNEY_MAX_MTU);
	KUNIT_EXPECT_FALSE(test, netif_carrier_ok(dev));
	KUNIT_EXPECT_STREQ(test, dev->rtnl_link_ops->kind, "chimney");
}

static void chimney_dev_test_open_stop(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct net_device *dev = priv->dev;
	int err;

	rtnl_lock();
	err = dev_open(dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, netif_running(dev));
	KUNIT_EXPECT_TRUE(test, netif_carrier_ok(dev));

	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	KUNIT_EXPECT_FALSE(test, netif_running(dev));
	KUNIT_EXPECT_FALSE(test, netif_carrier_ok(dev));
}

static void chimney_dev_test_xmit_counts(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;
	static const unsigned int lens[] = { 60, 1514, 100 };
	struct net_device *dev = priv->dev;
	struct rtnl_link_stats64 stats;
	u64 bytes = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		struct sk_buff *skb = alloc_skb(lens[i], GFP_KERNEL);
		netdev_tx_t ret;

		KUNIT_ASSERT_NOT_NULL(test, skb);
		skb_put_zero(skb, lens[i]);
		skb->dev = dev;
		ret = dev->netdev_ops->ndo_start_xmit(skb, dev);
		KUNIT_EXPECT_EQ(test, ret, NETDEV_TX_OK);
		bytes += lens[i];
	}

	dev_get_stats(dev, &stats);
	KUNIT_EXPECT_EQ(test, stats.tx_packets, (u64)ARRAY_SIZE(lens));
	KUNIT_EXPECT_EQ(test, stats.tx_bytes, bytes);
	KUNIT_EXPECT_EQ(test, stats.rx_packets, 0ULL);
}

/*
 * A frame whose Ethernet header is not in the linear area (act_mirred can
 * hand a driver one) is pulled before the other end reads the header there;
 * one shorter than a header is dropped.
 */
static void chimney_dev_test_xmit_nonlinear(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct net_device *dev = priv->dev;
	struct sk_buff *skb, *got;
	struct ethhdr *eth;
	struct page *page;

	chimney_test_wire(test);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, page);
	eth = page_address(page);
	eth_broadcast_addr(eth->h_dest);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = htons(ETH_P_IP);
	skb = alloc_skb(0, GFP_KERNEL);
	if (!skb)
		__free_page(page);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_add_rx_frag(skb, 0, page, 0, ETH_ZLEN, PAGE_SIZE);
	skb->dev = dev;
	KUNIT_EXPECT_EQ(test, skb_headlen(skb), 0U);
	KUNIT_EXPECT_EQ(test, dev->netdev_ops->ndo_start_xmit(skb, dev), NETDEV_TX_OK);
	got = chimney_test_next(&priv->frames, NULL);
	KUNIT_EXPECT_NOT_NULL(test, got);
	if (got)
		KUNIT_EXPECT_EQ(test, got->len, (unsigned int)(ETH_ZLEN - ETH_HLEN));
	kfree_skb(got);

	skb = alloc_skb(ETH_HLEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, 4);
	skb->dev = dev;
	KUNIT_EXPECT_EQ(test, dev->netdev_ops->ndo_start_xmit(skb, dev), NETDEV_TX_OK);
	KUNIT_EXPECT_NULL(test, chimney_test_next(&priv->frames, NULL));
}

static void chimney_dev_test_drvinfo(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct ethtool_drvinfo info = {};

	priv->dev->ethtool_ops->get_drvinfo(priv->dev, &info);
	KUNIT_EXPECT_STREQ(test, info.driver, "chimney");
	KUNIT_EXPECT_STREQ(test, info.version, CHIMNEY_DRV_VERSION);
}

struct chimney_validate_case {
	const char *desc;
	int len;
	u8 addr[ETH_ALEN];
	int err;
};

static const struct chimney_validate_case chimney_validate_cases[] = {
	{ "no address", -1, {}, 0 },
	{ "unicast", ETH_ALEN, { 0x02, 0, 0, 0, 0, 1 }, 0 },
	{ "multicast", ETH_ALEN, { 0x01, 0, 0, 0, 0, 1 }, -EADDRNOTAVAIL },
	{ "zero", ETH_ALEN, {}, -EADDRNOTAVAIL },
	{ "short", 4, { 0x02, 0, 0, 0 }, -EINVAL },
};

static void chimney_validate_desc(const struct chimney_validate_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chimney_validate, chimney_validate_cases,
		  chimney_validate_desc);

static void chimney_dev_test_validate(struct kunit *test)
{
	const struct chimney_validate_case *c = test->param_value;
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct netlink_ext_ack extack = {};
	struct nlattr *nla;
	int err;

	if (c->len >= 0) {
		nla = kunit_kzalloc(test, nla_total_size(ETH_ALEN), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, nla);
		nla->nla_type = IFLA_ADDRESS;
		nla->nla_len = nla_attr_size(c->len);
		memcpy(nla_data(nla), c->addr, c->len);
		tb[IFLA_ADDRESS] = nla;
	}

	err = chimney_dev_validate(tb, NULL, &extack);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (c->err)
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	else
		KUNIT_EXPECT_NULL(test, extack._msg);
}

/* How many more chimney devices init_net takes. */
static unsigned int chimney_dev_test_room(void)
{
	unsigned int n = 0;

	rtnl_lock();
	while (n < 4096 && !chimney_limits_room(&init_net, n + 1, NULL))
		n++;
	rtnl_unlock();
	return n;
}

static bool chimney_dev_test_torn_down(void)
{
	unsigned int i;

	for (i = 0; i < 3000 && chimney_dev_teardowns(&init_net); i++)
		msleep(20);
	return !chimney_dev_teardowns(&init_net);
}

/*
 * ndo_uninit runs under RTNL: it must not wait for the device's lock, which
 * a request may hold for long (here the test holds it, and the teardown
 * waits for it). Until the teardown ends, the device still holds its tree
 * and counts against devices_per_netns: adding and deleting in a loop
 * cannot pile up teardowns.
 */
static void chimney_dev_test_teardown_counted(struct kunit *test)
{
	struct chimney_dev *cdev;
	struct net_device *dev;
	unsigned int room;

	/* The other cases' devices are torn down after they end. */
	KUNIT_ASSERT_TRUE(test, chimney_dev_test_torn_down());
	dev = alloc_netdev(sizeof(*cdev), "chimt%d", NET_NAME_UNKNOWN, chimney_dev_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->rtnl_link_ops = &chimney_link_ops;
	if (register_netdev(dev)) {
		free_netdev(dev);
		KUNIT_FAIL(test, "register_netdev");
		return;
	}
	cdev = netdev_priv(dev);
	room = chimney_dev_test_room();

	mutex_lock(&cdev->lock);
	unregister_netdev(dev);
	KUNIT_EXPECT_EQ(test, chimney_dev_teardowns(&init_net), 1);
	KUNIT_EXPECT_EQ(test, chimney_dev_test_room(), room);
	/* From here on the teardown may free @cdev. */
	mutex_unlock(&cdev->lock);

	KUNIT_EXPECT_TRUE(test, chimney_dev_test_torn_down());
	KUNIT_EXPECT_EQ(test, chimney_dev_test_room(), room + 1);
}

static struct kunit_case chimney_dev_test_cases[] = {
	KUNIT_CASE(chimney_dev_test_setup),
	KUNIT_CASE(chimney_dev_test_open_stop),
	KUNIT_CASE(chimney_dev_test_xmit_counts),
	KUNIT_CASE(chimney_dev_test_xmit_nonlinear),
	KUNIT_CASE(chimney_dev_test_drvinfo),
	KUNIT_CASE_PARAM(chimney_dev_test_validate, chimney_validate_gen_params),
	KUNIT_CASE(chimney_dev_test_teardown_counted),
	{}
};

static struct kunit_suite chimney_dev_test_suite = {
	.name = "chimney_dev",
	.init = chimney_test_dev_init,
	.exit = chimney_test_dev_exit,
	.test_cases = chimney_dev_test_cases,
};

kunit_test_suite(chimney_dev_test_suite);

/* One module for every suite (chimney_state_test.c and the others). */

MODULE_DESCRIPTION("KUnit tests for the chimney offload target");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
