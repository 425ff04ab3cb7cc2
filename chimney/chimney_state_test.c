// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the offload state tree: handles, their rejection when
 * stale or foreign, parent links, the census, and the teardown of a large
 * tree.
 */
#include <kunit/test.h>

#include "chimney.h"

struct chimney_state_test_priv {
	struct chimney_dev a, b;
};

static int chimney_state_test_init(struct kunit *test)
{
	struct chimney_state_test_priv *priv;

	priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	mutex_init(&priv->a.lock);
	mutex_init(&priv->b.lock);
	chimney_dp_init(&priv->a);
	chimney_dp_init(&priv->b);
	chimney_state_init(&priv->a);
	chimney_state_init(&priv->b);
	test->priv = priv;
	return 0;
}

static void chimney_state_test_exit(struct kunit *test)
{
	struct chimney_state_test_priv *priv = test->priv;

	chimney_state_destroy(&priv->a);
	chimney_state_destroy(&priv->b);
}

static struct chimney_obj *chimney_test_create(struct kunit *test,
					       struct chimney_dev *cdev,
					       struct chimney_obj *parent, u8 type,
					       u64 host)
{
	struct chimney_block b = {
		.type = type,
		.layer = chimney_layer_of_type(type),
		.host_handle = host,
	};
	struct chimney_obj *obj;

	/* The receive path's table keys connections by their ports. */
	b.st.tcp.c.local_port = host;
	b.st.tcp.c.remote_port = host >> 16;
	mutex_lock(&cdev->lock);
	obj = chimney_obj_create(cdev, parent, &b);
	mutex_unlock(&cdev->lock);
	KUNIT_ASSERT_FALSE(test, IS_ERR(obj));
	return obj;
}

static void chimney_state_test_layers(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, chimney_layer_of_type(CHIMNEY_NEIGHBOR_OFFLOAD_STATE),
			CHIMNEY_LAYER_NEIGH);
	KUNIT_EXPECT_EQ(test, chimney_layer_of_type(CHIMNEY_IP4_OFFLOAD_STATE),
			CHIMNEY_LAYER_PATH);
	KUNIT_EXPECT_EQ(test, chimney_layer_of_type(CHIMNEY_IP6_OFFLOAD_STATE),
			CHIMNEY_LAYER_PATH);
	KUNIT_EXPECT_EQ(test, chimney_layer_of_type(CHIMNEY_TCP_OFFLOAD_STATE),
			CHIMNEY_LAYER_TCP);
	/* Single-class types are not objects. */
	KUNIT_EXPECT_EQ(test, chimney_layer_of_type(CHIMNEY_TCP_OFFLOAD_CONST_STATE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, chimney_layer_of_type(0), -EINVAL);
}

static void chimney_state_test_handles(struct kunit *test)
{
	struct chimney_state_test_priv *priv = test->priv;
	struct chimney_obj *n, *p, *t;
	u64 h;

	n = chimney_test_create(test, &priv->a, NULL, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, 1);
	p = chimney_test_create(test, &priv->a, n, CHIMNEY_IP4_OFFLOAD_STATE, 2);
	t = chimney_test_create(test, &priv->a, p, CHIMNEY_TCP_OFFLOAD_STATE, 3);

	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, chimney_obj_lookup(&priv->a, chimney_obj_handle(t)), t);
	KUNIT_EXPECT_PTR_EQ(test, chimney_obj_parent(&priv->a, t), p);
	KUNIT_EXPECT_PTR_EQ(test, chimney_obj_parent(&priv->a, p), n);
	KUNIT_EXPECT_NULL(test, chimney_obj_parent(&priv->a, n));
	KUNIT_EXPECT_EQ(test, t->host_handle, 3ULL);
	/* Index 0 and a wrong generation never match. */
	KUNIT_EXPECT_NULL(test, chimney_obj_lookup(&priv->a, 0));
	h = chimney_obj_handle(t) ^ (1ULL << 32);
	KUNIT_EXPECT_NULL(test, chimney_obj_lookup(&priv->a, h));
	/* Another device's handle space is foreign. */
	KUNIT_EXPECT_NULL(test, chimney_obj_lookup(&priv->b, chimney_obj_handle(t)));
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, priv->a.count[CHIMNEY_LAYER_NEIGH], 1U);
	KUNIT_EXPECT_EQ(test, priv->a.count[CHIMNEY_LAYER_PATH], 1U);
	KUNIT_EXPECT_EQ(test, priv->a.count[CHIMNEY_LAYER_TCP], 1U);
}

