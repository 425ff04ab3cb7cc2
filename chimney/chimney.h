/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chimney: a TCP chimney offload target on a virtual netdevice.
 *
 * Internal header shared by the files of the module. One netdevice is one
 * offload target ("adapter" in NDIS terms). It keeps the offloaded state in
 * a tree of neighbor -> path -> TCP connection objects, indexed by handle in
 * an xarray that readers walk under RCU; every change of the tree happens
 * under the device's lock, from a netlink request or from the work item
 * that plays the virtual hardware.
 */
#ifndef _CHIMNEY_H
#define _CHIMNEY_H

#include <linux/if_vlan.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seqlock.h>
#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/chimney.h>

#include "chimney_compat.h"

#define CHIMNEY_DRV_NAME	CHIMNEY_LINK_KIND
#define CHIMNEY_DRV_VERSION	"0.2"

/* Ethernet payload limits of the virtual wire. */
#define CHIMNEY_MIN_MTU		ETH_MIN_MTU
#define CHIMNEY_MAX_MTU		ETH_MAX_MTU

/* Default TcpConnectionOffloadCapacity, and the largest one accepted. */
#define CHIMNEY_DEFAULT_CAPACITY	1048576
#define CHIMNEY_MAX_CAPACITY		(16 * 1048576)
/* The FIN_WAIT_2 timer starts at 120 s (R89). */
#define CHIMNEY_FIN_WAIT2_MS		120000
/* How long a receive indication waits for the host's answer (debugfs). */
#define CHIMNEY_IND_TIMEOUT_MS		1000
/* Largest PathMtu and InitialRcvWnd the virtual hardware supports. */
#define CHIMNEY_MAX_PATH_MTU		9216
#define CHIMNEY_MAX_RCV_WND		BIT(30)
/* Largest number of blocks in one state request. */
#define CHIMNEY_MAX_BLOCKS		1024
/*
 * Memory user space makes the kernel hold: charged to its memory cgroup
 * and, at that cgroup's limit, refused (ENOMEM, or the NDIS status
 * RESOURCES) rather than an OOM kill or a warning: the user is told.
 */
#define CHIMNEY_GFP_USER	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)
/* The same for buffers of a size user space chose: no reclaim retried. */
#define CHIMNEY_GFP_USER_BUF	(GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN)
/* Frames of offloaded connections waiting for the engine (netdev_max_backlog). */
#define CHIMNEY_DP_RXQ_MAX		1000

enum chimney_layer {
	CHIMNEY_LAYER_NEIGH,
	CHIMNEY_LAYER_PATH,
	CHIMNEY_LAYER_TCP,
	CHIMNEY_LAYERS,
};

/* Bit numbers of the UAPI's chimney_obj_state_flags, and internal bits. */
#define CHIMNEY_OBJ_INVALID_BIT		0
#define CHIMNEY_OBJ_CORRUPT_BIT		1
#define CHIMNEY_OBJ_FAILED_BIT		2
#define CHIMNEY_OBJ_RETRIEVE_BIT	3
#define CHIMNEY_OBJ_ABORTED_BIT		4
#define CHIMNEY_OBJ_UAPI_FLAGS		0x1f
#define CHIMNEY_OBJ_SEEN_BIT		30	/* marks during one request */
#define CHIMNEY_OBJ_DEAD_BIT		31	/* unpublished */

/* What happened to an object, for the chimney_obj tracepoint. */
enum chimney_trace_obj {
	CHIMNEY_TRACE_OBJ_CREATE,
	CHIMNEY_TRACE_OBJ_FLAGS,
	CHIMNEY_TRACE_OBJ_RELINK,
	CHIMNEY_TRACE_OBJ_UNPUBLISH,
	CHIMNEY_TRACE_OBJ_FREE,
};

/**
 * struct chimney_obj - what every offloaded object has
 * @flags: &enum chimney_obj_state_flags bits and CHIMNEY_OBJ_DEAD_BIT
 * @type: &enum chimney_offload_state_type of the object
 * @layer: &enum chimney_layer
 * @id: index in &chimney_dev.objs, the low half of the handle
 * @gen: generation, unique across devices, the high half of the handle
 * @host_handle: the host's NdisOffloadHandle
 * @parent: the object one layer down (NULL for a neighbor); protected by
 *	&chimney_dev.lock, readable under RCU
 * @children: the objects one layer up; protected by &chimney_dev.lock
 * @sibling: entry in the parent's @children
 * @rcu: frees the object after readers are done
 * @seq: lets readers under RCU copy the object's state whole while a
 *	writer (holding &chimney_dev.lock) changes it in place. A plain
 *	seqcount: one tied to the mutex would, on PREEMPT_RT, make a reader
 *	that meets a writer take the mutex, inside its RCU read-side section
 */
struct chimney_obj {
	unsigned long flags;
	u8 type;
	u8 layer;
	seqcount_t seq;
	u32 id;
	u32 gen;
	u64 host_handle;
	struct chimney_obj __rcu *parent;
	struct list_head children;
	struct list_head sibling;
	struct rcu_head rcu;
};

struct chimney_neigh_state {
	u8 dl_source_address[ETH_ALEN];
	u8 dl_destination_address[ETH_ALEN];
	u16 vlan_id;
	u32 host_reachability_delta;
	u32 nic_reachability_delta;
};

struct chimney_path_state {
	struct in6_addr source_address;
	struct in6_addr destination_address;
	u32 path_mtu;
};

struct chimney_tcp_const {
	u16 flags;
	u16 remote_port;
	u16 local_port;
	u8 snd_wind_scale;
	u8 rcv_wind_scale;
	u16 remote_mss;
	u32 hash_value;
};

