// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the TCP engine of offloaded connections.
 *
 * It starts from the const, cached and delegated state the host offloaded
 * and keeps the delegated variables current, so that a query or terminate
 * returns them as they are. It runs under the device's lock: from a netlink
 * request that posts a send or receive, or from the data path's work item
 * with received segments and fired timers.
 *
 * Sending: send requests are queued in posting order (R56); the bytes from
 * SndUna on are the unacknowledged and unsent ones, segmented by the
 * effective MSS within the peer's window and the congestion window. A send
 * request completes with SUCCESS once all its bytes are acknowledged
 * (R57). Retransmission follows RFC 6298 with TcpMaximumRetransmissions as
 * the limit (then TcpIndicateRetrieve(TimeoutExpiration)), and a fast
 * retransmit on TcpDuplicateAckThreshold duplicate ACKs.
 *
 * Receiving: segments in sequence within the window are kept until receive
 * requests take them, FIFO (R64); a request completes when full, or on a
 * PSH in push mode (R65). With none posted they are indicated
 * (chimney_indicate.c). Out-of-order segments are dropped with a
 * duplicate ACK. A FIN is indicated (TcpIndicateDisconnect) once the data
 * before it has been taken (R82); an acceptable RST (seq == RcvNxt) aborts
 * the sends and is indicated (TcpIndicateAbort, R83); others get a
 * challenge ACK or are dropped (4.7).
 */
#include <linux/sched/mm.h>
#include <linux/tcp.h>
#include <net/tcp.h>
#include <kunit/visibility.h>

#include "chimney.h"
#include "chimney_trace.h"

/* RFC 6298 with Linux's floor, and the ceiling of both. */
#define CHIMNEY_RTO_MIN_MS	200
#define CHIMNEY_RTO_MAX_MS	60000
#define CHIMNEY_RTO_INIT_MS	1000

/* Keepalive when the host gives 0 (4.7): 2 hours idle, 10 probes 1 s apart. */
#define CHIMNEY_KA_TIMEOUT_MS	7200000
#define CHIMNEY_KA_INTERVAL_MS	1000
#define CHIMNEY_KA_PROBES	10

/* A challenge ACK at most this often (4.7: one per 3 s for SYNs). */
#define CHIMNEY_CHALLENGE_MS	3000

/* TcpIndicateSendBacklogChange at most this often (R88). */
#define CHIMNEY_BACKLOG_MIN_MS	500

/* The congestion window never passes the largest send window. */
#define CHIMNEY_TCP_MAX_CWND	(65535U << 14)

/**
 * chimney_tcp_now() - the target's clock for its own intervals
 *
 * The timestamp clock runs in the host's ticks (chimney_ticks_now(), 4.6).
 *
 * Return: milliseconds, modulo 2^32.
 */
u32 chimney_tcp_now(void)
{
	return (u32)ktime_to_ms(ktime_get());
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_now);

/**
 * chimney_tcp_mss() - the most payload of a segment
 * @cdev: the device; call under RCU or its lock
 * @conn: the connection
 *
 * Return: RemoteMss within the path MTU, less the timestamp option.
 */
u32 chimney_tcp_mss(const struct chimney_dev *cdev, const struct chimney_conn *conn)
{
	const struct chimney_obj *pobj = chimney_obj_parent(cdev, &conn->obj);
	int hdr = chimney_conn_v6(cdev, conn) ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	u32 mtu = pobj ? container_of(pobj, struct chimney_path, obj)->st.path_mtu : 576;
	int mss = conn->st.c.remote_mss ?: 536;

	/*
	 * Signed, so that no path MTU makes it wrap into a segment larger
	 * than any path; parsing bounds the MTU (IPv4 68, IPv6 1280) anyway.
	 */
	mss = min_t(int, mss, (int)min_t(u32, mtu, IP_MAX_MTU) - hdr - (int)sizeof(struct tcphdr));
	if (conn->st.c.flags & CHIMNEY_TCP_FLAG_TIMESTAMP_ENABLED)
		mss -= TCPOLEN_TSTAMP_ALIGNED;
	return clamp(mss, 64, (int)IP_MAX_MTU);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_mss);

static void chimney_tcp_count_rexmit(struct chimney_dev *cdev,
				     const struct chimney_conn *conn, u32 segs)
{
	int v = chimney_conn_v6(cdev, conn);

	chimney_stat_add(cdev, &cdev->ostats.tcp[v][CHIMNEY_TCP_RETRANSMITTED_SEGMENTS], segs);
}

/* The one timer_list fires at the earliest timer that runs. */
static void chimney_tcp_timers_update(struct chimney_conn *conn)
{
	struct chimney_tcp_ext *x = conn->x;
	unsigned long first = 0;
	int t;

	for (t = 0; t < CHIMNEY_TIMERS; t++)
		if (x->due[t] && (!first || time_before(x->due[t], first)))
			first = x->due[t];
	if (first)
		mod_timer(&x->timer, first);
	else
		del_timer(&x->timer);
}

/**
 * chimney_tcp_set_timer() - start or restart one of a connection's timers
 * @conn: the connection, with its engine state
 * @t: &enum chimney_tcp_timer_id
 * @ms: when it expires
 */
void chimney_tcp_set_timer(struct chimney_conn *conn, int t, u32 ms)
{
	conn->x->due[t] = (jiffies + msecs_to_jiffies(ms)) ?: 1;
	chimney_tcp_timers_update(conn);
}

/**
 * chimney_tcp_stop_timer() - stop one of a connection's timers
 * @conn: the connection, with its engine state
 * @t: &enum chimney_tcp_timer_id
 */
void chimney_tcp_stop_timer(struct chimney_conn *conn, int t)
{
	if (!conn->x->due[t])
		return;
	conn->x->due[t] = 0;
	chimney_tcp_timers_update(conn);
}

static void chimney_tcp_stop_timers(struct chimney_conn *conn)
{
	memset(conn->x->due, 0, sizeof(conn->x->due));
	del_timer(&conn->x->timer);
}

/* Milliseconds until timer t expires (at least 1), or U32_MAX (R49). */
static u32 chimney_tcp_timer_delta(const struct chimney_conn *conn, int t)
{
	if (!conn->x || !conn->x->due[t])
		return U32_MAX;
	return jiffies_to_msecs(max_t(long, conn->x->due[t] - jiffies, 1));
}

static void chimney_tcp_arm(struct chimney_conn *conn, u32 ms)
{
	chimney_tcp_set_timer(conn, CHIMNEY_T_RTX, ms);
}

static bool chimney_tcp_armed(const struct chimney_conn *conn)
{
	return conn->x->due[CHIMNEY_T_RTX];
}

/* RTO << shift, at most CHIMNEY_RTO_MAX_MS (4.5). */
static u32 chimney_tcp_backoff(const struct chimney_conn *conn, u32 shift)
{
	if (shift >= 16)
		return CHIMNEY_RTO_MAX_MS;
	return min(conn->x->rto << shift, (u32)CHIMNEY_RTO_MAX_MS);
}

static void chimney_tcp_set_state(struct chimney_dev *cdev,
				  struct chimney_conn *conn, u8 state)
{
	trace_chimney_tcp_state(cdev, &conn->obj, conn->tcb.state, state);
	chimney_stats_conn(cdev, &conn->obj, -1);
	conn->tcb.state = state;
	chimney_stats_conn(cdev, &conn->obj, 1);
	if (!conn->x)
		return;
	/* R89: FIN_WAIT_2 does not last for ever. */
	if (state == CHIMNEY_TCP_CONNECTION_FIN_WAIT2)
		chimney_tcp_set_timer(conn, CHIMNEY_T_FW2, READ_ONCE(cdev->fin_wait2_ms));
	else
		chimney_tcp_stop_timer(conn, CHIMNEY_T_FW2);
}

/*
 * The engine works on &chimney_conn.tcb under the device's lock, and may
 * sleep there (notifications); readers under RCU see the delegated state
 * published whole at the end of each of its runs.
 *
 * The engine counts time in milliseconds, the host in its ticks
 * (TicksPerSecond), with SRtt times 8 and RttVar times 4 (decision 14).
 * TsRecentAge is the time TsRecent came to the engine, and its age to
 * the host.
 * A time that is not 0 stays so across units, and -1 (a timer not
 * running, R49) stays -1.
 */
static u32 chimney_tcp_ms(const struct chimney_dev *cdev, u32 ticks, u32 scale)
{
	if (!ticks || ticks == U32_MAX)
		return ticks;
	return clamp(chimney_ticks_to_ms(cdev, ticks) / scale, 1U, U32_MAX - 1);
}

static u32 chimney_tcp_ticks(const struct chimney_dev *cdev, u32 ms, u32 scale)
{
	if (!ms || ms == U32_MAX)
		return ms;
	return clamp(chimney_ms_to_ticks(cdev, min_t(u64, (u64)ms * scale, U32_MAX)), 1U,
		     U32_MAX - 1);
}

