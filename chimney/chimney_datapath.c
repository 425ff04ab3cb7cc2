// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the wire and the receive demultiplexer.
 *
 * A chimney device created with a peer is one end of a wire, as veth is:
 * what one end transmits, the other receives. Each end's receive path
 * looks every frame up, under RCU and without a lock, in the table of its
 * offloaded connections. Frames of an offloaded connection go to the TCP
 * engine (chimney_tcp.c), which runs them in process context under the
 * device's lock; everything else goes up to the host stack, including what
 * section 3.10 of the specification keeps from the target: IP fragments,
 * IPv4 options, IPv6 extension headers, ARP and ICMP. The ends have
 * veth's offloads, so a local peer stack's segments may come as one GSO
 * super-packet with its checksum left to compute: the engine takes its
 * payload whole, as after GRO. The engine's own segments are built here,
 * from the neighbor, the path and the TCP state, with their checksums.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kcov.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include <kunit/visibility.h>

#include "chimney.h"

static void chimney_parse_opts(const struct tcphdr *th, struct chimney_seg *seg)
{
	const u8 *p = (const u8 *)(th + 1);
	int left = th->doff * 4 - sizeof(*th);

	while (left > 0) {
		u8 kind = p[0], len;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			p++;
			left--;
			continue;
		}
		if (left < 2)
			break;
		len = p[1];
		if (len < 2 || len > left)
			break;
		if (kind == TCPOPT_TIMESTAMP && len == TCPOLEN_TIMESTAMP) {
			seg->has_ts = true;
			seg->tsval = get_unaligned_be32(p + 2);
			seg->tsecr = get_unaligned_be32(p + 6);
		}
		p += len;
		left -= len;
	}
}

/**
 * chimney_dp_parse() - parse a received frame
 * @skb: the frame; skb->data is its network header (after eth_type_trans)
 * @pkt: where its parts are
 *
 * The target may process TCP straight over IPv4 without options and not
 * fragmented, or over IPv6 without extension headers (section 3.10).
 *
 * Return: 0, or -1 for a frame the host stack keeps.
 */
VISIBLE_IF_KUNIT int chimney_dp_parse(struct sk_buff *skb, struct chimney_pkt *pkt)
{
	__be16 proto = skb->protocol;
	unsigned int off = 0, iplen;
	const struct tcphdr *th;
	bool v6;

	memset(&pkt->seg, 0, sizeof(pkt->seg));
	pkt->tagged = skb_vlan_tag_present(skb);
	pkt->vid = pkt->tagged ? skb_vlan_tag_get_id(skb) : 0;
	if (eth_type_vlan(proto) && !pkt->tagged) {
		const struct vlan_hdr *vh;

		if (!pskb_may_pull(skb, VLAN_HLEN))
			return -1;
		vh = (const struct vlan_hdr *)skb->data;
		pkt->tagged = true;
		pkt->vid = ntohs(vh->h_vlan_TCI) & VLAN_VID_MASK;
		proto = vh->h_vlan_encapsulated_proto;
		off = VLAN_HLEN;
	}
	if (proto == htons(ETH_P_IP)) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, off + sizeof(*iph)))
			return -1;
		iph = (const struct iphdr *)(skb->data + off);
		if (iph->version != 4 || iph->ihl != 5 || ip_is_fragment(iph) ||
		    iph->protocol != IPPROTO_TCP)
			return -1;
		iplen = ntohs(iph->tot_len);
		if (iplen < sizeof(*iph) + sizeof(*th) || off + iplen > skb->len)
			return -1;
		chimney_flow_key_init(&pkt->key, false,
				      (const struct in6_addr *)&iph->daddr,
				      (const struct in6_addr *)&iph->saddr, 0, 0);
		pkt->thoff = off + sizeof(*iph);
		iplen -= sizeof(*iph);
		v6 = false;
	} else if (proto == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h;

		if (!pskb_may_pull(skb, off + sizeof(*ip6h)))
			return -1;
		ip6h = (const struct ipv6hdr *)(skb->data + off);
		if (ip6h->nexthdr != IPPROTO_TCP)
			return -1;
		iplen = ntohs(ip6h->payload_len);
		if (iplen < sizeof(*th) || off + sizeof(*ip6h) + iplen > skb->len)
			return -1;
		chimney_flow_key_init(&pkt->key, true, &ip6h->daddr, &ip6h->saddr, 0, 0);
		pkt->thoff = off + sizeof(*ip6h);
		v6 = true;
	} else {
		return -1;
	}
	if (!pskb_may_pull(skb, pkt->thoff + sizeof(*th)))
		return -1;
	th = (const struct tcphdr *)(skb->data + pkt->thoff);
	if (th->doff < 5 || th->doff * 4 > iplen ||
	    !pskb_may_pull(skb, pkt->thoff + th->doff * 4))
		return -1;
	th = (const struct tcphdr *)(skb->data + pkt->thoff);
	pkt->key.lport = th->dest;
	pkt->key.rport = th->source;
	pkt->key.v6 = v6;
	pkt->doff = pkt->thoff + th->doff * 4;
	pkt->seg.seq = ntohl(th->seq);
	pkt->seg.ack = ntohl(th->ack_seq);
	pkt->seg.win = ntohs(th->window);
	pkt->seg.flags = tcp_flag_byte(th);
	pkt->seg.len = iplen - th->doff * 4;
	chimney_parse_opts(th, &pkt->seg);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dp_parse);

