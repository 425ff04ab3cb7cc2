// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the data path: the segments the engine builds (read back
 * by the receive path's parser), and the engine's sequence arithmetic
 * across the wrap of the sequence space and its round-trip timer.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#include "chimney.h"
#include "chimney_test.h"

static const u8 chimney_test_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x42 };

struct chimney_tcp_test_conn {
	u8 flags;		/* CHIMNEY_TCP_FLAG_* */
	bool v6;
	u16 vlan;
	u8 prio;
	u32 snd_len;		/* the host's send data, from SndUna */
	u32 in_flight;		/* of which sent: SndNxt - SndUna */
	u32 rewound;		/* of those, to be sent again: SndMax - SndNxt */
	u32 rcv_len;		/* the host's buffered receive data */
	u32 srtt;		/* SRTT, ms, RttVar half that: the RTO, saturated */
};

/* Send data of len bytes 'a', 'b', ... of id 1. */
static struct chimney_io *chimney_tcp_test_io(struct kunit *test, u32 len)
{
	struct chimney_io *io = kvzalloc(struct_size(io, data, len), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, io);
	io->io_id = 1;
	io->len = len;
	for (i = 0; i < len; i++)
		io->data[i] = 'a' + i % 26;
	return io;
}

static struct chimney_dev *chimney_tcp_test_cdev(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;

	return netdev_priv(priv->dev);
}

/* A connection with its neighbor and path, as initiate would make it. */
static struct chimney_conn *chimney_tcp_test_conn(struct kunit *test,
						  const struct chimney_tcp_test_conn *tc)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_block *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct chimney_obj *n, *p, *t;

	KUNIT_ASSERT_NOT_NULL(test, b);
	mutex_lock(&cdev->lock);
	b->layer = CHIMNEY_LAYER_NEIGH;
	b->type = CHIMNEY_NEIGHBOR_OFFLOAD_STATE;
	ether_addr_copy(b->st.neigh.dl_destination_address, chimney_test_mac);
	b->st.neigh.vlan_id = tc->vlan;
	n = chimney_obj_create(cdev, NULL, b);

	memset(b, 0, sizeof(*b));
	b->layer = CHIMNEY_LAYER_PATH;
	b->type = tc->v6 ? CHIMNEY_IP6_OFFLOAD_STATE : CHIMNEY_IP4_OFFLOAD_STATE;
	b->st.path.path_mtu = 1500;
	if (tc->v6) {
		b->st.path.source_address.s6_addr[0] = 0xfd;
		b->st.path.source_address.s6_addr[15] = 1;
		b->st.path.destination_address.s6_addr[0] = 0xfd;
		b->st.path.destination_address.s6_addr[15] = 2;
	} else {
		b->st.path.source_address.s6_addr32[0] = htonl(0x0a000001);
		b->st.path.destination_address.s6_addr32[0] = htonl(0x0a000002);
	}
	p = IS_ERR(n) ? n : chimney_obj_create(cdev, n, b);

	memset(b, 0, sizeof(*b));
	b->layer = CHIMNEY_LAYER_TCP;
	b->type = CHIMNEY_TCP_OFFLOAD_STATE;
	b->st.tcp.c.flags = tc->flags;
	b->st.tcp.c.local_port = 1000;
	b->st.tcp.c.remote_port = 2000;
	b->st.tcp.c.remote_mss = 1460;
	b->st.tcp.c.rcv_wind_scale = 7;
	b->st.tcp.ca.user_priority = tc->prio;
	b->st.tcp.d.state = CHIMNEY_TCP_CONNECTION_ESTABLISHED;
	b->st.tcp.d.rcv_nxt = 0xfffffff0;
	b->st.tcp.d.rcv_wnd = 1 << 20;
	b->st.tcp.d.snd_una = 100;
	b->st.tcp.d.snd_nxt = 100;
	b->st.tcp.d.snd_max = 100;
	b->st.tcp.d.snd_wnd = 65535;
	b->st.tcp.d.ts_recent = 77;
	b->st.tcp.d.ts_time = 5000;
	b->st.tcp.d.retransmit_timeout_delta = U32_MAX;
	/* In the host's units, ticks x8 and x4: tc->srtt is ms at 1000 a second. */
	b->st.tcp.d.srtt = min(tc->srtt * 8, (u32)U16_MAX);
	b->st.tcp.d.rtt_var = min(tc->srtt * 2, (u32)U16_MAX);
	if (tc->snd_len)
		b->snd = chimney_tcp_test_io(test, tc->snd_len);
	b->st.tcp.d.snd_nxt += tc->in_flight;
	b->st.tcp.d.snd_max += tc->in_flight;
	b->st.tcp.d.snd_nxt -= tc->rewound;
	if (tc->rcv_len) {
		u32 i, start = b->st.tcp.d.rcv_nxt - tc->rcv_len;
		u8 *buf;

		b->rcvd = alloc_skb(tc->rcv_len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, b->rcvd);
		buf = skb_put(b->rcvd, tc->rcv_len);
		for (i = 0; i < tc->rcv_len; i++)
			buf[i] = (start + i) & 0xff;
	}
	t = IS_ERR(p) ? p : chimney_obj_create(cdev, p, b);
	kvfree(b->snd);
	kfree_skb(b->rcvd);
	mutex_unlock(&cdev->lock);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	return container_of(t, struct chimney_conn, obj);
}

/*
 * Queue an I/O request directly: a send of len bytes 'a', 'b', ..., or a
 * receive buffer of len bytes with the CHIMNEY_IO_* flags.
 */
static struct chimney_io *chimney_tcp_test_post(struct kunit *test, struct chimney_conn *conn,
						bool send, u32 len, u32 flags)
{
	struct chimney_io *io = kvzalloc(struct_size(io, data, len), GFP_KERNEL);
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	int err;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, io);
	io->io_id = send ? 1 : 9;
	io->len = len;
	io->flags = flags;
	for (i = 0; send && i < len; i++)
		io->data[i] = 'a' + i % 26;
	mutex_lock(&cdev->lock);
	err = chimney_tcp_ext_get(cdev, conn);
	if (!err && send)
		chimney_tcp_queue_send(conn, io);
	else if (!err)
		list_add_tail(&io->list, &conn->x->recvs);
	mutex_unlock(&cdev->lock);
	if (err)
		kvfree(io);
	KUNIT_ASSERT_EQ(test, err, 0);
	return io;
}

static void chimney_tcp_test_send(struct kunit *test, struct chimney_conn *conn, u32 len)
{
	chimney_tcp_test_post(test, conn, true, len, 0);
}

/* Build a segment and parse it back the way the receive path would. */
static struct sk_buff *chimney_tcp_test_build(struct kunit *test, struct chimney_conn *conn,
					      u32 len, struct chimney_pkt *pkt)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct sk_buff *skb;

	mutex_lock(&cdev->lock);
	skb = chimney_dp_build(cdev, conn, conn->tcb.snd_una, TCPHDR_ACK | TCPHDR_PSH, len);
	mutex_unlock(&cdev->lock);
	KUNIT_ASSERT_FALSE(test, IS_ERR(skb));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth_hdr(skb)->h_dest, chimney_test_mac));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth_hdr(skb)->h_source,
						 cdev->netdev->dev_addr));
	skb->protocol = eth_type_trans(skb, cdev->netdev);
	KUNIT_ASSERT_EQ(test, chimney_dp_parse(skb, pkt), 0);
	return skb;
}

static void chimney_tcp_test_segment_v4(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {
		.flags = CHIMNEY_TCP_FLAG_TIMESTAMP_ENABLED |
			 CHIMNEY_TCP_FLAG_WINDOW_SCALING_ENABLED,
	};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_pkt pkt;
	const struct iphdr *iph;
	struct sk_buff *skb;
	u8 data[10];

	chimney_tcp_test_send(test, conn, 10);
	skb = chimney_tcp_test_build(test, conn, 10, &pkt);
	iph = ip_hdr(skb);
	/* R61: DF, and an IP ID of the upper half. */
	KUNIT_EXPECT_TRUE(test, iph->frag_off & htons(IP_DF));
	KUNIT_EXPECT_GE(test, ntohs(iph->id), 0x8000);
	KUNIT_EXPECT_EQ(test, iph->ttl, 64);
	KUNIT_EXPECT_FALSE(test, pkt.tagged);
	/* The segment is the connection's, seen from the other end. */
	KUNIT_EXPECT_EQ(test, ntohs(pkt.key.rport), 1000);
	KUNIT_EXPECT_EQ(test, ntohs(pkt.key.lport), 2000);
	KUNIT_EXPECT_EQ(test, ntohl(pkt.key.remote.s6_addr32[0]), 0x0a000001U);
	KUNIT_EXPECT_EQ(test, pkt.seg.seq, 100U);
	KUNIT_EXPECT_EQ(test, pkt.seg.ack, 0xfffffff0U);
	KUNIT_EXPECT_EQ(test, pkt.seg.flags, TCPHDR_ACK | TCPHDR_PSH);
	/* The window is scaled by RcvWindScale. */
	KUNIT_EXPECT_EQ(test, pkt.seg.win, (1 << 20) >> 7);
	/* R21: TSval = NicTime + NicDelta, from TsTime 5000; TSecr = TsRecent. */
	KUNIT_EXPECT_TRUE(test, pkt.seg.has_ts);
	KUNIT_EXPECT_LT(test, pkt.seg.tsval - 5000, 2000U);
	KUNIT_EXPECT_EQ(test, pkt.seg.tsecr, 77U);
	KUNIT_EXPECT_EQ(test, pkt.seg.len, 10U);
	KUNIT_EXPECT_TRUE(test, chimney_dp_csum_ok(skb, &pkt));
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, pkt.doff, data, 10), 0);
	KUNIT_EXPECT_EQ(test, memcmp(data, "abcdefghij", 10), 0);

	/* A flipped bit: the checksum catches it. */
	skb->data[pkt.doff] ^= 1;
	KUNIT_EXPECT_FALSE(test, chimney_dp_csum_ok(skb, &pkt));
	kfree_skb(skb);
}

/*
 * More than one MSS goes out as one GSO frame of MSS segments, whose
 * checksum the receiver or the segmentation completes; v6 or not.
 */