/* The host's delegated times, as the engine counts them. */
static void chimney_tcp_from_host(const struct chimney_dev *cdev, struct chimney_tcp_delegated *d)
{
	d->ts_recent_age = chimney_tcp_now() - chimney_ticks_to_ms(cdev, d->ts_recent_age);
	d->srtt = min_t(u32, chimney_tcp_ms(cdev, d->srtt, 8), U16_MAX);
	d->rtt_var = min_t(u32, chimney_tcp_ms(cdev, d->rtt_var, 4), U16_MAX);
	d->total_rt = chimney_tcp_ms(cdev, d->total_rt, 1);
	d->keepalive_timeout_delta = chimney_tcp_ms(cdev, d->keepalive_timeout_delta, 1);
	d->retransmit_timeout_delta = chimney_tcp_ms(cdev, d->retransmit_timeout_delta, 1);
}

static void chimney_tcp_to_host(const struct chimney_dev *cdev, struct chimney_tcp_delegated *d)
{
	d->ts_recent_age = chimney_ms_to_ticks(cdev, chimney_tcp_now() - d->ts_recent_age);
	d->srtt = min_t(u32, chimney_tcp_ticks(cdev, d->srtt, 8), U16_MAX);
	d->rtt_var = min_t(u32, chimney_tcp_ticks(cdev, d->rtt_var, 4), U16_MAX);
	d->total_rt = chimney_tcp_ticks(cdev, d->total_rt, 1);
	d->keepalive_timeout_delta = chimney_tcp_ticks(cdev, d->keepalive_timeout_delta, 1);
	d->retransmit_timeout_delta = chimney_tcp_ticks(cdev, d->retransmit_timeout_delta, 1);
}

/*
 * TsTime is NicTime + NicDelta (R50), and each TimeoutDelta what is left
 * of its timer, or -1 for one not running, never 0 (R49). FIN_WAIT_2 is
 * carried in Retransmit.TimeoutDelta (4.4).
 */
static void chimney_tcp_times_now(const struct chimney_dev *cdev, const struct chimney_conn *conn,
				  struct chimney_tcp_delegated *d)
{
	d->ts_time = chimney_ticks_now(cdev) + conn->ts_delta;
	d->retransmit_timeout_delta = chimney_tcp_timer_delta(conn, CHIMNEY_T_RTX);
	d->keepalive_timeout_delta = chimney_tcp_timer_delta(conn, CHIMNEY_T_KA);
	if (d->retransmit_timeout_delta == U32_MAX)
		d->retransmit_timeout_delta = chimney_tcp_timer_delta(conn, CHIMNEY_T_FW2);
}

/**
 * chimney_tcp_state_now() - the delegated state as the host takes it now
 * @cdev: the device
 * @conn: the connection; the device's lock must be held
 * @d: written with its delegated state
 *
 * What a query or terminate hands back is the state at that moment, with
 * its times brought to now and in the host's units.
 */
void chimney_tcp_state_now(const struct chimney_dev *cdev, const struct chimney_conn *conn,
			   struct chimney_tcp_delegated *d)
{
	*d = conn->tcb;
	chimney_tcp_times_now(cdev, conn, d);
	chimney_tcp_to_host(cdev, d);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_state_now);

static void chimney_tcp_publish(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	chimney_tcp_times_now(cdev, conn, &conn->tcb);
	chimney_obj_write_begin(cdev, &conn->obj);
	conn->st.d = conn->tcb;
	chimney_tcp_to_host(cdev, &conn->st.d);
	chimney_obj_write_end(&conn->obj);
}

static void chimney_tcp_event(struct chimney_dev *cdev, struct chimney_conn *conn,
			      u32 type, u32 info)
{
	/* A host that reads the state on an event sees what caused it. */
	chimney_tcp_publish(cdev, conn);
	if (type == CHIMNEY_TCP_INDICATE_ABORT)
		chimney_obj_set_flag(&conn->obj, CHIMNEY_OBJ_ABORTED_BIT);
	else if (type == CHIMNEY_TCP_INDICATE_RETRIEVE)
		chimney_obj_set_flag(&conn->obj, CHIMNEY_OBJ_RETRIEVE_BIT);
	chimney_notify_tcp_event(cdev, &conn->obj, type, info);
}

/*
 * The engine sends only while the connection and everything under it are
 * sound: not invalidated (3.4), not corrupt or failed (3.12), not reset.
 */
static bool chimney_tcp_can_send(struct chimney_dev *cdev,
				 const struct chimney_conn *conn)
{
	const unsigned long stop = BIT(CHIMNEY_OBJ_INVALID_BIT) |
				   BIT(CHIMNEY_OBJ_CORRUPT_BIT) |
				   BIT(CHIMNEY_OBJ_FAILED_BIT) |
				   BIT(CHIMNEY_OBJ_ABORTED_BIT);
	const struct chimney_obj *obj;

	if (test_bit(CHIMNEY_DP_RST, &conn->dp) || test_bit(CHIMNEY_DP_URG, &conn->dp) ||
	    READ_ONCE(cdev->corrupt))
		return false;
	for (obj = &conn->obj; obj; obj = chimney_obj_parent(cdev, obj))
		if (READ_ONCE(obj->flags) & stop)
			return false;
	return true;
}

/* Bytes of the send requests not yet acknowledged. */
static u32 chimney_tcp_queued(const struct chimney_conn *conn)
{
	const struct chimney_io *io;
	u32 n = 0;

	list_for_each_entry(io, &conn->x->sends, list)
		n += io->len - io->done;
	return n;
}

/**
 * chimney_tcp_copy_send() - copy bytes of the send queue
 * @conn: the connection
 * @off: offset from SndUna
 * @to: where to
 * @len: how many; the queue has them
 *
 * Return: the bytes copied.
 */
u32 chimney_tcp_copy_send(const struct chimney_conn *conn, u32 off, u8 *to, u32 len)
{
	const struct chimney_io *io;
	u32 copied = 0;

	list_for_each_entry(io, &conn->x->sends, list) {
		u32 left = io->len - io->done, n;

		if (off >= left) {
			off -= left;
			continue;
		}
		n = min(left - off, len - copied);
		memcpy(to + copied, io->data + io->done + off, n);
		copied += n;
		off = 0;
		if (copied == len)
			break;
	}
	return copied;
}

/* A segment went out, and with it an ACK of all we received. */
static void chimney_tcp_ack_sent(struct chimney_conn *conn)
{
	clear_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
	conn->x->rcv_segs = 0;
	chimney_tcp_stop_timer(conn, CHIMNEY_T_DACK);
}

static void chimney_tcp_send_ack(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	/* Not even an ACK once invalidated (R33). */
	if (!chimney_tcp_can_send(cdev, conn))
		return;
	chimney_tcp_ack_sent(conn);
	chimney_dp_send_segment(cdev, conn, conn->tcb.snd_nxt, TCPHDR_ACK, 0);
}

/*
 * The FIN of a graceful disconnect goes once every byte before it has gone
 * (R78), and again after a timeout sent everything again.
 */
static void chimney_tcp_output_fin(struct chimney_dev *cdev, struct chimney_conn *conn,
				   u32 queued)
{
	struct chimney_tcp_delegated *d = &conn->tcb;

	if (!conn->x->disc || d->snd_nxt - d->snd_una != queued ||
	    (test_bit(CHIMNEY_DP_FIN_SENT, &conn->dp) && d->snd_nxt != conn->x->fin_seq))
		return;
	if (!test_and_set_bit(CHIMNEY_DP_FIN_SENT, &conn->dp)) {
		conn->x->fin_seq = d->snd_nxt;
		chimney_tcp_set_state(cdev, conn, d->state == CHIMNEY_TCP_CONNECTION_CLOSE_WAIT ?
				      CHIMNEY_TCP_CONNECTION_LAST_ACK :
				      CHIMNEY_TCP_CONNECTION_FIN_WAIT1);
	} else {
		chimney_tcp_count_rexmit(cdev, conn, 1);
	}
	/* Not sent (no memory, no wire): lost on the wire, resent at the timeout. */
	if (!chimney_dp_send_segment(cdev, conn, conn->x->fin_seq, TCPHDR_ACK | TCPHDR_FIN, 0))
		chimney_tcp_ack_sent(conn);
	d->snd_nxt = conn->x->fin_seq + 1;
	if (after(d->snd_nxt, d->snd_max))
		d->snd_max = d->snd_nxt;
	if (!chimney_tcp_armed(conn))
		chimney_tcp_arm(conn, conn->x->rto);
}

/*
 * Resend the first unacknowledged segment, or the FIN when only it is
 * left; SndNxt moves past it if it had gone back to SndUna.
 */
static void chimney_tcp_resend_first(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	u32 seq = d->snd_una, n;
	u8 flags = TCPHDR_ACK;

	if (!chimney_tcp_can_send(cdev, conn))
		return;
	n = min3(chimney_tcp_mss(cdev, conn), d->snd_max - seq, chimney_tcp_queued(conn));
	if (!n && test_bit(CHIMNEY_DP_FIN_SENT, &conn->dp) && seq == conn->x->fin_seq)
		flags |= TCPHDR_FIN;
	else if (!n)
		return;
	chimney_tcp_count_rexmit(cdev, conn, 1);
	if (chimney_dp_send_segment(cdev, conn, seq, flags, n))
		return;
	chimney_tcp_ack_sent(conn);
	if (d->snd_nxt == seq)
		d->snd_nxt = seq + n + !!(flags & TCPHDR_FIN);
}

