// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the notification journal: bounded, oldest out first,
 * and honest about what it no longer has (journal_first).
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "chimney.h"
#include "chimney_test.h"

#define CHIMNEY_TEST_JOURNAL_LIMIT	(4096 * 1024)	/* journal_kb's default */

static int chimney_journal_test_init(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_test_bare_dev(test);

	if (!cdev)
		return -ENOMEM;
	chimney_journal_init(cdev);
	test->priv = cdev;
	return 0;
}

static void chimney_journal_test_exit(struct kunit *test)
{
	chimney_journal_destroy(test->priv);
}

static void chimney_journal_test_add(struct chimney_dev *cdev, u64 seq, const void *data,
				     u32 len)
{
	mutex_lock(&cdev->lock);
	chimney_journal_add(cdev, seq, CHIMNEY_CMD_TCP_EVENT, data, len);
	mutex_unlock(&cdev->lock);
}

static void chimney_journal_test_bounded(struct kunit *test)
{
	struct chimney_dev *cdev = test->priv;
	size_t cost, kept;
	u8 *data;
	u64 seq;

	data = kunit_kzalloc(test, 1000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	chimney_journal_test_add(cdev, 0, data, 1000);
	cost = cdev->journal_bytes;
	KUNIT_EXPECT_GT(test, cost, (size_t)1000);
	KUNIT_EXPECT_EQ(test, cdev->journal_first, 0ULL);
	for (seq = 1; seq < 6000; seq++)
		chimney_journal_test_add(cdev, seq, data, 1000);
	/* Bounded, and what is kept is the newest, without a hole. */
	KUNIT_EXPECT_LE(test, cdev->journal_bytes, (size_t)CHIMNEY_TEST_JOURNAL_LIMIT);
	KUNIT_EXPECT_GT(test, cdev->journal_bytes, (size_t)CHIMNEY_TEST_JOURNAL_LIMIT - cost);
	KUNIT_EXPECT_GT(test, cdev->journal_first, 0ULL);
	kept = cdev->journal_bytes / cost;
	KUNIT_EXPECT_EQ(test, cdev->journal_bytes, kept * cost);
	KUNIT_EXPECT_EQ(test, cdev->journal_first, 6000ULL - kept);
}

static void chimney_journal_test_too_large(struct kunit *test)
{
	struct chimney_dev *cdev = test->priv;
	u8 *data;

	data = kunit_kzalloc(test, 1000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	chimney_journal_test_add(cdev, 0, data, 1000);
	chimney_journal_test_add(cdev, 1, data, 1000);
	/* One that cannot be kept: nothing before it can be replayed any more. */
	chimney_journal_test_add(cdev, 2, data, CHIMNEY_TEST_JOURNAL_LIMIT + 1);
	KUNIT_EXPECT_EQ(test, cdev->journal_bytes, (size_t)0);
	KUNIT_EXPECT_EQ(test, cdev->journal_first, 3ULL);
	chimney_journal_test_add(cdev, 3, data, 1000);
	KUNIT_EXPECT_GT(test, cdev->journal_bytes, (size_t)1000);
	KUNIT_EXPECT_EQ(test, cdev->journal_first, 3ULL);
}

static struct kunit_case chimney_journal_test_cases[] = {
	KUNIT_CASE(chimney_journal_test_bounded),
	KUNIT_CASE(chimney_journal_test_too_large),
	{}
};

static struct kunit_suite chimney_journal_test_suite = {
	.name = "chimney_journal",
	.init = chimney_journal_test_init,
	.exit = chimney_journal_test_exit,
	.test_cases = chimney_journal_test_cases,
};

kunit_test_suite(chimney_journal_test_suite);