static void chimney_tcp_test_gso_check(struct kunit *test, bool v6)
{
	struct chimney_tcp_test_conn tc = {
		.v6 = v6, .flags = CHIMNEY_TCP_FLAG_TIMESTAMP_ENABLED,
	};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	u16 ip_id = cdev->ip_id;
	u32 mss, len, i, bad = 0;
	struct chimney_pkt pkt;
	struct sk_buff *skb;
	u8 *data;

	mutex_lock(&cdev->lock);
	mss = chimney_tcp_mss(cdev, conn);
	mutex_unlock(&cdev->lock);
	len = 3 * mss + 100;
	data = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	chimney_tcp_test_send(test, conn, len);
	skb = chimney_tcp_test_build(test, conn, len, &pkt);
	KUNIT_EXPECT_TRUE(test, skb_is_gso(skb));
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, mss);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_segs, 4);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_type, v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4);
	KUNIT_EXPECT_EQ(test, pkt.seg.len, len);
	/* R61: each segment will have its own IP ID of the upper half. */
	if (!v6)
		KUNIT_EXPECT_EQ(test, (u16)(cdev->ip_id - ip_id), 4);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, pkt.doff, data, len), 0);
	for (i = 0; i < len; i++)
		bad += data[i] != 'a' + i % 26;
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
	skb_shinfo(skb)->gso_size = 0;
	KUNIT_ASSERT_EQ(test, skb_checksum_help(skb), 0);
	KUNIT_EXPECT_TRUE(test, chimney_dp_csum_ok(skb, &pkt));
	kfree_skb(skb);
}

static void chimney_tcp_test_segment_gso_v4(struct kunit *test)
{
	chimney_tcp_test_gso_check(test, false);
}

static void chimney_tcp_test_segment_gso_v6(struct kunit *test)
{
	chimney_tcp_test_gso_check(test, true);
}

static void chimney_tcp_test_segment_v6(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = { .v6 = true };
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_pkt pkt;
	struct sk_buff *skb;

	chimney_tcp_test_send(test, conn, 1000);
	skb = chimney_tcp_test_build(test, conn, 1000, &pkt);
	KUNIT_EXPECT_EQ(test, ipv6_hdr(skb)->nexthdr, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, ipv6_hdr(skb)->hop_limit, 64);
	KUNIT_EXPECT_TRUE(test, pkt.key.v6);
	KUNIT_EXPECT_FALSE(test, pkt.seg.has_ts);
	/* No window scaling: the window is the field, capped. */
	KUNIT_EXPECT_EQ(test, pkt.seg.win, U16_MAX);
	KUNIT_EXPECT_EQ(test, pkt.seg.len, 1000U);
	KUNIT_EXPECT_TRUE(test, chimney_dp_csum_ok(skb, &pkt));
	/* What this end sends, the other end's lookup maps back to it. */
	swap(pkt.key.local, pkt.key.remote);
	swap(pkt.key.lport, pkt.key.rport);
	KUNIT_EXPECT_PTR_EQ(test, chimney_flow_lookup(cdev, &pkt.key), conn);
	kfree_skb(skb);
}

/* R62: VLAN tags from the neighbor's VlanId and the cached UserPriority. */
static void chimney_tcp_test_vlan(struct kunit *test)
{
	static const struct { u16 vlan; u8 prio; bool tagged; } cases[] = {
		{ 0, 0, false }, { 0, 5, true }, { 7, 3, true }, { 9, 0, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct chimney_tcp_test_conn tc = {
			.vlan = cases[i].vlan, .prio = cases[i].prio,
		};
		struct chimney_conn *conn;
		struct chimney_pkt pkt;
		struct sk_buff *skb;

		conn = chimney_tcp_test_conn(test, &tc);
		/* Every connection here has the same addresses: one at a time. */
		skb = chimney_tcp_test_build(test, conn, 0, &pkt);
		KUNIT_EXPECT_EQ(test, pkt.tagged, cases[i].tagged);
		KUNIT_EXPECT_EQ(test, pkt.vid, cases[i].vlan);
		if (cases[i].tagged) {
			KUNIT_EXPECT_EQ(test, skb_vlan_tag_get_prio(skb), cases[i].prio);
			KUNIT_EXPECT_EQ(test, skb_vlan_tag_get_cfi(skb), 0);
		}
		kfree_skb(skb);
		mutex_lock(&chimney_tcp_test_cdev(test)->lock);
		chimney_obj_unpublish(chimney_tcp_test_cdev(test), &conn->obj);
		chimney_obj_free(&conn->obj);
		mutex_unlock(&chimney_tcp_test_cdev(test)->lock);
	}
}

static void chimney_tcp_test_ack_win(struct kunit *test, struct chimney_conn *conn,
				     u32 ack, u32 tsecr, u32 win)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_seg seg = {
		.seq = conn->tcb.rcv_nxt, .ack = ack, .win = win,
		.flags = TCPHDR_ACK, .has_ts = !!tsecr, .tsval = 1000, .tsecr = tsecr,
	};
	struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	mutex_lock(&cdev->lock);
	chimney_tcp_input(cdev, conn, skb, &seg);
	mutex_unlock(&cdev->lock);
}

static void chimney_tcp_test_ack(struct kunit *test, struct chimney_conn *conn,
				 u32 ack, u32 tsecr)
{
	chimney_tcp_test_ack_win(test, conn, ack, tsecr, 1000);
}

/*
 * ACKs across the wrap of the sequence space: a partial one advances the
 * send, a whole one completes it, one beyond SndMax is not taken. The first
 * round-trip sample sets SRTT, RttVar and the timeout (RFC 6298).
 */
static void chimney_tcp_test_seq_wrap(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = { .flags = CHIMNEY_TCP_FLAG_TIMESTAMP_ENABLED };
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_io *io;

	chimney_tcp_test_send(test, conn, 32);
	io = list_first_entry(&conn->x->sends, struct chimney_io, list);
	/* As if the 32 bytes had gone out, from 16 below the wrap. */
	conn->tcb.snd_una = 0xfffffff0;
	conn->tcb.snd_nxt = 0x10;
	conn->tcb.snd_max = 0x10;
	conn->tcb.srtt = 0;

	chimney_tcp_test_ack(test, conn, 0x20, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_una, 0xfffffff0U);
	KUNIT_EXPECT_EQ(test, io->done, 0U);

	chimney_tcp_test_ack(test, conn, 0x8, chimney_tcp_now() + conn->ts_delta - 100);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_una, 0x8U);
	KUNIT_EXPECT_EQ(test, io->done, 24U);
	KUNIT_EXPECT_FALSE(test, list_empty(&conn->x->sends));
	KUNIT_EXPECT_GE(test, conn->tcb.srtt, 100);
	KUNIT_EXPECT_LT(test, conn->tcb.srtt, 200);
	KUNIT_EXPECT_EQ(test, conn->tcb.rtt_var, conn->tcb.srtt / 2);
	KUNIT_EXPECT_EQ(test, conn->x->rto, conn->tcb.srtt + 4U * conn->tcb.rtt_var);

	chimney_tcp_test_ack(test, conn, 0x10, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_una, 0x10U);
	KUNIT_EXPECT_TRUE(test, list_empty(&conn->x->sends));
	/* Readers see what the engine did. */
	KUNIT_EXPECT_EQ(test, conn->st.d.snd_una, 0x10U);
}

/*
 * R88: SendBacklogSize is twice the smaller of cwnd and the peer's window
 * and not the bytes queued; a change is indicated once, and then not
 * again within CHIMNEY_BACKLOG_MIN_MS however often it changes.
 */
static void chimney_tcp_test_backlog(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_seg seg = { .win = 65535, .flags = TCPHDR_ACK };
	u64 events;
	int i;

	conn->tcb.cwnd = 10 * 1460;
	KUNIT_EXPECT_EQ(test, chimney_tcp_send_backlog(&conn->st.c, &conn->tcb), 29200U);
	conn->tcb.snd_wnd = 5000;
	KUNIT_EXPECT_EQ(test, chimney_tcp_send_backlog(&conn->st.c, &conn->tcb), 8760U);
	conn->tcb.cwnd = 0;
	KUNIT_EXPECT_EQ(test, chimney_tcp_send_backlog(&conn->st.c, &conn->tcb), 2920U);

	KUNIT_EXPECT_FALSE(test, chimney_tcp_backlog_due(29200, 32000, 10000));
	KUNIT_EXPECT_FALSE(test, chimney_tcp_backlog_due(29200, 58400, 499));
	KUNIT_EXPECT_TRUE(test, chimney_tcp_backlog_due(29200, 58400, 500));
	KUNIT_EXPECT_TRUE(test, chimney_tcp_backlog_due(29200, 14600, 600));

	/* Slow start on a bulk send: cwnd grows with every ACK. */
	conn->tcb.cwnd = 2 * 1460;
	conn->tcb.ss_thresh = U32_MAX;
	conn->tcb.snd_wnd = 65535;
	chimney_tcp_test_send(test, conn, 60000);
	KUNIT_EXPECT_EQ(test, conn->x->backlog, 5840U);
	chimney_tcp_test_send(test, conn, 60000);
	KUNIT_EXPECT_EQ(test, chimney_tcp_send_backlog(&conn->st.c, &conn->tcb), 5840U);
	conn->tcb.snd_nxt = conn->tcb.snd_una + 30000;
	conn->tcb.snd_max = conn->tcb.snd_nxt;
	events = chimney_stat_read(cdev, &cdev->stats.events);
	for (i = 0; i < 20; i++) {
		struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, skb);
		if (i == 19)	/* as if CHIMNEY_BACKLOG_MIN_MS had passed */
			conn->x->backlog_at -= 500;
		seg.seq = conn->tcb.rcv_nxt;
		seg.ack = conn->tcb.snd_una + 1460;
		mutex_lock(&cdev->lock);
		chimney_tcp_input(cdev, conn, skb, &seg);
		mutex_unlock(&cdev->lock);
		if (!i)
			KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events),
					events + 1);
	}
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events), events + 2);
	KUNIT_EXPECT_EQ(test, conn->x->backlog, 2 * rounddown(min(conn->tcb.cwnd, 65535U), 1460));
}

/*
 * A segment of len bytes at seq, with the flags (SYN and RST without ACK);
 * byte i of the stream (at sequence number i) is i & 0xff.
 */
static void chimney_tcp_test_seg(struct kunit *test, struct chimney_conn *conn, u32 seq,
				 u8 flags, u32 len)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_seg seg = {
		.seq = seq, .ack = conn->tcb.snd_una, .win = 65535,
		.flags = flags & (TCPHDR_SYN | TCPHDR_RST) ? flags : TCPHDR_ACK | flags,
		.len = len,
	};
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	u8 *p;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = (seq + i) & 0xff;
	mutex_lock(&cdev->lock);
	chimney_tcp_input(cdev, conn, skb, &seg);
	mutex_unlock(&cdev->lock);
}

/* A segment of len bytes in sequence, with the flags besides ACK. */
static void chimney_tcp_test_data(struct kunit *test, struct chimney_conn *conn, u32 len,
				  u8 flags)
{
	chimney_tcp_test_seg(test, conn, conn->tcb.rcv_nxt, flags, len);
}