/* Send what the windows allow, from SndNxt on. */
static void chimney_tcp_output(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	u32 mss, queued, wnd;

	if (!chimney_tcp_can_send(cdev, conn))
		return;
	mss = chimney_tcp_mss(cdev, conn);
	queued = chimney_tcp_queued(conn);
	wnd = min(d->snd_wnd, max(d->cwnd, mss));
	for (;;) {
		u32 inflight = d->snd_nxt - d->snd_una;
		u32 n = queued > inflight ? queued - inflight : 0;
		u8 flags = TCPHDR_ACK;

		if (!n)
			break;
		if (inflight >= wnd) {
			/* Zero window: the persist timer probes it (4.5). */
			if (!inflight && !chimney_tcp_armed(conn))
				chimney_tcp_arm(conn, conn->x->rto);
			break;
		}
		n = min3(n, chimney_dp_max_payload(mss), wnd - inflight);
		/* A frame sent again holds only bytes sent before, each MSS counted. */
		if (before(d->snd_nxt, d->snd_max)) {
			n = min(n, d->snd_max - d->snd_nxt);
			chimney_tcp_count_rexmit(cdev, conn, DIV_ROUND_UP(n, mss));
		}
		if (inflight + n == queued)
			flags |= TCPHDR_PSH;
		/*
		 * A frame that could not be sent (no memory, no wire) is as
		 * one lost on the wire: the timeout sends it again.
		 */
		if (!chimney_dp_send_segment(cdev, conn, d->snd_nxt, flags, n))
			chimney_tcp_ack_sent(conn);
		d->snd_nxt += n;
		if (after(d->snd_nxt, d->snd_max))
			d->snd_max = d->snd_nxt;
		if (!chimney_tcp_armed(conn))
			chimney_tcp_arm(conn, conn->x->rto);
	}
	chimney_tcp_output_fin(cdev, conn, queued);
}

/*
 * Complete a send request with the bytes the peer acknowledged of it; a
 * disconnect's data is the disconnect's, which completes on its own.
 */
static void chimney_tcp_send_done(struct chimney_dev *cdev, struct chimney_conn *conn,
				  struct chimney_io *io, u32 status)
{
	list_del(&io->list);
	conn->x->snd_mem -= chimney_io_cost(io);
	if (io->flags & CHIMNEY_IO_DISC_DATA)
		return;
	chimney_tcp_publish(cdev, conn);
	chimney_notify_io(cdev, &conn->obj, CHIMNEY_CMD_SEND_COMPLETE, io->io_id,
			  status, io->done, NULL);
	kvfree(io);
}

/* Complete the send requests the peer has acknowledged, in order (R57). */
static void chimney_tcp_sends_acked(struct chimney_dev *cdev,
				    struct chimney_conn *conn, u32 bytes)
{
	struct chimney_io *io, *tmp;

	list_for_each_entry_safe(io, tmp, &conn->x->sends, list) {
		u32 left = io->len - io->done;

		if (bytes < left) {
			io->done += bytes;
			break;
		}
		bytes -= left;
		io->done = io->len;
		chimney_tcp_send_done(cdev, conn, io, CHIMNEY_NDIS_STATUS_SUCCESS);
	}
}

/* Complete the disconnect request: R78, R79. */
static void chimney_tcp_disc_done(struct chimney_dev *cdev, struct chimney_conn *conn,
				  u32 status)
{
	struct chimney_io *io = conn->x->disc;

	if (!io)
		return;
	conn->x->disc = NULL;
	chimney_tcp_publish(cdev, conn);
	chimney_notify_io(cdev, &conn->obj, CHIMNEY_CMD_DISCONNECT_COMPLETE, io->io_id,
			  status, io->done, NULL);
	kvfree(io);
}

/*
 * Complete every send, in order, then the disconnect, with status (R58:
 * after the first that fails, all fail).
 */
static void chimney_tcp_abort_sends(struct chimney_dev *cdev, struct chimney_conn *conn,
				    u32 status)
{
	struct chimney_io *io, *tmp;

	list_for_each_entry_safe(io, tmp, &conn->x->sends, list)
		chimney_tcp_send_done(cdev, conn, io, status);
	chimney_tcp_disc_done(cdev, conn, status);
}

/*
 * R45: what was received in sequence (and acknowledged) but not delivered
 * goes back to the host as BufferedData, in order, so that RcvNxt accounts
 * for every byte.
 */
static void chimney_tcp_hand_back(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&conn->x->rcvq))) {
		u32 off = CHIMNEY_RCV_CB(skb)->off;

		while (off < skb->len) {
			u32 n = min_t(u32, skb->len - off, CHIMNEY_IO_MAX_DATA);

			chimney_notify_data(cdev, &conn->obj, skb, off, n);
			chimney_tcp_rcv_free(conn, n);
			off += n;
		}
		kfree_skb(skb);
	}
}

/* A receive request completes, with the bytes placed in it. */
static void chimney_tcp_recv_done(struct chimney_dev *cdev, struct chimney_conn *conn,
				  struct chimney_io *io, u32 status)
{
	list_del(&io->list);
	chimney_tcp_publish(cdev, conn);
	chimney_notify_io(cdev, &conn->obj, CHIMNEY_CMD_RECEIVE_COMPLETE, io->io_id,
			  status, io->done, io->data);
	kvfree(io);
}

/**
 * chimney_tcp_flush() - complete every outstanding I/O request (terminate)
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @status: REQUEST_ABORTED or UPLOAD_IN_PROGRESS
 *
 * Sends, then the disconnect, then receives: all complete before the
 * terminate does (R42); then the bytes received and not delivered go back
 * (BufferedData, R45).
 */
void chimney_tcp_flush(struct chimney_dev *cdev, struct chimney_conn *conn, u32 status)
{
	struct chimney_io *io, *tmp;

	lockdep_assert_held(&cdev->lock);
	if (!conn->x)
		return;
	/* R46: a delayed ACK goes before the host takes over. */
	if (conn->x->due[CHIMNEY_T_DACK] && chimney_tcp_can_send(cdev, conn))
		chimney_tcp_send_ack(cdev, conn);
	chimney_tcp_stop_timers(conn);
	/* TcpOffloadBytesTransferred: what the peer acknowledged of each. */
	chimney_tcp_abort_sends(cdev, conn, status);
	/* Bytes already placed are delivered, not lost. */
	list_for_each_entry_safe(io, tmp, &conn->x->recvs, list)
		chimney_tcp_recv_done(cdev, conn, io, status);
	chimney_ind_flush(conn);
	chimney_tcp_hand_back(cdev, conn);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_flush);

/* RFC 6298 on a round-trip sample, in ms; SRTT and RttVar are kept in ms. */
static void chimney_tcp_rtt(struct chimney_conn *conn, u32 r)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	u32 rto;

	if (!d->srtt) {
		d->srtt = min_t(u32, r, U16_MAX);
		d->rtt_var = min_t(u32, r / 2, U16_MAX);
	} else {
		u32 diff = d->srtt > r ? d->srtt - r : r - d->srtt;

		d->rtt_var = min_t(u32, (3 * d->rtt_var + diff) / 4, U16_MAX);
		d->srtt = min_t(u32, (7 * d->srtt + r) / 8, U16_MAX);
	}
	rto = d->srtt + max(4U * d->rtt_var, 1U);
	conn->x->rto = clamp(rto, (u32)CHIMNEY_RTO_MIN_MS, (u32)CHIMNEY_RTO_MAX_MS);
}

/* A sample from a timestamp echoed; none from one ahead of the clock. */
static void chimney_tcp_rtt_ts(struct chimney_dev *cdev, struct chimney_conn *conn, u32 tsecr)
{
	u32 ticks = chimney_ticks_now(cdev) + conn->ts_delta - tsecr;

	if ((s32)ticks >= 0)
		chimney_tcp_rtt(conn, chimney_ticks_to_ms(cdev, ticks));
}

/*
 * RFC 793's moves on a FIN. No move starts from CLOSED (0), which ends a
 * table.
 */
struct chimney_tcp_move {
	u8 from;
	u8 to;
};

static const struct chimney_tcp_move chimney_tcp_fin_acked_moves[] = {
	{ CHIMNEY_TCP_CONNECTION_FIN_WAIT1, CHIMNEY_TCP_CONNECTION_FIN_WAIT2 },
	{ CHIMNEY_TCP_CONNECTION_CLOSING, CHIMNEY_TCP_CONNECTION_TIME_WAIT },
	{ CHIMNEY_TCP_CONNECTION_LAST_ACK, CHIMNEY_TCP_CONNECTION_CLOSED },
	{}
};

static const struct chimney_tcp_move chimney_tcp_fin_rcvd_moves[] = {
	{ CHIMNEY_TCP_CONNECTION_ESTABLISHED, CHIMNEY_TCP_CONNECTION_CLOSE_WAIT },
	{ CHIMNEY_TCP_CONNECTION_FIN_WAIT1, CHIMNEY_TCP_CONNECTION_CLOSING },
	{ CHIMNEY_TCP_CONNECTION_FIN_WAIT2, CHIMNEY_TCP_CONNECTION_TIME_WAIT },
	{}
};

