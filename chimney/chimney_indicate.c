// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: receive indications (section 3.7, R69-R73).
 *
 * Bytes that arrive while no receive request is posted are offered to the
 * host (NdisTcpOffloadReceiveHandler), one indication at a time, as a
 * notification with the data. In NDIS the handler returns at once; here the
 * host answers with a command, and until it does the connection's delivery
 * waits (R72: receive completions and indications never overlap), while
 * the indicated bytes stay first in the receive queue:
 *
 *   SUCCESS                      all taken; the host holds the buffer
 *                                until it returns it (receive-return), and
 *                                until then its bytes take receive window
 *   OFFLOAD_DATA_PARTIALLY_ACCEPTED  the first BytesConsumed taken
 *   OFFLOAD_DATA_NOT_ACCEPTED    nothing taken
 *
 * After a partial or refused answer nothing more is indicated until the
 * host posts a receive request (R71); the bytes left are placed in posted
 * requests in order, so that what the host has is BytesConsumed plus later
 * deliveries, without loss or repeats (R70).
 *
 * Asynchrony needs two more rules. A receive request posted while an
 * indication waits refuses it: the host chose to post rather than take it.
 * An indication unanswered after the device's timeout is refused too, so a
 * host that does not listen still gets its data through posted requests or
 * as BufferedData at terminate. A late answer fails with ENOENT and
 * changes nothing.
 */
#include <linux/netlink.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "chimney.h"

/* Take len bytes from the head of the receive queue: the host has them. */
static void chimney_ind_take(struct chimney_conn *conn, u32 len)
{
	struct sk_buff *skb;

	while (len && (skb = skb_peek(&conn->x->rcvq))) {
		struct chimney_rcv_cb *cb = CHIMNEY_RCV_CB(skb);
		u32 n = min(len, skb->len - cb->off);

		cb->off += n;
		len -= n;
		if (cb->off == skb->len) {
			__skb_unlink(skb, &conn->x->rcvq);
			kfree_skb(skb);
		}
	}
}

static u32 chimney_ind_queued(const struct chimney_conn *conn, u32 max)
{
	const struct sk_buff *skb;
	u32 n = 0;

	skb_queue_walk(&conn->x->rcvq, skb) {
		n += skb->len - CHIMNEY_RCV_CB(skb)->off;
		if (n >= max)
			return max;
	}
	return n;
}

/**
 * chimney_ind_copy() - copy the first bytes of a connection's receive queue
 * @conn: the connection
 * @to: where to
 * @len: how many; at most what the queue holds
 */
void chimney_ind_copy(const struct chimney_conn *conn, u8 *to, u32 len)
{
	const struct sk_buff *skb;

	skb_queue_walk(&conn->x->rcvq, skb) {
		u32 off = CHIMNEY_RCV_CB(skb)->off;
		u32 n = min(len, skb->len - off);

		if (!len || skb_copy_bits(skb, off, to, n))
			return;
		to += n;
		len -= n;
	}
}

/**
 * chimney_ind_try() - indicate received bytes, if the host may get them so
 * @cdev: the device; its lock must be held
 * @conn: the connection, after its posted requests took what they could
 *
 * Only with no request posted (R69), none waiting for an answer, none
 * refused since the last post (R71), and nothing that stops delivery:
 * urgent data (R85), a reset, or a requested upload.
 */
void chimney_ind_try(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	u32 max = conn->st.ca.rcv_indication_size ?: CHIMNEY_IO_MAX_DATA;
	struct chimney_tcp_ext *x = conn->x;
	u32 len;

	lockdep_assert_held(&cdev->lock);
	if (x->ind_id || !list_empty(&x->recvs) || skb_queue_empty(&x->rcvq) ||
	    test_bit(CHIMNEY_DP_IND_OFF, &conn->dp) || test_bit(CHIMNEY_DP_URG, &conn->dp) ||
	    test_bit(CHIMNEY_DP_RST, &conn->dp) ||
	    test_bit(CHIMNEY_OBJ_RETRIEVE_BIT, &conn->obj.flags) ||
	    test_bit(CHIMNEY_OBJ_ABORTED_BIT, &conn->obj.flags))
		return;
	len = chimney_ind_queued(conn, min_t(u32, max, CHIMNEY_IO_MAX_DATA));
	x->ind_id = ++cdev->ind_seq;
	x->ind_len = len;
	chimney_tcp_set_timer(conn, CHIMNEY_T_IND, READ_ONCE(cdev->ind_timeout_ms));
	/* Not sent: the host cannot answer; the timeout refuses it. */
	chimney_notify_indicate(cdev, conn, x->ind_id, len);
}

/**
 * chimney_ind_cancel() - refuse the indication waiting for an answer, if any
 * @conn: the connection, with its engine state
 *
 * Its bytes stay first in the receive queue; a late answer gets ENOENT.
 */
void chimney_ind_cancel(struct chimney_conn *conn)
{
	conn->x->ind_id = 0;
	conn->x->ind_len = 0;
	chimney_tcp_stop_timer(conn, CHIMNEY_T_IND);
}

/**
 * chimney_ind_posted() - a receive request is being posted
 * @conn: the connection, with its engine state
 *
 * It refuses an indication still waiting, and lets indications start
 * again after a refusal (R71).
 */