static u64 chimney_tcp_test_out(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);

	return chimney_stat_read(cdev, &cdev->ostats.tcp[0][CHIMNEY_TCP_OUT_SEGMENTS]);
}

/* Run the connection's timers as if timer t had expired. */
static void chimney_tcp_test_fire(struct kunit *test, struct chimney_conn *conn, int t)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);

	mutex_lock(&cdev->lock);
	conn->x->due[t] = jiffies;
	chimney_tcp_timer_run(cdev, conn);
	mutex_unlock(&cdev->lock);
}

/*
 * Delayed ACK: an ACK every TcpAckFrequency (2) segments, or when the
 * delayed-ACK timer fires; one owed goes out before terminate (R46).
 */
static void chimney_tcp_test_delayed_ack(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u64 out = chimney_tcp_test_out(test);
	u32 rcv = conn->tcb.rcv_nxt;

	KUNIT_ASSERT_EQ(test, cdev->params.tcp_ack_frequency, 2);
	chimney_tcp_test_data(test, conn, 100, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_nxt, rcv + 100);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out);
	KUNIT_EXPECT_NE(test, conn->x->due[CHIMNEY_T_DACK], 0UL);
	chimney_tcp_test_data(test, conn, 100, 0);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 1);
	KUNIT_EXPECT_EQ(test, conn->x->due[CHIMNEY_T_DACK], 0UL);

	chimney_tcp_test_data(test, conn, 100, 0);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 1);
	chimney_tcp_test_fire(test, conn, CHIMNEY_T_DACK);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 2);
	KUNIT_EXPECT_EQ(test, conn->x->due[CHIMNEY_T_DACK], 0UL);

	chimney_tcp_test_data(test, conn, 100, 0);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 2);
	mutex_lock(&cdev->lock);
	chimney_tcp_flush(cdev, conn, CHIMNEY_NDIS_STATUS_UPLOAD_IN_PROGRESS);
	mutex_unlock(&cdev->lock);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 3);

	/* A FIN is acknowledged at once. */
	chimney_tcp_test_data(test, conn, 100, TCPHDR_FIN);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 4);
}

/*
 * A device going away completes its I/O after the core freed its addresses
 * (chimney_dev_uninit()): the delayed ACK owed then is not built.
 */
static void chimney_tcp_test_dead_silent(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u64 out = chimney_tcp_test_out(test);

	chimney_tcp_test_data(test, conn, 100, 0);
	KUNIT_EXPECT_NE(test, conn->x->due[CHIMNEY_T_DACK], 0UL);
	mutex_lock(&cdev->lock);
	cdev->dead = true;
	chimney_tcp_flush(cdev, conn, CHIMNEY_NDIS_STATUS_REQUEST_ABORTED);
	cdev->dead = false;
	mutex_unlock(&cdev->lock);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out);
}

/*
 * R66: a push-mode receive partly filled completes when the push timer
 * fires, which the first byte starts; a no-push one has no push timer.
 */
static void chimney_tcp_test_push_timer(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_io *io;

	io = chimney_tcp_test_post(test, conn, false, 1000, 0);
	KUNIT_EXPECT_EQ(test, conn->x->due[CHIMNEY_T_PUSH], 0UL);
	chimney_tcp_test_data(test, conn, 100, 0);
	KUNIT_EXPECT_EQ(test, io->done, 100U);
	KUNIT_EXPECT_NE(test, conn->x->due[CHIMNEY_T_PUSH], 0UL);
	chimney_tcp_test_data(test, conn, 100, 0);
	KUNIT_EXPECT_FALSE(test, list_empty(&conn->x->recvs));
	chimney_tcp_test_fire(test, conn, CHIMNEY_T_PUSH);
	KUNIT_EXPECT_TRUE(test, list_empty(&conn->x->recvs));
	KUNIT_EXPECT_EQ(test, conn->x->due[CHIMNEY_T_PUSH], 0UL);

	io = chimney_tcp_test_post(test, conn, false, 1000, CHIMNEY_IO_NO_PUSH);
	chimney_tcp_test_data(test, conn, 100, TCPHDR_PSH);
	KUNIT_EXPECT_EQ(test, io->done, 100U);
	KUNIT_EXPECT_EQ(test, conn->x->due[CHIMNEY_T_PUSH], 0UL);
	KUNIT_EXPECT_FALSE(test, list_empty(&conn->x->recvs));
}

/*
 * 4.7: a blind attacker's SYNs and RSTs in the window get one challenge ACK
 * per 3 s between them; a SYN outside it an ACK each; a SYN at RcvNxt
 * closes the connection and asks for its upload (R95).
 */
static void chimney_tcp_test_blind(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u32 rcv = conn->tcb.rcv_nxt, wnd = conn->tcb.rcv_wnd;
	u64 out = chimney_tcp_test_out(test), events;

	chimney_tcp_test_seg(test, conn, rcv + 100, TCPHDR_SYN, 0);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 1);
	chimney_tcp_test_seg(test, conn, rcv + 200, TCPHDR_SYN, 0);
	chimney_tcp_test_seg(test, conn, rcv + 300, TCPHDR_RST, 0);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 1);
	conn->x->challenge_at -= 3000;
	chimney_tcp_test_seg(test, conn, rcv + 300, TCPHDR_RST, 0);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 2);
	KUNIT_EXPECT_EQ(test, conn->tcb.state, CHIMNEY_TCP_CONNECTION_ESTABLISHED);
	KUNIT_EXPECT_FALSE(test, test_bit(CHIMNEY_OBJ_ABORTED_BIT, &conn->obj.flags));

	chimney_tcp_test_seg(test, conn, rcv + wnd + 10, TCPHDR_SYN, 0);
	chimney_tcp_test_seg(test, conn, rcv + wnd + 10, TCPHDR_SYN, 0);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 4);

	events = chimney_stat_read(cdev, &cdev->stats.events);
	chimney_tcp_test_seg(test, conn, rcv, TCPHDR_SYN, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.state, CHIMNEY_TCP_CONNECTION_CLOSED);
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags));
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events), events + 1);
	KUNIT_EXPECT_EQ(test, conn->st.d.state, CHIMNEY_TCP_CONNECTION_CLOSED);
	/* R77: none of it made the target send an RST, only challenge ACKs. */
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->ostats.tcp[0][CHIMNEY_TCP_OUT_RESETS]),
			0ULL);
}

/*
 * R85: urgent data asks for an upload (ReceivedUrgentData); it and what
 * follows are kept, neither acknowledged nor delivered, for the host.
 */
static void chimney_tcp_test_urgent(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u64 out = chimney_tcp_test_out(test), events = chimney_stat_read(cdev, &cdev->stats.events);
	u32 rcv = conn->tcb.rcv_nxt, kept = 0;
	struct chimney_io *io;
	struct sk_buff *skb;

	io = chimney_tcp_test_post(test, conn, false, 1000, 0);
	chimney_tcp_test_data(test, conn, 10, TCPHDR_URG | TCPHDR_PSH);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events), events + 1);
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags));
	chimney_tcp_test_data(test, conn, 100, TCPHDR_PSH);
	chimney_tcp_test_data(test, conn, 100, TCPHDR_PSH);
	KUNIT_EXPECT_EQ(test, chimney_stat_read(cdev, &cdev->stats.events), events + 1);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_nxt, rcv + 210);
	/* Still posted, so still ours to read. */
	KUNIT_ASSERT_FALSE(test, list_empty(&conn->x->recvs));
	KUNIT_EXPECT_EQ(test, io->done, 0U);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out);
	skb_queue_walk(&conn->x->rcvq, skb)
		kept += skb->len;
	KUNIT_EXPECT_EQ(test, kept, 210U);
}

/* Answer the waiting receive indication (or one with id, if not 0). */
static int chimney_tcp_test_answer(struct kunit *test, struct chimney_conn *conn, u64 id,
				   u32 status, u32 bytes)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	int err;

	mutex_lock(&cdev->lock);
	err = chimney_ind_answer(cdev, conn, id ?: conn->x->ind_id, status, bytes, NULL);
	mutex_unlock(&cdev->lock);
	return err;
}

/*
 * Post an I/O request as netlink does. Its completion may come at once, and
 * free it: what is returned is only good while the request stays posted. A
 * send's bytes are all the low byte of its id.
 */
static struct chimney_io *chimney_tcp_test_post_io(struct kunit *test, struct chimney_conn *conn,
						   u8 cmd, u64 id, u32 len, u32 flags)
{
	struct chimney_io *io = kvzalloc(struct_size(io, data, len), GFP_KERNEL);
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, io);
	io->io_id = id;
	io->len = len;
	io->flags = flags;
	memset(io->data, (u8)id, len);
	mutex_lock(&cdev->lock);
	err = chimney_offload_post_io(cdev, conn, cmd, io);
	mutex_unlock(&cdev->lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	return io;
}

/* Post a receive request as the host does, through the netlink path. */
static struct chimney_io *chimney_tcp_test_recv(struct kunit *test, struct chimney_conn *conn,
						u32 len, u32 flags)
{
	return chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_RECEIVE, 9, len, flags);
}

/* Take back a request still posted, as if it had completed. */
static void chimney_tcp_test_unpost(struct kunit *test, struct chimney_io *io)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);

	mutex_lock(&cdev->lock);
	list_del(&io->list);
	mutex_unlock(&cdev->lock);
	kvfree(io);
}

/* Every byte placed in a receive request is the next of the stream. */
static void chimney_tcp_test_bytes(struct kunit *test, const struct chimney_io *io, u32 seq)
{
	u32 i;

	for (i = 0; i < io->done; i++)
		if (io->data[i] != ((seq + i) & 0xff))
			break;
	KUNIT_EXPECT_EQ(test, i, io->done);
}

/*
 * R69-R73: with no receive posted, bytes are indicated, one indication at a
 * time; a partial answer takes part of them and stops indications until a
 * post (R71), which then gets the rest in order (R70); an accepted
 * indication's bytes take window until returned; no answer in time is a
 * refusal; RcvIndicationSize bounds an indication.
 */