struct chimney_tcp_cached {
	u16 flags;
	u8 ka_probe_count;
	u8 ttl_or_hop_limit;
	u8 tos_or_traffic_class;
	u8 user_priority;
	u32 initial_rcv_wnd;
	u32 rcv_indication_size;
	u32 ka_timeout;
	u32 ka_interval;
	u32 max_rt;
	u32 flow_label;
};

struct chimney_tcp_delegated {
	u8 state;
	u8 dup_ack_count;
	u8 snd_wnd_probe_count;
	u8 keepalive_probe_count;
	u8 retransmit_count;
	u16 srtt;
	u16 rtt_var;
	u32 rcv_nxt;
	u32 rcv_wnd;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_max;
	u32 snd_wnd;
	u32 max_snd_wnd;
	u32 send_wl1;
	u32 cwnd;
	u32 ss_thresh;
	u32 ts_recent;
	u32 ts_recent_age;
	u32 ts_time;
	u32 total_rt;
	u32 keepalive_timeout_delta;
	u32 retransmit_timeout_delta;
	u32 dwnd;
};

struct chimney_tcp_state {
	struct chimney_tcp_const c;
	struct chimney_tcp_cached ca;
	struct chimney_tcp_delegated d;
};

/**
 * struct chimney_neigh - a neighbor (NEIGHBOR_OFFLOAD_STATE_*)
 * @obj: the object
 * @st: its state; the deltas in it are those the host last gave, the
 *	current ones come from @nrt and @hrt (chimney_neigh_fill())
 * @nrt: NRT of section 4.3, on the target's clock; written under @obj.seq
 * @hrt: HRT of section 4.3, on the target's clock; written under @obj.seq
 */
struct chimney_neigh {
	struct chimney_obj obj;
	struct chimney_neigh_state st;
	u32 nrt;
	u32 hrt;
};

struct chimney_path {
	struct chimney_obj obj;
	struct chimney_path_state st;
};

/**
 * struct chimney_io - an outstanding TCP send or receive request
 * @list: entry in &chimney_conn.sends or .recvs
 * @io_id: the host's id of the request
 * @len: bytes to send, or size of the receive buffer
 * @done: bytes acknowledged by the peer (send), or placed (receive)
 * @flags: &enum chimney_io_flags, and CHIMNEY_IO_DISC_DATA
 * @data: the bytes to send, or the receive buffer
 */
struct chimney_io {
	struct list_head list;
	u64 io_id;
	u32 len;
	u32 done;
	u32 flags;
	u8 data[];
};

/* The data of a graceful disconnect, queued with the sends (internal). */
#define CHIMNEY_IO_DISC_DATA	BIT(31)

/* What an outstanding send holds, for CHIMNEY_LIMIT_A_SEND_BYTES. */
static inline u32 chimney_io_cost(const struct chimney_io *io)
{
	return io->len + 64;
}

/**
 * struct chimney_limits - what a device holds for user space at most
 * @send_bytes: CHIMNEY_LIMIT_A_SEND_BYTES, per connection
 * @receives: CHIMNEY_LIMIT_A_RECEIVES, per connection
 * @requests: CHIMNEY_LIMIT_A_REQUESTS
 * @neighbors: CHIMNEY_LIMIT_A_NEIGHBORS
 * @paths: CHIMNEY_LIMIT_A_PATHS
 * @journal_kb: CHIMNEY_LIMIT_A_JOURNAL_KB
 *
 * Written under &chimney_dev.lock, read with READ_ONCE() where that is not
 * held.
 */
struct chimney_limits {
	u32 send_bytes;
	u32 receives;
	u32 requests;
	u32 neighbors;
	u32 paths;
	u32 journal_kb;
};

/**
 * struct chimney_flow_key - what the receive path looks connections up by
 * @local: the path's source address (IPv4: the first 4 bytes)
 * @remote: the path's destination address
 * @lport: local port, network byte order
 * @rport: remote port, network byte order
 * @v6: 1 for IPv6
 *
 * All of it is hashed: fill it with chimney_flow_key_init() first.
 */
struct chimney_flow_key {
	struct in6_addr local;
	struct in6_addr remote;
	__be16 lport;
	__be16 rport;
	u32 v6;
};

/* Bits of &chimney_conn.dp: what the data path has done. */
#define CHIMNEY_DP_FIN_RCVD	0	/* the peer's FIN is in sequence */
#define CHIMNEY_DP_FIN_SENT	1	/* our FIN went out */
#define CHIMNEY_DP_DISC_IND	2	/* TcpIndicateDisconnect was sent */
#define CHIMNEY_DP_RST		3	/* reset: nothing is sent any more */
#define CHIMNEY_DP_ACK_NOW	4	/* an ACK is owed at the end of input */
#define CHIMNEY_DP_HASHED	5	/* in &chimney_dev.flows */
#define CHIMNEY_DP_URG		6	/* urgent data came: no more ACKs (R85) */
#define CHIMNEY_DP_IND_OFF	7	/* an indication was refused (R71) */
#define CHIMNEY_DP_RECOVERY	8	/* fast recovery, until @recover is acked */
#define CHIMNEY_DP_RTO_RECOVER	9	/* a timeout: no fast retransmit until then */

/*
 * The engine's timers of a connection (section 4.4), all on one timer_list
 * that fires at the earliest: retransmission and persist, delayed ACK,
 * push, FIN_WAIT_2, keepalive.
 */
enum chimney_tcp_timer_id {
	CHIMNEY_T_RTX,
	CHIMNEY_T_DACK,
	CHIMNEY_T_PUSH,
	CHIMNEY_T_FW2,
	CHIMNEY_T_KA,
	CHIMNEY_T_IND,
	CHIMNEY_TIMERS,
};

/* Where the bytes not yet placed start in a received segment (rcvq). */
struct chimney_rcv_cb {
	u32 off;
	bool psh;
};

#define CHIMNEY_RCV_CB(skb) ((struct chimney_rcv_cb *)(skb)->cb)
/* A received segment whose truesize is over twice its length by more is copied. */
#define CHIMNEY_RCV_SLACK	1024

