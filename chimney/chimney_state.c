// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the offload state tree.
 *
 * Objects (neighbor, path, TCP connection) live in the device's xarray,
 * indexed by the low half of their handle; the high half is a generation
 * unique across all devices, so a stale handle, or one of another device,
 * never reaches an object. Every change happens under the device's lock;
 * readers (netlink get and dump, the data path) use RCU only. An object is
 * published in the xarray only once it is complete, and freed an RCU grace
 * period after it was unpublished.
 */
#include <linux/atomic.h>
#include <linux/jhash.h>
#include <linux/rculist.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "chimney.h"
#include "chimney_trace.h"

/* Generations of all devices; 0 is never used. */
static atomic_t chimney_gen = ATOMIC_INIT(0);

/**
 * chimney_layer_of_type() - the layer of an offload state type
 * @type: an &enum chimney_offload_state_type
 *
 * Return: the &enum chimney_layer of the all-classes types, -EINVAL for
 * any other type.
 */
int chimney_layer_of_type(u8 type)
{
	switch (type) {
	case CHIMNEY_NEIGHBOR_OFFLOAD_STATE:
		return CHIMNEY_LAYER_NEIGH;
	case CHIMNEY_IP4_OFFLOAD_STATE:
	case CHIMNEY_IP6_OFFLOAD_STATE:
		return CHIMNEY_LAYER_PATH;
	case CHIMNEY_TCP_OFFLOAD_STATE:
		return CHIMNEY_LAYER_TCP;
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(chimney_layer_of_type);

/**
 * chimney_conn_v6() - an IPv6 connection
 * @cdev: the device; call under RCU or its lock
 * @conn: the connection, linked to its path
 *
 * Return: true for IPv6.
 */
bool chimney_conn_v6(const struct chimney_dev *cdev, const struct chimney_conn *conn)
{
	const struct chimney_obj *path = chimney_obj_parent(cdev, &conn->obj);

	return path && path->type == CHIMNEY_IP6_OFFLOAD_STATE;
}

/**
 * chimney_conn_neigh() - the neighbor under a connection's path
 * @cdev: the device; call under RCU or its lock
 * @conn: the connection
 *
 * Return: the neighbor, or NULL for a connection without its path.
 */
struct chimney_neigh *chimney_conn_neigh(const struct chimney_dev *cdev,
					 const struct chimney_conn *conn)
{
	const struct chimney_obj *path = chimney_obj_parent(cdev, &conn->obj);
	struct chimney_obj *nobj = path ? chimney_obj_parent(cdev, path) : NULL;

	return nobj ? container_of(nobj, struct chimney_neigh, obj) : NULL;
}

/* A connection's key, from its path (which outlives its place in the table). */
static void chimney_conn_key(const struct chimney_obj *path, const struct chimney_conn *conn,
			     struct chimney_flow_key *key)
{
	const struct chimney_path_state *ps = &container_of(path, struct chimney_path, obj)->st;

	chimney_flow_key_init(key, path->type == CHIMNEY_IP6_OFFLOAD_STATE,
			      &ps->source_address, &ps->destination_address,
			      conn->st.c.local_port, conn->st.c.remote_port);
}

static u32 chimney_flow_hash(const void *data, u32 len, u32 seed)
{
	return jhash2(data, sizeof(struct chimney_flow_key) / sizeof(u32), seed);
}

/*
 * The table calls these with no device at hand, always inside a read-side
 * section of its own: rcu_read_lock() around an insert, a removal or a
 * lookup, a bucket's spinlock during a rehash.
 */
static void chimney_flow_obj_key(const struct chimney_conn *conn, struct chimney_flow_key *key)
{
	chimney_conn_key(rcu_dereference_check(conn->obj.parent, rcu_read_lock_any_held()),
			 conn, key);
}

static u32 chimney_flow_obj_hash(const void *data, u32 len, u32 seed)
{
	struct chimney_flow_key key;

	chimney_flow_obj_key(data, &key);
	return chimney_flow_hash(&key, len, seed);
}

static int chimney_flow_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	struct chimney_flow_key key;

	chimney_flow_obj_key(obj, &key);
	return memcmp(&key, arg->key, sizeof(key));
}

/*
 * Connections are not stored with their key, 40 bytes each at a million:
 * it is computed from the path and the ports.
 */
static const struct rhashtable_params chimney_flow_params = {
	.key_len = sizeof(struct chimney_flow_key),
	.head_offset = offsetof(struct chimney_conn, node),
	.hashfn = chimney_flow_hash,
	.obj_hashfn = chimney_flow_obj_hash,
	.obj_cmpfn = chimney_flow_cmp,
	.automatic_shrinking = true,
};

/**
 * chimney_flow_key_init() - the key of a connection, or of a segment
 * @key: filled whole, padding included, since all of it is hashed
 * @v6: an IPv6 connection
 * @local: the local address (IPv4: its first 4 bytes)
 * @remote: the remote address
 * @lport: the local port
 * @rport: the remote port
 */
void chimney_flow_key_init(struct chimney_flow_key *key, bool v6,
			   const struct in6_addr *local,
			   const struct in6_addr *remote, u16 lport, u16 rport)
{
	memset(key, 0, sizeof(*key));
	if (v6) {
		key->local = *local;
		key->remote = *remote;
	} else {
		key->local.s6_addr32[0] = local->s6_addr32[0];
		key->remote.s6_addr32[0] = remote->s6_addr32[0];
	}
	key->lport = htons(lport);
	key->rport = htons(rport);
	key->v6 = v6;
}

/**
 * chimney_flow_lookup() - the offloaded connection a segment belongs to
 * @cdev: the device
 * @key: the segment's addresses and ports, as seen from this end
 *
 * Lockless: the receive path only tests the result; with the device's lock
 * held, the connection stays.
 *
 * Return: the connection, or NULL.
 */
struct chimney_conn *chimney_flow_lookup(struct chimney_dev *cdev,
					 const struct chimney_flow_key *key)
{
	return rhashtable_lookup_fast(&cdev->flows, key, chimney_flow_params);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_flow_lookup);

/**
 * chimney_state_init() - set up the empty tree of a device
 * @cdev: the device
 *
 * Return: 0.
 */
int chimney_state_init(struct chimney_dev *cdev)
{
	xa_init_flags(&cdev->objs, XA_FLAGS_ALLOC1);
	return rhashtable_init(&cdev->flows, &chimney_flow_params);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_state_init);

/*
 * Connections are the bulk of the memory: a cache of their exact size
 * keeps one well under the kmalloc-512 it would round up to.
 */
static struct kmem_cache *chimney_conn_cache;

/**
 * chimney_state_module_init() - create the connections' slab cache
 *
 * Return: 0 or -ENOMEM.
 */
int chimney_state_module_init(void)
{
	chimney_conn_cache = KMEM_CACHE(chimney_conn, 0);
	return chimney_conn_cache ? 0 : -ENOMEM;
}

/**
 * chimney_state_module_exit() - destroy it, once every object is freed
 */
void chimney_state_module_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(chimney_conn_cache);
}