/**
 * chimney_dp_csum_ok() - the TCP checksum of a parsed frame
 * @skb: the frame
 * @pkt: its parts
 *
 * Return: true when the checksum is right, or the frame's sender (a local
 * stack) left it to be computed.
 */
VISIBLE_IF_KUNIT bool chimney_dp_csum_ok(struct sk_buff *skb, const struct chimney_pkt *pkt)
{
	unsigned int len = pkt->doff - pkt->thoff + pkt->seg.len;
	__wsum csum;

	if (skb_csum_unnecessary(skb))
		return true;
	csum = skb_checksum(skb, pkt->thoff, len, 0);
	if (!pkt->key.v6)
		return !csum_tcpudp_magic(pkt->key.remote.s6_addr32[0],
					  pkt->key.local.s6_addr32[0], len,
					  IPPROTO_TCP, csum);
	return !csum_ipv6_magic(&pkt->key.remote, &pkt->key.local, len,
				IPPROTO_TCP, csum);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dp_csum_ok);

/* R63: a neighbor with VLAN 0 takes any tag or none, else only its own. */
static bool chimney_vlan_ok(const struct chimney_dev *cdev, const struct chimney_conn *conn,
			    const struct chimney_pkt *pkt)
{
	const struct chimney_neigh *neigh = chimney_conn_neigh(cdev, conn);
	u16 vid = neigh ? neigh->st.vlan_id : 0;

	return !vid || (pkt->tagged && pkt->vid == vid);
}

/* One received frame of an offloaded connection, under the lock. */
static void chimney_dp_input(struct chimney_dev *cdev, struct sk_buff *skb)
{
	struct chimney_conn *conn;
	struct chimney_pkt pkt;
	unsigned int segs;
	int v;

	conn = chimney_dp_parse(skb, &pkt) ? NULL : chimney_flow_lookup(cdev, &pkt.key);
	if (!conn || !chimney_vlan_ok(cdev, conn, &pkt) ||
	    ((pkt.seg.flags & TCPHDR_SYN) &&
	     conn->tcb.state == CHIMNEY_TCP_CONNECTION_TIME_WAIT)) {
		/*
		 * Terminated meanwhile (R48), not the target's after all, or
		 * a SYN on TIME_WAIT, which the host handles (R75).
		 */
		netif_rx(skb);
		return;
	}
	v = pkt.key.v6;
	/* A GSO super-packet from a local peer stack is that many segments. */
	segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs ?: 1 : 1;
	chimney_stat_add(cdev, &cdev->ostats.ip[v][CHIMNEY_IP_IN_RECEIVES], segs);
	chimney_stat_add(cdev, &cdev->ostats.ip[v][CHIMNEY_IP_IN_OCTETS], skb->len);
	if (!chimney_dp_csum_ok(skb, &pkt)) {
		chimney_stat_add(cdev, &cdev->ostats.tcp[v][CHIMNEY_TCP_IN_ERRORS], segs);
		kfree_skb(skb);
		return;
	}
	chimney_stat_add(cdev, &cdev->ostats.ip[v][CHIMNEY_IP_IN_DELIVERS], segs);
	chimney_stat_add(cdev, &cdev->ostats.tcp[v][CHIMNEY_TCP_IN_SEGMENTS], segs);
	/* The engine keeps the payload only. */
	__skb_pull(skb, pkt.doff);
	if (pskb_trim(skb, pkt.seg.len)) {
		kfree_skb(skb);
		return;
	}
	chimney_tcp_input(cdev, conn, skb, &pkt.seg);
}

