// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: what a device holds for user space at most.
 *
 * Root of any user namespace can drive a device of its own (on Debian, any
 * local user), so everything a request makes the kernel keep is bounded
 * here, and charged to the sender's memory cgroup where it is allocated.
 * Each limit has a default, is shown in device replies and is set with a
 * device set (CHIMNEY_A_LIMITS); the devices of a namespace are bounded by
 * a module parameter.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <kunit/visibility.h>

#include "chimney.h"

static unsigned int devices_per_netns = 64;
module_param(devices_per_netns, uint, 0644);
MODULE_PARM_DESC(devices_per_netns,
		 "Chimney devices in one network namespace, both ends counted (default 64)");

static struct netlink_range_validation chimney_limit_range = {
	.min = 1,
	.max = U32_MAX,
};

/* The engine counts the bytes of a send queue in a u32: 1 GiB at most. */
static struct netlink_range_validation chimney_send_bytes_range = {
	.min = 1,
	.max = 1U << 30,
};

const struct nla_policy chimney_limit_policy[CHIMNEY_LIMIT_A_MAX + 1] = {
	[CHIMNEY_LIMIT_A_SEND_BYTES] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_send_bytes_range),
	[CHIMNEY_LIMIT_A_RECEIVES] = NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_limit_range),
	[CHIMNEY_LIMIT_A_REQUESTS] = NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_limit_range),
	[CHIMNEY_LIMIT_A_NEIGHBORS] = NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_limit_range),
	[CHIMNEY_LIMIT_A_PATHS] = NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_limit_range),
	[CHIMNEY_LIMIT_A_JOURNAL_KB] = NLA_POLICY_FULL_RANGE(NLA_U32, &chimney_limit_range),
	/* Known, so that chimney_limits_set() can say why it is refused. */
	[CHIMNEY_LIMIT_A_DEVICES] = { .type = NLA_U32 },
};

/**
 * chimney_limits_init() - a new device's limits, the defaults
 * @cdev: the device
 */
void chimney_limits_init(struct chimney_dev *cdev)
{
	struct chimney_limits *l = &cdev->limits;

	l->send_bytes = 4 << 20;
	l->receives = 256;
	l->requests = 1024;
	l->neighbors = 65536;
	l->paths = 1 << 20;
	l->journal_kb = chimney_journal_default_kb();
}
EXPORT_SYMBOL_IF_KUNIT(chimney_limits_init);

/**
 * chimney_limits_put() - the device's limits, as a CHIMNEY_A_LIMITS nest
 * @msg: the reply
 * @cdev: the device
 *
 * Return: 0 or -EMSGSIZE.
 */
int chimney_limits_put(struct sk_buff *msg, const struct chimney_dev *cdev)
{
	const struct chimney_limits *l = &cdev->limits;
	struct nlattr *n = nla_nest_start(msg, CHIMNEY_A_LIMITS);

	if (!n ||
	    nla_put_u32(msg, CHIMNEY_LIMIT_A_SEND_BYTES, READ_ONCE(l->send_bytes)) ||
	    nla_put_u32(msg, CHIMNEY_LIMIT_A_RECEIVES, READ_ONCE(l->receives)) ||
	    nla_put_u32(msg, CHIMNEY_LIMIT_A_REQUESTS, READ_ONCE(l->requests)) ||
	    nla_put_u32(msg, CHIMNEY_LIMIT_A_NEIGHBORS, READ_ONCE(l->neighbors)) ||
	    nla_put_u32(msg, CHIMNEY_LIMIT_A_PATHS, READ_ONCE(l->paths)) ||
	    nla_put_u32(msg, CHIMNEY_LIMIT_A_JOURNAL_KB, READ_ONCE(l->journal_kb)) ||
	    nla_put_u32(msg, CHIMNEY_LIMIT_A_DEVICES, READ_ONCE(devices_per_netns)))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static void chimney_limit_get(struct nlattr *const *tb, int type, u32 *dst)
{
	if (tb[type])
		WRITE_ONCE(*dst, nla_get_u32(tb[type]));
}

/**
 * chimney_limits_set() - new limits from a device set
 * @cdev: the device; its lock must be held
 * @tb: the CHIMNEY_A_LIMITS nest, parsed with chimney_limit_policy
 * @extack: where a refusal is explained
 *
 * A limit below what the device holds now is taken: it refuses what comes
 * next, and takes nothing back.
 *
 * Return: 0, or -EINVAL for the read-only limit of devices.
 */
int chimney_limits_set(struct chimney_dev *cdev, struct nlattr *const *tb,
		       struct netlink_ext_ack *extack)
{
	struct chimney_limits *l = &cdev->limits;

	lockdep_assert_held(&cdev->lock);
	if (tb[CHIMNEY_LIMIT_A_DEVICES]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CHIMNEY_LIMIT_A_DEVICES],
				    "The devices of a namespace are the module parameter devices_per_netns");
		return -EINVAL;
	}
	chimney_limit_get(tb, CHIMNEY_LIMIT_A_SEND_BYTES, &l->send_bytes);
	chimney_limit_get(tb, CHIMNEY_LIMIT_A_RECEIVES, &l->receives);
	chimney_limit_get(tb, CHIMNEY_LIMIT_A_REQUESTS, &l->requests);
	chimney_limit_get(tb, CHIMNEY_LIMIT_A_NEIGHBORS, &l->neighbors);
	chimney_limit_get(tb, CHIMNEY_LIMIT_A_PATHS, &l->paths);
	chimney_limit_get(tb, CHIMNEY_LIMIT_A_JOURNAL_KB, &l->journal_kb);
	return 0;
}

/**
 * chimney_limits_room() - whether a namespace takes more chimney devices
 * @net: the namespace
 * @more: how many the new link adds there
 * @extack: where a refusal is explained
 *
 * Counted under RTNL by a walk of the namespace's devices, as rtnetlink's
 * own name allocation walks them, with those still being torn down; a
 * device moved in later is not refused.
 *
 * Return: 0, or -ENOSPC.
 */
int chimney_limits_room(struct net *net, unsigned int more,
			struct netlink_ext_ack *extack)
{
	unsigned int n = chimney_dev_teardowns(net), max = READ_ONCE(devices_per_netns);
	struct net_device *dev;

	ASSERT_RTNL();
	for_each_netdev(net, dev)
		n += dev->rtnl_link_ops == &chimney_link_ops;
	if (n + more <= max)
		return 0;
	NL_SET_ERR_MSG(extack,
		       "The namespace has its limit of chimney devices (module parameter devices_per_netns)");
	return -ENOSPC;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_limits_room);
