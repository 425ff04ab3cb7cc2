// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the offload engine, the virtual hardware of the target.
 *
 * Netlink validates a state request and queues it; this work item processes
 * the queue in arrival order, each request after the device's latency, and
 * completes it: it writes a status into every block (section 3 of the
 * specification), sends the completion, then the events the request caused.
 * Corrupt hardware (set through debugfs) follows section 3.12: the request
 * completes with FAILURE in the affected blocks, then every affected
 * connection gets TcpIndicateRetrieve(HardwareFailure), then
 * TcpIndicateAbort; the host's next terminate completes their outstanding
 * I/O with REQUEST_ABORTED before its own completion.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/kcov.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "chimney.h"
#include "chimney_trace.h"

static struct chimney_conn *chimney_conn(struct chimney_obj *obj)
{
	return container_of(obj, struct chimney_conn, obj);
}

/*
 * Indicate a TCP event (Retrieve with a reason, or Abort) on every
 * connection at or above obj, once per request.
 */
static void chimney_indicate(struct chimney_dev *cdev, struct chimney_obj *obj,
			     u32 type, u32 info)
{
	struct chimney_obj *child;

	/*
	 * A device going away indicates nothing more: its request holds the
	 * device, and ip link del waits for it, so a million events are not
	 * sent to a host that is deleting it.
	 */
	if (chimney_dev_dead(cdev))
		return;
	if (obj->layer != CHIMNEY_LAYER_TCP) {
		list_for_each_entry(child, &obj->children, sibling)
			chimney_indicate(cdev, child, type, info);
		return;
	}
	if (test_and_set_bit(CHIMNEY_OBJ_SEEN_BIT, &obj->flags))
		return;
	chimney_obj_set_flag(obj, type == CHIMNEY_TCP_INDICATE_ABORT ?
			     CHIMNEY_OBJ_ABORTED_BIT : CHIMNEY_OBJ_RETRIEVE_BIT);
	chimney_notify_tcp_event(cdev, obj, type, info);
}

static void chimney_clear_seen(struct chimney_obj *obj)
{
	struct chimney_obj *child;

	clear_bit(CHIMNEY_OBJ_SEEN_BIT, &obj->flags);
	list_for_each_entry(child, &obj->children, sibling)
		chimney_clear_seen(child);
}

/* Clear the once-per-request marks under every block of a request. */
static void chimney_req_unsee(struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++)
		if (req->blocks[i].obj)
			chimney_clear_seen(req->blocks[i].obj);
}

static void chimney_mark_failed(struct chimney_obj *obj)
{
	struct chimney_obj *child;

	chimney_obj_set_flag(obj, CHIMNEY_OBJ_FAILED_BIT);
	list_for_each_entry(child, &obj->children, sibling)
		chimney_mark_failed(child);
}

/*
 * After the completion: the events of every block whose object the request
 * touched, in block order. A FAILURE on corrupt hardware gives every
 * affected connection Retrieve(HardwareFailure), then every one Abort;
 * a successful invalidate gives Retrieve(InvalidState).
 */
static void chimney_req_events(struct chimney_dev *cdev, struct chimney_req *req)
{
	struct chimney_block *b;
	unsigned int i;
	bool hw = false;

	for (i = 0; i < req->nblocks; i++) {
		b = &req->blocks[i];
		if (!b->obj || b->role != CHIMNEY_ROLE_REF)
			continue;
		if (b->status == CHIMNEY_NDIS_STATUS_FAILURE &&
		    req->cmd != CHIMNEY_CMD_UPDATE) {
			chimney_indicate(cdev, b->obj, CHIMNEY_TCP_INDICATE_RETRIEVE,
					 CHIMNEY_UPLOAD_HARDWARE_FAILURE);
			hw = true;
		} else if (req->cmd == CHIMNEY_CMD_INVALIDATE) {
			chimney_indicate(cdev, b->obj, CHIMNEY_TCP_INDICATE_RETRIEVE,
					 CHIMNEY_UPLOAD_INVALID_STATE);
		}
	}
	chimney_req_unsee(req);
	if (!hw)
		return;
	for (i = 0; i < req->nblocks; i++) {
		b = &req->blocks[i];
		if (b->obj && b->role == CHIMNEY_ROLE_REF &&
		    b->status == CHIMNEY_NDIS_STATUS_FAILURE)
			chimney_indicate(cdev, b->obj, CHIMNEY_TCP_INDICATE_ABORT, 0);
	}
	chimney_req_unsee(req);
}

/* Resolve a referenced object again: it may have gone since validation. */
static struct chimney_obj *chimney_block_ref(struct chimney_dev *cdev,
					     struct chimney_block *b)
{
	struct chimney_obj *obj = chimney_obj_lookup(cdev, b->handle);