/**
 * chimney_dp_forward() - MiniportTcpOffloadForward (R81)
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @io_id: the host's id of the request
 * @data: the segment, from its TCP header on; the host checked its checksum
 * @len: its length
 * @extack: why it is rejected
 *
 * The segment is processed as if it came from the wire, then completes:
 * SUCCESS; UPLOAD_IN_PROGRESS, not processed, while the connection is being
 * uploaded (and a SYN on TIME_WAIT, R75), for the host to process; or
 * REQUEST_ABORTED, not processed, once the connection was reset (decision 5).
 *
 * Return: 0 with the completion sent; -EINVAL or -ENOMEM with nothing done.
 */
int chimney_dp_forward(struct chimney_dev *cdev, struct chimney_conn *conn, u64 io_id,
		       const void *data, u32 len, struct netlink_ext_ack *extack)
{
	const struct tcphdr *th = data;
	struct chimney_seg seg = {};
	u32 status, hlen;
	struct sk_buff *skb;

	lockdep_assert_held(&cdev->lock);
	if (len < sizeof(*th) || th->doff < 5 || th->doff * 4 > len) {
		NL_SET_ERR_MSG(extack, "Not a TCP segment: its header does not fit");
		return -EINVAL;
	}
	if (ntohs(th->dest) != conn->st.c.local_port ||
	    ntohs(th->source) != conn->st.c.remote_port) {
		NL_SET_ERR_MSG(extack, "The segment's ports are not the connection's");
		return -EINVAL;
	}
	status = chimney_conn_io_status(cdev, conn);
	if (!status && th->syn && conn->tcb.state == CHIMNEY_TCP_CONNECTION_TIME_WAIT)
		status = CHIMNEY_NDIS_STATUS_UPLOAD_IN_PROGRESS;
	if (!status) {
		hlen = th->doff * 4;
		skb = alloc_skb(len - hlen, GFP_KERNEL);
		if (!skb)
			return -ENOMEM;
		skb_put_data(skb, data + hlen, len - hlen);
		seg.seq = ntohl(th->seq);
		seg.ack = ntohl(th->ack_seq);
		seg.win = ntohs(th->window);
		seg.flags = tcp_flag_byte(th);
		seg.len = len - hlen;
		chimney_parse_opts(th, &seg);
		chimney_stat_add(cdev, &cdev->ostats.tcp[chimney_conn_v6(cdev, conn)]
					[CHIMNEY_TCP_IN_SEGMENTS], 1);
		chimney_tcp_input(cdev, conn, skb, &seg);
	}
	chimney_notify_io(cdev, &conn->obj, CHIMNEY_CMD_FORWARD_COMPLETE, io_id,
			  status ?: CHIMNEY_NDIS_STATUS_SUCCESS, status ? 0 : len, NULL);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dp_forward);

/*
 * The TCP engine: received segments and fired timers, in process context
 * under the device's lock, so that it completes requests and indicates
 * events the way the control plane does.
 */
/*
 * 20,000 connections' timers may fire at once: a reschedule point at every
 * step, the lock let go every 1024 (chimney_walk_resched()). While it was
 * let go, ndo_uninit may have begun to free the state; the device's
 * teardown then purges what is left (chimney_dp_destroy()).
 */
static bool chimney_dp_yield(struct chimney_dev *cdev, unsigned int *n)
{
	chimney_walk_resched(cdev, n);
	return !chimney_dev_dead(cdev);
}

