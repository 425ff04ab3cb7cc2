// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the netdevice of an offload target.
 *
 * rtnl_link_ops and net_device_ops (ethtool_ops are in chimney_ethtool.c),
 * and the life of the offload target that each device is. A device made
 * with a peer ("ip link add A type chimney peer name B") is one end of a
 * wire, as veth is: what the host stack transmits on one end is received
 * by the other (chimney_datapath.c). Without a peer, every transmitted
 * frame is counted and dropped, as on dummy.
 */
#include <linux/capability.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/idr.h>
#include <linux/kcov.h>
#include <linux/memcontrol.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <kunit/visibility.h>

#include "chimney.h"

#define CHIMNEY_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM | \
			  NETIF_F_RXCSUM | NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE)

/* Device numbers: the names of the devices' debugfs directories. */
static DEFINE_IDA(chimney_ida);

/*
 * TicksPerSecond; at least 10 once set (its policy), and milliseconds
 * before the parameters are.
 */
static u32 chimney_tps(const struct chimney_dev *cdev)
{
	return READ_ONCE(cdev->params.ticks_per_second) ?: MSEC_PER_SEC;
}

/**
 * chimney_ticks_to_ms() - the host's ticks (TicksPerSecond) in milliseconds
 * @cdev: the device
 * @ticks: a time in the host's ticks
 *
 * Return: milliseconds, at most U32_MAX.
 */
u32 chimney_ticks_to_ms(const struct chimney_dev *cdev, u32 ticks)
{
	return min_t(u64, div_u64((u64)ticks * MSEC_PER_SEC, chimney_tps(cdev)), U32_MAX);
}

/**
 * chimney_ticks_now() - the target's clock in the host's ticks
 * @cdev: the device
 *
 * Return: ticks since boot, modulo 2^32.
 */
u32 chimney_ticks_now(const struct chimney_dev *cdev)
{
	return (u32)div_u64((u64)ktime_to_ms(ktime_get()) * chimney_tps(cdev), MSEC_PER_SEC);
}

/**
 * chimney_ms_to_ticks() - milliseconds in the host's ticks
 * @cdev: the device
 * @ms: a time in milliseconds
 *
 * Return: ticks, at most U32_MAX.
 */
u32 chimney_ms_to_ticks(const struct chimney_dev *cdev, u32 ms)
{
	return min_t(u64, div_u64((u64)ms * chimney_tps(cdev), MSEC_PER_SEC), U32_MAX);
}

static void chimney_params_default(struct chimney_params *p)
{
	/* NDIS_ENCAPSULATION_IEEE_802_3 */
	p->encapsulation = 0x2;
	p->ticks_per_second = 1000;
	p->tcp_ack_frequency = 2;
	p->tcp_delayed_ack_ticks = 200;
	p->tcp_maximum_retransmissions = 5;
	p->tcp_doubt_reachability_retransmissions = 3;
	p->tcp_sws_prevention_ticks = 1000;
	p->tcp_duplicate_ack_threshold = 3;
	p->tcp_push_ticks = 500;
	p->nce_stale_ticks = 30000;
}

static int chimney_dev_init(struct net_device *dev)
{
	struct chimney_dev *cdev = netdev_priv(dev);
	int err;

	dev->lstats = netdev_alloc_pcpu_stats(struct pcpu_lstats);
	if (!dev->lstats)
		return -ENOMEM;
	cdev->id = ida_alloc(&chimney_ida, GFP_KERNEL);
	if (cdev->id < 0) {
		err = cdev->id;
		goto err_free_stats;
	}
	mutex_init(&cdev->lock);
	u64_stats_init(&cdev->syncp);
	err = chimney_state_init(cdev);
	if (err)
		goto err_free_id;
	chimney_offload_init(cdev);
	chimney_dp_init(cdev);
	chimney_journal_init(cdev);
	cdev->capacity = CHIMNEY_DEFAULT_CAPACITY;
	chimney_limits_init(cdev);
	chimney_params_default(&cdev->params);
	cdev->fin_wait2_ms = CHIMNEY_FIN_WAIT2_MS;
	cdev->ind_timeout_ms = CHIMNEY_IND_TIMEOUT_MS;
	/* The work items' coverage goes to their creator, as vhost's does. */
	cdev->kcov_handle = kcov_common_handle();
	/* And what the wire makes the device hold, its memory (chimney_tcp.c). */
	cdev->memcg = get_mem_cgroup_from_mm(NULL);
	chimney_debugfs_dev_init(cdev);
	return 0;

err_free_id:
	ida_free(&chimney_ida, cdev->id);
err_free_stats:
	free_percpu(dev->lstats);
	return err;
}