	if (obj && obj->type != b->type)
		obj = NULL;
	b->obj = obj;
	/* Completions echo the host's handle of every object (R8). */
	if (obj)
		b->host_handle = obj->host_handle;
	return obj;
}

/* The largest path MTU the virtual hardware sends (R17). */
static bool chimney_path_mtu_fits(u32 mtu)
{
	return mtu <= CHIMNEY_MAX_PATH_MTU;
}

static bool chimney_status_ok(u32 status)
{
	return status == CHIMNEY_NDIS_STATUS_SUCCESS ||
	       status == CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS;
}

/* Fault injection: debugfs fail_next_<kind> fails the next N of a kind. */
static bool chimney_fail_next(struct chimney_dev *cdev, enum chimney_fail kind)
{
	if (!cdev->fail_next[kind])
		return false;
	cdev->fail_next[kind]--;
	return true;
}

/* Validate and offload one new-offload block (section 3.1, R15-R18). */
static u32 chimney_initiate_new(struct chimney_dev *cdev, struct chimney_block *b,
				struct chimney_obj *parent)
{
	static const u8 zero_mac[ETH_ALEN];
	struct chimney_obj *obj;

	switch (b->layer) {
	case CHIMNEY_LAYER_NEIGH:
		if (memcmp(b->st.neigh.dl_source_address, zero_mac, ETH_ALEN))
			return CHIMNEY_NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES;
		if (!chimney_dev_vlan_ok(cdev, b->st.neigh.vlan_id))
			return CHIMNEY_NDIS_STATUS_OFFLOAD_VLAN_MISMATCH;
		if (cdev->count[CHIMNEY_LAYER_NEIGH] >= cdev->limits.neighbors)
			return CHIMNEY_NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES;
		break;
	case CHIMNEY_LAYER_PATH:
		if (!chimney_path_mtu_fits(b->st.path.path_mtu))
			return CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_MTU;
		if (cdev->count[CHIMNEY_LAYER_PATH] >= cdev->limits.paths)
			return CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_ENTRIES;
		break;
	default:
		if (b->st.tcp.ca.initial_rcv_wnd > CHIMNEY_MAX_RCV_WND)
			return CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW;
		if (cdev->count[CHIMNEY_LAYER_TCP] >= cdev->capacity)
			return CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_ENTRIES;
		break;
	}
	if (READ_ONCE(cdev->corrupt))
		return CHIMNEY_NDIS_STATUS_FAILURE;
	if (chimney_fail_next(cdev, CHIMNEY_FAIL_OFFLOAD))
		return CHIMNEY_NDIS_STATUS_RESOURCES;
	obj = chimney_obj_create(cdev, parent, b);
	if (IS_ERR(obj)) {
		if (PTR_ERR(obj) == -EEXIST)
			return CHIMNEY_NDIS_STATUS_FAILURE;
		if (PTR_ERR(obj) != -EBUSY)
			return CHIMNEY_NDIS_STATUS_RESOURCES;
		switch (b->layer) {
		case CHIMNEY_LAYER_NEIGH:
			return CHIMNEY_NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES;
		case CHIMNEY_LAYER_PATH:
			return CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_ENTRIES;
		default:
			return CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_ENTRIES;
		}
	}
	b->obj = obj;
	b->handle = chimney_obj_handle(obj);
	return CHIMNEY_NDIS_STATUS_SUCCESS;
}

/*
 * Initiate (section 3.1): visit the blocks in traversal order. A block
 * whose parent failed is not attempted (FAILURE, R9); the traversal goes
 * on with its siblings (decision 6 of section 6). Then, from the leaves
 * down, placeholders get SUCCESS (R4), linkers SUCCESS, PARTIAL_SUCCESS or
 * FAILURE by their dependents (R5), new offloads PARTIAL_SUCCESS when a
 * dependent failed (R6).
 */