/**
 * struct chimney_tcp_ext - what the engine keeps of a connection that
 *	moves data; allocated at its first I/O request or segment, so that
 *	idle connections stay small
 * @conn: the connection
 * @cdev: its device
 * @sends: outstanding send requests, in posting order; the unacknowledged
 *	bytes start at the first one's @done, at SndUna
 * @recvs: outstanding receive requests, in posting order
 * @disc: the outstanding disconnect request; its data, if any, is also the
 *	last entry of @sends
 * @rcvq: bytes received in sequence and not yet placed: a segment's skb, or
 *	small segments copied together (chimney_tcp_rcv_compact())
 * @timer: fires at the earliest of @due
 * @due: when each &enum chimney_tcp_timer_id expires, in jiffies; 0 if it
 *	does not run
 * @rcv_segs: segments taken in sequence since our last ACK (TcpAckFrequency)
 * @challenge_at: when the last challenge ACK went out (ms), or 0 (4.7)
 * @fired: entry in &chimney_dev.dp_fired once @timer has fired
 * @rto: retransmission timeout, in ms
 * @rcv_space: the receive window with nothing buffered
 * @rcv_excess: how far the window is beyond what a smaller receive buffer
 *	(R30) allows: taken back from the window as the buffer drains, since
 *	a window advertised is never shrunk
 * @fin_seq: sequence number of our FIN, once sent
 * @backlog: SendBacklogSize last indicated (or at the start)
 * @backlog_at: when it was, in ms (chimney_tcp_now())
 * @ind_id: the receive indication waiting for the host's answer, or 0; its
 *	bytes are the first @ind_len of @rcvq
 * @ind_len: how many bytes it indicated
 * @recover: SndMax when fast recovery began, or at a retransmission
 *	timeout (RFC 6582)
 * @held: indications the host accepted and has not returned yet
 *	(&struct chimney_io, @len bytes each), oldest first: their bytes
 *	still take receive window
 * @snd_mem: what @sends and @disc hold, chimney_io_cost() each
 *
 * All of it is protected by &chimney_dev.lock, but @fired by
 * &chimney_dev.dp_lock.
 */
struct chimney_tcp_ext {
	struct chimney_conn *conn;
	struct chimney_dev *cdev;
	struct list_head sends;
	struct list_head recvs;
	struct chimney_io *disc;
	struct sk_buff_head rcvq;
	struct timer_list timer;
	unsigned long due[CHIMNEY_TIMERS];
	u32 rcv_segs;
	u32 challenge_at;
	struct list_head fired;
	u32 rto;
	u32 rcv_space;
	u32 rcv_excess;
	u32 fin_seq;
	u32 backlog;
	u32 backlog_at;
	u64 ind_id;
	u32 ind_len;
	u32 recover;
	struct list_head held;
	u32 snd_mem;
};

/**
 * struct chimney_conn - an offloaded TCP connection
 * @obj: the object
 * @st: its constant, cached and delegated state as readers see it; the
 *	engine publishes @tcb into @st.d inside @obj.seq after each run,
 *	with its times in the host's units
 * @tcb: the delegated variables the engine keeps current; its times (SRtt,
 *	RttVar, TotalRT, the TimeoutDeltas) in milliseconds, TsRecentAge as
 *	the chimney_tcp_now() at which TsRecent came, TsTime in ticks
 * @node: entry in &chimney_dev.flows, keyed by its path's addresses and its
 *	ports (&struct chimney_flow_key, computed, not stored)
 * @x: the engine's state once it moved data, or NULL
 * @dp: CHIMNEY_DP_* bits
 * @ts_delta: NicDelta of section 4.6, fixed at offload (R21)
 *
 * @tcb, @x and @dp are protected by &chimney_dev.lock.
 */
struct chimney_conn {
	struct chimney_obj obj;
	struct chimney_tcp_state st;
	struct chimney_tcp_delegated tcb;
	struct rhash_head node;
	struct chimney_tcp_ext *x;
	unsigned long dp;
	u32 ts_delta;
};

/* Roles of a block in a request tree (section 2.2 of the specification). */
enum chimney_role {
	CHIMNEY_ROLE_PLACEHOLDER,
	CHIMNEY_ROLE_REF,
	CHIMNEY_ROLE_NEW,
};

#define CHIMNEY_BLOCK_NO_PARENT	U16_MAX

/**
 * struct chimney_block - one parsed block of a state request
 * @layer: &enum chimney_layer
 * @role: &enum chimney_role
 * @type: the block's &enum chimney_offload_state_type
 * @done: the virtual hardware has processed it
 * @parent: index of the block one layer down, or CHIMNEY_BLOCK_NO_PARENT
 * @status: the NDIS status the target writes
 * @handle: the referenced object, or the one offloaded
 * @host_handle: the host's handle of the object
 * @has: which state classes came with it (bit 0 const, 1 cached, 2 delegated)
 * @obj: the object, while the virtual hardware processes the request
 * @st: the state given, or returned
 * @snd_nla: while parsing a new connection, its send data
 * @rcv_nla: while parsing a new connection, its buffered receive data
 * @snd_id: the host's id of the send data
 * @snd: the send data, as a send request, until the connection takes it
 * @rcvd: the buffered receive data, until the connection takes it
 *
 * Blocks are stored in traversal order: a block, then its dependents,
 * then its next sibling.
 */
struct chimney_block {
	u8 layer;
	u8 role;
	u8 type;
	bool done;
	u16 parent;
	u32 status;
	u64 handle;
	u64 host_handle;
	u8 has;
	struct chimney_obj *obj;
	union {
		struct chimney_neigh_state neigh;
		struct chimney_path_state path;
		struct chimney_tcp_state tcp;
	} st;
	const struct nlattr *snd_nla;
	const struct nlattr *rcv_nla;
	u64 snd_id;
	struct chimney_io *snd;
	struct sk_buff *rcvd;
};

