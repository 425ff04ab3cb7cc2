// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for neighbor reachability (section 4.3): the staleness test
 * modulo 2^32, and a neighbor's life on a clock that wraps through 0.
 */
#include <kunit/test.h>

#include "chimney.h"
#include "chimney_test.h"

/* R91, R94: both deltas must exceed the limit, with wrap-around arithmetic. */
static void chimney_neigh_test_stale(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, chimney_neigh_stale(1000, 0, 0, 1000));
	KUNIT_EXPECT_TRUE(test, chimney_neigh_stale(1001, 0, 0, 1000));
	KUNIT_EXPECT_FALSE(test, chimney_neigh_stale(2000, 1500, 0, 1000));
	KUNIT_EXPECT_FALSE(test, chimney_neigh_stale(2000, 0, 1500, 1000));
	/* NCT wrapped through 0 a moment after NRT and HRT. */
	KUNIT_EXPECT_FALSE(test, chimney_neigh_stale(5, 0xfffffff0, 0xfffffff0, 1000));
	KUNIT_EXPECT_FALSE(test, chimney_neigh_stale(400, 0xfffffe00, 0xfffffc00, 1000));
	KUNIT_EXPECT_TRUE(test, chimney_neigh_stale(1000, 0xfffffe00, 0xfffffc00, 1000));
}

static struct chimney_neigh *chimney_neigh_test_new(struct kunit *test, u32 hrd)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct chimney_dev *cdev = netdev_priv(priv->dev);
	struct chimney_block *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct chimney_obj *obj;

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->layer = CHIMNEY_LAYER_NEIGH;
	b->type = CHIMNEY_NEIGHBOR_OFFLOAD_STATE;
	b->st.neigh.dl_destination_address[0] = 0x02;
	b->st.neigh.host_reachability_delta = hrd;
	mutex_lock(&cdev->lock);
	obj = chimney_obj_create(cdev, NULL, b);
	mutex_unlock(&cdev->lock);
	KUNIT_ASSERT_FALSE(test, IS_ERR(obj));
	return container_of(obj, struct chimney_neigh, obj);
}

/* Indicate if due, and tell whether a query went out. */
static bool chimney_neigh_test_send(struct kunit *test, struct chimney_dev *cdev,
				    struct chimney_neigh *neigh)
{
	u64 events = chimney_stat_read(cdev, &cdev->stats.events);

	mutex_lock(&cdev->lock);
	chimney_neigh_before_send(cdev, neigh);
	mutex_unlock(&cdev->lock);
	return chimney_stat_read(cdev, &cdev->stats.events) != events;
}

static u32 chimney_neigh_test_nrd(struct chimney_dev *cdev, struct chimney_neigh *neigh)
{
	struct chimney_block b = {};

	chimney_obj_get_state(cdev, &neigh->obj, &b);
	return b.st.neigh.nic_reachability_delta;
}

/*
 * A neighbor offloaded with HRD 0 on a clock 100 ms before its wrap: no
 * query while the clock wraps (R94), one once both deltas pass
 * NceStaleTicks (R91), none again within NceStaleTicks of it or of a host
 * reply of HRD 0 (R93), and an ACK sets NRD back to 0 (R92).
 */
static void chimney_neigh_test_life(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;
	struct chimney_dev *cdev = netdev_priv(priv->dev);
	struct chimney_neigh *neigh;
	u32 nrd;

	cdev->params.ticks_per_second = 1000;
	cdev->params.nce_stale_ticks = 1000;
	cdev->nct_offset = -chimney_tcp_now() - 100;
	neigh = chimney_neigh_test_new(test, 0);
	KUNIT_EXPECT_FALSE(test, chimney_neigh_test_send(test, cdev, neigh));

	cdev->nct_offset += 600;	/* through 0 */
	KUNIT_EXPECT_LT(test, chimney_neigh_nct(cdev), 1000U);
	KUNIT_EXPECT_FALSE(test, chimney_neigh_test_send(test, cdev, neigh));

	cdev->nct_offset += 600;
	nrd = chimney_neigh_test_nrd(cdev, neigh);
	KUNIT_EXPECT_GE(test, nrd, 1200U);
	KUNIT_EXPECT_LT(test, nrd, 2200U);
	KUNIT_EXPECT_TRUE(test, chimney_neigh_test_send(test, cdev, neigh));
	KUNIT_EXPECT_FALSE(test, chimney_neigh_test_send(test, cdev, neigh));

	/* The host's answer: HRD 0, stale. */
	mutex_lock(&cdev->lock);
	chimney_neigh_host_reply(cdev, neigh, 0);
	mutex_unlock(&cdev->lock);
	cdev->nct_offset += 900;
	KUNIT_EXPECT_FALSE(test, chimney_neigh_test_send(test, cdev, neigh));
	cdev->nct_offset += 200;
	KUNIT_EXPECT_TRUE(test, chimney_neigh_test_send(test, cdev, neigh));

	/* A reachable neighbor: HRD 20 ticks at 100 a second, 200 ms. */
	cdev->params.ticks_per_second = 100;
	mutex_lock(&cdev->lock);
	chimney_neigh_host_reply(cdev, neigh, 20);
	mutex_unlock(&cdev->lock);
	cdev->nct_offset += 10000;
	/* NRD in the host's ticks: more than 100 ticks is more than 1 s. */
	KUNIT_EXPECT_GT(test, chimney_neigh_test_nrd(cdev, neigh), 100U);
	mutex_lock(&cdev->lock);
	chimney_neigh_reached(cdev, neigh);
	mutex_unlock(&cdev->lock);
	KUNIT_EXPECT_LE(test, chimney_neigh_test_nrd(cdev, neigh), 1U);
	KUNIT_EXPECT_FALSE(test, chimney_neigh_test_send(test, cdev, neigh));
}

static struct kunit_case chimney_neigh_test_cases[] = {
	KUNIT_CASE(chimney_neigh_test_stale),
	KUNIT_CASE(chimney_neigh_test_life),
	{}
};

static struct kunit_suite chimney_neigh_test_suite = {
	.name = "chimney_neigh",
	.init = chimney_test_dev_init,
	.exit = chimney_test_dev_exit,
	.test_cases = chimney_neigh_test_cases,
};

kunit_test_suite(chimney_neigh_test_suite);