static void chimney_obj_release(struct chimney_obj *obj)
{
	if (obj->layer == CHIMNEY_LAYER_TCP)
		kmem_cache_free(chimney_conn_cache,
				container_of(obj, struct chimney_conn, obj));
	else
		kfree(obj);
}

static void chimney_obj_free_rcu(struct rcu_head *rcu)
{
	chimney_obj_release(container_of(rcu, struct chimney_obj, rcu));
}

/**
 * chimney_obj_free() - free an unpublished object after an RCU grace period
 * @obj: the object
 */
void chimney_obj_free(struct chimney_obj *obj)
{
	if (obj->layer == CHIMNEY_LAYER_TCP) {
		struct chimney_conn *conn = container_of(obj, struct chimney_conn, obj);

		WARN_ON_ONCE(conn->x);
	}
	trace_chimney_obj(obj, CHIMNEY_TRACE_OBJ_FREE, obj->flags);
	call_rcu(&obj->rcu, chimney_obj_free_rcu);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_obj_free);

/* Out of the receive path's table; the engine lets go of it. */
static void chimney_conn_unhash(struct chimney_dev *cdev, struct chimney_conn *conn)
{
	if (test_and_clear_bit(CHIMNEY_DP_HASHED, &conn->dp))
		rhashtable_remove_fast(&cdev->flows, &conn->node, chimney_flow_params);
	chimney_tcp_conn_stop(cdev, conn);
}