#define CHIMNEY_HAS_CONST	BIT(0)
#define CHIMNEY_HAS_CACHED	BIT(1)
#define CHIMNEY_HAS_DELEGATED	BIT(2)
/* An update of a neighbor that carries HostReachabilityDelta (R93). */
#define CHIMNEY_HAS_HRD		BIT(3)

/**
 * struct chimney_req - a state request waiting for the virtual hardware
 * @list: entry in &chimney_dev.reqs
 * @cmd: the request's &enum chimney_cmd
 * @req_id: the host's id of the request
 * @due: jiffies at which the virtual hardware processes it
 * @memcg: the memory cgroup of its sender, charged for what the virtual
 *	hardware allocates for it (its objects), or NULL
 * @nblocks: number of entries in @blocks
 * @blocks: the tree, in traversal order
 */
struct chimney_req {
	struct list_head list;
	u8 cmd;
	u64 req_id;
	unsigned long due;
	struct mem_cgroup *memcg;
	unsigned int nblocks;
	struct chimney_block blocks[];
};

/**
 * struct chimney_params - NDIS_TCP_CONNECTION_OFFLOAD_PARAMETERS
 */
struct chimney_params {
	u32 encapsulation;
	u32 ticks_per_second;
	u8 tcp_ack_frequency;
	u8 tcp_delayed_ack_ticks;
	u8 tcp_maximum_retransmissions;
	u8 tcp_doubt_reachability_retransmissions;
	u8 tcp_duplicate_ack_threshold;
	u32 tcp_sws_prevention_ticks;
	u32 tcp_push_ticks;
	u32 nce_stale_ticks;
	u32 congestion_algorithm;
};

/**
 * struct chimney_stats - per-device counters, written under
 *	&chimney_dev.lock (chimney_stat_add()), read locklessly
 *	(chimney_stat_read())
 */
struct chimney_stats {
	u64_stats_t initiates;
	u64_stats_t updates;
	u64_stats_t invalidates;
	u64_stats_t queries;
	u64_stats_t terminates;
	u64_stats_t events;
	u64_stats_t notify_lost;
};

/* TCP_OFFLOAD_STATS counters, in the order of enum chimney_tcp_stats_attr. */
enum chimney_tcp_stat {
	CHIMNEY_TCP_IN_SEGMENTS,
	CHIMNEY_TCP_OUT_SEGMENTS,
	CHIMNEY_TCP_RESET_ESTABLISHED,
	CHIMNEY_TCP_RETRANSMITTED_SEGMENTS,
	CHIMNEY_TCP_IN_ERRORS,
	CHIMNEY_TCP_OUT_RESETS,
	CHIMNEY_TCP_STATS,
};

/* IP_OFFLOAD_STATS counters, in the order of enum chimney_ip_stats_attr. */
enum chimney_ip_stat {
	CHIMNEY_IP_IN_RECEIVES,
	CHIMNEY_IP_IN_OCTETS,
	CHIMNEY_IP_IN_DELIVERS,
	CHIMNEY_IP_OUT_REQUESTS,
	CHIMNEY_IP_OUT_OCTETS,
	CHIMNEY_IP_IN_HEADER_ERRORS,
	CHIMNEY_IP_IN_TRUNCATED_PACKETS,
	CHIMNEY_IP_IN_DISCARDS,
	CHIMNEY_IP_OUT_DISCARDS,
	CHIMNEY_IP_OUT_NO_ROUTES,
	CHIMNEY_IP_STATS,
};

/**
 * struct chimney_offload_stats - section 2.10 counters, [0] IPv4, [1] IPv6;
 *	written under &chimney_dev.lock (chimney_stat_add()), read locklessly
 *	(chimney_stat_read())
 * @tcp: TCP_OFFLOAD_STATS counters, &enum chimney_tcp_stat
 * @ip: IP_OFFLOAD_STATS counters, &enum chimney_ip_stat
 * @established: CurrentlyEstablished
 */
struct chimney_offload_stats {
	u64_stats_t tcp[2][CHIMNEY_TCP_STATS];
	u64_stats_t ip[2][CHIMNEY_IP_STATS];
	u32 established[2];
};

/* The adapter-wide status the target indicated last (section 3.11). */
enum chimney_adapter_state {
	CHIMNEY_ADAPTER_RUNNING,
	CHIMNEY_ADAPTER_PAUSED,
	CHIMNEY_ADAPTER_UPLOAD_ALL,
};

/**
 * enum chimney_fail - kinds of block that debugfs fail_next_<kind> fails
 * @CHIMNEY_FAIL_OFFLOAD: a new offload, with RESOURCES
 * @CHIMNEY_FAIL_UPDATE: a reference in an update, with FAILURE; the object
 *	is left as it was and works on (R27)
 * @CHIMNEY_FAIL_QUERY: a reference in a query, with FAILURE as on corrupt
 *	hardware: the sequence of R38 follows
 * @CHIMNEY_FAIL_INVALIDATE: the same for an invalidate (R37)
 * @CHIMNEY_FAIL_TERMINATE: the same for a terminate (R39)
 * @CHIMNEY_FAIL_KINDS: their number
 */
enum chimney_fail {
	CHIMNEY_FAIL_OFFLOAD,
	CHIMNEY_FAIL_UPDATE,
	CHIMNEY_FAIL_QUERY,
	CHIMNEY_FAIL_INVALIDATE,
	CHIMNEY_FAIL_TERMINATE,
	CHIMNEY_FAIL_KINDS
};