static void chimney_dp_work(struct work_struct *work)
{
	struct chimney_dev *cdev = container_of(work, struct chimney_dev, dp_work);
	struct chimney_tcp_ext *x;
	struct sk_buff_head q;
	struct sk_buff *skb;
	unsigned int n = 0;

	/* Its teardown purges what is left. */
	if (!chimney_dev_hold_live(cdev))
		return;
	__skb_queue_head_init(&q);
	kcov_remote_start_common(cdev->kcov_handle);
	mutex_lock(&cdev->lock);
	/* The teardown may have taken the lock first. */
	if (chimney_dev_dead(cdev))
		goto out;
	spin_lock_bh(&cdev->dp_lock);
	while ((x = list_first_entry_or_null(&cdev->dp_fired, struct chimney_tcp_ext,
					     fired))) {
		list_del_init(&x->fired);
		spin_unlock_bh(&cdev->dp_lock);
		chimney_tcp_timer_run(cdev, x->conn);
		if (!chimney_dp_yield(cdev, &n))
			goto out;
		spin_lock_bh(&cdev->dp_lock);
	}
	spin_unlock_bh(&cdev->dp_lock);

	spin_lock_bh(&cdev->dp_rxq.lock);
	skb_queue_splice_tail_init(&cdev->dp_rxq, &q);
	spin_unlock_bh(&cdev->dp_rxq.lock);
	while ((skb = __skb_dequeue(&q))) {
		chimney_dp_input(cdev, skb);
		if (!chimney_dp_yield(cdev, &n))
			break;
	}
out:
	mutex_unlock(&cdev->lock);
	__skb_queue_purge(&q);
	kcov_remote_stop();
	dev_put(cdev->netdev);
}

/**
 * chimney_dp_init() - the data path of a new device
 * @cdev: the device
 */
void chimney_dp_init(struct chimney_dev *cdev)
{
	skb_queue_head_init(&cdev->dp_rxq);
	spin_lock_init(&cdev->dp_lock);
	INIT_LIST_HEAD(&cdev->dp_fired);
	INIT_WORK(&cdev->dp_work, chimney_dp_work);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dp_init);

/**
 * chimney_dp_destroy() - stop the data path of a device going away
 * @cdev: the device, closed, with its connections gone
 */
void chimney_dp_destroy(struct chimney_dev *cdev)
{
	cancel_work_sync(&cdev->dp_work);
	skb_queue_purge(&cdev->dp_rxq);
}

/**
 * chimney_dp_rx() - a frame arrives from the wire
 * @cdev: the receiving end
 * @skb: the frame, from its Ethernet header on
 *
 * Called with BHs off, under RCU. The lookup takes no lock: frames of an
 * offloaded connection are queued for the engine, the rest go up the host
 * stack of the receiving end's namespace.
 */
void chimney_dp_rx(struct chimney_dev *cdev, struct sk_buff *skb)
{
	struct chimney_pkt pkt;

	if (__dev_forward_skb(cdev->netdev, skb) != NET_RX_SUCCESS)
		return;
	if (!chimney_dp_parse(skb, &pkt) && chimney_flow_lookup(cdev, &pkt.key)) {
		/*
		 * A backlog as a NIC's ring has one: the peer can send
		 * faster than the engine takes, and nobody's memory is
		 * charged for what waits here.
		 */
		if (skb_queue_len_lockless(&cdev->dp_rxq) >= CHIMNEY_DP_RXQ_MAX) {
			dev_core_stats_rx_dropped_inc(cdev->netdev);
			kfree_skb(skb);
			return;
		}
		/* The target keeps it: the sender's socket is not charged. */
		skb_orphan(skb);
		skb_queue_tail(&cdev->dp_rxq, skb);
		queue_work(system_wq, &cdev->dp_work);
		return;
	}
	netif_rx(skb);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dp_rx);

/**
 * chimney_dp_xmit() - put a frame on the wire
 * @cdev: the sending end
 * @skb: the frame, from its Ethernet header on
 *
 * Return: 0; -ENOLINK with the frame dropped when there is no peer or the
 * device is down; -EINVAL with it dropped when it is shorter than an
 * Ethernet header.
 */
