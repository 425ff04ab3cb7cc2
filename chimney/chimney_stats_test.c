// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the offload counters: clearing one set leaves the others
 * alone (R96), and CurrentlyEstablished counts the offloaded connections in
 * ESTABLISHED or CLOSE-WAIT per IP version.
 */
#include <kunit/test.h>

#include "chimney.h"
#include "chimney_test.h"

static int chimney_stats_test_init(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_test_bare_dev(test);

	if (!cdev)
		return -ENOMEM;
	chimney_state_init(cdev);
	test->priv = cdev;
	return 0;
}

static void chimney_stats_test_exit(struct kunit *test)
{
	chimney_state_destroy(test->priv);
}

static void chimney_stats_test_fill(struct chimney_offload_stats *os)
{
	int v, i;

	for (v = 0; v < 2; v++) {
		for (i = 0; i < CHIMNEY_TCP_STATS; i++)
			u64_stats_set(&os->tcp[v][i], 100 * v + i + 1);
		for (i = 0; i < CHIMNEY_IP_STATS; i++)
			u64_stats_set(&os->ip[v][i], 1000 * v + i + 1);
		os->established[v] = 7 + v;
	}
}

static void chimney_stats_test_clear_one_set(struct kunit *test)
{
	static const u32 sets[] = {
		CHIMNEY_STATS_SET_TCP4, CHIMNEY_STATS_SET_TCP6,
		CHIMNEY_STATS_SET_IP4, CHIMNEY_STATS_SET_IP6,
	};
	struct chimney_dev *cdev = test->priv;
	struct chimney_offload_stats *os = &cdev->ostats;
	unsigned int s;
	int v, i;

	for (s = 0; s < ARRAY_SIZE(sets); s++) {
		chimney_stats_test_fill(os);
		mutex_lock(&cdev->lock);
		chimney_stats_clear(cdev, sets[s]);
		mutex_unlock(&cdev->lock);
		for (v = 0; v < 2; v++) {
			bool tcp = sets[s] & (CHIMNEY_STATS_SET_TCP4 << v);
			bool ip = sets[s] & (CHIMNEY_STATS_SET_IP4 << v);

			for (i = 0; i < CHIMNEY_TCP_STATS; i++)
				KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &os->tcp[v][i]),
						tcp ? 0ULL : 100ULL * v + i + 1);
			for (i = 0; i < CHIMNEY_IP_STATS; i++)
				KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &os->ip[v][i]),
						ip ? 0ULL : 1000ULL * v + i + 1);
			/* A gauge, not a counter: never cleared. */
			KUNIT_EXPECT_EQ(test, os->established[v], 7U + v);
		}
	}
	chimney_stats_test_fill(os);
	mutex_lock(&cdev->lock);
	chimney_stats_clear(cdev, CHIMNEY_STATS_SET_ALL);
	mutex_unlock(&cdev->lock);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &os->tcp[1][CHIMNEY_TCP_OUT_RESETS]), 0ULL);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &os->ip[0][CHIMNEY_IP_OUT_NO_ROUTES]), 0ULL);
}

static struct chimney_obj *chimney_stats_test_create(struct kunit *test,
						     struct chimney_obj *parent,
						     u8 type, u8 state)
{
	struct chimney_block b = {
		.type = type,
		.layer = chimney_layer_of_type(type),
	};
	struct chimney_dev *cdev = test->priv;
	struct chimney_obj *obj;

	static u16 port;

	b.st.tcp.d.state = state;
	/* The receive path's table keys connections by their ports. */
	b.st.tcp.c.local_port = ++port;
	mutex_lock(&cdev->lock);
	obj = chimney_obj_create(cdev, parent, &b);
	mutex_unlock(&cdev->lock);
	KUNIT_ASSERT_FALSE(test, IS_ERR(obj));
	return obj;
}

static void chimney_stats_test_established(struct kunit *test)
{
	struct chimney_dev *cdev = test->priv;
	struct chimney_obj *n, *p4, *p6, *t;

	n = chimney_stats_test_create(test, NULL, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, 0);
	p4 = chimney_stats_test_create(test, n, CHIMNEY_IP4_OFFLOAD_STATE, 0);
	p6 = chimney_stats_test_create(test, n, CHIMNEY_IP6_OFFLOAD_STATE, 0);
	chimney_stats_test_create(test, p4, CHIMNEY_TCP_OFFLOAD_STATE,
				  CHIMNEY_TCP_CONNECTION_ESTABLISHED);
	chimney_stats_test_create(test, p4, CHIMNEY_TCP_OFFLOAD_STATE,
				  CHIMNEY_TCP_CONNECTION_FIN_WAIT1);
	chimney_stats_test_create(test, p6, CHIMNEY_TCP_OFFLOAD_STATE,
				  CHIMNEY_TCP_CONNECTION_CLOSE_WAIT);
	t = chimney_stats_test_create(test, p6, CHIMNEY_TCP_OFFLOAD_STATE,
				      CHIMNEY_TCP_CONNECTION_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, cdev->ostats.established[0], 1U);
	KUNIT_EXPECT_EQ(test, cdev->ostats.established[1], 2U);

	mutex_lock(&cdev->lock);
	chimney_obj_unpublish(cdev, t);
	mutex_unlock(&cdev->lock);
	chimney_obj_free(t);
	KUNIT_EXPECT_EQ(test, cdev->ostats.established[1], 1U);
	KUNIT_EXPECT_EQ(test, cdev->ostats.established[0], 1U);
}

static struct kunit_case chimney_stats_test_cases[] = {
	KUNIT_CASE(chimney_stats_test_clear_one_set),
	KUNIT_CASE(chimney_stats_test_established),
	{}
};

static struct kunit_suite chimney_stats_test_suite = {
	.name = "chimney_stats",
	.init = chimney_stats_test_init,
	.exit = chimney_stats_test_exit,
	.test_cases = chimney_stats_test_cases,
};

kunit_test_suite(chimney_stats_test_suite);