/**
 * struct chimney_dev - per-netdevice private data of one offload target
 * @netdev: the netdevice this target is attached to
 * @id: device number, the name of its debugfs directory
 * @lock: protects the object tree (@objs, the objects' links, @count),
 *	@params, @capacity, @stats, @seq and every outstanding I/O
 * @objs: handle index -> &struct chimney_obj; readers use RCU
 * @count: objects per &enum chimney_layer
 * @capacity: TcpConnectionOffloadCapacity
 * @limits: what it holds for user space at most
 * @params: the offload parameters set by the host
 * @stats: counters
 * @ostats: TCP and IP offload counters
 * @syncp: makes a lockless read of a counter of @stats or @ostats, or of
 *	@seq and @journal_first, whole on 32-bit machines
 * @seq: sequence number of the next notification
 * @dead: the device is going away; no request is accepted any more.
 *	Written under @req_lock only, so that ndo_uninit never waits for
 *	@lock under RTNL; read under @req_lock or by chimney_dev_dead()
 * @req_lock: protects @reqs and @dead
 * @reqs: state requests waiting for the virtual hardware, in arrival order
 * @nreqs: how many
 * @work: the virtual hardware, processing @reqs; unbound, so that it works
 *	beside the requester, as a NIC does
 * @latency_ms: how long the virtual hardware takes for a request
 * @inline_requests: a request that finds @reqs empty is processed at once,
 *	in the requester's context (fault injection by fail-nth reaches all
 *	of its allocations)
 * @corrupt: the whole device's hardware state is corrupt
 * @fail_next: by &enum chimney_fail, fail the next N blocks of that kind
 * @adapter: &enum chimney_adapter_state, what the target last indicated
 * @resume_pending: indicate OFFLOAD_RESUME once the upload of everything
 *	has completed
 * @debugfs: the device's debugfs directory
 * @journal: the notifications sent, oldest first, for replay; protected by
 *	@lock, like @journal_bytes and @journal_first
 * @journal_bytes: memory held by @journal
 * @journal_first: every notification from this sequence number on is in
 *	@journal
 * @peer: the other end of the wire, if any; RTNL and RCU
 * @flows: the offloaded TCP connections by &struct chimney_flow_key;
 *	changed under @lock, looked up under RCU by the receive path
 * @dp_rxq: received frames of offloaded connections, for @dp_work
 * @dp_lock: protects @dp_fired
 * @dp_fired: connections whose timer fired
 * @dp_work: the TCP engine: runs @dp_rxq and @dp_fired under @lock
 * @ip_id: the next IPv4 ID, of the upper half of the space (R61)
 * @nct_offset: added to the reachability clock (debugfs), to test its wrap
 * @fin_wait2_ms: the FIN_WAIT_2 timer (debugfs; 120 s, R89)
 * @ind_timeout_ms: how long a receive indication waits for its answer
 *	(debugfs)
 * @ind_seq: the id of the last receive indication
 * @vlans: the interface's VLAN ids (R16), changed under RTNL, read without
 *	a lock: a neighbor offloaded as they change sees either
 * @tx_drop_every: fault injection (debugfs): the wire loses every Nth frame
 *	of data (or a FIN) the engine sends, 0 none; written under @lock
 * @tx_frames: such frames the engine sent since it last lost one, or since
 *	@tx_drop_every was written, under @lock
 * @tx_dropped: those the wire lost, written under @lock, read by debugfs
 * @memcg: the memory cgroup of the task that created the device, charged
 *	for the received bytes its connections hold for the host
 * @kcov_handle: KCOV's common handle of the task that created the device:
 *	coverage of the virtual hardware's and the engine's work items goes
 *	to that task's remote KCOV area (the fuzzer); 0 without KCOV
 * @teardown: completes every request and frees the tree once the device
 *	is unregistered, outside RTNL (chimney_dev_uninit())
 * @notify_net: once @dead, where notifications go: the netns @teardown
 *	holds, or NULL when it was being dismantled; set before @dead, read
 *	after chimney_dev_dead() returned true
 */
struct chimney_dev {
	struct net_device *netdev;
	int id;
	struct mutex lock; /* protects the tree and the device's state, see above */
	struct xarray objs;
	u32 count[CHIMNEY_LAYERS];
	u32 capacity;
	struct chimney_limits limits;
	struct chimney_params params;
	struct chimney_stats stats;
	struct chimney_offload_stats ostats;
	struct u64_stats_sync syncp;
	u64 seq;
	bool dead;
	spinlock_t req_lock; /* protects reqs, nreqs and dead */
	struct list_head reqs;
	u32 nreqs;
	struct delayed_work work;
	u32 latency_ms;
	bool inline_requests;
	u64 kcov_handle;
	struct mem_cgroup *memcg;
	bool corrupt;
	u32 fail_next[CHIMNEY_FAIL_KINDS];
	u8 adapter;
	bool resume_pending;
	struct dentry *debugfs;
	struct list_head journal;
	size_t journal_bytes;
	u64 journal_first;
	struct net_device __rcu *peer;
	struct rhashtable flows;
	struct sk_buff_head dp_rxq;
	spinlock_t dp_lock; /* protects dp_fired */
	struct list_head dp_fired;
	struct work_struct dp_work;
	u16 ip_id;
	u32 nct_offset;
	u32 fin_wait2_ms;
	u32 ind_timeout_ms;
	u64 ind_seq;
	DECLARE_BITMAP(vlans, VLAN_N_VID);
	u32 tx_drop_every;
	u32 tx_frames;
	u32 tx_dropped;
	struct work_struct teardown;
	struct net *notify_net;
};

/**
 * chimney_stat_add() - add to a counter of a device
 * @cdev: the device; its lock must be held
 * @c: a counter of its @stats or @ostats
 * @n: how much
 */
static inline void chimney_stat_add(struct chimney_dev *cdev, u64_stats_t *c, u64 n)
{
	unsigned long flags;

	lockdep_assert_held(&cdev->lock);
	/* Process context: on 32-bit machines the write must not be interrupted. */
	flags = u64_stats_update_begin_irqsave(&cdev->syncp);
	u64_stats_add(c, n);
	u64_stats_update_end_irqrestore(&cdev->syncp, flags);
}