static void chimney_tcp_move(struct chimney_dev *cdev, struct chimney_conn *conn,
			     const struct chimney_tcp_move *m)
{
	for (; m->from; m++) {
		if (conn->tcb.state == m->from) {
			chimney_tcp_set_state(cdev, conn, m->to);
			return;
		}
	}
}

/*
 * Forward progress proves the neighbor reachable (4.3, R92): an ACK of
 * data we sent, or new data in sequence, which answers an ACK we sent.
 */
static void chimney_tcp_progress(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_neigh *neigh = chimney_conn_neigh(cdev, conn);

	if (neigh)
		chimney_neigh_reached(cdev, neigh);
}

/**
 * chimney_tcp_send_backlog() - SendBacklogSize: preferred outstanding bytes
 * @c: a connection's const state
 * @d: its delegated state
 *
 * Twice what one round trip carries, the smaller of the congestion window
 * (the bandwidth-delay product as the sender sees it) and the peer's
 * window, so that the host posts the next send before the wire drains; at
 * least two segments. It does not depend on the bytes queued (R88).
 *
 * Return: bytes.
 */
u32 chimney_tcp_send_backlog(const struct chimney_tcp_const *c,
			     const struct chimney_tcp_delegated *d)
{
	u32 rtt_bytes = min(d->cwnd, d->snd_wnd);
	u32 mss = max_t(u32, c->remote_mss, 1);

	return max_t(u64, 2ULL * rounddown(rtt_bytes, mss), 2 * mss);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_send_backlog);

/**
 * chimney_tcp_backlog_due() - whether a new SendBacklogSize is worth telling
 * @told: the value last indicated
 * @now: the current value
 * @ms: milliseconds since it was indicated
 *
 * The throttle of R88: a change of a quarter or more, at most once per
 * %CHIMNEY_BACKLOG_MIN_MS.
 *
 * Return: true if @now should be indicated.
 */
VISIBLE_IF_KUNIT bool chimney_tcp_backlog_due(u32 told, u32 now, u32 ms)
{
	u32 diff = now > told ? now - told : told - now;

	return ms >= CHIMNEY_BACKLOG_MIN_MS && diff >= told / 4;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_backlog_due);

/* TcpIndicateSendBacklogChange, throttled (R88). */
static void chimney_tcp_backlog(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	u32 backlog = chimney_tcp_send_backlog(&conn->st.c, &conn->tcb);
	struct chimney_tcp_ext *x = conn->x;
	u32 now = chimney_tcp_now();

	if (!chimney_tcp_backlog_due(x->backlog, backlog, now - x->backlog_at))
		return;
	x->backlog = backlog;
	x->backlog_at = now;
	chimney_tcp_event(cdev, conn, CHIMNEY_TCP_INDICATE_SEND_BACKLOG_CHANGE, backlog);
}

/* Our FIN is acknowledged: the graceful disconnect is done (R78). */
static void chimney_tcp_fin_acked(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	chimney_tcp_move(cdev, conn, chimney_tcp_fin_acked_moves);
	chimney_tcp_disc_done(cdev, conn, CHIMNEY_NDIS_STATUS_SUCCESS);
}

/*
 * The persist algorithm (4.5) as the peer's window changes from old: a
 * window that closes starts it (SndWndProbeCount and Count 0), one that
 * opens ends it, and a zero window answering the round's probe starts the
 * next round, its probe RTO << SndWndProbeCount away. Only unanswered
 * probes count towards TcpMaximumRetransmissions: a peer that keeps its
 * window closed but answers is never given up on.
 */
static void chimney_tcp_persist_ack(struct chimney_conn *conn, u32 old)
{
	struct chimney_tcp_delegated *d = &conn->tcb;

	if (!old != !d->snd_wnd) {
		d->snd_wnd_probe_count = 0;
		d->retransmit_count = 0;
		d->total_rt = 0;
		/* The persist timer stops; a send arms the retransmit timer. */
		if (d->snd_wnd && d->snd_una == d->snd_max)
			chimney_tcp_stop_timer(conn, CHIMNEY_T_RTX);
		return;
	}
	if (d->snd_wnd || !d->retransmit_count)
		return;
	if (d->snd_wnd_probe_count < U8_MAX)
		d->snd_wnd_probe_count++;
	d->retransmit_count = 0;
	d->total_rt = 0;
	chimney_tcp_arm(conn, chimney_tcp_backoff(conn, d->snd_wnd_probe_count));
}

static void chimney_tcp_ack(struct chimney_dev *cdev, struct chimney_conn *conn,
			    const struct chimney_seg *seg)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	u32 mss = chimney_tcp_mss(cdev, conn), win = seg->win;

	if (after(seg->ack, d->snd_max)) {
		/* It acknowledges what was never sent. */
		set_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
		return;
	}
	if (before(seg->ack, d->snd_una))
		return;
	if (conn->st.c.flags & CHIMNEY_TCP_FLAG_WINDOW_SCALING_ENABLED)
		win <<= conn->st.c.snd_wind_scale;
	if (after(seg->ack, d->snd_una)) {
		u32 acked = seg->ack - d->snd_una;
		bool fin = test_bit(CHIMNEY_DP_FIN_SENT, &conn->dp) &&
			   !before(seg->ack, conn->x->fin_seq + 1);
		u64 cwnd;

		d->snd_una = seg->ack;
		if (before(d->snd_nxt, d->snd_una))
			d->snd_nxt = d->snd_una;
		/* The FIN takes a sequence number and no byte of data. */
		chimney_tcp_sends_acked(cdev, conn, acked - fin);
		if (fin)
			chimney_tcp_fin_acked(cdev, conn);
		if (seg->has_ts && seg->tsecr)
			chimney_tcp_rtt_ts(cdev, conn, seg->tsecr);
		/*
		 * Counted in bytes acknowledged (RFC 3465), as Linux does: the
		 * peer acknowledges a GSO frame of many segments at once. Slow
		 * start stops at ss_thresh, even for an ACK of a whole flight.
		 * In fast recovery, cwnd stays at ss_thresh.
		 */
		if (test_bit(CHIMNEY_DP_RECOVERY, &conn->dp))
			cwnd = d->cwnd;
		else if (d->cwnd < d->ss_thresh)
			cwnd = min_t(u64, (u64)d->cwnd + acked, d->ss_thresh);
		else
			cwnd = d->cwnd + max_t(u64, div_u64((u64)mss * acked, max(d->cwnd, 1U)), 1);
		d->cwnd = min_t(u64, cwnd, CHIMNEY_TCP_MAX_CWND);
		/*
		 * NewReno (RFC 6582): an ACK short of what was sent when
		 * recovery began leaves the next hole, which goes out at once
		 * rather than a timeout later; a burst lost whole (a GSO
		 * frame) takes a round trip a segment. One that reaches it
		 * ends the recovery, or the wait after a timeout.
		 */
		if (!before(seg->ack, conn->x->recover)) {
			clear_bit(CHIMNEY_DP_RECOVERY, &conn->dp);
			clear_bit(CHIMNEY_DP_RTO_RECOVER, &conn->dp);
		} else if (test_bit(CHIMNEY_DP_RECOVERY, &conn->dp)) {
			chimney_tcp_resend_first(cdev, conn);
		}
		d->dup_ack_count = 0;
		d->retransmit_count = 0;
		d->total_rt = 0;
		d->snd_wnd_probe_count = 0;
		chimney_tcp_progress(cdev, conn);
		if (d->snd_una == d->snd_max)
			chimney_tcp_stop_timer(conn, CHIMNEY_T_RTX);
		else
			chimney_tcp_arm(conn, conn->x->rto);
	} else if (!seg->len && win && win == d->snd_wnd && d->snd_una != d->snd_max &&
		   !(conn->dp & (BIT(CHIMNEY_DP_RECOVERY) | BIT(CHIMNEY_DP_RTO_RECOVER))) &&
		   ++d->dup_ack_count == READ_ONCE(cdev->params.tcp_duplicate_ack_threshold)) {
		/*
		 * Fast retransmit (RFC 5681): resend the first lost segment.
		 * Once a recovery: not again until it ends.
		 */
		u32 flight = d->snd_max - d->snd_una;

		d->ss_thresh = max(flight / 2, 2 * mss);
		d->cwnd = d->ss_thresh;
		conn->x->recover = d->snd_max;
		set_bit(CHIMNEY_DP_RECOVERY, &conn->dp);
		chimney_tcp_resend_first(cdev, conn);
	}
	/* RFC 793 window update rule. */
	if (after(seg->seq, d->send_wl1) || seg->seq == d->send_wl1) {
		u32 old = d->snd_wnd;

		d->snd_wnd = win;
		d->send_wl1 = seg->seq;
		d->max_snd_wnd = max(d->max_snd_wnd, win);
		chimney_tcp_persist_ack(conn, old);
	}
	chimney_tcp_backlog(cdev, conn);
}

/*
 * Delayed ACK: at most TcpAckFrequency segments, or TcpDelayedAckTicks,
 * unacknowledged; bytes 0 asks for an ACK at once (a FIN, a segment cut
 * by the window).
 */
