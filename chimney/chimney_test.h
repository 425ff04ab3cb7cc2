/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chimney: what the KUnit suites of chimney_test.ko share: a registered
 * chimney device per test case, or a bare one (its state, no netdevice).
 */
#ifndef _CHIMNEY_TEST_H
#define _CHIMNEY_TEST_H

#include <kunit/test.h>

struct chimney_req;

struct chimney_dev_test_priv {
	struct net_device *dev;
};

int chimney_test_dev_init(struct kunit *test);
void chimney_test_dev_exit(struct kunit *test);
struct chimney_dev *chimney_test_bare_dev(struct kunit *test);
void chimney_test_process(struct kunit *test, struct chimney_req *req);

#endif /* _CHIMNEY_TEST_H */