static void chimney_initiate(struct chimney_dev *cdev, struct chimney_req *req)
{
	unsigned int i, j;

	for (i = 0; i < req->nblocks; i++) {
		struct chimney_block *b = &req->blocks[i];
		struct chimney_block *p = b->parent == CHIMNEY_BLOCK_NO_PARENT ?
					  NULL : &req->blocks[b->parent];

		if (p && p->role != CHIMNEY_ROLE_PLACEHOLDER &&
		    !chimney_status_ok(p->status)) {
			b->status = CHIMNEY_NDIS_STATUS_FAILURE;
			continue;
		}
		switch (b->role) {
		case CHIMNEY_ROLE_PLACEHOLDER:
			b->status = CHIMNEY_NDIS_STATUS_SUCCESS;
			break;
		case CHIMNEY_ROLE_REF:
			b->status = chimney_block_ref(cdev, b) ?
				    CHIMNEY_NDIS_STATUS_SUCCESS :
				    CHIMNEY_NDIS_STATUS_FAILURE;
			break;
		default:
			b->status = chimney_initiate_new(cdev, b, p ? p->obj : NULL);
			break;
		}
	}

	for (i = req->nblocks; i-- > 0;) {
		struct chimney_block *b = &req->blocks[i];
		unsigned int deps = 0, failed = 0;

		if (b->role == CHIMNEY_ROLE_PLACEHOLDER || !chimney_status_ok(b->status))
			continue;
		for (j = i + 1; j < req->nblocks; j++) {
			if (req->blocks[j].parent != i)
				continue;
			deps++;
			failed += !chimney_status_ok(req->blocks[j].status);
		}
		if (!failed)
			b->status = CHIMNEY_NDIS_STATUS_SUCCESS;
		else if (b->role == CHIMNEY_ROLE_REF && failed == deps)
			b->status = CHIMNEY_NDIS_STATUS_FAILURE;
		else
			b->status = CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS;
	}
	/* Only new objects are the request's; linkers raise no events. */
	for (i = 0; i < req->nblocks; i++)
		if (req->blocks[i].role == CHIMNEY_ROLE_REF)
			req->blocks[i].obj = NULL;
}

/*
 * Once the initiate completion is out, new connections that came with data
 * start moving it: buffered receive data may be indicated only now (3.1).
 */
static void chimney_initiate_started(struct chimney_dev *cdev, struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++) {
		struct chimney_block *b = &req->blocks[i];

		if (b->layer == CHIMNEY_LAYER_TCP && b->obj &&
		    container_of(b->obj, struct chimney_conn, obj)->x)
			chimney_tcp_push(cdev, container_of(b->obj, struct chimney_conn, obj));
	}
}

/**
 * chimney_req_free() - free a state request
 * @req: the request; the data of new connections that none took is freed
 *	with it, and the host's send data is not completed (R10)
 */
void chimney_req_free(struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++) {
		kvfree(req->blocks[i].snd);
		kfree_skb(req->blocks[i].rcvd);
	}
	mem_cgroup_put(req->memcg);
	kvfree(req);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_req_free);

/*
 * The object a block of a query, invalidate or terminate references, if it
 * still exists and its hardware state is sound; otherwise the block fails
 * (sections 3.2, 3.4, 3.5, 3.12). Placeholders succeed.
 */
static struct chimney_obj *chimney_block_sound(struct chimney_dev *cdev,
					       struct chimney_block *b,
					       enum chimney_fail kind)
{
	b->status = CHIMNEY_NDIS_STATUS_SUCCESS;
	if (b->role != CHIMNEY_ROLE_REF)
		return NULL;
	if (!chimney_block_ref(cdev, b) || chimney_obj_corrupt(cdev, b->obj) ||
	    chimney_fail_next(cdev, kind)) {
		b->status = CHIMNEY_NDIS_STATUS_FAILURE;
		return NULL;
	}
	return b->obj;
}

/* Objects whose block failed on corrupt hardware: the host is told once. */
static void chimney_req_mark_failed(struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++)
		if (req->blocks[i].obj &&
		    req->blocks[i].status == CHIMNEY_NDIS_STATUS_FAILURE)
			chimney_mark_failed(req->blocks[i].obj);
}

/* Query (section 3.2): current state of every class, or FAILURE (3.12). */
/* An object's state as a query or terminate hands it back: as of now. */
static void chimney_upload_state(struct chimney_dev *cdev, struct chimney_obj *obj,
				 struct chimney_block *b)
{
	chimney_obj_get_state(cdev, obj, b);
	if (obj->layer == CHIMNEY_LAYER_TCP)
		chimney_tcp_state_now(cdev, chimney_conn(obj), &b->st.tcp.d);
}

static void chimney_query(struct chimney_dev *cdev, struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++) {
		struct chimney_obj *obj = chimney_block_sound(cdev, &req->blocks[i],
							   CHIMNEY_FAIL_QUERY);

		if (obj)
			chimney_upload_state(cdev, obj, &req->blocks[i]);
	}
	chimney_req_mark_failed(req);
}

/*
 * R27: cached state the hardware cannot take (a receive buffer too large, a
 * path MTU above what it sends) fails the block and changes nothing, in an
 * update as in an initiate.
 */