static void chimney_tcp_delay_ack(struct chimney_dev *cdev, struct chimney_conn *conn,
				  u32 bytes)
{
	u32 freq = READ_ONCE(cdev->params.tcp_ack_frequency);
	u32 delay = READ_ONCE(cdev->params.tcp_delayed_ack_ticks);

	conn->x->rcv_segs += DIV_ROUND_UP(bytes, chimney_tcp_mss(cdev, conn));
	if (!bytes || conn->x->rcv_segs >= freq) {
		set_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
		return;
	}
	if (!conn->x->due[CHIMNEY_T_DACK])
		chimney_tcp_set_timer(conn, CHIMNEY_T_DACK, chimney_ticks_to_ms(cdev, delay));
}

/**
 * chimney_tcp_rcv_free() - bytes of the receive buffer are free again
 * @conn: the connection, with its engine state
 * @n: how many
 *
 * The window reopens by as many, less what a smaller buffer takes back
 * (R30).
 */
void chimney_tcp_rcv_free(struct chimney_conn *conn, u32 n)
{
	u32 cut = min(n, conn->x->rcv_excess);

	conn->x->rcv_excess -= cut;
	conn->tcb.rcv_wnd += n - cut;
}

/**
 * chimney_tcp_window_opened() - the receive window grew
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @before: RcvWnd before
 *
 * By half of its size, or from less than an MSS to one: the peer is told.
 */
void chimney_tcp_window_opened(struct chimney_dev *cdev, struct chimney_conn *conn, u32 before)
{
	u32 mss = chimney_tcp_mss(cdev, conn), wnd = conn->tcb.rcv_wnd;

	if (wnd - before >= conn->x->rcv_space / 2 || (before < mss && wnd >= mss))
		set_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
}

/*
 * Fill the posted receive requests from the received bytes, FIFO (3.7);
 * with none posted, indicate them. Not while an indication waits for its
 * answer (R72), nor after urgent data (R85).
 */
static void chimney_tcp_deliver(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	u32 push = READ_ONCE(cdev->params.tcp_push_ticks);
	u32 before_wnd = d->rcv_wnd;
	struct chimney_io *io;
	bool placed = false;

	if (test_bit(CHIMNEY_DP_URG, &conn->dp) || conn->x->ind_id)
		return;
	while ((io = list_first_entry_or_null(&conn->x->recvs, struct chimney_io, list))) {
		struct sk_buff *skb = skb_peek(&conn->x->rcvq);
		struct chimney_rcv_cb *cb;
		bool push = false;
		u32 n;

		if (io->len && !skb)
			break;
		if (skb) {
			cb = CHIMNEY_RCV_CB(skb);
			n = min(io->len - io->done, skb->len - cb->off);
			if (skb_copy_bits(skb, cb->off, io->data + io->done, n))
				break;
			io->done += n;
			cb->off += n;
			chimney_tcp_rcv_free(conn, n);
			placed |= n;
			if (cb->off == skb->len) {
				push = cb->psh;
				__skb_unlink(skb, &conn->x->rcvq);
				kfree_skb(skb);
			}
		}
		/* Zero-byte requests complete at once and take nothing (R68). */
		if (io->done < io->len && !(push && !(io->flags & CHIMNEY_IO_NO_PUSH)))
			continue;
		chimney_tcp_recv_done(cdev, conn, io, CHIMNEY_NDIS_STATUS_SUCCESS);
	}
	chimney_ind_try(cdev, conn);
	/*
	 * R66: a push-mode request partly filled completes when the push
	 * timer fires; new data restarts it.
	 */
	io = list_first_entry_or_null(&conn->x->recvs, struct chimney_io, list);
	if (!io || !io->done || (io->flags & CHIMNEY_IO_NO_PUSH))
		chimney_tcp_stop_timer(conn, CHIMNEY_T_PUSH);
	else if (placed || !conn->x->due[CHIMNEY_T_PUSH])
		chimney_tcp_set_timer(conn, CHIMNEY_T_PUSH, chimney_ticks_to_ms(cdev, push));
	chimney_tcp_window_opened(cdev, conn, before_wnd);
	if (!skb_queue_empty(&conn->x->rcvq) || !test_bit(CHIMNEY_DP_FIN_RCVD, &conn->dp) ||
	    test_and_set_bit(CHIMNEY_DP_DISC_IND, &conn->dp))
		return;
	/*
	 * R82: the peer's FIN, once everything before it is taken. The
	 * requests still posted get what they have; later ones INVALID_STATE.
	 */
	while ((io = list_first_entry_or_null(&conn->x->recvs, struct chimney_io, list)))
		chimney_tcp_recv_done(cdev, conn, io, CHIMNEY_NDIS_STATUS_SUCCESS);
	chimney_tcp_event(cdev, conn, CHIMNEY_TCP_INDICATE_DISCONNECT, 0);
}

/* R66: the push timer fired: a partly filled push-mode request completes. */
static void chimney_tcp_push_timeout(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_io *io = list_first_entry_or_null(&conn->x->recvs,
							 struct chimney_io, list);

	if (!io || !io->done || (io->flags & CHIMNEY_IO_NO_PUSH))
		return;
	chimney_tcp_recv_done(cdev, conn, io, CHIMNEY_NDIS_STATUS_SUCCESS);
	chimney_tcp_deliver(cdev, conn);
}

/* An acceptable RST (R83): nothing more is sent; the sends are aborted. */
static void chimney_tcp_reset(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	u8 state = conn->tcb.state;

	set_bit(CHIMNEY_DP_RST, &conn->dp);
	chimney_tcp_stop_timers(conn);
	if (state == CHIMNEY_TCP_CONNECTION_ESTABLISHED ||
	    state == CHIMNEY_TCP_CONNECTION_CLOSE_WAIT)
		chimney_stat_add(cdev, &cdev->ostats.tcp[chimney_conn_v6(cdev, conn)]
					[CHIMNEY_TCP_RESET_ESTABLISHED], 1);
	chimney_tcp_set_state(cdev, conn, CHIMNEY_TCP_CONNECTION_CLOSED);
	chimney_tcp_abort_sends(cdev, conn, CHIMNEY_NDIS_STATUS_REQUEST_ABORTED);
	chimney_tcp_event(cdev, conn, CHIMNEY_TCP_INDICATE_ABORT, 0);
}

static bool chimney_tcp_in_window(const struct chimney_conn *conn, u32 seq)
{
	const struct chimney_tcp_delegated *d = &conn->tcb;

	return !before(seq, d->rcv_nxt) && before(seq, d->rcv_nxt + max(d->rcv_wnd, 1U));
}

/* The peer's FIN is in sequence. */
static void chimney_tcp_fin(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	conn->tcb.rcv_nxt++;
	set_bit(CHIMNEY_DP_FIN_RCVD, &conn->dp);
	chimney_tcp_move(cdev, conn, chimney_tcp_fin_rcvd_moves);
}

/*
 * What stays in the receive queue until the host takes it is the device
 * creator's: it is charged to that memory cgroup, or the segment is not
 * accepted (dropped unacknowledged; the peer sends it again), since a
 * window may be 1 GiB a connection and the peer is whoever is on the wire.
 * It also costs about as much memory as data, not its truesize: a peer
 * sending 1-byte segments would pin a kilobyte per byte of window. So a
 * segment is copied onto the tail of the queue when it has room, else into
 * a charged skb with room for more, as tcp_try_coalesce() and tcp_collapse()
 * keep a socket's. A push point does not stop it (a peer would push every
 * byte): as in tcp_try_coalesce(), the tail's push moves to its new end,
 * and a push-mode request completes there, with the bytes queued meanwhile.
 * Only a segment that the first receive posted takes whole at once (the
 * common case while the host keeps receives posted) is queued as it came.
 * Return: the skb to queue, NULL if its bytes were added to the tail, or
 * ERR_PTR(-ENOMEM) if the segment cannot be charged. Either way @skb is no
 * longer the caller's: it is returned, or freed.
 */
static struct sk_buff *chimney_tcp_rcv_own(struct chimney_dev *cdev, struct chimney_conn *conn,
					   struct sk_buff *skb, bool psh)
{
	struct chimney_tcp_ext *x = conn->x;
	struct sk_buff *tail = skb_peek_tail(&x->rcvq), *nskb;
	struct mem_cgroup *old;
	struct chimney_io *io;
	u32 len = skb->len;

	if (tail && !skb_cloned(tail) && !skb_is_nonlinear(tail) && skb_tailroom(tail) >= len &&
	    !skb_copy_bits(skb, 0, skb_tail_pointer(tail), len)) {
		skb_put(tail, len);
		CHIMNEY_RCV_CB(tail)->psh |= psh;
		consume_skb(skb);
		return NULL;
	}
	io = list_first_entry_or_null(&x->recvs, struct chimney_io, list);
	if (!tail && io && io->len - io->done >= len && !x->ind_id &&
	    !test_bit(CHIMNEY_DP_URG, &conn->dp))
		return skb;
	old = set_active_memcg(cdev->memcg);
	nskb = alloc_skb(max_t(u32, len, CHIMNEY_RCV_SLACK), CHIMNEY_GFP_USER_BUF);
	set_active_memcg(old);
	if (!nskb) {
		kfree_skb(skb);
		return ERR_PTR(-ENOMEM);
	}
	if (skb_copy_bits(skb, 0, skb_tail_pointer(nskb), len)) {
		kfree_skb(nskb);
		kfree_skb(skb);
		return ERR_PTR(-EFAULT);
	}
	skb_put(nskb, len);
	consume_skb(skb);
	return nskb;
}