static void chimney_tcp_test_indicate(struct kunit *test)
{
	const u32 partial = CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED;
	const u32 refused = CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED;
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u32 rcv = conn->tcb.rcv_nxt, wnd;
	struct chimney_io *io;
	u64 id;
	int err;

	chimney_tcp_test_data(test, conn, 100, TCPHDR_PSH);
	id = conn->x->ind_id;
	KUNIT_EXPECT_NE(test, id, 0ULL);
	KUNIT_EXPECT_EQ(test, conn->x->ind_len, 100U);
	chimney_tcp_test_data(test, conn, 50, TCPHDR_PSH);
	KUNIT_EXPECT_EQ(test, conn->x->ind_id, id);
	KUNIT_EXPECT_EQ(test, conn->x->ind_len, 100U);

	/* Answers that do not fit change nothing. */
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_answer(test, conn, id + 1, refused, 0), -ENOENT);
	err = chimney_tcp_test_answer(test, conn, 0, CHIMNEY_NDIS_STATUS_SUCCESS, 50);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_answer(test, conn, 0, partial, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_answer(test, conn, 0, partial, 100), -EINVAL);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_answer(test, conn, 0, refused, 5), -EINVAL);
	err = chimney_tcp_test_answer(test, conn, 0, CHIMNEY_NDIS_STATUS_FAILURE, 0);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_EQ(test, conn->x->ind_id, id);

	wnd = conn->tcb.rcv_wnd;
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_answer(test, conn, 0, partial, 30), 0);
	KUNIT_EXPECT_EQ(test, conn->x->ind_id, 0ULL);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, wnd + 30);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_answer(test, conn, id, partial, 30), -ENOENT);
	/* R71: refused in part, so nothing more until a post. */
	chimney_tcp_test_data(test, conn, 10, 0);
	KUNIT_EXPECT_EQ(test, conn->x->ind_id, 0ULL);
	io = chimney_tcp_test_recv(test, conn, 1000, CHIMNEY_IO_NO_PUSH);
	KUNIT_EXPECT_EQ(test, io->done, 130U);
	chimney_tcp_test_bytes(test, io, rcv + 30);
	KUNIT_EXPECT_EQ(test, conn->x->ind_id, 0ULL);
	chimney_tcp_test_unpost(test, io);

	/* Accepted: the window opens when the host returns the buffer. */
	chimney_tcp_test_data(test, conn, 200, TCPHDR_PSH);
	id = conn->x->ind_id;
	KUNIT_EXPECT_EQ(test, conn->x->ind_len, 200U);
	wnd = conn->tcb.rcv_wnd;
	err = chimney_tcp_test_answer(test, conn, 0, CHIMNEY_NDIS_STATUS_SUCCESS, 200);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, wnd);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&conn->x->rcvq));
	mutex_lock(&cdev->lock);
	KUNIT_EXPECT_EQ(test, chimney_ind_return(cdev, conn, id + 1, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, chimney_ind_return(cdev, conn, id, NULL), 0);
	KUNIT_EXPECT_EQ(test, chimney_ind_return(cdev, conn, id, NULL), -ENOENT);
	mutex_unlock(&cdev->lock);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, wnd + 200);

	/* Unanswered in time: refused, and a late answer changes nothing. */
	chimney_tcp_test_data(test, conn, 10, 0);
	id = conn->x->ind_id;
	KUNIT_EXPECT_NE(test, conn->x->due[CHIMNEY_T_IND], 0UL);
	chimney_tcp_test_fire(test, conn, CHIMNEY_T_IND);
	KUNIT_EXPECT_EQ(test, conn->x->ind_id, 0ULL);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_answer(test, conn, id, refused, 0), -ENOENT);
	/* A zero-byte post lets indications start again (R68, R71). */
	conn->st.ca.rcv_indication_size = 8;
	chimney_tcp_test_recv(test, conn, 0, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&conn->x->recvs));
	KUNIT_EXPECT_EQ(test, conn->x->ind_len, 8U);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_nxt, rcv + 370);
}

/* R81: a forwarded segment is processed as if from the wire. */
static void chimney_tcp_test_forward(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u32 rcv = conn->tcb.rcv_nxt;
	struct {
		struct tcphdr th;
		u8 data[20];
	} seg = {};
	struct chimney_io *io;
	int err, i;

	io = chimney_tcp_test_recv(test, conn, 100, CHIMNEY_IO_NO_PUSH);
	seg.th.source = htons(2000);
	seg.th.dest = htons(1000);
	seg.th.seq = htonl(rcv);
	seg.th.ack_seq = htonl(conn->tcb.snd_una);
	seg.th.doff = 5;
	seg.th.ack = 1;
	seg.th.psh = 1;
	seg.th.window = htons(1000);
	for (i = 0; i < sizeof(seg.data); i++)
		seg.data[i] = (rcv + i) & 0xff;
	mutex_lock(&cdev->lock);
	err = chimney_dp_forward(cdev, conn, 1, &seg, sizeof(seg.th) - 1, NULL);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	seg.th.dest = htons(1001);
	err = chimney_dp_forward(cdev, conn, 1, &seg, sizeof(seg), NULL);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_nxt, rcv);
	seg.th.dest = htons(1000);
	err = chimney_dp_forward(cdev, conn, 1, &seg, sizeof(seg), NULL);
	mutex_unlock(&cdev->lock);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_nxt, rcv + 20);
	KUNIT_EXPECT_EQ(test, io->done, 20U);
	chimney_tcp_test_bytes(test, io, rcv);
	chimney_tcp_test_unpost(test, io);
}

/*
 * Section 3.1: a connection offloaded with the host's data. Its send data
 * is a send request whose first bytes are in flight, with the
 * retransmission timer running; its buffered receive data is delivered
 * before new data.
 */
static void chimney_tcp_test_initiate_data(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = { .snd_len = 300, .in_flight = 100, .rcv_len = 50 };
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u64 out = chimney_tcp_test_out(test);
	u32 rcv = conn->tcb.rcv_nxt;
	struct chimney_io *io;

	KUNIT_ASSERT_NOT_NULL(test, conn->x);
	KUNIT_EXPECT_NE(test, conn->x->due[CHIMNEY_T_RTX], 0UL);
	KUNIT_ASSERT_FALSE(test, list_empty(&conn->x->sends));
	io = list_first_entry(&conn->x->sends, struct chimney_io, list);
	/* The first 100 are acknowledged; the other 200 go out (no wire here). */
	chimney_tcp_test_ack(test, conn, 200, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_una, 200U);
	KUNIT_EXPECT_EQ(test, io->done, 100U);
	KUNIT_EXPECT_GT(test, chimney_tcp_test_out(test), out);
	conn->tcb.snd_nxt = 400;
	conn->tcb.snd_max = 400;
	chimney_tcp_test_ack(test, conn, 400, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&conn->x->sends));

	chimney_tcp_test_data(test, conn, 20, 0);
	io = chimney_tcp_test_recv(test, conn, 1000, CHIMNEY_IO_NO_PUSH);
	KUNIT_EXPECT_EQ(test, io->done, 70U);
	chimney_tcp_test_bytes(test, io, rcv - 50);
	chimney_tcp_test_unpost(test, io);
}

/* The peer's zero window answers a probe, or not: 0 or a window. */
static void chimney_tcp_test_zero(struct kunit *test, struct chimney_conn *conn, u32 win)
{
	chimney_tcp_test_ack_win(test, conn, conn->tcb.snd_una, 0, win);
}

/*
 * The persist timer (4.5, R90). Probes carry no byte past the window; a
 * peer that answers with a zero window starts a new round each time and is
 * never given up on, with the probes at most CHIMNEY_RTO_MAX_MS apart; a
 * probe that finds the window open (its update was lost) sends the data.
 * A window that closes under data in flight gets that data resent all the
 * same; TcpMaximumRetransmissions unanswered retransmissions in a row ask
 * for the connection to be taken back.
 */
static void chimney_tcp_test_persist(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u32 una = conn->tcb.snd_una, max_rt;
	u64 out;
	int i;

	conn->tcb.snd_wnd = 0;
	conn->tcb.send_wl1 = conn->tcb.rcv_nxt;
	chimney_tcp_test_send(test, conn, 3000);
	out = chimney_tcp_test_out(test);
	chimney_tcp_test_zero(test, conn, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_nxt, una);
	KUNIT_EXPECT_NE(test, conn->x->due[CHIMNEY_T_RTX], 0UL);

	for (i = 1; i <= 20; i++) {
		chimney_tcp_test_fire(test, conn, CHIMNEY_T_RTX);
		KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + i);
		KUNIT_EXPECT_EQ(test, conn->tcb.snd_max, una);
		KUNIT_EXPECT_EQ(test, conn->tcb.retransmit_count, 1);
		chimney_tcp_test_zero(test, conn, 0);
		KUNIT_EXPECT_EQ(test, conn->tcb.snd_wnd_probe_count, i);
		KUNIT_EXPECT_EQ(test, conn->tcb.retransmit_count, 0);
		KUNIT_EXPECT_LE(test, conn->x->due[CHIMNEY_T_RTX],
				jiffies + msecs_to_jiffies(60000) + 1);
	}
	KUNIT_EXPECT_FALSE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags));

	/*
	 * The window opened; its update was lost and the probe finds it:
	 * the data goes out, one GSO frame of its three segments (to
	 * nowhere: KUnit's device has no peer).
	 */
	chimney_tcp_test_fire(test, conn, CHIMNEY_T_RTX);
	out = chimney_tcp_test_out(test);
	chimney_tcp_test_zero(test, conn, 65535);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 3);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_wnd_probe_count, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.retransmit_count, 0);

	/* It closes again under a segment in flight: resent all the same. */
	conn->tcb.snd_nxt = una + 1000;
	conn->tcb.snd_max = una + 1000;
	chimney_tcp_test_zero(test, conn, 0);
	out = chimney_tcp_test_out(test);
	max_rt = READ_ONCE(cdev->params.tcp_maximum_retransmissions);
	for (i = 1; i <= max_rt; i++) {
		chimney_tcp_test_fire(test, conn, CHIMNEY_T_RTX);
		KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + i);
		KUNIT_EXPECT_EQ(test, conn->tcb.retransmit_count, i);
	}
	KUNIT_EXPECT_FALSE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags));
	chimney_tcp_test_fire(test, conn, CHIMNEY_T_RTX);
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags));
}

/*
 * A state request on the connection, as netlink builds it: placeholders
 * for its neighbor and path, or a reference to its path alone (path set).
 */