/*
 * Teardowns: one per device going away, each as long as its tree. Their
 * own queue, so that module exit can wait for the last one.
 */
static struct workqueue_struct *chimney_teardown_wq;
/* How many have not ended (debugfs teardowns). */
atomic_t chimney_teardowns = ATOMIC_INIT(0);

/*
 * Per netns: the teardowns that hold it. A device being torn down still
 * holds its tree, so it counts against devices_per_netns until it is gone:
 * adding and deleting in a loop cannot pile up teardowns.
 */
struct chimney_net {
	atomic_t teardowns;
};

static unsigned int chimney_net_id __read_mostly;

static struct pernet_operations chimney_net_ops = {
	.id	= &chimney_net_id,
	.size	= sizeof(struct chimney_net),
};

static atomic_t *chimney_net_teardowns(struct net *net)
{
	return &((struct chimney_net *)net_generic(net, chimney_net_id))->teardowns;
}

/**
 * chimney_dev_teardowns() - the devices of a netns still being torn down
 * @net: the netns
 *
 * Return: how many.
 */
unsigned int chimney_dev_teardowns(struct net *net)
{
	return atomic_read(chimney_net_teardowns(net));
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dev_teardowns);

/*
 * Complete every queued request and every outstanding I/O, then free the
 * tree: seconds at a million connections.
 */
static void chimney_dev_teardown(struct chimney_dev *cdev)
{
	/* Its readers first: debugfs waits for them, and none comes after. */
	chimney_debugfs_dev_exit(cdev);
	chimney_offload_destroy(cdev);
	chimney_state_destroy(cdev);
	chimney_dp_destroy(cdev);
	chimney_journal_destroy(cdev);
	mem_cgroup_put(cdev->memcg);
	ida_free(&chimney_ida, cdev->id);
	free_percpu(cdev->netdev->lstats);
}

static void chimney_dev_teardown_work(struct work_struct *work)
{
	struct chimney_dev *cdev = container_of(work, struct chimney_dev, teardown);

	chimney_dev_teardown(cdev);
	if (cdev->notify_net) {
		atomic_dec(chimney_net_teardowns(cdev->notify_net));
		put_net(cdev->notify_net);
	}
	atomic_dec(&chimney_teardowns);
	/* Last: the device's memory, and @cdev in it, may go with this. */
	put_device(&cdev->netdev->dev);
}

/*
 * The device goes away (ip link del, its netns, the module), under RTNL:
 * refuse new requests here, and leave the teardown, which grows with the
 * tree, to a work item, so that the rest of the machine can configure its
 * network meanwhile. The work holds the device's memory (the core frees
 * what else the device has as soon as it is unregistered) and its netns,
 * where the completions go; a netns being dismantled has no listener left
 * to tell, and is not held. Module exit waits for the work. A device whose
 * registration failed has no tree and is freed as soon as this returns:
 * its teardown is done here.
 *
 * The lock is never destroyed: a request that holds the device may take it
 * after the teardown, and finds the device dead.
 */
static void chimney_dev_uninit(struct net_device *dev)
{
	struct chimney_dev *cdev = netdev_priv(dev);
	bool unregistering = dev->reg_state == NETREG_UNREGISTERING;
	struct net *net = unregistering ? maybe_get_net(dev_net(dev)) : NULL;

	/*
	 * Not under cdev->lock: a request may hold it for a long time (an
	 * invalidate indicates every connection under its block), and RTNL
	 * is held here. Whoever holds cdev->lock either holds the device
	 * too, which keeps its netns and frames until it lets go, or is the
	 * teardown queued below.
	 */
	cdev->notify_net = net;
	spin_lock_bh(&cdev->req_lock);
	/* Pairs with chimney_dev_dead(): who sees @dead sees @notify_net. */
	smp_store_release(&cdev->dead, true);
	spin_unlock_bh(&cdev->req_lock);
	if (!unregistering) {
		chimney_dev_teardown(cdev);
		return;
	}
	get_device(&dev->dev);
	atomic_inc(&chimney_teardowns);
	if (net)
		atomic_inc(chimney_net_teardowns(net));
	INIT_WORK(&cdev->teardown, chimney_dev_teardown_work);
	queue_work(chimney_teardown_wq, &cdev->teardown);
}

