/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chimney: what differs between the kernels chimney builds on, Debian's
 * 6.1 and 6.12 LTS. Each difference is here once, behind a helper named for
 * what it does; the rest of the module is written for both.
 */
#ifndef _CHIMNEY_COMPAT_H
#define _CHIMNEY_COMPAT_H

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <linux/version.h>
#include <net/genetlink.h>

/**
 * chimney_dump_attrs() - the attributes of a dump's request
 * @cb: the dump, after its policy was applied
 *
 * 6.6 moved them into the &struct genl_info a dump now carries.
 *
 * Return: the attributes, indexed by type.
 */
static inline struct nlattr **chimney_dump_attrs(struct netlink_callback *cb)
{
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/**
 * chimney_set_lltx() - let the core transmit without the queue's lock
 * @dev: the netdevice being set up
 *
 * 6.12 turned the NETIF_F_LLTX feature into a private flag.
 */
static inline void chimney_set_lltx(struct net_device *dev)
{
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

#if KERNEL_VERSION(6, 8, 0) > LINUX_VERSION_CODE
/*
 * 6.8 added ethtool_puts() for a string name of ethtool -S (6.12's
 * checkpatch asks for it); on 6.1, the same, as 6.8 writes it.
 */
static inline void ethtool_puts(u8 **data, const char *str)
{
	strscpy(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#endif

#endif /* _CHIMNEY_COMPAT_H */