static struct chimney_req *chimney_tcp_test_req(struct kunit *test, struct chimney_conn *conn,
						u8 cmd, bool path)
{
	struct chimney_obj *pobj = chimney_test_parent(chimney_tcp_test_cdev(test), &conn->obj);
	struct chimney_req *req;
	struct chimney_block *b;

	req = kunit_kzalloc(test, struct_size(req, blocks, 3), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	req->cmd = cmd;
	req->nblocks = path ? 2 : 3;
	req->blocks[0].layer = CHIMNEY_LAYER_NEIGH;
	req->blocks[0].parent = CHIMNEY_BLOCK_NO_PARENT;
	b = &req->blocks[1];
	b->layer = CHIMNEY_LAYER_PATH;
	if (path) {
		b->role = CHIMNEY_ROLE_REF;
		b->type = pobj->type;
		b->handle = chimney_obj_handle(pobj);
		return req;
	}
	b = &req->blocks[2];
	b->layer = CHIMNEY_LAYER_TCP;
	b->parent = 1;
	b->role = CHIMNEY_ROLE_REF;
	b->type = CHIMNEY_TCP_OFFLOAD_STATE;
	b->handle = chimney_obj_handle(&conn->obj);
	return req;
}

/*
 * R20, R49, R50: a TimeoutDelta of -1 at offload starts no timer, and what
 * a query hands back is the state as of the query: -1 for a timer not
 * running (never 0), what is left of one running, and TsTime = NicTime +
 * NicDelta.
 */
static void chimney_tcp_test_query_now(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = { .flags = CHIMNEY_TCP_FLAG_TIMESTAMP_ENABLED };
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_tcp_delegated *d;
	struct chimney_req *req;

	KUNIT_EXPECT_TRUE(test, !conn->x || !conn->x->due[CHIMNEY_T_RTX]);
	msleep(100);
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_QUERY, false);
	chimney_test_process(test, req);
	d = &req->blocks[2].st.tcp.d;
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->retransmit_timeout_delta, U32_MAX);
	KUNIT_EXPECT_EQ(test, d->keepalive_timeout_delta, U32_MAX);
	/* Offloaded with TsTime 5000: 100 ms later the clock reads 5100 on. */
	KUNIT_EXPECT_GE(test, d->ts_time - 5000, 100U);
	KUNIT_EXPECT_LT(test, d->ts_time - 5000, 5000U);

	/* A zero window with data queued: the persist timer runs. */
	conn->tcb.snd_wnd = 0;
	conn->tcb.send_wl1 = conn->tcb.rcv_nxt;
	chimney_tcp_test_send(test, conn, 1000);
	chimney_tcp_test_zero(test, conn, 0);
	KUNIT_ASSERT_NE(test, conn->x->due[CHIMNEY_T_RTX], 0UL);
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_QUERY, false);
	chimney_test_process(test, req);
	d = &req->blocks[2].st.tcp.d;
	KUNIT_EXPECT_GE(test, d->retransmit_timeout_delta, 1U);
	KUNIT_EXPECT_LE(test, d->retransmit_timeout_delta, 60000U);
}

/*
 * R28, R31: an update with TCP_FLAG_MAX_RT_RESTART sets TotalRT to 0, new
 * keepalive values reset its probe count; restart flags are not kept.
 */
static void chimney_tcp_test_update_restart(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_tcp_cached *ca;
	struct chimney_req *req;

	conn->tcb.total_rt = 7000;
	conn->tcb.keepalive_probe_count = 3;
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_UPDATE, false);
	req->blocks[2].has = CHIMNEY_HAS_CACHED;
	ca = &req->blocks[2].st.tcp.ca;
	*ca = conn->st.ca;
	ca->flags |= CHIMNEY_TCP_FLAG_MAX_RT_RESTART;
	ca->ka_interval += 1000;
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, conn->tcb.total_rt, 0U);
	KUNIT_EXPECT_EQ(test, conn->tcb.keepalive_probe_count, 0);
	KUNIT_EXPECT_EQ(test, conn->st.ca.ka_interval, ca->ka_interval);
	KUNIT_EXPECT_FALSE(test, conn->st.ca.flags & CHIMNEY_TCP_FLAG_MAX_RT_RESTART);
}

/* R29: an update with TCP_FLAG_KEEP_ALIVE_RESTART starts keepalive over. */
static void chimney_tcp_test_ka_restart(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_cached *ca;
	struct chimney_req *req;
	unsigned long due;
	int i;

	for (i = 0; i < 2; i++) {
		req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_UPDATE, false);
		req->blocks[2].has = CHIMNEY_HAS_CACHED;
		ca = &req->blocks[2].st.tcp.ca;
		*ca = conn->st.ca;
		ca->flags |= CHIMNEY_TCP_FLAG_KEEP_ALIVE_ENABLED;
		ca->ka_timeout = 60000;
		ca->ka_interval = 1000;
		ca->ka_probe_count = 5;
		if (i) {
			/* As if 59.9 s had passed since the last update. */
			mutex_lock(&cdev->lock);
			conn->x->due[CHIMNEY_T_KA] = jiffies + msecs_to_jiffies(100);
			conn->tcb.keepalive_timeout_delta = 100;
			mutex_unlock(&cdev->lock);
			ca->flags |= CHIMNEY_TCP_FLAG_KEEP_ALIVE_RESTART;
		}
		chimney_test_process(test, req);
		KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
		KUNIT_ASSERT_NOT_NULL(test, conn->x);
		KUNIT_EXPECT_GT(test, conn->x->due[CHIMNEY_T_KA],
				jiffies + msecs_to_jiffies(30000));
	}

	/* An update of something else leaves a running keepalive alone. */
	mutex_lock(&cdev->lock);
	conn->x->due[CHIMNEY_T_KA] = jiffies + msecs_to_jiffies(100);
	due = conn->x->due[CHIMNEY_T_KA];
	mutex_unlock(&cdev->lock);
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_UPDATE, false);
	req->blocks[2].has = CHIMNEY_HAS_CACHED;
	req->blocks[2].st.tcp.ca = conn->st.ca;
	req->blocks[2].st.tcp.ca.ttl_or_hop_limit++;
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, conn->x->due[CHIMNEY_T_KA], due);
}

/*
 * The host counts time in its ticks, here 10 a second: SRtt x8 and RttVar
 * x4 (decision 14), TotalRT, KaTimeout, MaxRT, each TimeoutDelta, the
 * timestamp clock and TsRecentAge. The
 * engine runs its timers by them, and a query hands them back so. MaxRT
 * bounds TotalRT, the time spent resending one segment (decision 17).
 */
static void chimney_tcp_test_host_ticks(struct kunit *test)
{
	/* SRtt 80 and RttVar 20: 1 s and 500 ms; the RTO is 3 s. */
	struct chimney_tcp_test_conn tc = { .srtt = 10, .snd_len = 1000, .in_flight = 1000 };
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_delegated *d;
	struct chimney_tcp_cached *ca;
	struct chimney_conn *conn;
	struct chimney_req *req;

	cdev->params.ticks_per_second = 10;
	conn = chimney_tcp_test_conn(test, &tc);
	KUNIT_ASSERT_NOT_NULL(test, conn->x);
	KUNIT_EXPECT_EQ(test, conn->tcb.srtt, 1000);
	KUNIT_EXPECT_EQ(test, conn->tcb.rtt_var, 500);
	KUNIT_EXPECT_EQ(test, conn->x->rto, 3000U);

	/* Keepalive from KaTimeout 200 ticks: 20 s; resending for 4 s at most. */
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_UPDATE, false);
	req->blocks[2].has = CHIMNEY_HAS_CACHED;
	ca = &req->blocks[2].st.tcp.ca;
	*ca = conn->st.ca;
	ca->flags |= CHIMNEY_TCP_FLAG_KEEP_ALIVE_ENABLED | CHIMNEY_TCP_FLAG_KEEP_ALIVE_RESTART;
	ca->ka_timeout = 200;
	ca->ka_interval = 100;
	ca->max_rt = 40;
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_GT(test, conn->x->due[CHIMNEY_T_KA], jiffies + msecs_to_jiffies(15000));
	KUNIT_EXPECT_LE(test, conn->x->due[CHIMNEY_T_KA], jiffies + msecs_to_jiffies(20000));

	/* One timeout: 3 s spent resending, 30 ticks, within MaxRT. */
	chimney_tcp_test_fire(test, conn, CHIMNEY_T_RTX);
	msleep(300);
	KUNIT_EXPECT_FALSE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags));
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_QUERY, false);
	chimney_test_process(test, req);
	d = &req->blocks[2].st.tcp.d;
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->srtt, 80);
	KUNIT_EXPECT_EQ(test, d->rtt_var, 20);
	KUNIT_EXPECT_EQ(test, d->total_rt, 30U);
	/* Offloaded with TsTime 5000 and TsRecent just received. */
	KUNIT_EXPECT_GE(test, d->ts_time - 5000, 3U);
	KUNIT_EXPECT_LT(test, d->ts_time - 5000, 100U);
	KUNIT_EXPECT_GE(test, d->ts_recent_age, 3U);
	KUNIT_EXPECT_LT(test, d->ts_recent_age, 100U);
	KUNIT_EXPECT_EQ(test, d->retransmit_count, 1);
	/*
	 * The RTO doubled: 6 s, 60 ticks (KUnit's device has no wire: the
	 * resend, not sent, waits for it too); keepalive under 20 s, 200 ticks.
	 */
	KUNIT_EXPECT_GE(test, d->retransmit_timeout_delta, 1U);
	KUNIT_EXPECT_LE(test, d->retransmit_timeout_delta, 60U);
	KUNIT_EXPECT_GE(test, d->keepalive_timeout_delta, 150U);
	KUNIT_EXPECT_LE(test, d->keepalive_timeout_delta, 200U);

	/* The second: 9 s in all, past MaxRT. */
	chimney_tcp_test_fire(test, conn, CHIMNEY_T_RTX);
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags));
	KUNIT_EXPECT_EQ(test, conn->tcb.retransmit_count, 2);
}

/*
 * A FIN that finds no wire (KUnit's device has none) is as one lost on
 * it: counted as sent, with the retransmission timer running, and sent
 * again at the timeout.
 */
static void chimney_tcp_test_fin_no_wire(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u32 una = conn->tcb.snd_una;
	u64 out;

	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_DISCONNECT, 5, 0, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.state, (u8)CHIMNEY_TCP_CONNECTION_FIN_WAIT1);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_max, una + 1);
	KUNIT_ASSERT_NOT_NULL(test, conn->x);
	KUNIT_EXPECT_NE(test, conn->x->due[CHIMNEY_T_RTX], 0UL);
	out = chimney_tcp_test_out(test);
	chimney_tcp_test_fire(test, conn, CHIMNEY_T_RTX);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out + 1);
	KUNIT_EXPECT_NE(test, conn->x->due[CHIMNEY_T_RTX], 0UL);
}

/*
 * R33: once its path is invalidated, a connection sends no more segments,
 * even when the window opens on queued data, nor ACKs.
 */