static bool chimney_update_fits(const struct chimney_block *b)
{
	if (!(b->has & CHIMNEY_HAS_CACHED))
		return true;
	if (b->layer == CHIMNEY_LAYER_TCP)
		return b->st.tcp.ca.initial_rcv_wnd <= CHIMNEY_MAX_RCV_WND;
	if (b->layer == CHIMNEY_LAYER_PATH)
		return chimney_path_mtu_fits(b->st.path.path_mtu);
	return true;
}

/* Update (section 3.3): cached variables, and relinking paths (R26). */
static void chimney_update(struct chimney_dev *cdev, struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++) {
		struct chimney_block *b = &req->blocks[i];
		struct chimney_block *p = b->parent == CHIMNEY_BLOCK_NO_PARENT ?
					  NULL : &req->blocks[b->parent];
		bool ka_restart = false;
		struct chimney_obj *obj;

		b->status = CHIMNEY_NDIS_STATUS_SUCCESS;
		if (b->role != CHIMNEY_ROLE_REF)
			continue;
		obj = chimney_block_ref(cdev, b);
		if (!obj || chimney_obj_corrupt(cdev, obj) ||
		    chimney_fail_next(cdev, CHIMNEY_FAIL_UPDATE) ||
		    !chimney_update_fits(b)) {
			/* Nothing below a failed block is relinked to it. */
			b->obj = NULL;
			b->status = CHIMNEY_NDIS_STATUS_FAILURE;
			continue;
		}
		if (p && p->obj && obj->layer == CHIMNEY_LAYER_PATH &&
		    chimney_obj_parent(cdev, obj) != p->obj)
			chimney_obj_relink(cdev, obj, p->obj);
		if (!(b->has & CHIMNEY_HAS_CACHED))
			continue;
		/* Readers under RCU copy the state whole (chimney_obj_get_state). */
		chimney_obj_write_begin(cdev, obj);
		switch (obj->layer) {
		case CHIMNEY_LAYER_NEIGH: {
			struct chimney_neigh *neigh =
				container_of(obj, struct chimney_neigh, obj);

			ether_addr_copy(neigh->st.dl_destination_address,
					b->st.neigh.dl_destination_address);
			/* Only HRD is the host's reply; the clock runs on without. */
			if (b->has & CHIMNEY_HAS_HRD)
				chimney_neigh_host_reply(cdev, neigh,
							 b->st.neigh.host_reachability_delta);
			break;
		}
		case CHIMNEY_LAYER_PATH:
			container_of(obj, struct chimney_path, obj)->st.path_mtu =
				b->st.path.path_mtu;
			break;
		default: {
			struct chimney_tcp_delegated *tcb = &chimney_conn(obj)->tcb;
			struct chimney_tcp_state *st = &chimney_conn(obj)->st;
			const struct chimney_tcp_cached *ca = &b->st.tcp.ca;

			/*
			 * Decision 13: new keepalive values reset its counters;
			 * so does TCP_FLAG_KEEP_ALIVE_RESTART (R29), and both
			 * start its timer over from KaTimeout.
			 */
			ka_restart = ca->ka_probe_count != st->ca.ka_probe_count ||
				     ca->ka_timeout != st->ca.ka_timeout ||
				     ca->ka_interval != st->ca.ka_interval ||
				     (ca->flags & CHIMNEY_TCP_FLAG_KEEP_ALIVE_RESTART);
			if (ka_restart)
				tcb->keepalive_probe_count = 0;
			if (ca->flags & CHIMNEY_TCP_FLAG_MAX_RT_RESTART)
				tcb->total_rt = 0;
			chimney_tcp_state_now(cdev, chimney_conn(obj), &st->d);
			st->ca = *ca;
			/* Restart and update flags act once; they are not state. */
			st->ca.flags &= CHIMNEY_TCP_FLAG_KEEP_ALIVE_ENABLED |
					CHIMNEY_TCP_FLAG_NAGLING_ENABLED;
			break;
		}
		}
		chimney_obj_write_end(obj);
		if (obj->layer == CHIMNEY_LAYER_TCP)
			chimney_tcp_update(cdev, chimney_conn(obj), b->st.tcp.ca.flags, ka_restart);
	}
	for (i = 0; i < req->nblocks; i++)
		req->blocks[i].obj = NULL;
}

/* Invalidate (section 3.4): stop sending, Retrieve(InvalidState) follows. */
static void chimney_invalidate(struct chimney_dev *cdev, struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++) {
		struct chimney_obj *obj = chimney_block_sound(cdev, &req->blocks[i],
							   CHIMNEY_FAIL_INVALIDATE);

		if (obj)
			chimney_obj_set_flag(obj, CHIMNEY_OBJ_INVALID_BIT);
	}
	chimney_req_mark_failed(req);
}