int chimney_dp_xmit(struct chimney_dev *cdev, struct sk_buff *skb)
{
	struct net_device *peer;
	int err = 0;

	/*
	 * A frame from the stack need not have its Ethernet header in the
	 * linear area (act_mirred can hand over one that has not: veth
	 * learned it), and the receiving end reads it there.
	 */
	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		kfree_skb(skb);
		return -EINVAL;
	}
	rcu_read_lock();
	peer = rcu_dereference(cdev->peer);
	if (peer && netif_running(cdev->netdev)) {
		local_bh_disable();
		chimney_dp_rx(netdev_priv(peer), skb);
		local_bh_enable();
	} else {
		kfree_skb(skb);
		err = -ENOLINK;
	}
	rcu_read_unlock();
	return err;
}

/* The TCP header of an engine's segment, with the timestamp option. */
static void chimney_build_tcp(const struct chimney_dev *cdev, struct chimney_conn *conn,
			      struct tcphdr *th, u32 seq, u8 tcp_flags, bool ts)
{
	const struct chimney_tcp_state *st = &conn->st;
	u32 win = conn->tcb.rcv_wnd;

	if (st->c.flags & CHIMNEY_TCP_FLAG_WINDOW_SCALING_ENABLED)
		win >>= st->c.rcv_wind_scale;
	memset(th, 0, sizeof(*th));
	th->source = htons(st->c.local_port);
	th->dest = htons(st->c.remote_port);
	th->seq = htonl(seq);
	th->ack_seq = htonl(conn->tcb.rcv_nxt);
	th->doff = (sizeof(*th) + (ts ? TCPOLEN_TSTAMP_ALIGNED : 0)) / 4;
	tcp_flag_byte(th) = tcp_flags;
	th->window = htons(min_t(u32, win, U16_MAX));
	if (ts) {
		__be32 *opt = (__be32 *)(th + 1);

		*opt++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
			       (TCPOPT_TIMESTAMP << 8) | TCPOLEN_TIMESTAMP);
		*opt++ = htonl(chimney_ticks_now(cdev) + conn->ts_delta);
		*opt = htonl(conn->tcb.ts_recent);
	}
}

/* A linear frame: headroom for hlen bytes of headers, then the payload. */
static struct sk_buff *chimney_dp_alloc(struct chimney_conn *conn, u32 seq,
					unsigned int hlen, u32 len)
{
	struct sk_buff *skb;

	skb = alloc_skb(NET_IP_ALIGN + ETH_HLEN + hlen + len, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN + ETH_HLEN + hlen);
	if (len)
		chimney_tcp_copy_send(conn, seq - conn->tcb.snd_una, skb_put(skb, len), len);
	return skb;
}

/* Headroom for the headers, the payload in pages. */
static struct sk_buff *chimney_dp_alloc_gso(struct chimney_conn *conn, u32 seq,
					    unsigned int hlen, u32 len)
{
	u32 off = seq - conn->tcb.snd_una;
	struct sk_buff *skb;
	int err, i;

	skb = alloc_skb_with_frags(NET_IP_ALIGN + ETH_HLEN + hlen, len, 0, &err, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN + ETH_HLEN + hlen);
	skb->data_len = len;
	skb->len = len;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		off += chimney_tcp_copy_send(conn, off, skb_frag_address(frag),
					     skb_frag_size(frag));
	}
	return skb;
}

/**
 * chimney_dp_max_payload() - the most payload of one frame of a connection
 * @mss: the connection's MSS
 *
 * Several segments go out as one GSO frame, as a TOE NIC segments on the
 * wire and as veth carries the kernel's TCP: whole segments up to what one
 * IP datagram's 16-bit length holds, and no more pages than an skb takes.
 *
 * Return: a multiple of @mss, at least @mss.
 */
u32 chimney_dp_max_payload(u32 mss)
{
	u32 limit = min_t(u32, U16_MAX - sizeof(struct ipv6hdr) - sizeof(struct tcphdr) -
			  TCPOLEN_TSTAMP_ALIGNED, MAX_SKB_FRAGS * PAGE_SIZE);

	return max(rounddown(limit, mss), mss);
}