static void chimney_tcp_test_invalidated_silent(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_req *req;
	u64 out;

	conn->tcb.snd_wnd = 0;
	conn->tcb.send_wl1 = conn->tcb.rcv_nxt;
	chimney_tcp_test_send(test, conn, 3000);
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_INVALIDATE, true);
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[1].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	out = chimney_tcp_test_out(test);
	chimney_tcp_test_zero(test, conn, 65535);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_nxt, conn->tcb.snd_una);
	/* Not even the ACK that a segment out of order asks for. */
	chimney_tcp_test_seg(test, conn, conn->tcb.rcv_nxt + 5000, 0, 100);
	KUNIT_EXPECT_EQ(test, chimney_tcp_test_out(test), out);
}

/* What the engine does once an initiate completed, or a request came. */
static void chimney_tcp_test_push(struct kunit *test, struct chimney_conn *conn)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);

	mutex_lock(&cdev->lock);
	chimney_tcp_push(cdev, conn);
	mutex_unlock(&cdev->lock);
}

/* Forget the frames seen on the wire so far. */
static void chimney_tcp_test_wire_clear(struct kunit *test)
{
	struct chimney_dev_test_priv *priv = test->priv;

	skb_queue_purge(&priv->frames);
}

/*
 * R19: offloaded with SndUna < SndNxt < SndMax (the host's retransmission
 * timer had rewound SndNxt), the first bytes on the wire are those from
 * SndNxt to SndMax, then the new ones; those from SndUna to SndNxt go
 * again only when the retransmission timer fires.
 */
static void chimney_tcp_test_rewound(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = { .snd_len = 3000, .in_flight = 2000, .rewound = 1000 };
	struct chimney_conn *conn;
	struct chimney_pkt pkt;
	struct sk_buff *skb;
	u32 una, next;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	una = conn->tcb.snd_una;
	next = conn->tcb.snd_nxt;
	KUNIT_ASSERT_EQ(test, next - una, 1000U);
	KUNIT_ASSERT_EQ(test, conn->tcb.snd_max - una, 2000U);
	chimney_tcp_test_push(test, conn);
	while (next != una + 3000 && (skb = chimney_test_frame(test, &pkt))) {
		KUNIT_EXPECT_EQ(test, pkt.seg.seq, next);
		next = pkt.seg.seq + pkt.seg.len;
		kfree_skb(skb);
	}
	KUNIT_EXPECT_EQ(test, next, una + 3000);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_nxt, una + 3000);

	chimney_tcp_test_fire(test, conn, CHIMNEY_T_RTX);
	skb = chimney_test_frame(test, &pkt);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, pkt.seg.seq, una);
	kfree_skb(skb);
}

/* The next segment on the wire starts at seq, carries len bytes and flags. */
static void chimney_tcp_test_expect_seg(struct kunit *test, u32 seq, u32 len, u8 flags)
{
	struct chimney_pkt pkt;
	struct sk_buff *skb;

	skb = chimney_test_frame(test, &pkt);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, pkt.seg.seq, seq);
	KUNIT_EXPECT_EQ(test, pkt.seg.len, len);
	KUNIT_EXPECT_EQ(test, pkt.seg.flags & ~TCPHDR_PSH, flags);
	kfree_skb(skb);
}

/* Nothing more on the wire. */
static void chimney_tcp_test_no_seg(struct kunit *test)
{
	struct chimney_pkt pkt;
	struct sk_buff *skb;

	skb = chimney_test_frame(test, &pkt);
	if (skb)
		KUNIT_FAIL(test, "a segment: seq %u len %u flags %#x", pkt.seg.seq, pkt.seg.len,
			   pkt.seg.flags);
	kfree_skb(skb);
}

/*
 * Fast retransmit on the TcpDuplicateAckThreshold-th duplicate ACK (RFC
 * 5681), once a recovery; then NewReno (RFC 6582): an ACK short of SndMax
 * at the retransmission has the next hole sent at once, and one that
 * reaches it ends the recovery. Segments 1 and 3 of ten are lost.
 */
static void chimney_tcp_test_fast_recovery(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {
		.snd_len = 14600, .in_flight = 14600, .srtt = 30000,	/* no timeout */
	};
	struct chimney_conn *conn;
	u32 una, i;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	una = conn->tcb.snd_una;
	for (i = 0; i < 2; i++)
		chimney_tcp_test_ack_win(test, conn, una, 0, 65535);
	chimney_tcp_test_no_seg(test);
	KUNIT_EXPECT_EQ(test, conn->tcb.dup_ack_count, 2);

	chimney_tcp_test_ack_win(test, conn, una, 0, 65535);
	chimney_tcp_test_expect_seg(test, una, 1460, TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, conn->tcb.ss_thresh, 7300U);
	KUNIT_EXPECT_EQ(test, conn->tcb.cwnd, 7300U);
	/* More duplicates: no second fast retransmit. */
	chimney_tcp_test_ack_win(test, conn, una, 0, 65535);
	chimney_tcp_test_no_seg(test);

	/* The partial ACK: segment 3 at once, and nothing else; cwnd held. */
	chimney_tcp_test_ack_win(test, conn, una + 2920, 0, 65535);
	chimney_tcp_test_expect_seg(test, una + 2920, 1460, TCPHDR_ACK);
	chimney_tcp_test_no_seg(test);
	KUNIT_EXPECT_EQ(test, conn->tcb.cwnd, 7300U);
	KUNIT_EXPECT_TRUE(test, test_bit(CHIMNEY_DP_RECOVERY, &conn->dp));
	/* Its duplicates start no second recovery either. */
	for (i = 0; i < 3; i++)
		chimney_tcp_test_ack_win(test, conn, una + 2920, 0, 65535);
	chimney_tcp_test_no_seg(test);
	KUNIT_EXPECT_EQ(test, conn->tcb.ss_thresh, 7300U);

	/* The ACK of all: recovery ends, with cwnd at ss_thresh. */
	chimney_tcp_test_ack_win(test, conn, una + 14600, 0, 65535);
	KUNIT_EXPECT_FALSE(test, test_bit(CHIMNEY_DP_RECOVERY, &conn->dp));
	KUNIT_EXPECT_EQ(test, conn->tcb.cwnd, 7300U);
	KUNIT_EXPECT_TRUE(test, list_empty(&conn->x->sends));
}

/* A partial ACK that leaves only the FIN has the FIN sent again. */
static void chimney_tcp_test_fin_recovery(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = { .srtt = 30000 };
	struct chimney_conn *conn;
	struct chimney_pkt pkt;
	struct sk_buff *skb;
	u32 una, i;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	una = conn->tcb.snd_una;
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_SEND, 4, 2920, 0);
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_DISCONNECT, 5, 0, 0);
	KUNIT_ASSERT_EQ(test, conn->tcb.snd_max, una + 2920 + 1);
	/* The data, then the FIN. */
	while ((skb = chimney_test_frame(test, &pkt)) && !(pkt.seg.flags & TCPHDR_FIN))
		kfree_skb(skb);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	kfree_skb(skb);
	for (i = 0; i < 3; i++)
		chimney_tcp_test_ack_win(test, conn, una, 0, 65535);
	chimney_tcp_test_expect_seg(test, una, 1460, TCPHDR_ACK);
	chimney_tcp_test_ack_win(test, conn, una + 2920, 0, 65535);
	chimney_tcp_test_expect_seg(test, una + 2920, 0, TCPHDR_ACK | TCPHDR_FIN);
}

/*
 * R26: an update whose root references another neighbor and whose
 * dependent references the path moves the path, and its connection, under
 * that neighbor; the connection's frames then go to its address.
 */
static void chimney_tcp_test_relink(struct kunit *test)
{
	static const u8 mac_b[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x43 };
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_obj *neigh_b, *path;
	struct chimney_conn *conn;
	struct chimney_block *b;
	struct chimney_req *req;
	struct chimney_pkt pkt;
	struct sk_buff *skb;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	path = chimney_test_parent(cdev, &conn->obj);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->layer = CHIMNEY_LAYER_NEIGH;
	b->type = CHIMNEY_NEIGHBOR_OFFLOAD_STATE;
	ether_addr_copy(b->st.neigh.dl_destination_address, mac_b);
	mutex_lock(&cdev->lock);
	neigh_b = chimney_obj_create(cdev, NULL, b);
	mutex_unlock(&cdev->lock);
	KUNIT_ASSERT_FALSE(test, IS_ERR(neigh_b));

	req = kunit_kzalloc(test, struct_size(req, blocks, 2), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	req->cmd = CHIMNEY_CMD_UPDATE;
	req->nblocks = 2;
	req->blocks[0] = (struct chimney_block){
		.layer = CHIMNEY_LAYER_NEIGH, .role = CHIMNEY_ROLE_REF,
		.parent = CHIMNEY_BLOCK_NO_PARENT, .type = neigh_b->type,
		.handle = chimney_obj_handle(neigh_b),
	};
	req->blocks[1] = (struct chimney_block){
		.layer = CHIMNEY_LAYER_PATH, .role = CHIMNEY_ROLE_REF, .parent = 0,
		.type = path->type, .handle = chimney_obj_handle(path),
	};
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[0].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, req->blocks[1].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, chimney_test_parent(cdev, path), neigh_b);

	chimney_tcp_test_send(test, conn, 100);
	chimney_tcp_test_push(test, conn);
	skb = chimney_test_frame(test, &pkt);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, pkt.seg.len, 100U);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth_hdr(skb)->h_dest, mac_b));
	kfree_skb(skb);
}

/* An update of the connection's cached state: as it is, then changed. */
static struct chimney_req *chimney_tcp_test_update(struct kunit *test,
						   struct chimney_conn *conn,
						   struct chimney_tcp_cached **ca)
{
	struct chimney_req *req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_UPDATE, false);

	req->blocks[2].has = CHIMNEY_HAS_CACHED;
	*ca = &req->blocks[2].st.tcp.ca;
	**ca = conn->st.ca;
	return req;
}

/* An update of the receive buffer to size bytes, with the flag or not. */
static void chimney_tcp_test_rcv_update(struct kunit *test, struct chimney_conn *conn,
					u32 size, bool flag)
{
	struct chimney_tcp_cached *ca;
	struct chimney_req *req;

	req = chimney_tcp_test_update(test, conn, &ca);
	if (flag)
		ca->flags |= CHIMNEY_TCP_FLAG_UPDATE_RCV_WND;
	ca->initial_rcv_wnd = size;
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
}

/*
 * R30: TCP_FLAG_UPDATE_RCV_WND with a larger InitialRcvWnd: the new window
 * goes to the peer at once. With a smaller one, here smaller than what the
 * buffer already holds, the window advertised is not taken back, but as
 * the buffer drains it closes down to the new size, and stays there.
 */