/**
 * chimney_dev_hold_live() - hold a device that is not going away
 * @cdev: the device, reached without a reference (a work item, debugfs)
 *
 * While held, the device's netns and frames stay even if it is marked dead
 * meanwhile: the core waits for the reference before it frees them.
 *
 * Return: true when held (let go with dev_put()), false when it is dead.
 */
bool chimney_dev_hold_live(struct chimney_dev *cdev)
{
	bool live;

	spin_lock_bh(&cdev->req_lock);
	live = !cdev->dead;
	if (live)
		dev_hold(cdev->netdev);
	spin_unlock_bh(&cdev->req_lock);
	return live;
}

static int chimney_dev_open(struct net_device *dev)
{
	netif_carrier_on(dev);
	return 0;
}

static int chimney_dev_stop(struct net_device *dev)
{
	netif_carrier_off(dev);
	return 0;
}

static netdev_tx_t chimney_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_lstats_add(dev, skb->len);
	skb_tx_timestamp(skb);
	/* Without a peer the frame is dropped, counted, as on dummy. */
	chimney_dp_xmit(netdev_priv(dev), skb);
	return NETDEV_TX_OK;
}

static int chimney_dev_get_iflink(const struct net_device *dev)
{
	struct chimney_dev *cdev = netdev_priv(dev);
	struct net_device *peer;
	int iflink;

	rcu_read_lock();
	peer = rcu_dereference(cdev->peer);
	/* Without a peer the device is its own link, as on dummy. */
	iflink = peer ? peer->ifindex : dev->ifindex;
	rcu_read_unlock();
	return iflink;
}

static void chimney_dev_get_stats64(struct net_device *dev,
				    struct rtnl_link_stats64 *stats)
{
	dev_lstats_read(dev, &stats->tx_packets, &stats->tx_bytes);
}

/*
 * The interface's VLAN ids (R16) are those of the VLAN devices on top of
 * it, which 8021q reports through the filter callbacks, under RTNL. VLAN 0,
 * which 8021q adds when the device comes up, is not one of them. Only
 * NETIF_F_HW_VLAN_CTAG_FILTER is advertised: @proto is always 802.1Q.
 */
static int chimney_dev_vlan_add(struct net_device *dev, __be16 proto, u16 vid)
{
	struct chimney_dev *cdev = netdev_priv(dev);

	if (vid)
		set_bit(vid, cdev->vlans);
	return 0;
}

static int chimney_dev_vlan_kill(struct net_device *dev, __be16 proto, u16 vid)
{
	struct chimney_dev *cdev = netdev_priv(dev);

	clear_bit(vid, cdev->vlans);
	return 0;
}

/**
 * chimney_dev_vlan_ok() - may a neighbor use this VLAN on this interface?
 * @cdev: the device
 * @vid: the neighbor's VlanId
 *
 * Return: false if the interface has VLAN ids and @vid is a non-zero one
 * not among them (R16); VLAN 0 is always good.
 */
bool chimney_dev_vlan_ok(const struct chimney_dev *cdev, u16 vid)
{
	return !vid || test_bit(vid, cdev->vlans) ||
	       find_next_bit(cdev->vlans, VLAN_N_VID, 1) == VLAN_N_VID;
}

static const struct net_device_ops chimney_netdev_ops = {
	.ndo_init		= chimney_dev_init,
	.ndo_uninit		= chimney_dev_uninit,
	.ndo_open		= chimney_dev_open,
	.ndo_stop		= chimney_dev_stop,
	.ndo_start_xmit		= chimney_dev_xmit,
	.ndo_get_stats64	= chimney_dev_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_get_iflink		= chimney_dev_get_iflink,
	.ndo_vlan_rx_add_vid	= chimney_dev_vlan_add,
	.ndo_vlan_rx_kill_vid	= chimney_dev_vlan_kill,
};