/* Take the payload (skb, or NULL) of an acceptable segment. */
static void chimney_tcp_data(struct chimney_dev *cdev, struct chimney_conn *conn,
			     struct sk_buff *skb, const struct chimney_seg *seg)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	bool fin = seg->flags & TCPHDR_FIN;
	u32 len = seg->len, take;

	if (test_bit(CHIMNEY_DP_FIN_RCVD, &conn->dp) || seg->seq != d->rcv_nxt) {
		/* Old, repeated or out of order: dropped, the peer resends. */
		set_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
		kfree_skb(skb);
		return;
	}
	/*
	 * R85: urgent data goes back to the host: the connection asks to be
	 * uploaded, and from now on takes data without acknowledging or
	 * delivering it (BufferedData at terminate).
	 */
	if ((seg->flags & TCPHDR_URG) && !test_and_set_bit(CHIMNEY_DP_URG, &conn->dp))
		chimney_tcp_event(cdev, conn, CHIMNEY_TCP_INDICATE_RETRIEVE,
				  CHIMNEY_UPLOAD_RECEIVED_URGENT_DATA);
	take = min(len, d->rcv_wnd);
	if (seg->has_ts)
		d->ts_recent = seg->tsval;
	d->ts_recent_age = chimney_tcp_now();
	if (take) {
		struct chimney_rcv_cb *cb;
		bool psh;

		if (take < len && pskb_trim(skb, take)) {
			kfree_skb(skb);
			return;
		}
		psh = take == len && (seg->flags & TCPHDR_PSH);
		skb = chimney_tcp_rcv_own(cdev, conn, skb, psh);
		if (IS_ERR(skb)) {
			/* Not accepted: neither acknowledged nor its FIN. */
			dev_core_stats_rx_dropped_inc(cdev->netdev);
			return;
		}
		if (skb) {
			cb = CHIMNEY_RCV_CB(skb);
			cb->off = 0;
			cb->psh = psh;
			__skb_queue_tail(&conn->x->rcvq, skb);
			skb = NULL;
		}
		d->rcv_nxt += take;
		d->rcv_wnd -= take;
		chimney_tcp_progress(cdev, conn);
	}
	kfree_skb(skb);
	if (fin && take == len)
		chimney_tcp_fin(cdev, conn);
	chimney_tcp_delay_ack(cdev, conn, take < len || fin ? 0 : take);
}

static bool chimney_tcp_ka_on(const struct chimney_conn *conn)
{
	return (conn->st.ca.flags & CHIMNEY_TCP_FLAG_KEEP_ALIVE_ENABLED) &&
	       conn->tcb.state == CHIMNEY_TCP_CONNECTION_ESTABLISHED;
}

/* Keepalive (4.4): KaTimeout idle, then a probe every KaInterval. */
static void chimney_tcp_ka_arm(struct chimney_dev *cdev, struct chimney_conn *conn,
			       u32 ms)
{
	const struct chimney_tcp_cached *ca = &conn->st.ca;

	if (!chimney_tcp_ka_on(conn)) {
		chimney_tcp_stop_timer(conn, CHIMNEY_T_KA);
		return;
	}
	if (!ms && conn->tcb.keepalive_probe_count)
		ms = ca->ka_interval ? chimney_ticks_to_ms(cdev, ca->ka_interval) :
				       CHIMNEY_KA_INTERVAL_MS;
	else if (!ms)
		ms = ca->ka_timeout ? chimney_ticks_to_ms(cdev, ca->ka_timeout) :
				      CHIMNEY_KA_TIMEOUT_MS;
	chimney_tcp_set_timer(conn, CHIMNEY_T_KA, ms);
}

/* 4.7: a challenge ACK, at most one per CHIMNEY_CHALLENGE_MS. */
static void chimney_tcp_challenge(struct chimney_conn *conn)
{
	u32 now = chimney_tcp_now();

	if (conn->x->challenge_at && now - conn->x->challenge_at < CHIMNEY_CHALLENGE_MS)
		return;
	conn->x->challenge_at = now ?: 1;
	set_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
}

/*
 * A SYN (4.7): at RcvNxt the connection is closed and goes back to the host
 * (R95; decision 12: UploadRequested); in the window, a challenge ACK;
 * outside it, an ACK.
 */
static void chimney_tcp_syn(struct chimney_dev *cdev, struct chimney_conn *conn,
			    const struct chimney_seg *seg)
{
	if (seg->seq == conn->tcb.rcv_nxt) {
		set_bit(CHIMNEY_DP_RST, &conn->dp);
		chimney_tcp_stop_timers(conn);
		chimney_tcp_set_state(cdev, conn, CHIMNEY_TCP_CONNECTION_CLOSED);
		chimney_tcp_event(cdev, conn, CHIMNEY_TCP_INDICATE_RETRIEVE,
				  CHIMNEY_UPLOAD_UPLOAD_REQUESTED);
	} else if (chimney_tcp_in_window(conn, seg->seq)) {
		chimney_tcp_challenge(conn);
	} else {
		set_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
	}
}

/**
 * chimney_tcp_input() - a received segment of an offloaded connection
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @skb: its payload only; the engine owns it
 * @seg: its header
 */
void chimney_tcp_input(struct chimney_dev *cdev, struct chimney_conn *conn,
		       struct sk_buff *skb, const struct chimney_seg *seg)
{
	struct chimney_tcp_delegated *d = &conn->tcb;

	lockdep_assert_held(&cdev->lock);
	if (chimney_tcp_ext_get(cdev, conn)) {
		/* Dropped as by a NIC out of buffers: the peer sends it again. */
		chimney_stat_add(cdev, &cdev->ostats.ip[chimney_conn_v6(cdev, conn)]
					[CHIMNEY_IP_IN_DISCARDS], 1);
		kfree_skb(skb);
		return;
	}
	if (test_bit(CHIMNEY_DP_RST, &conn->dp)) {
		kfree_skb(skb);
		goto out;
	}
	if (seg->flags & TCPHDR_RST) {
		/* 4.7: exact, a reset; in the window, a challenge ACK. */
		if (seg->seq == d->rcv_nxt)
			chimney_tcp_reset(cdev, conn);
		else if (chimney_tcp_in_window(conn, seg->seq))
			chimney_tcp_challenge(conn);
		kfree_skb(skb);
		goto ack;
	}
	if (seg->flags & TCPHDR_SYN) {
		kfree_skb(skb);
		chimney_tcp_syn(cdev, conn, seg);
		goto ack;
	}
	/* PAWS (RFC 7323): an older timestamp is a duplicate. */
	if (seg->has_ts && d->ts_recent && (s32)(seg->tsval - d->ts_recent) < 0) {
		set_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
		kfree_skb(skb);
		goto ack;
	}
	/* An answer: keepalive starts over. */
	if (chimney_tcp_ka_on(conn)) {
		d->keepalive_probe_count = 0;
		chimney_tcp_ka_arm(cdev, conn, 0);
	}
	/* R89: each acceptable segment restarts FIN_WAIT_2. */
	if (d->state == CHIMNEY_TCP_CONNECTION_FIN_WAIT2 &&
	    (seg->seq == d->rcv_nxt || chimney_tcp_in_window(conn, seg->seq)))
		chimney_tcp_set_timer(conn, CHIMNEY_T_FW2, READ_ONCE(cdev->fin_wait2_ms));
	if (seg->flags & TCPHDR_ACK)
		chimney_tcp_ack(cdev, conn, seg);
	if (seg->len || (seg->flags & TCPHDR_FIN))
		chimney_tcp_data(cdev, conn, skb, seg);
	else
		kfree_skb(skb);
	chimney_tcp_deliver(cdev, conn);
	chimney_tcp_output(cdev, conn);
ack:
	if (test_bit(CHIMNEY_DP_ACK_NOW, &conn->dp))
		chimney_tcp_send_ack(cdev, conn);
out:
	chimney_tcp_publish(cdev, conn);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_input);

/**
 * chimney_tcp_disconnect() - a disconnect request (section 3.8)
 * @cdev: the device; its lock must be held
 * @conn: the connection, with no disconnect outstanding
 * @io: the request; the engine owns it
 *
 * Abortive (R76): an RST, the only one a target sends (R77); every send
 * and every posted receive completes with REQUEST_ABORTED first (nothing
 * will fill it: it would wait for the terminate), then the disconnect with
 * SUCCESS; nothing more is received or acknowledged. Graceful (R78): its data goes
 * after the sends, then a FIN; it completes once the FIN is acknowledged,
 * and receiving goes on.
 */
void chimney_tcp_disconnect(struct chimney_dev *cdev, struct chimney_conn *conn,
			    struct chimney_io *io)
{
	struct chimney_io *r, *tmp;