static void chimney_tcp_test_rcv_buffer(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = { .flags = CHIMNEY_TCP_FLAG_WINDOW_SCALING_ENABLED };
	struct chimney_conn *conn;
	struct chimney_pkt pkt;
	struct chimney_io *io;
	struct sk_buff *skb;
	int err;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	conn->tcb.rcv_wnd = 8000;
	chimney_tcp_test_rcv_update(test, conn, 16000, true);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, 16000U);
	skb = chimney_test_frame(test, &pkt);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, pkt.seg.flags, (u8)TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, pkt.seg.win, (u16)(16000 >> 7));
	kfree_skb(skb);

	/* Without the flag, a new InitialRcvWnd changes no window. */
	chimney_tcp_test_rcv_update(test, conn, 64000, false);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, 16000U);

	/* 3000 bytes wait in the buffer: their indication is refused. */
	chimney_tcp_test_data(test, conn, 3000, TCPHDR_PSH);
	KUNIT_ASSERT_NE(test, conn->x->ind_id, 0ULL);
	err = chimney_tcp_test_answer(test, conn, 0, CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED,
				      0);
	KUNIT_EXPECT_EQ(test, err, 0);
	chimney_tcp_test_rcv_update(test, conn, 2000, true);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, 13000U);
	io = chimney_tcp_test_recv(test, conn, 20000, CHIMNEY_IO_NO_PUSH);
	KUNIT_EXPECT_EQ(test, io->done, 3000U);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, 13000U);
	chimney_tcp_test_data(test, conn, 11000, TCPHDR_PSH);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, 2000U);
	chimney_tcp_test_data(test, conn, 1000, TCPHDR_PSH);
	KUNIT_EXPECT_EQ(test, io->done, 15000U);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, 2000U);
	chimney_tcp_test_unpost(test, io);
	chimney_tcp_test_wire_clear(test);
}

/*
 * R27: an update the hardware cannot honor (a receive buffer larger than it
 * supports) fails and changes nothing; the connection goes on as before.
 */
static void chimney_tcp_test_update_failure(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {};
	struct chimney_tcp_cached *ca;
	struct chimney_conn *conn;
	struct chimney_req *req;
	struct chimney_pkt pkt;
	struct sk_buff *skb;
	u8 ttl;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	ttl = conn->st.ca.ttl_or_hop_limit;
	req = chimney_tcp_test_update(test, conn, &ca);
	ca->ttl_or_hop_limit = ttl + 1;
	ca->flags |= CHIMNEY_TCP_FLAG_UPDATE_RCV_WND;
	ca->initial_rcv_wnd = CHIMNEY_MAX_RCV_WND + 1;
	chimney_test_process(test, req);
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_FAILURE);
	KUNIT_EXPECT_EQ(test, conn->st.ca.ttl_or_hop_limit, ttl);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_wnd, 1U << 20);

	chimney_tcp_test_send(test, conn, 100);
	chimney_tcp_test_push(test, conn);
	skb = chimney_test_frame(test, &pkt);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, pkt.seg.len, 100U);
	kfree_skb(skb);
	chimney_tcp_test_ack(test, conn, conn->tcb.snd_nxt, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_una, conn->tcb.snd_nxt);
	KUNIT_EXPECT_TRUE(test, list_empty(&conn->x->sends));
}

/* A segment the peer sends to the connection (IPv4), as the wire brings it. */
struct chimney_tcp_test_in {
	u16 id;		/* its IPv4 ID, to know it again */
	u8 flags;	/* TCPHDR_*; ACK is added, but not to a SYN */
	u32 len;	/* payload bytes, byte i of the stream being i & 0xff */
	int vid;	/* its VLAN tag, or -1 for none */
	bool ip_opts;	/* with an IPv4 option */
	bool frag;	/* a first fragment (More Fragments set) */
};

static struct sk_buff *chimney_tcp_test_in_skb(struct kunit *test, struct chimney_conn *conn,
					       const struct chimney_tcp_test_in *in)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	unsigned int optlen = in->ip_opts ? 4 : 0;
	struct sk_buff *skb;
	struct ethhdr *eth;
	struct tcphdr *th;
	struct iphdr *iph;
	u32 i, seq = conn->tcb.rcv_nxt;
	u8 *p;

	skb = alloc_skb(ETH_HLEN + VLAN_HLEN + sizeof(*iph) + optlen + sizeof(*th) + in->len,
			GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, cdev->netdev->dev_addr);
	ether_addr_copy(eth->h_source, chimney_test_mac);
	eth->h_proto = htons(ETH_P_IP);
	if (in->vid >= 0) {
		struct vlan_hdr *vh = skb_put(skb, VLAN_HLEN);

		eth->h_proto = htons(ETH_P_8021Q);
		vh->h_vlan_TCI = htons(in->vid);
		vh->h_vlan_encapsulated_proto = htons(ETH_P_IP);
	}
	iph = skb_put_zero(skb, sizeof(*iph) + optlen);
	iph->version = 4;
	iph->ihl = (sizeof(*iph) + optlen) / 4;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->id = htons(in->id);
	iph->tot_len = htons(sizeof(*iph) + optlen + sizeof(*th) + in->len);
	iph->frag_off = htons(in->frag ? IP_MF : IP_DF);
	iph->saddr = htonl(0x0a000002);
	iph->daddr = htonl(0x0a000001);
	memset(iph + 1, IPOPT_NOOP, optlen);
	ip_send_check(iph);
	th = skb_put_zero(skb, sizeof(*th));
	th->source = htons(2000);
	th->dest = htons(1000);
	th->seq = htonl(seq);
	th->ack_seq = htonl(conn->tcb.snd_una);
	th->doff = sizeof(*th) / 4;
	tcp_flag_byte(th) = in->flags & TCPHDR_SYN ? in->flags : in->flags | TCPHDR_ACK;
	th->window = htons(65535);
	p = skb_put(skb, in->len);
	for (i = 0; i < in->len; i++)
		p[i] = (seq + i) & 0xff;
	/* The TCP checksum is not what these tests are about. */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	/* Sent by the other end of the wire. */
	skb->dev = ((struct chimney_dev_test_priv *)test->priv)->peer;
	return skb;
}

/* A frame arrives from the wire; the engine then runs. */
static void chimney_tcp_test_rx(struct kunit *test, struct sk_buff *skb)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);

	rcu_read_lock();
	local_bh_disable();
	chimney_dp_rx(cdev, skb);
	local_bh_enable();
	rcu_read_unlock();
}

static void chimney_tcp_test_in(struct kunit *test, struct chimney_conn *conn,
				const struct chimney_tcp_test_in *in)
{
	chimney_tcp_test_rx(test, chimney_tcp_test_in_skb(test, conn, in));
	flush_work(&chimney_tcp_test_cdev(test)->dp_work);
}

/* The next frame the device's host stack took is the one of this IPv4 ID. */
static void chimney_tcp_test_to_host(struct kunit *test, u16 id)
{
	struct sk_buff *skb = chimney_test_host_frame(test);

	KUNIT_EXPECT_NOT_NULL_MSG(test, skb, "frame %u", id);
	if (skb)
		KUNIT_EXPECT_EQ(test, ntohs(ip_hdr(skb)->id), id);
	kfree_skb(skb);
}

/*
 * What the receive path gives the engine and what it leaves to the host
 * stack. A neighbor of VLAN 7 takes only frames tagged 7 (R63); IPv4 with
 * options, a fragment and a SYN on TIME_WAIT go to the host (R75), as does
 * a segment that arrived while its connection was being terminated (R48).
 */
static void chimney_tcp_test_demux(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = { .vlan = 7 };
	struct chimney_tcp_test_in in = { .id = 1, .len = 100, .vid = 7 };
	struct chimney_conn *conn;
	struct chimney_req *req;
	struct sk_buff *skb;
	u32 rcv;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	rcv = conn->tcb.rcv_nxt;
	chimney_tcp_test_in(test, conn, &in);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_nxt, rcv + 100);

	in = (struct chimney_tcp_test_in){ .id = 2, .len = 100, .vid = -1 };
	chimney_tcp_test_in(test, conn, &in);
	chimney_tcp_test_to_host(test, 2);
	in = (struct chimney_tcp_test_in){ .id = 3, .len = 100, .vid = 5 };
	chimney_tcp_test_in(test, conn, &in);
	chimney_tcp_test_to_host(test, 3);
	in = (struct chimney_tcp_test_in){ .id = 4, .len = 100, .vid = 7, .ip_opts = true };
	chimney_tcp_test_in(test, conn, &in);
	chimney_tcp_test_to_host(test, 4);
	in = (struct chimney_tcp_test_in){ .id = 5, .len = 100, .vid = 7, .frag = true };
	chimney_tcp_test_in(test, conn, &in);
	chimney_tcp_test_to_host(test, 5);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_nxt, rcv + 100);

	mutex_lock(&cdev->lock);
	conn->tcb.state = CHIMNEY_TCP_CONNECTION_TIME_WAIT;
	mutex_unlock(&cdev->lock);
	in = (struct chimney_tcp_test_in){ .id = 6, .flags = TCPHDR_SYN, .vid = 7 };
	chimney_tcp_test_in(test, conn, &in);
	chimney_tcp_test_to_host(test, 6);
	mutex_lock(&cdev->lock);
	conn->tcb.state = CHIMNEY_TCP_CONNECTION_ESTABLISHED;
	mutex_unlock(&cdev->lock);

	/* Found by the receive path, then terminated before the engine ran. */
	in = (struct chimney_tcp_test_in){ .id = 7, .len = 100, .vid = 7 };
	skb = chimney_tcp_test_in_skb(test, conn, &in);
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_TERMINATE, false);
	mutex_lock(&cdev->lock);
	chimney_tcp_test_rx(test, skb);
	chimney_process(cdev, req);
	mutex_unlock(&cdev->lock);
	KUNIT_EXPECT_EQ(test, req->blocks[2].status, (u32)CHIMNEY_NDIS_STATUS_SUCCESS);
	flush_work(&cdev->dp_work);
	chimney_tcp_test_to_host(test, 7);
}

/*
 * Frames for the engine wait in a backlog of CHIMNEY_DP_RXQ_MAX: a peer that
 * sends faster than the engine takes them (here, the engine is held off by
 * the device's lock) loses the rest, counted as dropped.
 */
static void chimney_tcp_test_rxq_bound(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_in in = { .len = 1, .vid = -1 };
	struct chimney_tcp_test_conn tc = {};
	struct rtnl_link_stats64 stats;
	struct chimney_conn *conn;
	int i;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	mutex_lock(&cdev->lock);
	for (i = 0; i < CHIMNEY_DP_RXQ_MAX + 10; i++)
		chimney_tcp_test_rx(test, chimney_tcp_test_in_skb(test, conn, &in));
	KUNIT_EXPECT_EQ(test, skb_queue_len(&cdev->dp_rxq), (u32)CHIMNEY_DP_RXQ_MAX);
	mutex_unlock(&cdev->lock);
	flush_work(&cdev->dp_work);
	dev_get_stats(cdev->netdev, &stats);
	KUNIT_EXPECT_EQ(test, stats.rx_dropped, 10ULL);
}