/**
 * chimney_state_destroy() - free every object of a device
 * @cdev: the device, already unreachable for new requests
 *
 * Frees with a reschedule point at every object, the lock let go every 1024
 * (chimney_walk_resched()). Outstanding I/O must have been completed.
 *
 * Children go before their parents, a layer at a time: a reader under RCU
 * that found an object may follow its parent, and that parent is unpublished
 * only after the child, so its grace period waits for the reader.
 */
void chimney_state_destroy(struct chimney_dev *cdev)
{
	struct chimney_obj *obj;
	unsigned long idx;
	unsigned int n = 0;
	int layer;

	mutex_lock(&cdev->lock);
	/* The table hashes connections by their paths: empty it first. */
	xa_for_each(&cdev->objs, idx, obj) {
		if (obj->layer == CHIMNEY_LAYER_TCP)
			chimney_conn_unhash(cdev, container_of(obj, struct chimney_conn, obj));
		chimney_walk_resched(cdev, &n);
	}
	for (layer = CHIMNEY_LAYER_TCP; layer >= CHIMNEY_LAYER_NEIGH; layer--) {
		xa_for_each(&cdev->objs, idx, obj) {
			if (obj->layer != layer)
				continue;
			xa_erase(&cdev->objs, idx);
			set_bit(CHIMNEY_OBJ_DEAD_BIT, &obj->flags);
			chimney_obj_free(obj);
			chimney_walk_resched(cdev, &n);
		}
	}
	memset(cdev->count, 0, sizeof(cdev->count));
	mutex_unlock(&cdev->lock);
	xa_destroy(&cdev->objs);
	rhashtable_destroy(&cdev->flows);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_state_destroy);

/**
 * chimney_obj_lookup() - find an object by handle
 * @cdev: the device
 * @handle: a handle the device gave out
 *
 * Call under RCU or with the device's lock held; the object stays valid
 * until that ends.
 *
 * Return: the object, or NULL if the handle is unknown, stale or foreign.
 */
struct chimney_obj *chimney_obj_lookup(struct chimney_dev *cdev, u64 handle)
{
	struct chimney_obj *obj;

	if (!lower_32_bits(handle))
		return NULL;
	obj = xa_load(&cdev->objs, lower_32_bits(handle));
	if (!obj || obj->gen != upper_32_bits(handle) ||
	    test_bit(CHIMNEY_OBJ_DEAD_BIT, &obj->flags))
		return NULL;
	return obj;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_obj_lookup);

/**
 * chimney_obj_parent() - the parent of an object
 * @cdev: the object's device
 * @obj: the object; call under RCU or @cdev's lock
 *
 * Return: the object one layer down, NULL for a neighbor.
 */
struct chimney_obj *chimney_obj_parent(const struct chimney_dev *cdev,
				       const struct chimney_obj *obj)
{
	return rcu_dereference_check(obj->parent, lockdep_is_held(&cdev->lock));
}
EXPORT_SYMBOL_IF_KUNIT(chimney_obj_parent);

static struct chimney_obj *chimney_obj_alloc(u8 layer)
{
	struct chimney_conn *conn;

	switch (layer) {
	case CHIMNEY_LAYER_NEIGH:
		return kzalloc(sizeof(struct chimney_neigh), CHIMNEY_GFP_USER);
	case CHIMNEY_LAYER_PATH:
		return kzalloc(sizeof(struct chimney_path), CHIMNEY_GFP_USER);
	default:
		conn = kmem_cache_zalloc(chimney_conn_cache, CHIMNEY_GFP_USER);
		return conn ? &conn->obj : NULL;
	}
}

/*
 * Give a new connection to the engine and put it in the receive path's
 * table, keyed by its path's addresses and its ports. A second connection
 * with the same addresses and ports is refused with -EEXIST.
 */
static int chimney_conn_hash(struct chimney_dev *cdev, struct chimney_conn *conn,
			     struct chimney_block *b)
{
	struct chimney_flow_key key;
	int err;

