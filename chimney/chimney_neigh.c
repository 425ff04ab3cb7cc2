// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: neighbor reachability bookkeeping (section 4.3, R91-R94).
 *
 * The target keeps two times per neighbor on its own clock (NCT, in
 * milliseconds modulo 2^32): NRT, when it last saw forward progress on a
 * connection under the neighbor, and HRT, when the host last vouched for
 * it. The deltas the host exchanges are NRD = NCT - NRT and
 * HRD = NCT - HRT, in the host's ticks (TicksPerSecond). Before a segment
 * goes out, a neighbor stale on both counts (more than NceStaleTicks) is
 * indicated with NeighborReachabilityQuery.
 *
 * The host answers with its HRD, which here is an update of the neighbor's
 * cached HostReachabilityDelta (decision 15: the reply is a CACHED
 * structure). Until that update arrives the target acts as if the host had
 * answered "stale" (HRD 0): HRT is NCT of the query, so a neighbor is not
 * asked about again within NceStaleTicks, whether or not the host answers.
 */
#include <kunit/visibility.h>

#include "chimney.h"

/**
 * chimney_neigh_nct() - the target's clock for reachability (NCT)
 * @cdev: the device; its debugfs offset lets tests wrap the clock
 *
 * Return: milliseconds modulo 2^32.
 */
u32 chimney_neigh_nct(const struct chimney_dev *cdev)
{
	return chimney_tcp_now() + READ_ONCE(cdev->nct_offset);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_neigh_nct);

/**
 * chimney_neigh_stale() - the test of section 4.3, modulo 2^32 (R94)
 * @nct: the target's current time
 * @nrt: when the target last saw forward progress
 * @hrt: when the host last confirmed the neighbor
 * @stale: NceStaleTicks, in the target's ticks
 *
 * Return: true if both NCT - NRT and NCT - HRT exceed @stale (R91).
 */
VISIBLE_IF_KUNIT bool chimney_neigh_stale(u32 nct, u32 nrt, u32 hrt, u32 stale)
{
	return nct - nrt > stale && nct - hrt > stale;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_neigh_stale);

/**
 * chimney_neigh_start() - set a new neighbor's times from its offload
 * @cdev: the device
 * @neigh: the neighbor, its state just copied from the offload block
 *
 * HRD and NRD are equal at offload; both are the host's HRD.
 */
void chimney_neigh_start(const struct chimney_dev *cdev, struct chimney_neigh *neigh)
{
	u32 nct = chimney_neigh_nct(cdev);

	neigh->hrt = nct - chimney_ticks_to_ms(cdev, neigh->st.host_reachability_delta);
	neigh->nrt = neigh->hrt;
}

/**
 * chimney_neigh_host_reply() - the host's HRD, by an update (R93)
 * @cdev: the device; its lock must be held
 * @neigh: the neighbor, inside its write section
 * @hrd: HostReachabilityDelta, in host ticks
 */
void chimney_neigh_host_reply(const struct chimney_dev *cdev,
			      struct chimney_neigh *neigh, u32 hrd)
{
	neigh->st.host_reachability_delta = hrd;
	WRITE_ONCE(neigh->hrt, chimney_neigh_nct(cdev) - chimney_ticks_to_ms(cdev, hrd));
}
EXPORT_SYMBOL_IF_KUNIT(chimney_neigh_host_reply);

/**
 * chimney_neigh_reached() - forward progress on a connection (R92)
 * @cdev: the device; its lock must be held
 * @neigh: the connection's neighbor
 *
 * NRT = NCT: NRD reads 0 now.
 */
void chimney_neigh_reached(const struct chimney_dev *cdev, struct chimney_neigh *neigh)
{
	u32 nct = chimney_neigh_nct(cdev);

	if (READ_ONCE(neigh->nrt) == nct)
		return;
	chimney_obj_write_begin(cdev, &neigh->obj);
	WRITE_ONCE(neigh->nrt, nct);
	chimney_obj_write_end(&neigh->obj);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_neigh_reached);

/**
 * chimney_neigh_fill() - the deltas of a neighbor's state as of now
 * @cdev: the device
 * @neigh: the neighbor
 * @st: its state, copied whole under its seqcount; the deltas are written
 */
void chimney_neigh_fill(const struct chimney_dev *cdev, const struct chimney_neigh *neigh,
			struct chimney_neigh_state *st)
{
	u32 nct = chimney_neigh_nct(cdev);

	st->host_reachability_delta = chimney_ms_to_ticks(cdev, nct - READ_ONCE(neigh->hrt));
	st->nic_reachability_delta = chimney_ms_to_ticks(cdev, nct - READ_ONCE(neigh->nrt));
}

/**
 * chimney_neigh_before_send() - R91: ask the host about a stale neighbor
 * @cdev: the device; its lock must be held
 * @neigh: the neighbor a segment is about to be sent to
 */
void chimney_neigh_before_send(struct chimney_dev *cdev, struct chimney_neigh *neigh)
{
	u32 stale = chimney_ticks_to_ms(cdev, cdev->params.nce_stale_ticks);
	u32 nct = chimney_neigh_nct(cdev);

	lockdep_assert_held(&cdev->lock);
	if (!chimney_neigh_stale(nct, neigh->nrt, neigh->hrt, stale))
		return;
	chimney_notify_neigh_event(cdev, neigh, CHIMNEY_NEIGHBOR_REACHABILITY_QUERY);
	/* As if the host said "stale" (HRD 0) until it answers. */
	chimney_obj_write_begin(cdev, &neigh->obj);
	WRITE_ONCE(neigh->hrt, nct);
	chimney_obj_write_end(&neigh->obj);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_neigh_before_send);