/* Complete every outstanding I/O request of a connection being uploaded. */
static void chimney_conn_flush_io(struct chimney_dev *cdev,
				  struct chimney_obj *obj, u32 status)
{
	chimney_tcp_flush(cdev, chimney_conn(obj), status);
}

/*
 * Terminate (section 3.5): hand back the delegated state, complete the
 * outstanding I/O first (R42), then unpublish the objects, dependents
 * before their parents, and free them after the completion (R51). On
 * corrupt hardware the block fails and the object stays, marked FAILED, for
 * the host's next terminate (decision 9 of section 6).
 */
static void chimney_terminate(struct chimney_dev *cdev, struct chimney_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nblocks; i++) {
		struct chimney_block *b = &req->blocks[i];
		struct chimney_obj *obj = chimney_block_sound(cdev, b, CHIMNEY_FAIL_TERMINATE);
		u32 io_status;

		if (!obj)
			continue;
		chimney_upload_state(cdev, obj, b);
		b->has = CHIMNEY_HAS_DELEGATED;
		if (obj->layer != CHIMNEY_LAYER_TCP)
			continue;
		io_status = obj->flags & (BIT(CHIMNEY_OBJ_ABORTED_BIT) |
					  BIT(CHIMNEY_OBJ_FAILED_BIT)) ?
			    CHIMNEY_NDIS_STATUS_REQUEST_ABORTED :
			    CHIMNEY_NDIS_STATUS_UPLOAD_IN_PROGRESS;
		chimney_conn_flush_io(cdev, obj, io_status);
	}

	for (i = req->nblocks; i-- > 0;) {
		struct chimney_block *b = &req->blocks[i];

		if (!b->obj || b->status != CHIMNEY_NDIS_STATUS_SUCCESS)
			continue;
		/*
		 * The host terminates a parent only with its dependents, and
		 * an object once: a second block for one already taken out
		 * by this request fails, or it would be freed twice.
		 */
		if (!list_empty(&b->obj->children) ||
		    test_bit(CHIMNEY_OBJ_DEAD_BIT, &b->obj->flags)) {
			b->status = CHIMNEY_NDIS_STATUS_FAILURE;
			b->has = 0;
			b->obj = NULL;
			continue;
		}
		chimney_obj_unpublish(cdev, b->obj);
	}
	chimney_req_mark_failed(req);
}

static bool chimney_offload_empty(const struct chimney_dev *cdev)
{
	return !cdev->count[CHIMNEY_LAYER_NEIGH] && !cdev->count[CHIMNEY_LAYER_PATH] &&
	       !cdev->count[CHIMNEY_LAYER_TCP];
}

/**
 * chimney_offload_indicate() - an adapter-wide status indication (3.11)
 * @cdev: the device; its lock must be held
 * @status: CHIMNEY_NDIS_STATUS_OFFLOAD_PAUSE: the host should offload
 *	nothing new (what still arrives is processed, R53);
 *	CHIMNEY_NDIS_STATUS_UPLOAD_ALL: the host should terminate everything;
 *	CHIMNEY_NDIS_STATUS_OFFLOAD_RESUME: offload again, sent only once an
 *	upload of everything has completed (R52), until then it is pending
 *
 * Return: 0, or -EINVAL for another status.
 */
int chimney_offload_indicate(struct chimney_dev *cdev, u32 status)
{
	lockdep_assert_held(&cdev->lock);
	switch (status) {
	case CHIMNEY_NDIS_STATUS_OFFLOAD_PAUSE:
		cdev->adapter = CHIMNEY_ADAPTER_PAUSED;
		break;
	case CHIMNEY_NDIS_STATUS_UPLOAD_ALL:
		cdev->adapter = CHIMNEY_ADAPTER_UPLOAD_ALL;
		break;
	case CHIMNEY_NDIS_STATUS_OFFLOAD_RESUME:
		if (cdev->adapter == CHIMNEY_ADAPTER_UPLOAD_ALL && !chimney_offload_empty(cdev)) {
			cdev->resume_pending = true;
			return 0;
		}
		cdev->resume_pending = false;
		cdev->adapter = CHIMNEY_ADAPTER_RUNNING;
		break;
	default:
		return -EINVAL;
	}
	chimney_notify_status(cdev, status);
	return 0;
}

/**
 * chimney_process() - the virtual hardware processes one state request
 * @cdev: the device; its lock must be held
 * @req: the request; its blocks get their statuses, its completion and
 *	events are sent
 */