	chimney_conn_key(chimney_obj_parent(cdev, &conn->obj), conn, &key);
	chimney_tcp_conn_init(cdev, conn);
	/* With the host's data, the engine's state is needed at once. */
	if ((b->snd || b->rcvd) && chimney_tcp_ext_get(cdev, conn))
		return -ENOMEM;
	err = rhashtable_lookup_insert_key(&cdev->flows, &key, &conn->node,
					   chimney_flow_params);
	if (err) {
		chimney_tcp_conn_stop(cdev, conn);
		return err;
	}
	set_bit(CHIMNEY_DP_HASHED, &conn->dp);
	chimney_tcp_conn_data(cdev, conn, b);
	return 0;
}

/**
 * chimney_obj_create() - offload a new object
 * @cdev: the device; its lock must be held
 * @parent: the object one layer down, NULL for a neighbor
 * @b: the new-offload block with the object's type, host handle and state
 *
 * Return: the object, published, or an ERR_PTR: -ENOMEM, -EBUSY when the
 * index space is exhausted, -EEXIST for a second TCP connection with the
 * same addresses and ports.
 */
struct chimney_obj *chimney_obj_create(struct chimney_dev *cdev,
				       struct chimney_obj *parent,
				       struct chimney_block *b)
{
	struct chimney_obj *obj;
	u32 id;
	int err;

	lockdep_assert_held(&cdev->lock);
	obj = chimney_obj_alloc(b->layer);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->type = b->type;
	obj->layer = b->layer;
	obj->host_handle = b->host_handle;
	seqcount_init(&obj->seq);
	INIT_LIST_HEAD(&obj->children);
	do {
		obj->gen = atomic_inc_return(&chimney_gen);
	} while (!obj->gen);

	switch (b->layer) {
	case CHIMNEY_LAYER_NEIGH:
		container_of(obj, struct chimney_neigh, obj)->st = b->st.neigh;
		chimney_neigh_start(cdev, container_of(obj, struct chimney_neigh, obj));
		break;
	case CHIMNEY_LAYER_PATH:
		container_of(obj, struct chimney_path, obj)->st = b->st.path;
		break;
	default:
		container_of(obj, struct chimney_conn, obj)->st = b->st.tcp;
		container_of(obj, struct chimney_conn, obj)->tcb = b->st.tcp.d;
		break;
	}

	/* Reserve the index, link the complete object, then publish it. */
	err = xa_alloc(&cdev->objs, &id, NULL, xa_limit_32b, CHIMNEY_GFP_USER);
	if (err) {
		chimney_obj_release(obj);
		return ERR_PTR(err == -EBUSY ? -EBUSY : -ENOMEM);
	}
	obj->id = id;
	RCU_INIT_POINTER(obj->parent, parent);
	if (b->layer == CHIMNEY_LAYER_TCP && parent) {
		err = chimney_conn_hash(cdev, container_of(obj, struct chimney_conn, obj), b);
		if (err) {
			xa_erase(&cdev->objs, id);
			chimney_obj_release(obj);
			return ERR_PTR(err);
		}
	}
	if (parent)
		list_add_tail(&obj->sibling, &parent->children);
	else
		INIT_LIST_HEAD(&obj->sibling);
	/* The index was reserved by xa_alloc(): storing there allocates nothing. */
	WARN_ON_ONCE(xa_is_err(xa_store(&cdev->objs, id, obj, GFP_NOWAIT)));
	if (b->layer == CHIMNEY_LAYER_TCP && parent)
		chimney_tcp_conn_start(cdev, container_of(obj, struct chimney_conn, obj));
	cdev->count[b->layer]++;
	chimney_stats_conn(cdev, obj, 1);
	trace_chimney_obj(obj, CHIMNEY_TRACE_OBJ_CREATE, 0);
	return obj;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_obj_create);

/**
 * chimney_obj_unpublish() - take an object out of the tree
 * @cdev: the device; its lock must be held
 * @obj: an object without children and without outstanding I/O
 *
 * Its handle stops working at once; chimney_obj_free() frees it.
 */