/**
 * chimney_dp_build() - build one segment of a connection
 * @cdev: the device; its lock must be held
 * @conn: the connection, with its path and neighbor
 * @seq: its sequence number
 * @tcp_flags: TCPHDR_* flags
 * @len: payload bytes, copied from the send queue at @seq; more than one
 *	MSS makes a GSO frame of that many segments (chimney_dp_max_payload())
 *
 * The frame is built as section 3.6 says: IPv4 with DF and an IP ID from
 * the upper half (R61), the neighbor's VLAN and priority (R62), the path's
 * addresses, the TCP state's ports, window and timestamps.
 *
 * Return: the frame, from its Ethernet header on, or an ERR_PTR: -ENOMEM,
 * or -ENOLINK for a connection without its path and neighbor.
 */
VISIBLE_IF_KUNIT struct sk_buff *chimney_dp_build(struct chimney_dev *cdev,
						  struct chimney_conn *conn,
						  u32 seq, u8 tcp_flags, u32 len)
{
	const struct chimney_obj *pobj = chimney_obj_parent(cdev, &conn->obj);
	const struct chimney_neigh *neigh = chimney_conn_neigh(cdev, conn);
	const struct chimney_tcp_state *st = &conn->st;
	const struct chimney_neigh_state *ns;
	const struct chimney_path_state *ps;
	unsigned int thlen, iplen;
	struct sk_buff *skb;
	u32 mss, segs;
	struct tcphdr *th;
	struct ethhdr *eth;
	bool ts, v6;
	__wsum csum;

	lockdep_assert_held(&cdev->lock);
	if (!neigh)
		return ERR_PTR(-ENOLINK);
	ps = &container_of(pobj, struct chimney_path, obj)->st;
	ns = &neigh->st;
	v6 = pobj->type == CHIMNEY_IP6_OFFLOAD_STATE;
	ts = st->c.flags & CHIMNEY_TCP_FLAG_TIMESTAMP_ENABLED;
	thlen = sizeof(*th) + (ts ? TCPOLEN_TSTAMP_ALIGNED : 0);
	iplen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);

	mss = chimney_tcp_mss(cdev, conn);
	segs = len > mss ? DIV_ROUND_UP(len, mss) : 1;
	skb = segs > 1 ? chimney_dp_alloc_gso(conn, seq, iplen + thlen, len) :
			 chimney_dp_alloc(conn, seq, iplen + thlen, len);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	th = skb_push(skb, thlen);
	skb_reset_transport_header(skb);
	chimney_build_tcp(cdev, conn, th, seq, tcp_flags, ts);
	if (segs > 1) {
		/* The receiver, or the segmentation, sums it (as veth's frames). */
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
		skb_shinfo(skb)->gso_size = mss;
		skb_shinfo(skb)->gso_segs = segs;
		skb_shinfo(skb)->gso_type = v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
		csum = 0;
	} else {
		csum = csum_partial(th, thlen + len, 0);
	}
	if (v6) {
		struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

		th->check = csum_ipv6_magic(&ps->source_address, &ps->destination_address,
					    thlen + len, IPPROTO_TCP, csum);
		if (segs > 1)
			th->check = ~th->check;
		ip6_flow_hdr(ip6h, st->ca.tos_or_traffic_class,
			     htonl(st->ca.flow_label) & IPV6_FLOWLABEL_MASK);
		ip6h->payload_len = htons(thlen + len);
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->hop_limit = st->ca.ttl_or_hop_limit ?: 64;
		ip6h->saddr = ps->source_address;
		ip6h->daddr = ps->destination_address;
		skb->protocol = htons(ETH_P_IPV6);
	} else {
		struct iphdr *iph = skb_push(skb, sizeof(*iph));

		th->check = tcp_v4_check(thlen + len, ps->source_address.s6_addr32[0],
					 ps->destination_address.s6_addr32[0], csum);
		if (segs > 1)
			th->check = ~th->check;
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = st->ca.tos_or_traffic_class;
		iph->tot_len = htons(iplen + thlen + len);
		/* Segmentation numbers the segments on: all in the upper half. */
		if ((cdev->ip_id & 0x7fff) + segs > 0x8000)
			cdev->ip_id = 0;
		iph->id = htons(0x8000 | cdev->ip_id);
		cdev->ip_id += segs;
		iph->frag_off = htons(IP_DF);
		iph->ttl = st->ca.ttl_or_hop_limit ?: 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = ps->source_address.s6_addr32[0];
		iph->daddr = ps->destination_address.s6_addr32[0];
		ip_send_check(iph);
		skb->protocol = htons(ETH_P_IP);
	}
	skb_reset_network_header(skb);
	skb->dev = cdev->netdev;
	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, ns->dl_destination_address);
	ether_addr_copy(eth->h_source, cdev->netdev->dev_addr);
	eth->h_proto = skb->protocol;
	if (ns->vlan_id || st->ca.user_priority)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
				       ns->vlan_id | (st->ca.user_priority << VLAN_PRIO_SHIFT));

	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_dp_build);

