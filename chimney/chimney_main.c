// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: module init and exit.
 *
 * Devices are created with "ip link add NAME type chimney" and driven
 * through the "chimney" generic netlink family; unloading the module
 * removes every chimney device in every network namespace.
 */
#include <linux/module.h>

#include "chimney.h"

static int __init chimney_init(void)
{
	int err;

	err = chimney_state_module_init();
	if (err)
		return err;
	err = chimney_dev_module_init();
	if (err)
		goto err_state_exit;
	err = chimney_debugfs_init();
	if (err)
		goto err_dev_exit;
	err = chimney_netlink_init();
	if (err)
		goto err_debugfs_exit;
	/* Devices last: they send notifications through the family. */
	err = rtnl_link_register(&chimney_link_ops);
	if (err)
		goto err_netlink_exit;
	return 0;

err_netlink_exit:
	chimney_netlink_exit();
err_debugfs_exit:
	chimney_debugfs_exit();
err_dev_exit:
	chimney_dev_module_exit();
err_state_exit:
	chimney_state_module_exit();
	return err;
}

static void __exit chimney_exit(void)
{
	rtnl_link_unregister(&chimney_link_ops);
	chimney_dev_module_exit();
	chimney_netlink_exit();
	chimney_debugfs_exit();
	/* Last: objects freed by the devices' teardown wait for RCU. */
	chimney_state_module_exit();
}

module_init(chimney_init);
module_exit(chimney_exit);

MODULE_DESCRIPTION("TCP chimney offload target on a virtual netdevice");
MODULE_LICENSE("GPL");
MODULE_VERSION(CHIMNEY_DRV_VERSION);
MODULE_ALIAS_RTNL_LINK(CHIMNEY_DRV_NAME);