void chimney_obj_unpublish(struct chimney_dev *cdev, struct chimney_obj *obj)
{
	lockdep_assert_held(&cdev->lock);
	WARN_ON_ONCE(!list_empty(&obj->children));
	trace_chimney_obj(obj, CHIMNEY_TRACE_OBJ_UNPUBLISH, obj->flags);
	set_bit(CHIMNEY_OBJ_DEAD_BIT, &obj->flags);
	xa_erase(&cdev->objs, obj->id);
	if (obj->layer == CHIMNEY_LAYER_TCP)
		chimney_conn_unhash(cdev, container_of(obj, struct chimney_conn, obj));
	chimney_stats_conn(cdev, obj, -1);
	if (rcu_access_pointer(obj->parent))
		list_del(&obj->sibling);
	cdev->count[obj->layer]--;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_obj_unpublish);

/**
 * chimney_obj_set_flag() - set one of the &enum chimney_obj_state_flags
 * @obj: the object
 * @bit: the flag's bit number, CHIMNEY_OBJ_*_BIT
 */
void chimney_obj_set_flag(struct chimney_obj *obj, unsigned int bit)
{
	unsigned long old = READ_ONCE(obj->flags);

	if (!test_and_set_bit(bit, &obj->flags))
		trace_chimney_obj(obj, CHIMNEY_TRACE_OBJ_FLAGS, old);
}

/**
 * chimney_obj_relink() - move an object under another parent
 * @cdev: the device; its lock must be held
 * @obj: a path
 * @parent: its new neighbor
 */
void chimney_obj_relink(struct chimney_dev *cdev, struct chimney_obj *obj,
			struct chimney_obj *parent)
{
	lockdep_assert_held(&cdev->lock);
	list_del(&obj->sibling);
	list_add_tail(&obj->sibling, &parent->children);
	rcu_assign_pointer(obj->parent, parent);
	trace_chimney_obj(obj, CHIMNEY_TRACE_OBJ_RELINK, obj->flags);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_obj_relink);

/**
 * chimney_obj_corrupt() - is the hardware state of an object corrupt
 * @cdev: the device
 * @obj: the object
 *
 * Return: true if the device, the object or an object it depends on was
 * marked corrupt (debugfs), unless a failed request already told the host.
 */
bool chimney_obj_corrupt(struct chimney_dev *cdev, const struct chimney_obj *obj)
{
	if (test_bit(CHIMNEY_OBJ_FAILED_BIT, &obj->flags))
		return false;
	if (READ_ONCE(cdev->corrupt))
		return true;
	for (; obj; obj = chimney_obj_parent(cdev, obj))
		if (test_bit(CHIMNEY_OBJ_CORRUPT_BIT, &obj->flags))
			return true;
	return false;
}

/**
 * chimney_obj_get_state() - copy an object's state into a block
 * @cdev: the device of the object
 * @obj: the object
 * @b: the block; its type, handle, host handle and state are written
 */
void chimney_obj_get_state(const struct chimney_dev *cdev,
			   const struct chimney_obj *obj, struct chimney_block *b)
{
	const struct chimney_neigh *neigh;

	unsigned int seq;

	b->type = obj->type;
	b->layer = obj->layer;
	b->handle = chimney_obj_handle(obj);
	b->host_handle = obj->host_handle;
	b->has = CHIMNEY_HAS_CONST | CHIMNEY_HAS_CACHED | CHIMNEY_HAS_DELEGATED;
	do {
		seq = read_seqcount_begin(&obj->seq);
		switch (obj->layer) {
		case CHIMNEY_LAYER_NEIGH:
			neigh = container_of(obj, struct chimney_neigh, obj);
			b->st.neigh = neigh->st;
			chimney_neigh_fill(cdev, neigh, &b->st.neigh);
			break;
		case CHIMNEY_LAYER_PATH:
			b->st.path = container_of(obj, struct chimney_path, obj)->st;
			break;
		default:
			b->st.tcp = container_of(obj, struct chimney_conn, obj)->st;
			break;
		}
	} while (read_seqcount_retry(&obj->seq, seq));
}
EXPORT_SYMBOL_IF_KUNIT(chimney_obj_get_state);