VISIBLE_IF_KUNIT void chimney_process(struct chimney_dev *cdev, struct chimney_req *req)
{
	unsigned int i;

	lockdep_assert_held(&cdev->lock);
	switch (req->cmd) {
	case CHIMNEY_CMD_INITIATE:
		chimney_initiate(cdev, req);
		chimney_stat_add(cdev, &cdev->stats.initiates, 1);
		break;
	case CHIMNEY_CMD_QUERY:
		chimney_query(cdev, req);
		chimney_stat_add(cdev, &cdev->stats.queries, 1);
		break;
	case CHIMNEY_CMD_UPDATE:
		chimney_update(cdev, req);
		chimney_stat_add(cdev, &cdev->stats.updates, 1);
		break;
	case CHIMNEY_CMD_INVALIDATE:
		chimney_invalidate(cdev, req);
		chimney_stat_add(cdev, &cdev->stats.invalidates, 1);
		break;
	default:
		chimney_terminate(cdev, req);
		chimney_stat_add(cdev, &cdev->stats.terminates, 1);
		break;
	}
	chimney_notify_complete(cdev, req);
	if (req->cmd == CHIMNEY_CMD_INITIATE)
		chimney_initiate_started(cdev, req);
	if (req->cmd == CHIMNEY_CMD_TERMINATE) {
		for (i = 0; i < req->nblocks; i++) {
			struct chimney_block *b = &req->blocks[i];

			if (b->obj && b->status == CHIMNEY_NDIS_STATUS_SUCCESS) {
				chimney_obj_free(b->obj);
				b->obj = NULL;
			}
		}
	}
	chimney_req_events(cdev, req);
	if (cdev->resume_pending && chimney_offload_empty(cdev))
		chimney_offload_indicate(cdev, CHIMNEY_NDIS_STATUS_OFFLOAD_RESUME);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_process);

static struct chimney_req *chimney_next_req(struct chimney_dev *cdev,
					    unsigned long *next)
{
	struct chimney_req *req;

	spin_lock_bh(&cdev->req_lock);
	req = list_first_entry_or_null(&cdev->reqs, struct chimney_req, list);
	if (req && time_before(jiffies, req->due)) {
		*next = req->due;
		req = NULL;
	} else if (req) {
		list_del(&req->list);
		cdev->nreqs--;
	}
	spin_unlock_bh(&cdev->req_lock);
	return req;
}

static void chimney_offload_work(struct work_struct *work)
{
	struct chimney_dev *cdev = container_of(to_delayed_work(work),
						struct chimney_dev, work);
	unsigned long next = 0;
	struct chimney_req *req;

	/*
	 * A device going away is unregistered, its frames and addresses gone:
	 * its teardown fails what waits here. Held, it keeps them while this
	 * finishes the request it is in.
	 */
	if (!chimney_dev_hold_live(cdev))
		return;
	kcov_remote_start_common(cdev->kcov_handle);
	mutex_lock(&cdev->lock);
	while (!chimney_dev_dead(cdev) && (req = chimney_next_req(cdev, &next))) {
		struct mem_cgroup *old = set_active_memcg(req->memcg);

		chimney_process(cdev, req);
		set_active_memcg(old);
		chimney_req_free(req);
		cond_resched();
	}
	mutex_unlock(&cdev->lock);
	kcov_remote_stop();
	dev_put(cdev->netdev);
	/*
	 * The head is due first; a request queued while this ran may have
	 * armed the work for its own, later, time. Not after a cancel.
	 */
	if (next)
		mod_delayed_work(system_unbound_wq, &cdev->work,
				 time_after(next, jiffies) ? next - jiffies : 0);
}

/**
 * chimney_offload_init() - start the virtual hardware of a device
 * @cdev: the device
 */
void chimney_offload_init(struct chimney_dev *cdev)
{
	spin_lock_init(&cdev->req_lock);
	INIT_LIST_HEAD(&cdev->reqs);
	INIT_DELAYED_WORK(&cdev->work, chimney_offload_work);
}

/*
 * Inline: processed at once, in the requester's context, when no other
 * request waits (fault injection by fail-nth then reaches all of its
 * allocations).
 */