/**
 * chimney_dev_set_seq() - set @seq or @journal_first of a device
 * @cdev: the device; its lock must be held
 * @p: &cdev->seq or &cdev->journal_first
 * @v: the new value
 *
 * DEV_GET reads the two without the lock (chimney_dev_read_seq()): through
 * @syncp, since a u64 written on a 32-bit machine may be read half done.
 */
static inline void chimney_dev_set_seq(struct chimney_dev *cdev, u64 *p, u64 v)
{
	unsigned long flags;

	lockdep_assert_held(&cdev->lock);
	flags = u64_stats_update_begin_irqsave(&cdev->syncp);
	WRITE_ONCE(*p, v);
	u64_stats_update_end_irqrestore(&cdev->syncp, flags);
}

/**
 * chimney_dev_read_seq() - read @seq and @journal_first without the lock
 * @cdev: the device
 * @seq: its @seq
 * @first: its @journal_first
 */
static inline void chimney_dev_read_seq(const struct chimney_dev *cdev, u64 *seq, u64 *first)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&cdev->syncp);
		*seq = READ_ONCE(cdev->seq);
		*first = READ_ONCE(cdev->journal_first);
	} while (u64_stats_fetch_retry(&cdev->syncp, start));
}

/**
 * chimney_stat_read() - read a counter of a device, with or without its lock
 * @cdev: the device
 * @c: a counter of its @stats or @ostats
 *
 * Return: its value, whole.
 */
static inline u64 chimney_stat_read(const struct chimney_dev *cdev, const u64_stats_t *c)
{
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(&cdev->syncp);
		v = u64_stats_read(c);
	} while (u64_stats_fetch_retry(&cdev->syncp, start));
	return v;
}

/**
 * chimney_dev_dead() - whether a device is going away
 * @cdev: the device
 *
 * Without @cdev->req_lock: ndo_uninit may mark it dead at any time, even
 * under @cdev->lock. A caller that needs the device's netns or frames
 * holds the device (a request, chimney_dev_hold_live()).
 *
 * Return: true once ndo_uninit has run; @cdev->notify_net is then set.
 */
static inline bool chimney_dev_dead(const struct chimney_dev *cdev)
{
	/* Pairs with the release in chimney_dev_uninit(): @notify_net. */
	return smp_load_acquire(&cdev->dead);
}

extern struct rtnl_link_ops chimney_link_ops;
extern struct genl_family chimney_genl_family;
extern const struct ethtool_ops chimney_ethtool_ops;

static inline u64 chimney_obj_handle(const struct chimney_obj *obj)
{
	return (u64)obj->gen << 32 | obj->id;
}

/*
 * A walk over every object (or journal entry) of a device under its lock:
 * a reschedule point at every step (one may complete several I/O requests,
 * each a notification), and every 1024 steps the lock let go, so that a
 * tree of millions never stalls the CPU nor the device's other users.
 */
static inline void chimney_walk_resched(struct chimney_dev *cdev, unsigned int *n)
{
	if (++*n % 1024) {
		cond_resched();
		return;
	}
	mutex_unlock(&cdev->lock);
	cond_resched();
	mutex_lock(&cdev->lock);
}

/*
 * A writer of an object's state: the device's lock serialises writers, and
 * preemption stays off while the count is odd, so that a reader spinning in
 * read_seqcount_begin() never waits for a writer that was scheduled out.
 */
static inline void chimney_obj_write_begin(const struct chimney_dev *cdev,
					   struct chimney_obj *obj)
{
	lockdep_assert_held(&cdev->lock);
	preempt_disable();
	write_seqcount_begin(&obj->seq);
}

static inline void chimney_obj_write_end(struct chimney_obj *obj)
{
	write_seqcount_end(&obj->seq);
	preempt_enable();
}

/* chimney_state.c */
int chimney_state_module_init(void);
void chimney_state_module_exit(void);
int chimney_state_init(struct chimney_dev *cdev);
void chimney_state_destroy(struct chimney_dev *cdev);
struct chimney_obj *chimney_obj_lookup(struct chimney_dev *cdev, u64 handle);
struct chimney_obj *chimney_obj_create(struct chimney_dev *cdev,
				       struct chimney_obj *parent,
				       struct chimney_block *b);
void chimney_obj_unpublish(struct chimney_dev *cdev, struct chimney_obj *obj);
void chimney_obj_free(struct chimney_obj *obj);
void chimney_obj_relink(struct chimney_dev *cdev, struct chimney_obj *obj,
			struct chimney_obj *parent);
struct chimney_obj *chimney_obj_parent(const struct chimney_dev *cdev,
				       const struct chimney_obj *obj);
void chimney_obj_set_flag(struct chimney_obj *obj, unsigned int bit);
bool chimney_obj_corrupt(struct chimney_dev *cdev,
			 const struct chimney_obj *obj);
void chimney_obj_get_state(const struct chimney_dev *cdev,
			   const struct chimney_obj *obj, struct chimney_block *b);
int chimney_layer_of_type(u8 type);

struct chimney_conn *chimney_flow_lookup(struct chimney_dev *cdev,
					 const struct chimney_flow_key *key);
bool chimney_conn_v6(const struct chimney_dev *cdev, const struct chimney_conn *conn);
struct chimney_neigh *chimney_conn_neigh(const struct chimney_dev *cdev,
					 const struct chimney_conn *conn);
void chimney_flow_key_init(struct chimney_flow_key *key, bool v6,
			   const struct in6_addr *local,
			   const struct in6_addr *remote, u16 lport, u16 rport);

