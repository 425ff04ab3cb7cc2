// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: module init and exit.
 *
 * Devices are created with "ip link add NAME type chimney"; unloading the
 * module removes every chimney device in every network namespace.
 */
#include <linux/module.h>

#include "chimney.h"

static int __init chimney_init(void)
{
	return rtnl_link_register(&chimney_link_ops);
}

static void __exit chimney_exit(void)
{
	rtnl_link_unregister(&chimney_link_ops);
}

module_init(chimney_init);
module_exit(chimney_exit);

MODULE_DESCRIPTION("TCP chimney offload target on a virtual netdevice");
MODULE_LICENSE("GPL");
MODULE_VERSION(CHIMNEY_DRV_VERSION);
MODULE_ALIAS_RTNL_LINK(CHIMNEY_DRV_NAME);