static int chimney_offload_inline(struct chimney_dev *cdev, struct chimney_req *req,
				  unsigned long delay)
{
	bool now;

	mutex_lock(&cdev->lock);
	spin_lock_bh(&cdev->req_lock);
	/* The requester holds the device: its teardown waits for the lock. */
	if (cdev->dead) {
		spin_unlock_bh(&cdev->req_lock);
		mutex_unlock(&cdev->lock);
		return -ENODEV;
	}
	/* The worker takes requests under cdev->lock: none is half done. */
	now = list_empty(&cdev->reqs);
	if (!now && cdev->nreqs >= READ_ONCE(cdev->limits.requests)) {
		spin_unlock_bh(&cdev->req_lock);
		mutex_unlock(&cdev->lock);
		return -ENOBUFS;
	}
	trace_chimney_request(cdev, req);
	if (!now) {
		list_add_tail(&req->list, &cdev->reqs);
		cdev->nreqs++;
		queue_delayed_work(system_unbound_wq, &cdev->work, delay);
	}
	spin_unlock_bh(&cdev->req_lock);
	if (now) {
		chimney_process(cdev, req);
		chimney_req_free(req);
	}
	mutex_unlock(&cdev->lock);
	return 0;
}

/**
 * chimney_offload_queue() - hand a validated request to the virtual hardware
 * @cdev: the device
 * @req: the request; the engine frees it once completed
 *
 * It is processed after the device's latency, in order; with
 * inline_requests, at once when no other request waits. Queueing takes
 * only @cdev->req_lock, never @cdev->lock, which the virtual hardware holds
 * while it works: a request is accepted while others are processed.
 *
 * Return: 0, -ENODEV when the device is going away, or -ENOBUFS when
 * CHIMNEY_LIMIT_A_REQUESTS are queued already (@req is then still the
 * caller's).
 */
int chimney_offload_queue(struct chimney_dev *cdev, struct chimney_req *req)
{
	unsigned long delay = msecs_to_jiffies(READ_ONCE(cdev->latency_ms));

	req->due = jiffies + delay;
	if (READ_ONCE(cdev->inline_requests))
		return chimney_offload_inline(cdev, req, delay);
	spin_lock_bh(&cdev->req_lock);
	if (cdev->dead) {
		spin_unlock_bh(&cdev->req_lock);
		return -ENODEV;
	}
	if (cdev->nreqs >= READ_ONCE(cdev->limits.requests)) {
		spin_unlock_bh(&cdev->req_lock);
		return -ENOBUFS;
	}
	trace_chimney_request(cdev, req);
	list_add_tail(&req->list, &cdev->reqs);
	cdev->nreqs++;
	/*
	 * Under req_lock: once @dead is set, no request is added and the
	 * work is not scheduled again, so chimney_offload_destroy()'s
	 * cancel is the last word. The queue is FIFO with one latency: the
	 * head is due first.
	 */
	queue_delayed_work(system_unbound_wq, &cdev->work, delay);
	spin_unlock_bh(&cdev->req_lock);
	return 0;
}

/**
 * chimney_conn_io_status() - whether an I/O request on a connection ends
 *	at once
 * @cdev: the device
 * @conn: the connection
 *
 * Return: REQUEST_ABORTED once it was reset or aborted; UPLOAD_IN_PROGRESS
 * while it, or everything, is being uploaded (R60, 3.11); else 0.
 */
u32 chimney_conn_io_status(const struct chimney_dev *cdev, const struct chimney_conn *conn)
{
	unsigned long flags = READ_ONCE(conn->obj.flags);

	if (flags & BIT(CHIMNEY_OBJ_ABORTED_BIT) || test_bit(CHIMNEY_DP_RST, &conn->dp))
		return CHIMNEY_NDIS_STATUS_REQUEST_ABORTED;
	if (cdev->adapter == CHIMNEY_ADAPTER_UPLOAD_ALL || flags & BIT(CHIMNEY_OBJ_RETRIEVE_BIT))
		return CHIMNEY_NDIS_STATUS_UPLOAD_IN_PROGRESS;
	return 0;
}

/**
 * chimney_offload_post_io() - post a send, receive or disconnect request
 * @cdev: the device; its lock must be held
 * @conn: the connection; for a disconnect, without one outstanding
 * @cmd: CHIMNEY_CMD_SEND, CHIMNEY_CMD_RECEIVE or CHIMNEY_CMD_DISCONNECT
 * @io: the request, kvmalloc()ed; the engine owns it from here on
 *
 * The request stays outstanding until the data path completes it: a send
 * once the peer has acknowledged all of it, a receive once filled (or
 * pushed). On a connection being uploaded or aborted it completes at once
 * (R60), and so does a receive posted after TcpIndicateDisconnect (R67).
 *
 * Return: 0, or -ENOMEM with the request freed.
 */