	lockdep_assert_held(&cdev->lock);
	if (io->flags & CHIMNEY_IO_ABORTIVE_CLOSE) {
		if (chimney_tcp_can_send(cdev, conn))
			chimney_dp_send_segment(cdev, conn, conn->tcb.snd_nxt,
						TCPHDR_RST | TCPHDR_ACK, 0);
		set_bit(CHIMNEY_DP_RST, &conn->dp);
		chimney_tcp_stop_timers(conn);
		chimney_ind_cancel(conn);
		__skb_queue_purge(&conn->x->rcvq);
		chimney_tcp_abort_sends(cdev, conn, CHIMNEY_NDIS_STATUS_REQUEST_ABORTED);
		list_for_each_entry_safe(r, tmp, &conn->x->recvs, list)
			chimney_tcp_recv_done(cdev, conn, r, CHIMNEY_NDIS_STATUS_REQUEST_ABORTED);
		chimney_notify_io(cdev, &conn->obj, CHIMNEY_CMD_DISCONNECT_COMPLETE, io->io_id,
				  CHIMNEY_NDIS_STATUS_SUCCESS, 0, NULL);
		kvfree(io);
		chimney_tcp_set_state(cdev, conn, CHIMNEY_TCP_CONNECTION_CLOSED);
		chimney_tcp_publish(cdev, conn);
		return;
	}
	conn->x->disc = io;
	if (io->len) {
		io->flags |= CHIMNEY_IO_DISC_DATA;
		chimney_tcp_queue_send(conn, io);
	}
	chimney_tcp_push(cdev, conn);
}

/**
 * chimney_tcp_queue_send() - put data at the end of the send queue
 * @conn: the connection, with its engine state
 * @io: a send request, or the data of a disconnect or of an initiate
 *
 * What the queue holds is counted against CHIMNEY_LIMIT_A_SEND_BYTES.
 */
void chimney_tcp_queue_send(struct chimney_conn *conn, struct chimney_io *io)
{
	list_add_tail(&io->list, &conn->x->sends);
	conn->x->snd_mem += chimney_io_cost(io);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_queue_send);

/**
 * chimney_tcp_push() - a send or receive request was posted
 * @cdev: the device; its lock must be held
 * @conn: the connection
 */
void chimney_tcp_push(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	lockdep_assert_held(&cdev->lock);
	chimney_tcp_deliver(cdev, conn);
	chimney_tcp_output(cdev, conn);
	if (test_bit(CHIMNEY_DP_ACK_NOW, &conn->dp))
		chimney_tcp_send_ack(cdev, conn);
	chimney_tcp_publish(cdev, conn);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_push);

/*
 * A segment is resent for at most MaxRT ticks in all (TotalRT), or with
 * MaxRT 0 at most TcpMaximumRetransmissions times; MaxRT -1 sets no bound
 * (decision 17).
 */
static bool chimney_tcp_rt_over(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	u32 max_rt = conn->st.ca.max_rt;

	if (!max_rt)
		return conn->tcb.retransmit_count >
		       READ_ONCE(cdev->params.tcp_maximum_retransmissions);
	return max_rt != U32_MAX && conn->tcb.total_rt > chimney_ticks_to_ms(cdev, max_rt);
}

/* Retransmission or persist timeout: go back to SndUna (4.5, R90). */
static void chimney_tcp_rtx_timeout(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	u32 max_rt = READ_ONCE(cdev->params.tcp_maximum_retransmissions);
	struct chimney_tcp_delegated *d = &conn->tcb;
	u32 mss = chimney_tcp_mss(cdev, conn), flight;

	if (!chimney_tcp_can_send(cdev, conn) ||
	    test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags))
		return;
	if (d->snd_una == d->snd_max && !chimney_tcp_queued(conn))
		return;
	if (d->snd_una == d->snd_max) {
		/*
		 * Persist expiry: a probe at SndUna - 1 without data, which
		 * the peer answers with its window (RFC 9293 3.10.7.4) and
		 * which leaves no byte past the window to be resent; again
		 * RTO << Count later while unanswered (4.5, R90).
		 */
		if (d->retransmit_count > max_rt)
			goto timeout;
		chimney_dp_send_segment(cdev, conn, d->snd_una - 1, TCPHDR_ACK, 0);
		chimney_tcp_arm(conn, chimney_tcp_backoff(conn, d->retransmit_count));
		d->retransmit_count++;
		return;
	}
	if (d->retransmit_count < U8_MAX)
		d->retransmit_count++;
	d->total_rt += conn->x->rto;
	if (chimney_tcp_rt_over(cdev, conn))
		goto timeout;
	/*
	 * RFC 6582 section 4: duplicate ACKs of what was sent before the
	 * timeout start no fast retransmit, until all of it is acknowledged.
	 */
	clear_bit(CHIMNEY_DP_RECOVERY, &conn->dp);
	set_bit(CHIMNEY_DP_RTO_RECOVER, &conn->dp);
	conn->x->recover = d->snd_max;
	d->dup_ack_count = 0;
	flight = d->snd_max - d->snd_una;
	d->ss_thresh = max(flight / 2, 2 * mss);
	d->cwnd = mss;
	d->snd_nxt = d->snd_una;
	conn->x->rto = min(conn->x->rto * 2, (u32)CHIMNEY_RTO_MAX_MS);
	if (d->snd_wnd || !chimney_tcp_queued(conn)) {
		chimney_tcp_output(cdev, conn);
		return;
	}
	/*
	 * The window closed under data in flight: the first segment goes
	 * out again all the same, and probes the window.
	 */
	chimney_tcp_resend_first(cdev, conn);
	chimney_tcp_arm(conn, conn->x->rto);
	return;
timeout:
	chimney_tcp_event(cdev, conn, CHIMNEY_TCP_INDICATE_RETRIEVE,
			  CHIMNEY_UPLOAD_TIMEOUT_EXPIRATION);
}

/*
 * R89: no FIN from the peer in time. Decision 11: the connection goes to
 * CLOSED first, then asks to be uploaded, although half-closed.
 */
static void chimney_tcp_fw2_timeout(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	if (conn->tcb.state != CHIMNEY_TCP_CONNECTION_FIN_WAIT2)
		return;
	chimney_tcp_set_state(cdev, conn, CHIMNEY_TCP_CONNECTION_CLOSED);
	chimney_tcp_event(cdev, conn, CHIMNEY_TCP_INDICATE_RETRIEVE,
			  CHIMNEY_UPLOAD_TIMEOUT_EXPIRATION);
}

/*
 * Keepalive expired: a probe one byte before SndUna, which the peer
 * answers with an ACK; after KaProbeCount unanswered, the connection asks
 * to be uploaded (TimeoutExpiration).
 */
static void chimney_tcp_ka_timeout(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	u32 probes = conn->st.ca.ka_probe_count ?: CHIMNEY_KA_PROBES;

	if (!chimney_tcp_ka_on(conn) || !chimney_tcp_can_send(cdev, conn) ||
	    test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags))
		return;
	if (d->keepalive_probe_count >= probes) {
		chimney_tcp_event(cdev, conn, CHIMNEY_TCP_INDICATE_RETRIEVE,
				  CHIMNEY_UPLOAD_TIMEOUT_EXPIRATION);
		return;
	}
	d->keepalive_probe_count++;
	chimney_dp_send_segment(cdev, conn, d->snd_una - 1, TCPHDR_ACK, 0);
	chimney_tcp_ka_arm(cdev, conn, 0);
}

/**
 * chimney_tcp_timer_run() - a connection's timer fired
 * @cdev: the device; its lock must be held
 * @conn: the connection
 *
 * Runs each of its timers that expired: the delayed ACK goes out, a
 * partly filled push-mode receive completes (R66), FIN_WAIT_2 ends (R89),
 * a keepalive probe goes out, and a retransmission timeout goes back to
 * SndUna with a doubled timeout, asking the host to take the connection
 * back after MaxRT ticks of it, or with MaxRT 0 after TcpMaximumRetransmissions
 * in a row (R90, decision 17); a receive indication
 * not answered in time is refused.
 */
void chimney_tcp_timer_run(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_tcp_ext *x = conn->x;
	unsigned long fired = 0;
	int t;

	lockdep_assert_held(&cdev->lock);
	if (!x)
		return;
	for (t = 0; t < CHIMNEY_TIMERS; t++) {
		if (x->due[t] && time_after_eq(jiffies, x->due[t])) {
			x->due[t] = 0;
			__set_bit(t, &fired);
		}
	}
	if (test_bit(CHIMNEY_T_DACK, &fired))
		chimney_tcp_send_ack(cdev, conn);
	if (test_bit(CHIMNEY_T_PUSH, &fired))
		chimney_tcp_push_timeout(cdev, conn);
	if (test_bit(CHIMNEY_T_FW2, &fired))
		chimney_tcp_fw2_timeout(cdev, conn);
	if (test_bit(CHIMNEY_T_KA, &fired))
		chimney_tcp_ka_timeout(cdev, conn);
	if (test_bit(CHIMNEY_T_RTX, &fired))
		chimney_tcp_rtx_timeout(cdev, conn);
	if (test_bit(CHIMNEY_T_IND, &fired))
		chimney_ind_timeout(cdev, conn);
	chimney_tcp_timers_update(conn);
	chimney_tcp_publish(cdev, conn);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_timer_run);

