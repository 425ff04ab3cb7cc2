/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chimney: a TCP chimney offload target on a virtual netdevice.
 *
 * Internal header shared by the files of the module. One netdevice is one
 * offload target ("adapter" in NDIS terms).
 */
#ifndef _CHIMNEY_H
#define _CHIMNEY_H

#include <linux/netdevice.h>
#include <net/rtnetlink.h>
#include <uapi/linux/chimney.h>

#define CHIMNEY_DRV_NAME	CHIMNEY_LINK_KIND
#define CHIMNEY_DRV_VERSION	"0.1"

/* Ethernet payload limits of the virtual wire. */
#define CHIMNEY_MIN_MTU		ETH_MIN_MTU
#define CHIMNEY_MAX_MTU		ETH_MAX_MTU

/**
 * struct chimney_dev - per-netdevice private data of one offload target
 * @netdev: the netdevice this target is attached to
 */
struct chimney_dev {
	struct net_device *netdev;
};

extern struct rtnl_link_ops chimney_link_ops;

#if IS_ENABLED(CONFIG_KUNIT)
void chimney_dev_setup(struct net_device *dev);
int chimney_dev_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack);
#endif

#endif /* _CHIMNEY_H */
