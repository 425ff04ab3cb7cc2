// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: ethtool operations: driver information, link state, and
 * "ethtool -S" with the offload target's counters (see chimney_stats.c).
 */
#include <linux/ethtool.h>

#include "chimney.h"

static const char chimney_tcp_stat_names[CHIMNEY_TCP_STATS][ETH_GSTRING_LEN] = {
	[CHIMNEY_TCP_IN_SEGMENTS]		= "in_segments",
	[CHIMNEY_TCP_OUT_SEGMENTS]		= "out_segments",
	[CHIMNEY_TCP_RESET_ESTABLISHED]		= "reset_established",
	[CHIMNEY_TCP_RETRANSMITTED_SEGMENTS]	= "retransmitted_segments",
	[CHIMNEY_TCP_IN_ERRORS]			= "in_errors",
	[CHIMNEY_TCP_OUT_RESETS]		= "out_resets",
};

static const char chimney_ip_stat_names[CHIMNEY_IP_STATS][ETH_GSTRING_LEN] = {
	[CHIMNEY_IP_IN_RECEIVES]		= "in_receives",
	[CHIMNEY_IP_IN_OCTETS]			= "in_octets",
	[CHIMNEY_IP_IN_DELIVERS]		= "in_delivers",
	[CHIMNEY_IP_OUT_REQUESTS]		= "out_requests",
	[CHIMNEY_IP_OUT_OCTETS]			= "out_octets",
	[CHIMNEY_IP_IN_HEADER_ERRORS]		= "in_header_errors",
	[CHIMNEY_IP_IN_TRUNCATED_PACKETS]	= "in_truncated_packets",
	[CHIMNEY_IP_IN_DISCARDS]		= "in_discards",
	[CHIMNEY_IP_OUT_DISCARDS]		= "out_discards",
	[CHIMNEY_IP_OUT_NO_ROUTES]		= "out_no_routes",
};

/* ethtool -S: these, then per IP version the TCP and the IP counters. */
static const char chimney_dev_stat_names[][ETH_GSTRING_LEN] = {
	"neighbors", "paths", "connections", "initiates", "updates",
	"invalidates", "queries", "terminates", "events", "notify_lost",
};

#define CHIMNEY_ETHTOOL_STATS (ARRAY_SIZE(chimney_dev_stat_names) + \
			       2 * (CHIMNEY_TCP_STATS + 1 + CHIMNEY_IP_STATS))

static void chimney_get_drvinfo(struct net_device *dev,
				struct ethtool_drvinfo *info)
{
	strscpy(info->driver, CHIMNEY_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, CHIMNEY_DRV_VERSION, sizeof(info->version));
	snprintf(info->bus_info, sizeof(info->bus_info), "chimney%d",
		 ((struct chimney_dev *)netdev_priv(dev))->id);
}

static int chimney_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? CHIMNEY_ETHTOOL_STATS : -EOPNOTSUPP;
}

static void chimney_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	static const char *const ver[] = { "4", "6" };
	unsigned int i;
	int v;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(chimney_dev_stat_names); i++)
		ethtool_puts(&data, chimney_dev_stat_names[i]);
	for (v = 0; v < 2; v++) {
		for (i = 0; i < CHIMNEY_TCP_STATS; i++)
			ethtool_sprintf(&data, "tcp%s_%s", ver[v], chimney_tcp_stat_names[i]);
		ethtool_sprintf(&data, "tcp%s_currently_established", ver[v]);
		for (i = 0; i < CHIMNEY_IP_STATS; i++)
			ethtool_sprintf(&data, "ip%s_%s", ver[v], chimney_ip_stat_names[i]);
	}
}

static void chimney_get_ethtool_stats(struct net_device *dev,
				      struct ethtool_stats *stats, u64 *data)
{
	const struct chimney_offload_stats *os;
	const struct chimney_stats *st;
	struct chimney_dev *cdev;
	unsigned int i;
	int v;

	cdev = netdev_priv(dev);
	os = &cdev->ostats;
	st = &cdev->stats;

	*data++ = READ_ONCE(cdev->count[CHIMNEY_LAYER_NEIGH]);
	*data++ = READ_ONCE(cdev->count[CHIMNEY_LAYER_PATH]);
	*data++ = READ_ONCE(cdev->count[CHIMNEY_LAYER_TCP]);
	*data++ = chimney_stat_read(cdev, &st->initiates);
	*data++ = chimney_stat_read(cdev, &st->updates);
	*data++ = chimney_stat_read(cdev, &st->invalidates);
	*data++ = chimney_stat_read(cdev, &st->queries);
	*data++ = chimney_stat_read(cdev, &st->terminates);
	*data++ = chimney_stat_read(cdev, &st->events);
	*data++ = chimney_stat_read(cdev, &st->notify_lost);
	for (v = 0; v < 2; v++) {
		for (i = 0; i < CHIMNEY_TCP_STATS; i++)
			*data++ = chimney_stat_read(cdev, &os->tcp[v][i]);
		*data++ = READ_ONCE(os->established[v]);
		for (i = 0; i < CHIMNEY_IP_STATS; i++)
			*data++ = chimney_stat_read(cdev, &os->ip[v][i]);
	}
}

const struct ethtool_ops chimney_ethtool_ops = {
	.get_drvinfo		= chimney_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= chimney_get_sset_count,
	.get_strings		= chimney_get_strings,
	.get_ethtool_stats	= chimney_get_ethtool_stats,
};