/* chimney_datapath.c */
void chimney_dp_init(struct chimney_dev *cdev);
void chimney_dp_destroy(struct chimney_dev *cdev);
void chimney_dp_rx(struct chimney_dev *cdev, struct sk_buff *skb);
int chimney_dp_xmit(struct chimney_dev *cdev, struct sk_buff *skb);
u32 chimney_dp_max_payload(u32 mss);
int chimney_dp_send_segment(struct chimney_dev *cdev, struct chimney_conn *conn,
			    u32 seq, u8 tcp_flags, u32 len);
int chimney_dp_forward(struct chimney_dev *cdev, struct chimney_conn *conn, u64 io_id,
		       const void *data, u32 len, struct netlink_ext_ack *extack);

/**
 * struct chimney_seg - a parsed TCP segment of an offloaded connection
 * @seq: its sequence number
 * @ack: its acknowledgment number
 * @len: payload bytes
 * @win: window field, not scaled
 * @flags: TCP flags (the 13th byte of the header)
 * @has_ts: it carries the timestamp option
 * @tsval: TSval of the option
 * @tsecr: TSecr of the option
 */
struct chimney_seg {
	u32 seq;
	u32 ack;
	u32 len;
	u16 win;
	u8 flags;
	bool has_ts;
	u32 tsval;
	u32 tsecr;
};

/**
 * struct chimney_pkt - where the parts of a received segment are
 * @key: its connection, as seen from the receiving end
 * @seg: the TCP header's fields
 * @thoff: offset of the TCP header from skb->data
 * @doff: offset of the payload from skb->data
 * @vid: VLAN ID of its tag
 * @tagged: it came with a VLAN tag
 */
struct chimney_pkt {
	struct chimney_flow_key key;
	struct chimney_seg seg;
	unsigned int thoff;
	unsigned int doff;
	u16 vid;
	bool tagged;
};

/* chimney_tcp.c */
void chimney_tcp_conn_init(struct chimney_dev *cdev, struct chimney_conn *conn);
void chimney_tcp_conn_start(struct chimney_dev *cdev, struct chimney_conn *conn);
void chimney_tcp_update(struct chimney_dev *cdev, struct chimney_conn *conn, u16 flags,
			bool ka_restart);
void chimney_tcp_conn_data(struct chimney_dev *cdev, struct chimney_conn *conn,
			   struct chimney_block *b);
int chimney_tcp_ext_get(struct chimney_dev *cdev, struct chimney_conn *conn);
void chimney_tcp_conn_stop(struct chimney_dev *cdev, struct chimney_conn *conn);
void chimney_tcp_input(struct chimney_dev *cdev, struct chimney_conn *conn,
		       struct sk_buff *skb, const struct chimney_seg *seg);
void chimney_tcp_timer_run(struct chimney_dev *cdev, struct chimney_conn *conn);
void chimney_tcp_push(struct chimney_dev *cdev, struct chimney_conn *conn);
void chimney_tcp_queue_send(struct chimney_conn *conn, struct chimney_io *io);
void chimney_tcp_disconnect(struct chimney_dev *cdev, struct chimney_conn *conn,
			    struct chimney_io *io);
void chimney_tcp_flush(struct chimney_dev *cdev, struct chimney_conn *conn,
		       u32 status);
u32 chimney_tcp_now(void);
u32 chimney_tcp_mss(const struct chimney_dev *cdev, const struct chimney_conn *conn);
void chimney_tcp_state_now(const struct chimney_dev *cdev, const struct chimney_conn *conn,
			   struct chimney_tcp_delegated *d);
u32 chimney_tcp_send_backlog(const struct chimney_tcp_const *c,
			     const struct chimney_tcp_delegated *d);
u32 chimney_tcp_copy_send(const struct chimney_conn *conn, u32 off, u8 *to,
			  u32 len);
void chimney_tcp_set_timer(struct chimney_conn *conn, int t, u32 ms);
void chimney_tcp_stop_timer(struct chimney_conn *conn, int t);
void chimney_tcp_rcv_free(struct chimney_conn *conn, u32 n);
void chimney_tcp_window_opened(struct chimney_dev *cdev, struct chimney_conn *conn, u32 before);

/* chimney_indicate.c */
void chimney_ind_try(struct chimney_dev *cdev, struct chimney_conn *conn);
void chimney_ind_posted(struct chimney_conn *conn);
void chimney_ind_cancel(struct chimney_conn *conn);
void chimney_ind_timeout(struct chimney_dev *cdev, struct chimney_conn *conn);
void chimney_ind_flush(struct chimney_conn *conn);
int chimney_ind_answer(struct chimney_dev *cdev, struct chimney_conn *conn,
		       u64 id, u32 status, u32 bytes, struct netlink_ext_ack *extack);
int chimney_ind_return(struct chimney_dev *cdev, struct chimney_conn *conn,
		       u64 id, struct netlink_ext_ack *extack);
void chimney_ind_copy(const struct chimney_conn *conn, u8 *to, u32 len);

/* chimney_dev.c */
u32 chimney_ticks_to_ms(const struct chimney_dev *cdev, u32 ticks);
u32 chimney_ms_to_ticks(const struct chimney_dev *cdev, u32 ms);
u32 chimney_ticks_now(const struct chimney_dev *cdev);
bool chimney_dev_vlan_ok(const struct chimney_dev *cdev, u16 vid);
bool chimney_dev_hold_live(struct chimney_dev *cdev);
unsigned int chimney_dev_teardowns(struct net *net);
int chimney_dev_module_init(void);
extern atomic_t chimney_teardowns;
void chimney_dev_module_exit(void);

/* chimney_neigh.c */
u32 chimney_neigh_nct(const struct chimney_dev *cdev);
void chimney_neigh_start(const struct chimney_dev *cdev, struct chimney_neigh *neigh);
void chimney_neigh_host_reply(const struct chimney_dev *cdev,
			      struct chimney_neigh *neigh, u32 hrd);