/**
 * chimney_dev_setup() - initialise a freshly allocated chimney netdevice
 * @dev: the netdevice, with a &struct chimney_dev as its private area
 *
 * The rtnl_link_ops ->setup callback: an Ethernet device with a random MAC
 * address that starts with its carrier off until it is opened.
 */
VISIBLE_IF_KUNIT void chimney_dev_setup(struct net_device *dev)
{
	struct chimney_dev *cdev = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &chimney_netdev_ops;
	dev->ethtool_ops = &chimney_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	/* A wire as veth's: what the host stack sends needs no segmenting. */
	chimney_set_lltx(dev);
	dev->features |= NETIF_F_HW_VLAN_CTAG_FILTER | CHIMNEY_FEATURES;
	dev->hw_features = CHIMNEY_FEATURES;
	dev->hw_enc_features = CHIMNEY_FEATURES;
	dev->vlan_features = CHIMNEY_FEATURES;
	netif_set_tso_max_size(dev, GSO_MAX_SIZE);
	dev->min_mtu = CHIMNEY_MIN_MTU;
	dev->max_mtu = CHIMNEY_MAX_MTU;
	eth_hw_addr_random(dev);
	netif_carrier_off(dev);

	cdev->netdev = dev;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dev_setup);

/**
 * chimney_dev_validate() - check the attributes of a new chimney link
 * @tb: the IFLA_* attributes of the request
 * @data: the IFLA_INFO_DATA attributes (&enum chimney_link_attr)
 * @extack: where a rejection is explained
 *
 * Return: 0 if the link may be created, a negative errno otherwise.
 */
VISIBLE_IF_KUNIT int chimney_dev_validate(struct nlattr *tb[],
					  struct nlattr *data[],
					  struct netlink_ext_ack *extack)
{
	/*
	 * A chimney device has no lower device in another namespace; with a
	 * link netns rtnetlink would create it there and move it after
	 * newlink, past the count of devices of its namespace.
	 */
	if (tb[IFLA_LINK_NETNSID]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK_NETNSID],
				    "A chimney device has no link netns");
		return -EINVAL;
	}
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Address must be a valid unicast address");
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dev_validate);

/*
 * Create the peer first, then this end, then tie them together, as veth
 * does. The peer may be created in another namespace (its IFLA_NET_NS_*).
 */
static int chimney_dev_newlink(struct net *src_net, struct net_device *dev,
			       struct nlattr *tb[], struct nlattr *data[],
			       struct netlink_ext_ack *extack)
{
	struct chimney_dev *cdev = netdev_priv(dev);
	struct nlattr *peer_tb[IFLA_MAX + 1];
	unsigned char name_assign_type;
	struct ifinfomsg *ifmp;
	struct net_device *peer;
	char ifname[IFNAMSIZ];
	struct net *net;
	int err;

	if (!data || !data[CHIMNEY_LINK_A_PEER]) {
		err = chimney_limits_room(dev_net(dev), 1, extack);
		return err ?: register_netdevice(dev);
	}