/*
 * 2.5 KB of 1-byte segments with no receive posted, each with @flags: the
 * queue holds about as much memory as data, not a segment's truesize
 * (~1 KB) per byte, whether or not each segment is pushed. Its bytes are
 * the peer's, in order.
 */
static void chimney_tcp_test_trickle_flags(struct kunit *test, u8 flags)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	u32 i, n = 2500, seq0 = conn->tcb.rcv_nxt, bad = 0;
	unsigned int truesize = 0, bytes = 0;
	struct sk_buff *skb;
	u8 c;

	for (i = 0; i < n; i++)
		chimney_tcp_test_data(test, conn, 1, flags);
	mutex_lock(&cdev->lock);
	KUNIT_ASSERT_NOT_NULL(test, conn->x);
	skb_queue_walk(&conn->x->rcvq, skb) {
		truesize += skb->truesize;
		for (i = CHIMNEY_RCV_CB(skb)->off; i < skb->len; i++, bytes++)
			if (skb_copy_bits(skb, i, &c, 1) || c != ((seq0 + bytes) & 0xff))
				bad++;
	}
	mutex_unlock(&cdev->lock);
	KUNIT_EXPECT_EQ(test, bytes, n);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_LE_MSG(test, truesize, 3 * n + 4096, "%u bytes take %u", bytes, truesize);
	KUNIT_EXPECT_EQ(test, conn->tcb.rcv_nxt, seq0 + n);
}

static void chimney_tcp_test_trickle(struct kunit *test)
{
	chimney_tcp_test_trickle_flags(test, 0);
}

/* Each pushed: a push point does not keep the next byte out of its skb. */
static void chimney_tcp_test_trickle_psh(struct kunit *test)
{
	chimney_tcp_test_trickle_flags(test, TCPHDR_PSH);
}

/* The notification at sequence number seq is this I/O completion. */
static void chimney_tcp_test_note(struct kunit *test, u64 seq, u8 cmd, u64 id, u32 status)
{
	struct chimney_journal_note note = {};

	chimney_journal_notes(chimney_tcp_test_cdev(test), seq, &note, 1);
	KUNIT_EXPECT_EQ_MSG(test, note.cmd, cmd, "seq %llu", seq);
	KUNIT_EXPECT_EQ_MSG(test, note.io_id, id, "seq %llu", seq);
	KUNIT_EXPECT_EQ_MSG(test, note.status, status, "seq %llu", seq);
}

/* R67: once the peer's FIN was indicated, a receive fails: INVALID_STATE. */
static void chimney_tcp_test_recv_after_fin(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_journal_note notes[2];
	u64 seq;

	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_RECEIVE, 8, 100, 0);
	chimney_tcp_test_data(test, conn, 0, TCPHDR_FIN);
	KUNIT_ASSERT_TRUE(test, test_bit(CHIMNEY_DP_DISC_IND, &conn->dp));
	seq = cdev->seq;
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_RECEIVE, 9, 100, 0);
	KUNIT_EXPECT_EQ(test, chimney_journal_notes(cdev, seq, notes, 2), 1U);
	chimney_tcp_test_note(test, seq, CHIMNEY_CMD_RECEIVE_COMPLETE, 9,
			      CHIMNEY_NDIS_STATUS_INVALID_STATE);
}

/*
 * R80, R78: a graceful disconnect with data completes on its own, once its
 * FIN is acknowledged: its completion names the disconnect only; the send
 * queued before it completes as a send, first.
 */
static void chimney_tcp_test_disconnect_alone(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_journal_note notes[4];
	struct chimney_conn *conn;
	u32 una;
	u64 seq;

	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	una = conn->tcb.snd_una;
	seq = cdev->seq;
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_SEND, 4, 100, 0);
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_DISCONNECT, 5, 50, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_nxt, una + 150 + 1);
	KUNIT_EXPECT_EQ(test, chimney_journal_notes(cdev, seq, notes, 4), 0U);
	chimney_tcp_test_ack(test, conn, una + 150 + 1, 0);
	KUNIT_EXPECT_EQ(test, chimney_journal_notes(cdev, seq, notes, 4), 2U);
	chimney_tcp_test_note(test, seq, CHIMNEY_CMD_SEND_COMPLETE, 4,
			      CHIMNEY_NDIS_STATUS_SUCCESS);
	chimney_tcp_test_note(test, seq + 1, CHIMNEY_CMD_DISCONNECT_COMPLETE, 5,
			      CHIMNEY_NDIS_STATUS_SUCCESS);
}

/*
 * R79: a disconnect fails only on a connection being uploaded
 * (UPLOAD_IN_PROGRESS) or reset (REQUEST_ABORTED).
 */
static void chimney_tcp_test_disconnect_fails(struct kunit *test)
{
	struct chimney_dev *cdev = chimney_tcp_test_cdev(test);
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn = chimney_tcp_test_conn(test, &tc);
	struct chimney_req *req;
	u64 seq;

	chimney_tcp_test_seg(test, conn, conn->tcb.rcv_nxt, TCPHDR_RST, 0);
	KUNIT_ASSERT_TRUE(test, test_bit(CHIMNEY_DP_RST, &conn->dp));
	seq = cdev->seq;
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_DISCONNECT, 5, 0, 0);
	chimney_tcp_test_note(test, seq, CHIMNEY_CMD_DISCONNECT_COMPLETE, 5,
			      CHIMNEY_NDIS_STATUS_REQUEST_ABORTED);

	tc.v6 = true;
	conn = chimney_tcp_test_conn(test, &tc);
	req = chimney_tcp_test_req(test, conn, CHIMNEY_CMD_INVALIDATE, true);
	chimney_test_process(test, req);
	KUNIT_ASSERT_TRUE(test, test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags));
	seq = cdev->seq;
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_DISCONNECT, 6, 0, 0);
	chimney_tcp_test_note(test, seq, CHIMNEY_CMD_DISCONNECT_COMPLETE, 6,
			      CHIMNEY_NDIS_STATUS_UPLOAD_IN_PROGRESS);
}

/*
 * R56: sends queued together (behind a zero window) go on the wire in the
 * order they were posted.
 */
static void chimney_tcp_test_send_order(struct kunit *test)
{
	struct chimney_tcp_test_conn tc = {};
	struct chimney_conn *conn;
	struct chimney_pkt pkt;
	struct sk_buff *skb;
	u32 got = 0;
	u8 *buf;

	buf = kunit_kzalloc(test, 200, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	chimney_test_wire(test);
	conn = chimney_tcp_test_conn(test, &tc);
	conn->tcb.snd_wnd = 0;
	conn->tcb.send_wl1 = conn->tcb.rcv_nxt;
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_SEND, 'A', 100, 0);
	chimney_tcp_test_post_io(test, conn, CHIMNEY_CMD_SEND, 'B', 100, 0);
	KUNIT_EXPECT_EQ(test, conn->tcb.snd_nxt, conn->tcb.snd_una);
	chimney_tcp_test_zero(test, conn, 65535);
	while (got < 200 && (skb = chimney_test_frame(test, &pkt))) {
		KUNIT_EXPECT_LE(test, got + pkt.seg.len, 200U);
		if (got + pkt.seg.len <= 200)
			KUNIT_EXPECT_EQ(test, skb_copy_bits(skb, pkt.doff, buf + got,
							    pkt.seg.len), 0);
		got += pkt.seg.len;
		kfree_skb(skb);
	}
	KUNIT_ASSERT_EQ(test, got, 200U);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 'A', 100));
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 100, 'B', 100));
}

static struct kunit_case chimney_tcp_test_cases[] = {
	KUNIT_CASE(chimney_tcp_test_segment_v4),
	KUNIT_CASE(chimney_tcp_test_segment_v6),
	KUNIT_CASE(chimney_tcp_test_segment_gso_v4),
	KUNIT_CASE(chimney_tcp_test_segment_gso_v6),
	KUNIT_CASE(chimney_tcp_test_fast_recovery),
	KUNIT_CASE(chimney_tcp_test_fin_recovery),
	KUNIT_CASE(chimney_tcp_test_vlan),
	KUNIT_CASE(chimney_tcp_test_seq_wrap),
	KUNIT_CASE(chimney_tcp_test_backlog),
	KUNIT_CASE(chimney_tcp_test_delayed_ack),
	KUNIT_CASE(chimney_tcp_test_dead_silent),
	KUNIT_CASE(chimney_tcp_test_push_timer),
	KUNIT_CASE(chimney_tcp_test_blind),
	KUNIT_CASE(chimney_tcp_test_urgent),
	KUNIT_CASE(chimney_tcp_test_indicate),
	KUNIT_CASE(chimney_tcp_test_forward),
	KUNIT_CASE(chimney_tcp_test_initiate_data),
	KUNIT_CASE(chimney_tcp_test_persist),
	KUNIT_CASE(chimney_tcp_test_query_now),
	KUNIT_CASE(chimney_tcp_test_update_restart),
	KUNIT_CASE(chimney_tcp_test_ka_restart),
	KUNIT_CASE(chimney_tcp_test_host_ticks),
	KUNIT_CASE(chimney_tcp_test_fin_no_wire),
	KUNIT_CASE(chimney_tcp_test_invalidated_silent),
	KUNIT_CASE(chimney_tcp_test_rewound),
	KUNIT_CASE(chimney_tcp_test_relink),
	KUNIT_CASE(chimney_tcp_test_rcv_buffer),
	KUNIT_CASE(chimney_tcp_test_update_failure),
	KUNIT_CASE(chimney_tcp_test_demux),
	KUNIT_CASE(chimney_tcp_test_rxq_bound),
	KUNIT_CASE(chimney_tcp_test_trickle),
	KUNIT_CASE(chimney_tcp_test_trickle_psh),
	KUNIT_CASE(chimney_tcp_test_recv_after_fin),
	KUNIT_CASE(chimney_tcp_test_disconnect_alone),
	KUNIT_CASE(chimney_tcp_test_disconnect_fails),
	KUNIT_CASE(chimney_tcp_test_send_order),
	{}
};

static struct kunit_suite chimney_tcp_test_suite = {
	.name = "chimney_datapath",
	.init = chimney_test_dev_init,
	.exit = chimney_test_dev_exit,
	.test_cases = chimney_tcp_test_cases,
};

kunit_test_suite(chimney_tcp_test_suite);