void chimney_ind_posted(struct chimney_conn *conn)
{
	if (conn->x->ind_id)
		chimney_ind_cancel(conn);
	clear_bit(CHIMNEY_DP_IND_OFF, &conn->dp);
}

/**
 * chimney_ind_timeout() - the host did not answer an indication in time
 * @cdev: the device; its lock must be held
 * @conn: the connection
 *
 * As if it had answered OFFLOAD_DATA_NOT_ACCEPTED.
 */
void chimney_ind_timeout(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	if (!conn->x->ind_id)
		return;
	chimney_ind_cancel(conn);
	set_bit(CHIMNEY_DP_IND_OFF, &conn->dp);
	chimney_tcp_push(cdev, conn);
}

/**
 * chimney_ind_flush() - the connection is terminated or its engine stops
 * @conn: the connection, with its engine state
 *
 * A waiting indication counts as refused: its bytes go back as
 * BufferedData. Buffers the host holds are reclaimed with the connection.
 */
void chimney_ind_flush(struct chimney_conn *conn)
{
	struct chimney_io *io, *tmp;

	chimney_ind_cancel(conn);
	list_for_each_entry_safe(io, tmp, &conn->x->held, list) {
		list_del(&io->list);
		kfree(io);
	}
}

/**
 * chimney_ind_answer() - the host's answer to a receive indication
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @id: the indication's id
 * @status: SUCCESS, OFFLOAD_DATA_PARTIALLY_ACCEPTED or
 *	OFFLOAD_DATA_NOT_ACCEPTED
 * @bytes: BytesConsumed: all of it for SUCCESS, part of it for partial,
 *	none when refused
 * @extack: why it is rejected
 *
 * Then delivery goes on: posted requests are filled, or with none posted
 * after a SUCCESS the next bytes are indicated.
 *
 * Return: 0; -ENOENT when no indication with this id waits (never sent,
 * answered, refused by a post, timed out); -EINVAL for a status or count
 * that does not fit; -ENOMEM. Nothing changes on an error.
 */
int chimney_ind_answer(struct chimney_dev *cdev, struct chimney_conn *conn,
		       u64 id, u32 status, u32 bytes, struct netlink_ext_ack *extack)
{
	struct chimney_tcp_ext *x = conn->x;
	struct chimney_io *held = NULL;
	u32 len;

	lockdep_assert_held(&cdev->lock);
	if (!x || !id || x->ind_id != id) {
		NL_SET_ERR_MSG(extack, "No receive indication with this id waits for an answer");
		return -ENOENT;
	}
	len = x->ind_len;
	switch (status) {
	case CHIMNEY_NDIS_STATUS_SUCCESS:
		if (bytes != len) {
			NL_SET_ERR_MSG(extack, "SUCCESS takes all the bytes indicated");
			return -EINVAL;
		}
		held = kmalloc(sizeof(*held), CHIMNEY_GFP_USER);
		if (!held)
			return -ENOMEM;
		held->io_id = id;
		held->len = len;
		list_add_tail(&held->list, &x->held);
		break;
	case CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED:
		if (!bytes || bytes >= len) {
			NL_SET_ERR_MSG(extack,
				       "A partial acceptance takes at least one byte and not all");
			return -EINVAL;
		}
		break;
	case CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED:
		if (bytes) {
			NL_SET_ERR_MSG(extack, "A refusal takes no bytes");
			return -EINVAL;
		}
		break;
	default:
		NL_SET_ERR_MSG(extack,
			       "The answer is SUCCESS, OFFLOAD_DATA_PARTIALLY_ACCEPTED or OFFLOAD_DATA_NOT_ACCEPTED");
		return -EINVAL;
	}
	chimney_ind_cancel(conn);
	chimney_ind_take(conn, bytes);
	if (!held) {
		/* The target's buffer is back at once: so is its window. */
		u32 before = conn->tcb.rcv_wnd;

		chimney_tcp_rcv_free(conn, bytes);
		chimney_tcp_window_opened(cdev, conn, before);
		set_bit(CHIMNEY_DP_IND_OFF, &conn->dp);
	}
	chimney_tcp_push(cdev, conn);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_ind_answer);

/**
 * chimney_ind_return() - MiniportTcpOffloadReceiveReturn
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @id: the id of an indication the host accepted
 * @extack: why it is rejected
 *
 * The buffer's bytes stop taking receive window (R73). It works in any
 * state of the connection, also while it is being uploaded (decision 27).
 *
 * Return: 0, or -ENOENT for an id the host does not hold.
 */
int chimney_ind_return(struct chimney_dev *cdev, struct chimney_conn *conn,
		       u64 id, struct netlink_ext_ack *extack)
{
	struct chimney_io *io;

	lockdep_assert_held(&cdev->lock);
	if (conn->x) {
		list_for_each_entry(io, &conn->x->held, list) {
			u32 before = conn->tcb.rcv_wnd;

			if (io->io_id != id)
				continue;
			list_del(&io->list);
			chimney_tcp_rcv_free(conn, io->len);
			kfree(io);
			chimney_tcp_window_opened(cdev, conn, before);
			chimney_tcp_push(cdev, conn);
			return 0;
		}
	}
	NL_SET_ERR_MSG(extack, "The host holds no accepted indication with this id");
	return -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_ind_return);