static void chimney_state_test_stale(struct kunit *test)
{
	struct chimney_state_test_priv *priv = test->priv;
	struct chimney_obj *n, *again;
	u64 h;

	n = chimney_test_create(test, &priv->a, NULL, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, 1);
	h = chimney_obj_handle(n);
	mutex_lock(&priv->a.lock);
	chimney_obj_unpublish(&priv->a, n);
	mutex_unlock(&priv->a.lock);
	chimney_obj_free(n);
	KUNIT_EXPECT_EQ(test, priv->a.count[CHIMNEY_LAYER_NEIGH], 0U);

	/* The index may come back; the old handle must not. */
	again = chimney_test_create(test, &priv->a, NULL, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, 2);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, chimney_obj_lookup(&priv->a, h));
	KUNIT_EXPECT_PTR_EQ(test, chimney_obj_lookup(&priv->a, chimney_obj_handle(again)),
			    again);
	rcu_read_unlock();
	KUNIT_EXPECT_NE(test, chimney_obj_handle(again), h);
}

static void chimney_state_test_relink(struct kunit *test)
{
	struct chimney_state_test_priv *priv = test->priv;
	struct chimney_obj *n1, *n2, *p, *parent;

	n1 = chimney_test_create(test, &priv->a, NULL, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, 1);
	n2 = chimney_test_create(test, &priv->a, NULL, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, 2);
	p = chimney_test_create(test, &priv->a, n1, CHIMNEY_IP6_OFFLOAD_STATE, 3);
	mutex_lock(&priv->a.lock);
	chimney_obj_relink(&priv->a, p, n2);
	parent = chimney_obj_parent(&priv->a, p);
	mutex_unlock(&priv->a.lock);
	KUNIT_EXPECT_PTR_EQ(test, parent, n2);
	KUNIT_EXPECT_TRUE(test, list_empty(&n1->children));
	KUNIT_EXPECT_FALSE(test, list_empty(&n2->children));
}

/* A tree of 20,000 connections is torn down with the census back at 0. */
static void chimney_state_test_teardown(struct kunit *test)
{
	struct chimney_state_test_priv *priv = test->priv;
	struct chimney_obj *n, *p;
	unsigned int i;

	n = chimney_test_create(test, &priv->a, NULL, CHIMNEY_NEIGHBOR_OFFLOAD_STATE, 1);
	p = chimney_test_create(test, &priv->a, n, CHIMNEY_IP4_OFFLOAD_STATE, 2);
	for (i = 0; i < 20000; i++)
		chimney_test_create(test, &priv->a, p, CHIMNEY_TCP_OFFLOAD_STATE, i);
	KUNIT_EXPECT_EQ(test, priv->a.count[CHIMNEY_LAYER_TCP], 20000U);
	chimney_state_destroy(&priv->a);
	KUNIT_EXPECT_EQ(test, priv->a.count[CHIMNEY_LAYER_TCP], 0U);
	KUNIT_EXPECT_EQ(test, priv->a.count[CHIMNEY_LAYER_NEIGH], 0U);
	KUNIT_EXPECT_TRUE(test, xa_empty(&priv->a.objs));
	chimney_state_init(&priv->a);
}

static struct kunit_case chimney_state_test_cases[] = {
	KUNIT_CASE(chimney_state_test_layers),
	KUNIT_CASE(chimney_state_test_handles),
	KUNIT_CASE(chimney_state_test_stale),
	KUNIT_CASE(chimney_state_test_relink),
	KUNIT_CASE(chimney_state_test_teardown),
	{}
};

static struct kunit_suite chimney_state_test_suite = {
	.name = "chimney_state",
	.init = chimney_state_test_init,
	.exit = chimney_state_test_exit,
	.test_cases = chimney_state_test_cases,
};

kunit_test_suite(chimney_state_test_suite);
