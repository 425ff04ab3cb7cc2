/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chimney: what the KUnit suites of chimney_test.ko share: a registered
 * chimney device per test case, or a bare one (its state, no netdevice).
 */
#ifndef _CHIMNEY_TEST_H
#define _CHIMNEY_TEST_H

#include <kunit/test.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

struct chimney_dev;
struct chimney_obj;
struct chimney_pkt;
struct chimney_req;

/**
 * struct chimney_dev_test_priv - a test case's device
 * @dev: the chimney device
 * @peer: the other end of its wire, once chimney_test_wire() made one
 * @tap: sees every frame that reaches @peer
 * @frames: copies of those frames, oldest first
 * @host_tap: sees every frame that reaches @dev's host stack
 * @host_frames: copies of those frames, oldest first
 */
struct chimney_dev_test_priv {
	struct net_device *dev;
	struct net_device *peer;
	struct packet_type tap;
	struct sk_buff_head frames;
	struct packet_type host_tap;
	struct sk_buff_head host_frames;
};

int chimney_test_dev_init(struct kunit *test);
void chimney_test_dev_exit(struct kunit *test);
struct chimney_dev *chimney_test_bare_dev(struct kunit *test);
void chimney_test_process(struct kunit *test, struct chimney_req *req);
void chimney_test_wire(struct kunit *test);
struct sk_buff *chimney_test_frame(struct kunit *test, struct chimney_pkt *pkt);
struct sk_buff *chimney_test_host_frame(struct kunit *test);
struct chimney_obj *chimney_test_parent(struct chimney_dev *cdev, struct chimney_obj *obj);

#endif /* _CHIMNEY_TEST_H */