static void chimney_tcp_timer(struct timer_list *t)
{
	struct chimney_tcp_ext *x = from_timer(x, t, timer);
	struct chimney_dev *cdev = x->cdev;

	spin_lock(&cdev->dp_lock);
	if (list_empty(&x->fired))
		list_add_tail(&x->fired, &cdev->dp_fired);
	spin_unlock(&cdev->dp_lock);
	queue_work(system_wq, &cdev->dp_work);
}

/**
 * chimney_tcp_ext_get() - the engine's state of a connection that moves data
 * @cdev: the device; its lock must be held
 * @conn: the connection
 *
 * Allocated at the first I/O request or segment: a million idle connections
 * do not pay for queues and timers.
 *
 * Return: 0, or -ENOMEM.
 */
int chimney_tcp_ext_get(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	struct chimney_tcp_ext *x;

	lockdep_assert_held(&cdev->lock);
	if (conn->x)
		return 0;
	x = kzalloc(sizeof(*x), CHIMNEY_GFP_USER);
	if (!x)
		return -ENOMEM;
	x->conn = conn;
	x->cdev = cdev;
	INIT_LIST_HEAD(&x->sends);
	INIT_LIST_HEAD(&x->recvs);
	INIT_LIST_HEAD(&x->held);
	skb_queue_head_init(&x->rcvq);
	INIT_LIST_HEAD(&x->fired);
	timer_setup(&x->timer, chimney_tcp_timer, 0);
	x->rcv_space = d->rcv_wnd;
	/* What a query returns from now on; a change is indicated. */
	x->backlog = chimney_tcp_send_backlog(&conn->st.c, d);
	x->backlog_at = chimney_tcp_now() - CHIMNEY_BACKLOG_MIN_MS;
	x->rto = d->srtt ? clamp_t(u32, d->srtt + 4 * d->rtt_var,
				   CHIMNEY_RTO_MIN_MS, CHIMNEY_RTO_MAX_MS) :
		 CHIMNEY_RTO_INIT_MS;
	conn->x = x;
	chimney_tcp_ka_arm(cdev, conn, 0);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_tcp_ext_get);

/**
 * chimney_tcp_conn_start() - a new connection is offloaded and published
 * @cdev: the device; its lock must be held
 * @conn: the connection
 *
 * With keepalive enabled the engine needs its state at once, for an idle
 * connection; it starts from the host's KeepAlive.TimeoutDelta, if any.
 * Without memory for it, keepalive starts with the first I/O or segment.
 */
void chimney_tcp_conn_start(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	u32 delta = conn->tcb.keepalive_timeout_delta;

	if (!chimney_tcp_ka_on(conn) || chimney_tcp_ext_get(cdev, conn))
		return;
	chimney_tcp_ka_arm(cdev, conn, delta != U32_MAX ? max(delta, 1U) : 0);
	chimney_tcp_publish(cdev, conn);
}

/**
 * chimney_tcp_conn_data() - a new connection takes the host's data (3.1)
 * @cdev: the device; its lock must be held
 * @conn: the connection, with its engine state
 * @b: its block, whose data it takes
 *
 * BufferedData goes first in the receive queue, to be delivered before
 * any new byte once the initiate completed. The send data is the first
 * send request: [SndUna, SndNxt) went out and wait for their ACK, with the
 * retransmission timer running from Retransmit.TimeoutDelta; the rest goes
 * out from SndNxt on. The host no longer owns it: it completes as a send.
 */
void chimney_tcp_conn_data(struct chimney_dev *cdev, struct chimney_conn *conn,
			   struct chimney_block *b)
{
	struct chimney_tcp_delegated *d = &conn->tcb;
	u32 delta = d->retransmit_timeout_delta;
	struct chimney_tcp_ext *x = conn->x;

	lockdep_assert_held(&cdev->lock);
	if (b->rcvd) {
		CHIMNEY_RCV_CB(b->rcvd)->off = 0;
		CHIMNEY_RCV_CB(b->rcvd)->psh = true;
		__skb_queue_tail(&x->rcvq, b->rcvd);
		b->rcvd = NULL;
	}
	if (!b->snd)
		return;
	chimney_tcp_queue_send(conn, b->snd);
	b->snd = NULL;
	if (d->snd_nxt != d->snd_una)
		chimney_tcp_arm(conn, delta != U32_MAX ? max(delta, 1U) : x->rto);
}

/*
 * R30: with TCP_FLAG_UPDATE_RCV_WND the receive buffer is InitialRcvWnd
 * bytes from now on; what it holds (bytes not placed yet, indications the
 * host holds) stays. A window that grows is advertised at once; one that
 * shrinks is not taken back from the peer (RFC 9293, 3.8.6) but closes as
 * the buffer drains: window + held - excess is the buffer's size, and
 * stays so. InitialRcvWnd 0 says nothing.
 */
static void chimney_tcp_rcv_buffer(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	u32 size = conn->st.ca.initial_rcv_wnd, used = 0;
	struct chimney_tcp_delegated *d = &conn->tcb;
	struct chimney_tcp_ext *x;
	struct chimney_io *io;
	struct sk_buff *skb;

	if (!size)
		return;
	if (chimney_tcp_ext_get(cdev, conn)) {
		/* Nothing is buffered; without memory, no ACK either. */
		d->rcv_wnd = max(d->rcv_wnd, size);
		chimney_obj_write_begin(cdev, &conn->obj);
		conn->st.d.rcv_wnd = d->rcv_wnd;
		chimney_obj_write_end(&conn->obj);
		return;
	}
	x = conn->x;
	skb_queue_walk(&x->rcvq, skb)
		used += skb->len - CHIMNEY_RCV_CB(skb)->off;
	list_for_each_entry(io, &x->held, list)
		used += io->len;
	/* Each at most CHIMNEY_MAX_RCV_WND or so: no wrap. */
	x->rcv_space = size;
	x->rcv_excess = d->rcv_wnd + used > size ? d->rcv_wnd + used - size : 0;
	if (size > d->rcv_wnd + used) {
		d->rcv_wnd = size - used;
		set_bit(CHIMNEY_DP_ACK_NOW, &conn->dp);
	}
}

/**
 * chimney_tcp_update() - the host updated a connection's cached state
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @flags: the update's TCP_FLAG_* (the one-shot ones are not kept in the
 *	connection's state)
 * @ka_restart: new keepalive values or TCP_FLAG_KEEP_ALIVE_RESTART
 *
 * Keepalive starts, stops, or starts over from KaTimeout (decision 13,
 * R29); one that runs and is not restarted goes on as it was. The receive
 * buffer takes its new size (R30).
 */
void chimney_tcp_update(struct chimney_dev *cdev, struct chimney_conn *conn, u16 flags,
			bool ka_restart)
{
	if (flags & CHIMNEY_TCP_FLAG_UPDATE_RCV_WND) {
		chimney_tcp_rcv_buffer(cdev, conn);
		if (conn->x)
			chimney_tcp_push(cdev, conn);
	}
	if (chimney_tcp_ka_on(conn)) {
		/* A keepalive that runs goes on, unless this update restarts it. */
		if (conn->x && conn->x->due[CHIMNEY_T_KA] && !ka_restart)
			return;
		if (ka_restart)
			conn->tcb.keepalive_timeout_delta = U32_MAX;
		chimney_tcp_conn_start(cdev, conn);
	} else if (conn->x) {
		chimney_tcp_stop_timer(conn, CHIMNEY_T_KA);
		chimney_tcp_publish(cdev, conn);
	}
}

/**
 * chimney_tcp_conn_init() - the engine takes a new connection
 * @cdev: the device; its lock must be held
 * @conn: the connection, with its offloaded state, linked to its path
 *
 * NicDelta comes from TsTime (R21); the window advertised never shrinks
 * below what the host advertised.
 */
void chimney_tcp_conn_init(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_tcp_delegated *d = &conn->tcb;

	conn->x = NULL;
	conn->dp = 0;
	d->rcv_wnd = max(d->rcv_wnd, conn->st.ca.initial_rcv_wnd) ?: U16_MAX;
	conn->ts_delta = d->ts_time - chimney_ticks_now(cdev);
	if (!d->cwnd)
		d->cwnd = 10 * chimney_tcp_mss(cdev, conn);
	if (!d->ss_thresh)
		d->ss_thresh = U32_MAX;
	/* Not published yet: no reader can see it. */
	conn->st.d = conn->tcb;
	chimney_tcp_from_host(cdev, d);
}

/**
 * chimney_tcp_conn_stop() - the engine lets go of a connection
 * @cdev: the device; its lock must be held
 * @conn: the connection, out of the receive path's table, with no I/O
 *	request outstanding
 */
void chimney_tcp_conn_stop(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	struct chimney_tcp_ext *x = conn->x;

	if (!x)
		return;
	del_timer_sync(&x->timer);
	spin_lock_bh(&cdev->dp_lock);
	list_del_init(&x->fired);
	spin_unlock_bh(&cdev->dp_lock);
	chimney_ind_flush(conn);
	__skb_queue_purge(&x->rcvq);
	WARN_ON_ONCE(!list_empty(&x->sends) || !list_empty(&x->recvs) || x->disc || x->snd_mem);
	conn->x = NULL;
	kfree(x);
}