	ifmp = nla_data(data[CHIMNEY_LINK_A_PEER]);
	err = rtnl_nla_parse_ifinfomsg(peer_tb, data[CHIMNEY_LINK_A_PEER], extack);
	if (err < 0)
		return err;
	err = chimney_dev_validate(peer_tb, NULL, extack);
	if (err < 0)
		return err;
	if (peer_tb[IFLA_IFNAME]) {
		nla_strscpy(ifname, peer_tb[IFLA_IFNAME], IFNAMSIZ);
		name_assign_type = NET_NAME_USER;
	} else {
		snprintf(ifname, IFNAMSIZ, CHIMNEY_DRV_NAME "%%d");
		name_assign_type = NET_NAME_ENUM;
	}
	net = rtnl_link_get_net(src_net, peer_tb);
	if (IS_ERR(net))
		return PTR_ERR(net);
	/*
	 * rtnetlink checked the caller over this end's namespace only. Root
	 * of a user namespace must not place the peer in one it does not
	 * administer (6.1's veth lets it: this driver does not). newlink runs
	 * in the sender's context, and 6.1 gives it no skb whose opener
	 * netlink_ns_capable() would check. First, before anything could
	 * tell the sender about that namespace.
	 */
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		put_net(net);
		NL_SET_ERR_MSG_ATTR(extack, data[CHIMNEY_LINK_A_PEER],
				    "Placing the peer in that namespace needs CAP_NET_ADMIN over it");
		return -EPERM;
	}
	err = net_eq(net, dev_net(dev)) ? chimney_limits_room(net, 2, extack) :
	      chimney_limits_room(net, 1, extack) ?: chimney_limits_room(dev_net(dev), 1, extack);
	if (err) {
		put_net(net);
		return err;
	}
	peer = rtnl_create_link(net, ifname, name_assign_type, &chimney_link_ops,
				peer_tb, extack);
	if (IS_ERR(peer)) {
		put_net(net);
		return PTR_ERR(peer);
	}
	if (ifmp->ifi_index)
		peer->ifindex = ifmp->ifi_index;
	err = register_netdevice(peer);
	put_net(net);
	if (err < 0)
		goto err_free_peer;
	err = rtnl_configure_link(peer, ifmp, 0, NULL);
	if (err < 0)
		goto err_unregister_peer;

	err = register_netdevice(dev);
	if (err < 0)
		goto err_unregister_peer;
	rcu_assign_pointer(cdev->peer, peer);
	rcu_assign_pointer(((struct chimney_dev *)netdev_priv(peer))->peer, dev);
	return 0;

err_unregister_peer:
	unregister_netdevice(peer);
	return err;
err_free_peer:
	free_netdev(peer);
	return err;
}

/* Both ends go together; the core waits a grace period before freeing. */
static void chimney_dev_dellink(struct net_device *dev, struct list_head *head)
{
	struct chimney_dev *cdev = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(cdev->peer);

	RCU_INIT_POINTER(cdev->peer, NULL);
	unregister_netdevice_queue(dev, head);
	if (peer) {
		RCU_INIT_POINTER(((struct chimney_dev *)netdev_priv(peer))->peer, NULL);
		unregister_netdevice_queue(peer, head);
	}
}

static struct net *chimney_dev_get_link_net(const struct net_device *dev)
{
	struct chimney_dev *cdev = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(cdev->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

static const struct nla_policy chimney_link_policy[CHIMNEY_LINK_A_MAX + 1] = {
	[CHIMNEY_LINK_A_PEER]	= { .len = sizeof(struct ifinfomsg) },
};

struct rtnl_link_ops chimney_link_ops __read_mostly = {
	.kind		= CHIMNEY_DRV_NAME,
	.priv_size	= sizeof(struct chimney_dev),
	.setup		= chimney_dev_setup,
	.validate	= chimney_dev_validate,
	.newlink	= chimney_dev_newlink,
	.dellink	= chimney_dev_dellink,
	.get_link_net	= chimney_dev_get_link_net,
	.policy		= chimney_link_policy,
	.maxtype	= CHIMNEY_LINK_A_MAX,
};
EXPORT_SYMBOL_IF_KUNIT(chimney_link_ops);

/**
 * chimney_dev_module_init() - create the queue of the devices' teardowns
 *	and their count per netns
 *
 * Return: 0 or -ENOMEM.
 */
int chimney_dev_module_init(void)
{
	int err;

	chimney_teardown_wq = alloc_workqueue("chimney_teardown", WQ_UNBOUND, 0);
	if (!chimney_teardown_wq)
		return -ENOMEM;
	err = register_pernet_subsys(&chimney_net_ops);
	if (err)
		goto err_destroy_wq;
	return 0;

err_destroy_wq:
	destroy_workqueue(chimney_teardown_wq);
	return err;
}

/**
 * chimney_dev_module_exit() - wait for the devices' teardowns, once every
 *	device is unregistered
 *
 * Before the family goes: the teardowns send completions through it.
 */
void chimney_dev_module_exit(void)
{
	destroy_workqueue(chimney_teardown_wq);
	unregister_pernet_subsys(&chimney_net_ops);
}