/**
 * chimney_dp_send_segment() - build one segment of a connection and send it
 * @cdev: the device; its lock must be held
 * @conn: the connection, with its path and neighbor
 * @seq: its sequence number
 * @tcp_flags: TCPHDR_* flags
 * @len: payload bytes, copied from the send queue at @seq
 *
 * Counted in the IP and TCP offload counters of section 2.10. A neighbor
 * stale on both counts is indicated first (R91).
 *
 * Return: 0, -ENOMEM, or -ENOLINK when there is no wire.
 */
int chimney_dp_send_segment(struct chimney_dev *cdev, struct chimney_conn *conn,
			    u32 seq, u8 tcp_flags, u32 len)
{
	struct chimney_neigh *neigh = chimney_conn_neigh(cdev, conn);
	int v = chimney_conn_v6(cdev, conn);
	unsigned int bytes, segs;
	struct sk_buff *skb;

	/*
	 * A device going away has no wire: its teardown may complete I/O
	 * after the core freed its addresses.
	 */
	if (chimney_dev_dead(cdev))
		return -ENOLINK;
	/* R91: before any IP datagram, a stale neighbor is asked about. */
	if (neigh)
		chimney_neigh_before_send(cdev, neigh);
	skb = chimney_dp_build(cdev, conn, seq, tcp_flags, len);
	if (IS_ERR(skb)) {
		chimney_stat_add(cdev, &cdev->ostats.ip[v][CHIMNEY_IP_OUT_DISCARDS], 1);
		return PTR_ERR(skb);
	}
	/* A GSO frame counts as the datagrams it stands for, headers and all. */
	segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
	bytes = skb->len - ETH_HLEN + (segs - 1) * (skb_transport_offset(skb) -
						    skb_network_offset(skb) + tcp_hdrlen(skb));
	chimney_stat_add(cdev, &cdev->ostats.ip[v][CHIMNEY_IP_OUT_REQUESTS], segs);
	chimney_stat_add(cdev, &cdev->ostats.ip[v][CHIMNEY_IP_OUT_OCTETS], bytes);
	chimney_stat_add(cdev, &cdev->ostats.tcp[v][CHIMNEY_TCP_OUT_SEGMENTS], segs);
	if (tcp_flags & TCPHDR_RST)
		chimney_stat_add(cdev, &cdev->ostats.tcp[v][CHIMNEY_TCP_OUT_RESETS], 1);
	if (cdev->tx_drop_every && (len || (tcp_flags & TCPHDR_FIN)) &&
	    ++cdev->tx_frames >= cdev->tx_drop_every) {
		/* Fault injection: lost on the wire, after it was sent. */
		cdev->tx_frames = 0;
		WRITE_ONCE(cdev->tx_dropped, cdev->tx_dropped + 1);
		kfree_skb(skb);
		return 0;
	}
	if (chimney_dp_xmit(cdev, skb)) {
		chimney_stat_add(cdev, &cdev->ostats.ip[v][CHIMNEY_IP_OUT_NO_ROUTES], 1);
		return -ENOLINK;
	}
	return 0;
}