int chimney_offload_post_io(struct chimney_dev *cdev, struct chimney_conn *conn,
			    u8 cmd, struct chimney_io *io)
{
	u8 done = cmd == CHIMNEY_CMD_SEND ? CHIMNEY_CMD_SEND_COMPLETE :
		  cmd == CHIMNEY_CMD_RECEIVE ? CHIMNEY_CMD_RECEIVE_COMPLETE :
		  CHIMNEY_CMD_DISCONNECT_COMPLETE;
	u32 status = chimney_conn_io_status(cdev, conn);

	lockdep_assert_held(&cdev->lock);
	if (!status && cmd == CHIMNEY_CMD_RECEIVE && test_bit(CHIMNEY_DP_DISC_IND, &conn->dp))
		status = CHIMNEY_NDIS_STATUS_INVALID_STATE;
	if (status) {
		chimney_notify_io(cdev, &conn->obj, done, io->io_id, status, 0, NULL);
		kvfree(io);
		return 0;
	}
	if (chimney_tcp_ext_get(cdev, conn)) {
		kvfree(io);
		return -ENOMEM;
	}
	trace_chimney_io(cdev, &conn->obj, cmd, io->io_id, 0, io->len);
	if (cmd == CHIMNEY_CMD_RECEIVE)
		chimney_ind_posted(conn);
	if (cmd == CHIMNEY_CMD_DISCONNECT) {
		chimney_tcp_disconnect(cdev, conn, io);
		return 0;
	}
	if (cmd == CHIMNEY_CMD_SEND)
		chimney_tcp_queue_send(conn, io);
	else
		list_add_tail(&io->list, &conn->x->recvs);
	chimney_tcp_push(cdev, conn);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_offload_post_io);

/**
 * chimney_offload_io_room() - whether a connection may take one more request
 * @cdev: the device; its lock must be held
 * @conn: the connection
 * @cmd: %CHIMNEY_CMD_SEND, _RECEIVE or _DISCONNECT
 * @io: the request
 * @extack: where a refusal is explained
 *
 * What user space makes the connection hold is bounded by the device's
 * limits: the memory of outstanding sends, the count of posted receives.
 *
 * Return: 0, or -ENOBUFS.
 */
int chimney_offload_io_room(struct chimney_dev *cdev, const struct chimney_conn *conn,
			    u8 cmd, const struct chimney_io *io,
			    struct netlink_ext_ack *extack)
{
	const struct chimney_tcp_ext *x = conn->x;
	const struct chimney_io *r;
	u32 n = 0;

	lockdep_assert_held(&cdev->lock);
	if (cmd == CHIMNEY_CMD_RECEIVE) {
		if (!x)
			return 0;
		/* Bounded by the limit itself: at most that many steps. */
		list_for_each_entry(r, &x->recvs, list) {
			if (++n < cdev->limits.receives)
				continue;
			NL_SET_ERR_MSG(extack,
				       "The connection has its limit of posted receives (CHIMNEY_LIMIT_A_RECEIVES)");
			return -ENOBUFS;
		}
		return 0;
	}
	if (io->len && (u64)(x ? x->snd_mem : 0) + chimney_io_cost(io) > cdev->limits.send_bytes) {
		NL_SET_ERR_MSG(extack,
			       "The connection's outstanding sends are at their limit (CHIMNEY_LIMIT_A_SEND_BYTES)");
		return -ENOBUFS;
	}
	return 0;
}

/**
 * chimney_offload_destroy() - stop the virtual hardware of a device
 * @cdev: the device, already marked dead
 *
 * Every request still queued completes with FAILURE in all its blocks and
 * every outstanding I/O request with REQUEST_ABORTED: no request is ever
 * left without its completion.
 */
void chimney_offload_destroy(struct chimney_dev *cdev)
{
	struct chimney_req *req, *tmp;
	struct chimney_obj *obj;
	unsigned int i, n = 0;
	unsigned long idx;
	LIST_HEAD(reqs);

	cancel_delayed_work_sync(&cdev->work);
	spin_lock_bh(&cdev->req_lock);
	list_splice_init(&cdev->reqs, &reqs);
	cdev->nreqs = 0;
	spin_unlock_bh(&cdev->req_lock);

	mutex_lock(&cdev->lock);
	list_for_each_entry_safe(req, tmp, &reqs, list) {
		for (i = 0; i < req->nblocks; i++)
			req->blocks[i].status = CHIMNEY_NDIS_STATUS_FAILURE;
		chimney_notify_complete(cdev, req);
		list_del(&req->list);
		chimney_req_free(req);
	}
	xa_for_each(&cdev->objs, idx, obj) {
		if (obj->layer == CHIMNEY_LAYER_TCP)
			chimney_conn_flush_io(cdev, obj,
					      CHIMNEY_NDIS_STATUS_REQUEST_ABORTED);
		chimney_walk_resched(cdev, &n);
	}
	mutex_unlock(&cdev->lock);
}
