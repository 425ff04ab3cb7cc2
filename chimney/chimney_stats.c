// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the offload target's counters.
 *
 * Per-operation counts, object counts and, per IP version, the
 * TCP_OFFLOAD_STATS and IP_OFFLOAD_STATS of section 2.10 of the
 * specification, for netlink device replies and "ethtool -S". The host
 * zeroes one set without touching the others (R96); CurrentlyEstablished
 * is a gauge of the offloaded connections in ESTABLISHED or CLOSE-WAIT.
 */
#include <kunit/visibility.h>

#include "chimney.h"

static bool chimney_conn_established(const struct chimney_obj *obj)
{
	const struct chimney_conn *conn = container_of(obj, struct chimney_conn, obj);

	return conn->tcb.state == CHIMNEY_TCP_CONNECTION_ESTABLISHED ||
	       conn->tcb.state == CHIMNEY_TCP_CONNECTION_CLOSE_WAIT;
}

/**
 * chimney_stats_conn() - count a connection in or out of CurrentlyEstablished
 * @cdev: the device; its lock must be held
 * @obj: a TCP connection, linked to its path
 * @delta: 1 when it is offloaded, -1 when it goes
 */
void chimney_stats_conn(struct chimney_dev *cdev, const struct chimney_obj *obj,
			int delta)
{
	const struct chimney_conn *conn = container_of(obj, struct chimney_conn, obj);

	lockdep_assert_held(&cdev->lock);
	if (obj->layer == CHIMNEY_LAYER_TCP && chimney_conn_established(obj))
		cdev->ostats.established[chimney_conn_v6(cdev, conn)] += delta;
}

/**
 * chimney_stats_clear() - zero counter sets (OID_*_OFFLOAD_STATS set)
 * @cdev: the device; its lock must be held
 * @sets: &enum chimney_stats_set bits
 */
void chimney_stats_clear(struct chimney_dev *cdev, u32 sets)
{
	unsigned long flags;
	unsigned int i;
	int v;

	lockdep_assert_held(&cdev->lock);
	flags = u64_stats_update_begin_irqsave(&cdev->syncp);
	for (v = 0; v < 2; v++) {
		for (i = 0; sets & (CHIMNEY_STATS_SET_TCP4 << v) && i < CHIMNEY_TCP_STATS; i++)
			u64_stats_set(&cdev->ostats.tcp[v][i], 0);
		for (i = 0; sets & (CHIMNEY_STATS_SET_IP4 << v) && i < CHIMNEY_IP_STATS; i++)
			u64_stats_set(&cdev->ostats.ip[v][i], 0);
	}
	u64_stats_update_end_irqrestore(&cdev->syncp, flags);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_stats_clear);

/*
 * One nest of counters: c[i] as attribute first + i, and for the TCP sets
 * the CurrentlyEstablished gauge.
 */
static int chimney_put_counters(struct sk_buff *msg, const struct chimney_dev *cdev,
				int attr, const u64_stats_t *c, unsigned int n, int first,
				int pad, const u32 *established)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u64_64bit(msg, first + i, chimney_stat_read(cdev, &c[i]), pad))
			return -EMSGSIZE;
	if (established &&
	    nla_put_u64_64bit(msg, CHIMNEY_TCP_STATS_A_CURRENTLY_ESTABLISHED,
			      READ_ONCE(*established), pad))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * chimney_stats_put() - the TCP and IP offload counters, in a device reply
 * @msg: the reply
 * @cdev: the device
 *
 * Return: 0, or -EMSGSIZE.
 */
int chimney_stats_put(struct sk_buff *msg, struct chimney_dev *cdev)
{
	const struct chimney_offload_stats *os = &cdev->ostats;
	int v;

	for (v = 0; v < 2; v++) {
		if (chimney_put_counters(msg, cdev, CHIMNEY_A_TCP4_OFFLOAD_STATS + v, os->tcp[v],
					 CHIMNEY_TCP_STATS, CHIMNEY_TCP_STATS_A_IN_SEGMENTS,
					 CHIMNEY_TCP_STATS_A_PAD, &os->established[v]) ||
		    chimney_put_counters(msg, cdev, CHIMNEY_A_IP4_OFFLOAD_STATS + v, os->ip[v],
					 CHIMNEY_IP_STATS, CHIMNEY_IP_STATS_A_IN_RECEIVES,
					 CHIMNEY_IP_STATS_A_PAD, NULL))
			return -EMSGSIZE;
	}
	return 0;
}