void chimney_neigh_reached(const struct chimney_dev *cdev, struct chimney_neigh *neigh);
void chimney_neigh_fill(const struct chimney_dev *cdev, const struct chimney_neigh *neigh,
			struct chimney_neigh_state *st);
void chimney_neigh_before_send(struct chimney_dev *cdev, struct chimney_neigh *neigh);

/* chimney_offload.c */
void chimney_offload_init(struct chimney_dev *cdev);
void chimney_offload_destroy(struct chimney_dev *cdev);
int chimney_offload_queue(struct chimney_dev *cdev, struct chimney_req *req);
void chimney_req_free(struct chimney_req *req);
u32 chimney_conn_io_status(const struct chimney_dev *cdev, const struct chimney_conn *conn);
int chimney_offload_io_room(struct chimney_dev *cdev, const struct chimney_conn *conn,
			    u8 cmd, const struct chimney_io *io,
			    struct netlink_ext_ack *extack);
int chimney_offload_post_io(struct chimney_dev *cdev, struct chimney_conn *conn,
			    u8 cmd, struct chimney_io *io);
int chimney_offload_indicate(struct chimney_dev *cdev, u32 status);

/* chimney_limits.c */
extern const struct nla_policy chimney_limit_policy[CHIMNEY_LIMIT_A_MAX + 1];
void chimney_limits_init(struct chimney_dev *cdev);
int chimney_limits_put(struct sk_buff *msg, const struct chimney_dev *cdev);
int chimney_limits_set(struct chimney_dev *cdev, struct nlattr *const *tb,
		       struct netlink_ext_ack *extack);
int chimney_limits_room(struct net *net, unsigned int more,
			struct netlink_ext_ack *extack);

/* chimney_nla.c */
void chimney_nla_init(void);
int chimney_nla_once(const struct nlattr *head, int len, int maxtype,
		     struct netlink_ext_ack *extack);
int chimney_nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
			     const struct nla_policy *policy,
			     struct netlink_ext_ack *extack);
int chimney_nl_once(const struct nlmsghdr *nlh, struct netlink_ext_ack *extack);

/* chimney_netlink.c */
int chimney_netlink_init(void);
void chimney_netlink_exit(void);
void chimney_notify_complete(struct chimney_dev *cdev,
			     const struct chimney_req *req);
void chimney_notify_tcp_event(struct chimney_dev *cdev,
			      const struct chimney_obj *conn, u32 type,
			      u32 info);
void chimney_notify_io(struct chimney_dev *cdev, const struct chimney_obj *conn,
		       u8 cmd, u64 io_id, u32 status, u32 bytes,
		       const void *data);
void chimney_notify_status(struct chimney_dev *cdev, u32 status);
void chimney_notify_neigh_event(struct chimney_dev *cdev,
				const struct chimney_neigh *neigh, u32 code);
void chimney_notify_data(struct chimney_dev *cdev, const struct chimney_obj *conn,
			 const struct sk_buff *skb, u32 off, u32 len);
int chimney_notify_indicate(struct chimney_dev *cdev,
			    const struct chimney_conn *conn, u64 id, u32 len);

/* chimney_journal.c */
u32 chimney_journal_default_kb(void);
void chimney_journal_init(struct chimney_dev *cdev);
void chimney_journal_destroy(struct chimney_dev *cdev);
void chimney_journal_add(struct chimney_dev *cdev, u64 seq, u8 cmd,
			 const void *data, u32 len);
int chimney_journal_put(struct chimney_dev *cdev, struct sk_buff *skb,
			struct netlink_callback *cb, u64 *from);

/* chimney_stats.c */
void chimney_stats_conn(struct chimney_dev *cdev, const struct chimney_obj *obj,
			int delta);
int chimney_stats_put(struct sk_buff *msg, struct chimney_dev *cdev);
void chimney_stats_clear(struct chimney_dev *cdev, u32 sets);

/* chimney_debugfs.c */
int chimney_debugfs_init(void);
void chimney_debugfs_exit(void);
void chimney_debugfs_dev_init(struct chimney_dev *cdev);
void chimney_debugfs_dev_exit(struct chimney_dev *cdev);

#if IS_ENABLED(CONFIG_KUNIT)
int chimney_dp_parse(struct sk_buff *skb, struct chimney_pkt *pkt);
bool chimney_dp_csum_ok(struct sk_buff *skb, const struct chimney_pkt *pkt);
struct sk_buff *chimney_dp_build(struct chimney_dev *cdev, struct chimney_conn *conn,
				 u32 seq, u8 tcp_flags, u32 len);
void chimney_dev_setup(struct net_device *dev);
int chimney_dev_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack);
void chimney_process(struct chimney_dev *cdev, struct chimney_req *req);
bool chimney_neigh_stale(u32 nct, u32 nrt, u32 hrt, u32 stale);
bool chimney_tcp_backlog_due(u32 told, u32 now, u32 ms);
int chimney_nl_validate(u8 cmd, const struct nlattr *head, int len,
			struct netlink_ext_ack *extack);
struct chimney_req *chimney_req_parse(struct chimney_dev *cdev, u8 cmd,
				      const struct nlattr *blocks,
				      struct netlink_ext_ack *extack);
/**
 * struct chimney_journal_note - what a test learns of a notification sent
 * @cmd: its &enum chimney_cmd
 * @status: its CHIMNEY_A_STATUS (an I/O completion's), or 0
 * @io_id: its CHIMNEY_A_IO_ID, or 0
 * @dev_id: its CHIMNEY_A_DEV_ID, or U32_MAX
 */
struct chimney_journal_note {
	u8 cmd;
	u32 status;
	u64 io_id;
	u32 dev_id;
};

unsigned int chimney_journal_notes(struct chimney_dev *cdev, u64 from,
				   struct chimney_journal_note *notes, unsigned int max);
#endif

#endif /* _CHIMNEY_H */
