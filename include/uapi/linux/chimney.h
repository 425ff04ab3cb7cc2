/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * chimney: user-space API of the TCP chimney offload target.
 *
 * Shared by the kernel module (chimney/) and its user-space tools. Names
 * follow the NDIS 6 TCP chimney offload specification, upper-cased: the
 * NDIS status NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS is
 * CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS here, the TCP_UPLOAD_REASON
 * HardwareFailure is CHIMNEY_UPLOAD_HARDWARE_FAILURE, the state field
 * SndUna is CHIMNEY_TCP_DELEGATED_A_SND_UNA.
 *
 * The generic netlink family CHIMNEY_GENL_NAME carries the state
 * manipulation requests (initiate, update, invalidate, query, terminate)
 * and the TCP I/O requests of the host stack. Every request is validated
 * and acknowledged at once; the target completes it later with a
 * notification on the CHIMNEY_MCGRP_COMPLETIONS group that carries the
 * request id the host chose. Events go to CHIMNEY_MCGRP_EVENTS. Every
 * notification of a device carries that device's next sequence number
 * (CHIMNEY_A_SEQ), so a listener can tell when it missed one.
 */
#ifndef _UAPI_LINUX_CHIMNEY_H
#define _UAPI_LINUX_CHIMNEY_H

/* rtnl link kind: "ip link add NAME type chimney [peer name PEER]". */
#define CHIMNEY_LINK_KIND	"chimney"

/**
 * enum chimney_link_attr - IFLA_INFO_DATA of a chimney link
 * @CHIMNEY_LINK_A_UNSPEC: unused
 * @CHIMNEY_LINK_A_PEER: a struct ifinfomsg followed by IFLA_* attributes:
 *	create the other end of the wire too, as veth's VETH_INFO_PEER does.
 *	What one end transmits the other receives; the offload target of
 *	each end takes the frames of its offloaded connections out of what it
 *	receives.
 * @__CHIMNEY_LINK_A_MAX: number of attributes
 * @CHIMNEY_LINK_A_MAX: highest attribute number
 */
enum chimney_link_attr {
	CHIMNEY_LINK_A_UNSPEC,
	CHIMNEY_LINK_A_PEER,

	__CHIMNEY_LINK_A_MAX,
	CHIMNEY_LINK_A_MAX = __CHIMNEY_LINK_A_MAX - 1
};

/* Largest payload of one send request, and largest receive buffer. */
#define CHIMNEY_IO_MAX_DATA	65000

/* Generic netlink family name, version and multicast groups. */
#define CHIMNEY_GENL_NAME		"chimney"
#define CHIMNEY_GENL_VERSION		1
#define CHIMNEY_MCGRP_COMPLETIONS	"completions"
#define CHIMNEY_MCGRP_EVENTS		"events"

/*
 * NDIS_STATUS values a target writes into blocks, I/O completions and
 * adapter status indications (the values of the WDK headers).
 * CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_MTU has no header value and is
 * chimney's own.
 */
#define CHIMNEY_NDIS_STATUS_SUCCESS				0x00000000U
#define CHIMNEY_NDIS_STATUS_PENDING				0x00000103U
#define CHIMNEY_NDIS_STATUS_FAILURE				0xC0000001U
#define CHIMNEY_NDIS_STATUS_RESOURCES				0xC000009AU
#define CHIMNEY_NDIS_STATUS_INVALID_STATE			0xC0000184U
#define CHIMNEY_NDIS_STATUS_REQUEST_ABORTED			0xC001000CU
#define CHIMNEY_NDIS_STATUS_OFFLOAD_PAUSE			0x40020001U
#define CHIMNEY_NDIS_STATUS_UPLOAD_ALL				0x40020002U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_RESUME			0x40020003U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS		0x40020004U
#define CHIMNEY_NDIS_STATUS_UPLOAD_IN_PROGRESS			0xC0231001U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_ENTRIES			0xC0231004U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_ENTRIES		0xC0231005U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES		0xC0231006U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES		0xC0231007U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES		0xC0231008U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_VLAN_ENTRIES		0xC0231009U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER		0xC023100AU
#define CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER		0xC023100BU
#define CHIMNEY_NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW		0xC023100CU
#define CHIMNEY_NDIS_STATUS_OFFLOAD_VLAN_MISMATCH		0xC023100DU
#define CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED		0xC023100EU
#define CHIMNEY_NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED	0xC0231010U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_CONNECTION_REJECTED		0xC0231012U
#define CHIMNEY_NDIS_STATUS_OFFLOAD_PATH_MTU			0xC02310F0U

/**
 * enum chimney_offload_state_type - OFFLOAD_STATE_TYPE
 * @CHIMNEY_NEIGHBOR_OFFLOAD_CONST_STATE: NeighborOffloadConstState
 * @CHIMNEY_NEIGHBOR_OFFLOAD_CACHED_STATE: NeighborOffloadCachedState
 * @CHIMNEY_NEIGHBOR_OFFLOAD_DELEGATED_STATE: NeighborOffloadDelegatedState
 * @CHIMNEY_NEIGHBOR_OFFLOAD_STATE: NeighborOffloadState (all three classes)
 * @CHIMNEY_IP4_OFFLOAD_CONST_STATE: Ip4OffloadConstState
 * @CHIMNEY_IP4_OFFLOAD_CACHED_STATE: Ip4OffloadCachedState
 * @CHIMNEY_IP4_OFFLOAD_DELEGATED_STATE: Ip4OffloadDelegatedState
 * @CHIMNEY_IP4_OFFLOAD_STATE: Ip4OffloadState (an IPv4 path)
 * @CHIMNEY_IP6_OFFLOAD_CONST_STATE: Ip6OffloadConstState
 * @CHIMNEY_IP6_OFFLOAD_CACHED_STATE: Ip6OffloadCachedState
 * @CHIMNEY_IP6_OFFLOAD_DELEGATED_STATE: Ip6OffloadDelegatedState
 * @CHIMNEY_IP6_OFFLOAD_STATE: Ip6OffloadState (an IPv6 path)
 * @CHIMNEY_TCP_OFFLOAD_CONST_STATE: TcpOffloadConstState
 * @CHIMNEY_TCP_OFFLOAD_CACHED_STATE: TcpOffloadCachedState
 * @CHIMNEY_TCP_OFFLOAD_DELEGATED_STATE: TcpOffloadDelegatedState
 * @CHIMNEY_TCP_OFFLOAD_RESOURCE_STATE: TcpOffloadResourceState (unused)
 * @CHIMNEY_TCP_OFFLOAD_STATE: TcpOffloadState (a TCP connection)
 *
 * The type of a block (%CHIMNEY_BLOCK_A_TYPE) and of an object. chimney
 * offloads objects of the four all-classes types only.
 */
enum chimney_offload_state_type {
	CHIMNEY_NEIGHBOR_OFFLOAD_CONST_STATE = 1,
	CHIMNEY_NEIGHBOR_OFFLOAD_CACHED_STATE,
	CHIMNEY_NEIGHBOR_OFFLOAD_DELEGATED_STATE,
	CHIMNEY_NEIGHBOR_OFFLOAD_STATE,
	CHIMNEY_IP4_OFFLOAD_CONST_STATE,
	CHIMNEY_IP4_OFFLOAD_CACHED_STATE,
	CHIMNEY_IP4_OFFLOAD_DELEGATED_STATE,
	CHIMNEY_IP4_OFFLOAD_STATE,
	CHIMNEY_IP6_OFFLOAD_CONST_STATE,
	CHIMNEY_IP6_OFFLOAD_CACHED_STATE,
	CHIMNEY_IP6_OFFLOAD_DELEGATED_STATE,
	CHIMNEY_IP6_OFFLOAD_STATE,
	CHIMNEY_TCP_OFFLOAD_CONST_STATE,
	CHIMNEY_TCP_OFFLOAD_CACHED_STATE,
	CHIMNEY_TCP_OFFLOAD_DELEGATED_STATE,
	CHIMNEY_TCP_OFFLOAD_RESOURCE_STATE,
	CHIMNEY_TCP_OFFLOAD_STATE,
};

/**
 * enum chimney_tcp_connection_state - TCP_OFFLOAD_CONNECTION_STATE
 * @CHIMNEY_TCP_CONNECTION_CLOSED: TcpConnectionClosed
 * @CHIMNEY_TCP_CONNECTION_LISTEN: TcpConnectionListen
 * @CHIMNEY_TCP_CONNECTION_SYN_SENT: TcpConnectionSynSent
 * @CHIMNEY_TCP_CONNECTION_SYN_RCVD: TcpConnectionSynRcvd
 * @CHIMNEY_TCP_CONNECTION_ESTABLISHED: TcpConnectionEstablished
 * @CHIMNEY_TCP_CONNECTION_FIN_WAIT1: TcpConnectionFinWait1
 * @CHIMNEY_TCP_CONNECTION_FIN_WAIT2: TcpConnectionFinWait2
 * @CHIMNEY_TCP_CONNECTION_CLOSE_WAIT: TcpConnectionCloseWait
 * @CHIMNEY_TCP_CONNECTION_CLOSING: TcpConnectionClosing
 * @CHIMNEY_TCP_CONNECTION_LAST_ACK: TcpConnectionLastAck
 * @CHIMNEY_TCP_CONNECTION_TIME_WAIT: TcpConnectionTimeWait
 * @CHIMNEY_TCP_CONNECTION_MAX_STATE: TcpConnectionMaxState (sentinel)
 */
enum chimney_tcp_connection_state {
	CHIMNEY_TCP_CONNECTION_CLOSED,
	CHIMNEY_TCP_CONNECTION_LISTEN,
	CHIMNEY_TCP_CONNECTION_SYN_SENT,
	CHIMNEY_TCP_CONNECTION_SYN_RCVD,
	CHIMNEY_TCP_CONNECTION_ESTABLISHED,
	CHIMNEY_TCP_CONNECTION_FIN_WAIT1,
	CHIMNEY_TCP_CONNECTION_FIN_WAIT2,
	CHIMNEY_TCP_CONNECTION_CLOSE_WAIT,
	CHIMNEY_TCP_CONNECTION_CLOSING,
	CHIMNEY_TCP_CONNECTION_LAST_ACK,
	CHIMNEY_TCP_CONNECTION_TIME_WAIT,
	CHIMNEY_TCP_CONNECTION_MAX_STATE,
};

/**
 * enum chimney_tcp_event_type - TCP_OFFLOAD_EVENT_TYPE
 * @CHIMNEY_TCP_INDICATE_SEND_BACKLOG_CHANGE: TcpIndicateSendBacklogChange;
 *	%CHIMNEY_A_EVENT_INFO is the preferred outstanding send bytes
 * @CHIMNEY_TCP_INDICATE_DISCONNECT: TcpIndicateDisconnect (peer FIN)
 * @CHIMNEY_TCP_INDICATE_RETRIEVE: TcpIndicateRetrieve; %CHIMNEY_A_EVENT_INFO
 *	is an &enum chimney_tcp_upload_reason
 * @CHIMNEY_TCP_INDICATE_ABORT: TcpIndicateAbort
 */
enum chimney_tcp_event_type {
	CHIMNEY_TCP_INDICATE_SEND_BACKLOG_CHANGE = 1,
	CHIMNEY_TCP_INDICATE_DISCONNECT,
	CHIMNEY_TCP_INDICATE_RETRIEVE,
	CHIMNEY_TCP_INDICATE_ABORT,
};

/**
 * enum chimney_neighbor_event - INDICATE_OFFLOAD_EVENT
 * @CHIMNEY_NEIGHBOR_REACHABILITY_IN_DOUBT: NeighborReachabilityInDoubt;
 *	reserved, never indicated
 * @CHIMNEY_NEIGHBOR_REACHABILITY_QUERY: NeighborReachabilityQuery: the
 *	neighbor in %CHIMNEY_A_BLOCKS is stale; the host answers with an
 *	update of its HostReachabilityDelta
 */
enum chimney_neighbor_event {
	CHIMNEY_NEIGHBOR_REACHABILITY_IN_DOUBT = 1,
	CHIMNEY_NEIGHBOR_REACHABILITY_QUERY,
};

/**
 * enum chimney_tcp_upload_reason - TCP_UPLOAD_REASON
 * @CHIMNEY_UPLOAD_LOW_ACTIVITY: LowActivity (optional)
 * @CHIMNEY_UPLOAD_HIGH_DROP_RATE: HighDropRate (optional)
 * @CHIMNEY_UPLOAD_SMALL_IO: SmallIO (optional)
 * @CHIMNEY_UPLOAD_NO_BUFFER_PREPOSTING: NoBufferPreposting (optional)
 * @CHIMNEY_UPLOAD_RECEIVED_URGENT_DATA: ReceivedUrgentData (mandatory)
 * @CHIMNEY_UPLOAD_HIGH_FRAGMENTATION: HighFragmentation (optional)
 * @CHIMNEY_UPLOAD_HIGH_OUT_OF_ORDER_PACKETS: HighOutOfOrderPackets (optional)
 * @CHIMNEY_UPLOAD_TIMEOUT_EXPIRATION: TimeoutExpiration (mandatory)
 * @CHIMNEY_UPLOAD_INVALID_STATE: InvalidState (mandatory)
 * @CHIMNEY_UPLOAD_UPLOAD_REQUESTED: UploadRequested (mandatory)
 * @CHIMNEY_UPLOAD_HARDWARE_FAILURE: HardwareFailure (mandatory)
 * @CHIMNEY_UPLOAD_MAX_UPLOAD_REASON: MaxUploadReason (sentinel)
 */
enum chimney_tcp_upload_reason {
	CHIMNEY_UPLOAD_LOW_ACTIVITY = 1,
	CHIMNEY_UPLOAD_HIGH_DROP_RATE,
	CHIMNEY_UPLOAD_SMALL_IO,
	CHIMNEY_UPLOAD_NO_BUFFER_PREPOSTING,
	CHIMNEY_UPLOAD_RECEIVED_URGENT_DATA,
	CHIMNEY_UPLOAD_HIGH_FRAGMENTATION,
	CHIMNEY_UPLOAD_HIGH_OUT_OF_ORDER_PACKETS,
	CHIMNEY_UPLOAD_TIMEOUT_EXPIRATION,
	CHIMNEY_UPLOAD_INVALID_STATE,
	CHIMNEY_UPLOAD_UPLOAD_REQUESTED,
	CHIMNEY_UPLOAD_HARDWARE_FAILURE,
	CHIMNEY_UPLOAD_MAX_UPLOAD_REASON,
};

/**
 * enum chimney_cmd - generic netlink commands
 * @CHIMNEY_CMD_UNSPEC: unused
 * @CHIMNEY_CMD_DEV_GET: get one device (%CHIMNEY_A_IFINDEX) or dump all of
 *	the caller's netns: capabilities, parameters, counters
 * @CHIMNEY_CMD_DEV_SET: set the offload parameters (%CHIMNEY_A_PARAMS)
 * @CHIMNEY_CMD_INITIATE: MiniportInitiateOffload: %CHIMNEY_A_REQ_ID and a
 *	tree of blocks in %CHIMNEY_A_BLOCKS
 * @CHIMNEY_CMD_UPDATE: MiniportUpdateOffload (cached state, relinking)
 * @CHIMNEY_CMD_INVALIDATE: MiniportInvalidateOffload (blocks only)
 * @CHIMNEY_CMD_QUERY: MiniportQueryOffload (returns the state)
 * @CHIMNEY_CMD_TERMINATE: MiniportTerminateOffload (returns delegated state)
 * @CHIMNEY_CMD_OBJ_GET: get one object (%CHIMNEY_A_HANDLE) or dump the
 *	objects of a device, filtered by %CHIMNEY_A_OBJ_TYPE and
 *	%CHIMNEY_A_PARENT
 * @CHIMNEY_CMD_SEND: MiniportTcpOffloadSend: post a send request
 *	(%CHIMNEY_A_IO_ID, %CHIMNEY_A_IO_DATA) on connection %CHIMNEY_A_HANDLE;
 *	it completes once the peer has acknowledged all of it
 * @CHIMNEY_CMD_RECEIVE: MiniportTcpOffloadReceive: post a receive request
 *	(%CHIMNEY_A_IO_ID, %CHIMNEY_A_IO_LEN, %CHIMNEY_A_IO_FLAGS); its
 *	completion carries the bytes placed in %CHIMNEY_A_IO_DATA
 * @CHIMNEY_CMD_INITIATE_COMPLETE: notification, NdisMInitiateOffloadComplete:
 *	%CHIMNEY_A_REQ_ID and the request's tree in %CHIMNEY_A_BLOCKS, each
 *	block with its type, handle (a new object's), host handle and status;
 *	no state (the host has it)
 * @CHIMNEY_CMD_UPDATE_COMPLETE: notification, NdisMUpdateOffloadComplete
 *	(the tree as for an initiate)
 * @CHIMNEY_CMD_INVALIDATE_COMPLETE: notification, NdisMInvalidateOffloadComplete
 *	(the tree as for an initiate)
 * @CHIMNEY_CMD_QUERY_COMPLETE: notification, NdisMQueryOffloadStateComplete:
 *	the tree, each block of SUCCESS with its const, cached and delegated
 *	state
 * @CHIMNEY_CMD_TERMINATE_COMPLETE: notification, NdisMTerminateOffloadComplete:
 *	the tree, each block of SUCCESS with its delegated state
 * @CHIMNEY_CMD_SEND_COMPLETE: notification, NdisTcpOffloadSendComplete
 * @CHIMNEY_CMD_RECEIVE_COMPLETE: notification, NdisTcpOffloadReceiveComplete
 * @CHIMNEY_CMD_TCP_EVENT: notification, NdisTcpOffloadEventHandler
 * @CHIMNEY_CMD_NEIGHBOR_EVENT: notification, NdisMOffloadEventIndicate
 *	(%CHIMNEY_A_EVENT_TYPE and the neighbor's block in %CHIMNEY_A_BLOCKS)
 * @CHIMNEY_CMD_STATUS_INDICATE: notification, NdisMIndicateStatusEx
 *	(%CHIMNEY_NDIS_STATUS_OFFLOAD_PAUSE, _UPLOAD_ALL, _OFFLOAD_RESUME)
 * @CHIMNEY_CMD_NOTIFY_LOST: reserved, never sent: a notification that
 *	cannot be built is reported as ENOBUFS on every listener's socket,
 *	as an overrun is, and counted in %CHIMNEY_STATS_A_NOTIFY_LOST; its
 *	sequence number is skipped, and %CHIMNEY_CMD_NOTIFY_GET fails with
 *	ERANGE across it
 * @CHIMNEY_CMD_NOTIFY_GET: dump: the device's notifications again, from
 *	sequence number %CHIMNEY_A_SEQ on, each with its own command and
 *	attributes, as sent; ERANGE when some are no longer in the device's
 *	journal (see %CHIMNEY_A_JOURNAL_FIRST), then dump the objects instead
 * @CHIMNEY_CMD_DISCONNECT: MiniportTcpOffloadDisconnect (%CHIMNEY_A_IO_ID):
 *	graceful, with optional %CHIMNEY_A_IO_DATA sent before the FIN, or
 *	abortive (%CHIMNEY_IO_ABORTIVE_CLOSE in %CHIMNEY_A_IO_FLAGS: an RST)
 * @CHIMNEY_CMD_DISCONNECT_COMPLETE: notification,
 *	NdisTcpOffloadDisconnectComplete: SUCCESS once the FIN (and the data
 *	before it) is acknowledged, or the RST is sent; %CHIMNEY_A_IO_BYTES
 *	of its data acknowledged
 * @CHIMNEY_CMD_BUFFERED_DATA: notification: bytes a connection received
 *	and did not deliver (BufferedData), handed back in order by its
 *	terminate before the terminate completion; %CHIMNEY_A_IO_DATA,
 *	%CHIMNEY_A_IO_BYTES
 * @CHIMNEY_CMD_RECEIVE_INDICATE: notification, NdisTcpOffloadReceiveHandler:
 *	bytes received while no receive request is posted (R69), from
 *	%CHIMNEY_A_IO_DATA (%CHIMNEY_A_IO_BYTES long), under an indication id
 *	the target chose (%CHIMNEY_A_IO_ID). The connection waits for the
 *	host's %CHIMNEY_CMD_RECEIVE_ANSWER; a receive request posted first,
 *	or no answer within the device's indication timeout, refuses it
 * @CHIMNEY_CMD_RECEIVE_ANSWER: the return of NdisTcpOffloadReceiveHandler
 *	(%CHIMNEY_A_IO_ID of the indication): %CHIMNEY_A_STATUS SUCCESS (all
 *	taken; the target's buffer stays with the host until
 *	%CHIMNEY_CMD_RECEIVE_RETURN), OFFLOAD_DATA_PARTIALLY_ACCEPTED (the
 *	first %CHIMNEY_A_IO_BYTES taken) or OFFLOAD_DATA_NOT_ACCEPTED; the
 *	bytes not taken stay buffered in order, and after a refusal nothing is
 *	indicated until a receive request is posted (R70, R71)
 * @CHIMNEY_CMD_RECEIVE_RETURN: MiniportTcpOffloadReceiveReturn: the host
 *	gives back the buffer of an accepted indication (%CHIMNEY_A_IO_ID),
 *	which opens the receive window again; it succeeds also while the
 *	connection is being uploaded (R73, decision 27)
 * @CHIMNEY_CMD_FORWARD: MiniportTcpOffloadForward: a TCP segment the host
 *	received for the connection, from its TCP header on
 *	(%CHIMNEY_A_IO_DATA), processed as if from the wire (R81)
 * @CHIMNEY_CMD_FORWARD_COMPLETE: notification,
 *	NdisTcpOffloadForwardComplete: SUCCESS (processed), UPLOAD_IN_PROGRESS
 *	(not processed: the host processes it) or REQUEST_ABORTED (the
 *	connection was reset: the host drops it), decision 5
 */
enum chimney_cmd {
	CHIMNEY_CMD_UNSPEC,
	CHIMNEY_CMD_DEV_GET,
	CHIMNEY_CMD_DEV_SET,
	CHIMNEY_CMD_INITIATE,
	CHIMNEY_CMD_UPDATE,
	CHIMNEY_CMD_INVALIDATE,
	CHIMNEY_CMD_QUERY,
	CHIMNEY_CMD_TERMINATE,
	CHIMNEY_CMD_OBJ_GET,
	CHIMNEY_CMD_SEND,
	CHIMNEY_CMD_RECEIVE,
	CHIMNEY_CMD_INITIATE_COMPLETE,
	CHIMNEY_CMD_UPDATE_COMPLETE,
	CHIMNEY_CMD_INVALIDATE_COMPLETE,
	CHIMNEY_CMD_QUERY_COMPLETE,
	CHIMNEY_CMD_TERMINATE_COMPLETE,
	CHIMNEY_CMD_SEND_COMPLETE,
	CHIMNEY_CMD_RECEIVE_COMPLETE,
	CHIMNEY_CMD_TCP_EVENT,
	CHIMNEY_CMD_NEIGHBOR_EVENT,
	CHIMNEY_CMD_STATUS_INDICATE,
	CHIMNEY_CMD_NOTIFY_LOST,
	CHIMNEY_CMD_NOTIFY_GET,
	CHIMNEY_CMD_DISCONNECT,
	CHIMNEY_CMD_DISCONNECT_COMPLETE,
	CHIMNEY_CMD_BUFFERED_DATA,
	CHIMNEY_CMD_RECEIVE_INDICATE,
	CHIMNEY_CMD_RECEIVE_ANSWER,
	CHIMNEY_CMD_RECEIVE_RETURN,
	CHIMNEY_CMD_FORWARD,
	CHIMNEY_CMD_FORWARD_COMPLETE,

	__CHIMNEY_CMD_MAX,
	CHIMNEY_CMD_MAX = __CHIMNEY_CMD_MAX - 1
};

/**
 * enum chimney_attr - top-level attributes
 * @CHIMNEY_A_UNSPEC: unused
 * @CHIMNEY_A_PAD: padding for 64-bit attributes
 * @CHIMNEY_A_IFINDEX: u32, the device (one offload target)
 * @CHIMNEY_A_IFNAME: string, the device's name (replies only)
 * @CHIMNEY_A_REQ_ID: u64, chosen by the host for a state operation and
 *	echoed in its completion
 * @CHIMNEY_A_SEQ: u64, per-device notification sequence number, one
 *	sequence for both multicast groups: a listener of both sees every
 *	number, and one of a single group sees the other's as gaps
 * @CHIMNEY_A_BLOCKS: nested array of neighbor-layer blocks (the offload
 *	state tree; see &enum chimney_block_attr)
 * @CHIMNEY_A_HANDLE: u64, a target handle: object or connection
 * @CHIMNEY_A_HOST_HANDLE: u64, the host's handle of that object
 *	(NdisOffloadHandle), echoed in events and I/O completions
 * @CHIMNEY_A_OBJ_TYPE: u8, &enum chimney_offload_state_type (object dump
 *	filter, object replies)
 * @CHIMNEY_A_PARENT: u64, handle of the parent object (dump filter,
 *	object replies)
 * @CHIMNEY_A_OBJ: nest, one object in a reply, as a block
 * @CHIMNEY_A_EVENT_TYPE: u32, &enum chimney_tcp_event_type, or
 *	&enum chimney_neighbor_event in %CHIMNEY_CMD_NEIGHBOR_EVENT
 * @CHIMNEY_A_EVENT_INFO: u32, EventSpecificInformation
 * @CHIMNEY_A_STATUS: u32, an NDIS status (I/O completion, status
 *	indication, the host's answer to a receive indication)
 * @CHIMNEY_A_CAPS: nest, &enum chimney_caps_attr (device replies)
 * @CHIMNEY_A_PARAMS: nest, &enum chimney_param_attr
 * @CHIMNEY_A_STATS: nest, &enum chimney_stats_attr (device replies)
 * @CHIMNEY_A_IO_ID: u64, chosen by the host for an I/O request and echoed
 *	in its completion
 * @CHIMNEY_A_IO_LEN: u32, size of a receive buffer, at most
 *	%CHIMNEY_IO_MAX_DATA
 * @CHIMNEY_A_IO_BYTES: u32, bytes transferred (I/O completions)
 * @CHIMNEY_A_OBJ_STATE: u32, &enum chimney_obj_state_flags of an object
 * @CHIMNEY_A_PENDING: u32, requests waiting for the virtual hardware
 *	(device replies)
 * @CHIMNEY_A_DEV_ID: u32, the device's number: its debugfs directory is
 *	chimney/<number> (device replies, every notification). Unlike its
 *	ifindex, no other device has it until the device's teardown has sent
 *	its last completion, after it was deleted
 * @CHIMNEY_A_JOURNAL_FIRST: u64, every notification of the device from this
 *	sequence number on can be had again with %CHIMNEY_CMD_NOTIFY_GET
 *	(device replies)
 * @CHIMNEY_A_TCP4_OFFLOAD_STATS: nest, &enum chimney_tcp_stats_attr,
 *	OID_TCP4_OFFLOAD_STATS (device replies)
 * @CHIMNEY_A_TCP6_OFFLOAD_STATS: nest, OID_TCP6_OFFLOAD_STATS
 * @CHIMNEY_A_IP4_OFFLOAD_STATS: nest, &enum chimney_ip_stats_attr,
 *	OID_IP4_OFFLOAD_STATS (device replies)
 * @CHIMNEY_A_IP6_OFFLOAD_STATS: nest, OID_IP6_OFFLOAD_STATS
 * @CHIMNEY_A_STATS_CLEAR: u32, &enum chimney_stats_set bits: zero these
 *	counter sets and only these (device set, rule R96)
 * @CHIMNEY_A_IO_DATA: binary, the payload of a send or graceful disconnect
 *	request (1 to %CHIMNEY_IO_MAX_DATA bytes), or the bytes a receive
 *	completion placed
 * @CHIMNEY_A_IO_FLAGS: u32, &enum chimney_io_flags of a receive or
 *	disconnect request
 * @CHIMNEY_A_LIMITS: nest, &enum chimney_limit_attr: what the device holds
 *	for user space at most (device replies; device set)
 * @__CHIMNEY_A_MAX: number of attributes
 * @CHIMNEY_A_MAX: highest attribute number
 */
enum chimney_attr {
	CHIMNEY_A_UNSPEC,
	CHIMNEY_A_PAD,
	CHIMNEY_A_IFINDEX,
	CHIMNEY_A_IFNAME,
	CHIMNEY_A_REQ_ID,
	CHIMNEY_A_SEQ,
	CHIMNEY_A_BLOCKS,
	CHIMNEY_A_HANDLE,
	CHIMNEY_A_HOST_HANDLE,
	CHIMNEY_A_OBJ_TYPE,
	CHIMNEY_A_PARENT,
	CHIMNEY_A_OBJ,
	CHIMNEY_A_EVENT_TYPE,
	CHIMNEY_A_EVENT_INFO,
	CHIMNEY_A_STATUS,
	CHIMNEY_A_CAPS,
	CHIMNEY_A_PARAMS,
	CHIMNEY_A_STATS,
	CHIMNEY_A_IO_ID,
	CHIMNEY_A_IO_LEN,
	CHIMNEY_A_IO_BYTES,
	CHIMNEY_A_OBJ_STATE,
	CHIMNEY_A_PENDING,
	CHIMNEY_A_DEV_ID,
	CHIMNEY_A_JOURNAL_FIRST,
	CHIMNEY_A_TCP4_OFFLOAD_STATS,
	CHIMNEY_A_TCP6_OFFLOAD_STATS,
	CHIMNEY_A_IP4_OFFLOAD_STATS,
	CHIMNEY_A_IP6_OFFLOAD_STATS,
	CHIMNEY_A_STATS_CLEAR,
	CHIMNEY_A_IO_DATA,
	CHIMNEY_A_IO_FLAGS,
	CHIMNEY_A_LIMITS,

	__CHIMNEY_A_MAX,
	CHIMNEY_A_MAX = __CHIMNEY_A_MAX - 1
};

/**
 * enum chimney_io_flags - flags of an I/O request (%CHIMNEY_A_IO_FLAGS)
 * @CHIMNEY_IO_NO_PUSH: receive, TcpReceiveNoPush: complete the request only
 *	when it is full, ignoring PSH (section 3.7); without it, a push-mode
 *	request also completes on a PSH segment
 * @CHIMNEY_IO_ABORTIVE_CLOSE: disconnect, TCP_DISCONNECT_ABORTIVE_CLOSE:
 *	send an RST (section 3.8); without it, a graceful close (FIN)
 */
enum chimney_io_flags {
	CHIMNEY_IO_NO_PUSH = 1 << 0,
	CHIMNEY_IO_ABORTIVE_CLOSE = 1 << 1,
};

/**
 * enum chimney_obj_state_flags - state of an offloaded object
 * @CHIMNEY_OBJ_INVALID: invalidated; nothing is transmitted through it
 * @CHIMNEY_OBJ_CORRUPT: its hardware state is corrupt
 * @CHIMNEY_OBJ_FAILED: a request failed on corrupt hardware; the host was
 *	told (Retrieve, Abort) and its next terminate succeeds
 * @CHIMNEY_OBJ_RETRIEVE: TcpIndicateRetrieve was indicated (mandatory
 *	reason): new I/O completes with UPLOAD_IN_PROGRESS
 * @CHIMNEY_OBJ_ABORTED: TcpIndicateAbort was indicated
 */
enum chimney_obj_state_flags {
	CHIMNEY_OBJ_INVALID	= 1 << 0,
	CHIMNEY_OBJ_CORRUPT	= 1 << 1,
	CHIMNEY_OBJ_FAILED	= 1 << 2,
	CHIMNEY_OBJ_RETRIEVE	= 1 << 3,
	CHIMNEY_OBJ_ABORTED	= 1 << 4,
};

/**
 * enum chimney_block_attr - one block of an offload state tree
 *	(NDIS_MINIPORT_OFFLOAD_BLOCK_LIST)
 * @CHIMNEY_BLOCK_A_UNSPEC: unused
 * @CHIMNEY_BLOCK_A_PAD: padding for 64-bit attributes
 * @CHIMNEY_BLOCK_A_TYPE: u8, Header.Type (&enum chimney_offload_state_type)
 * @CHIMNEY_BLOCK_A_NEW: flag: a new offload (*MiniportOffloadContext is
 *	NULL); the state to offload follows in the CONST, CACHED and
 *	DELEGATED nests
 * @CHIMNEY_BLOCK_A_HANDLE: u64, *MiniportOffloadContext: the object this
 *	block references (a linker, in an initiate tree). A block with
 *	neither NEW nor HANDLE is a placeholder. In an initiate completion,
 *	the handle the target gave a new object.
 * @CHIMNEY_BLOCK_A_HOST_HANDLE: u64, NdisOffloadHandle of a new object
 * @CHIMNEY_BLOCK_A_STATUS: u32, the block's NDIS status (completions only)
 * @CHIMNEY_BLOCK_A_CONST: nest, the layer's constant state
 * @CHIMNEY_BLOCK_A_CACHED: nest, the layer's cached state
 * @CHIMNEY_BLOCK_A_DELEGATED: nest, the layer's delegated state
 * @CHIMNEY_BLOCK_A_DEPENDENTS: nested array of the next layer's blocks
 *	(DependentBlockList; never on a TCP block)
 * @__CHIMNEY_BLOCK_A_MAX: number of attributes
 * @CHIMNEY_BLOCK_A_MAX: highest attribute number
 *
 * The tree has three layers: the blocks of %CHIMNEY_A_BLOCKS are
 * neighbors, their dependents paths, the paths' dependents TCP
 * connections. Siblings (NextBlock) are the entries of one nested array,
 * in order. The state nests hold &enum chimney_neigh_const_attr and its
 * companions, chosen by the layer.
 */
enum chimney_block_attr {
	CHIMNEY_BLOCK_A_UNSPEC,
	CHIMNEY_BLOCK_A_PAD,
	CHIMNEY_BLOCK_A_TYPE,
	CHIMNEY_BLOCK_A_NEW,
	CHIMNEY_BLOCK_A_HANDLE,
	CHIMNEY_BLOCK_A_HOST_HANDLE,
	CHIMNEY_BLOCK_A_STATUS,
	CHIMNEY_BLOCK_A_CONST,
	CHIMNEY_BLOCK_A_CACHED,
	CHIMNEY_BLOCK_A_DELEGATED,
	CHIMNEY_BLOCK_A_DEPENDENTS,

	__CHIMNEY_BLOCK_A_MAX,
	CHIMNEY_BLOCK_A_MAX = __CHIMNEY_BLOCK_A_MAX - 1
};

/**
 * enum chimney_neigh_attr - neighbor state (NEIGHBOR_OFFLOAD_STATE_*)
 * @CHIMNEY_NEIGH_A_UNSPEC: unused
 * @CHIMNEY_NEIGH_A_DL_SOURCE_ADDRESS: const, 6 bytes, DlSourceAddress
 * @CHIMNEY_NEIGH_A_VLAN_ID: const, u16 (0-4095), VlanId
 * @CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS: cached, 6 bytes,
 *	DlDestinationAddress
 * @CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA: cached, u32 ticks
 * @CHIMNEY_NEIGH_A_NIC_REACHABILITY_DELTA: delegated, u32 ticks
 * @__CHIMNEY_NEIGH_A_MAX: number of attributes
 * @CHIMNEY_NEIGH_A_MAX: highest attribute number
 *
 * One numbering for the three classes; each class nest accepts its own.
 */
enum chimney_neigh_attr {
	CHIMNEY_NEIGH_A_UNSPEC,
	CHIMNEY_NEIGH_A_DL_SOURCE_ADDRESS,
	CHIMNEY_NEIGH_A_VLAN_ID,
	CHIMNEY_NEIGH_A_DL_DESTINATION_ADDRESS,
	CHIMNEY_NEIGH_A_HOST_REACHABILITY_DELTA,
	CHIMNEY_NEIGH_A_NIC_REACHABILITY_DELTA,

	__CHIMNEY_NEIGH_A_MAX,
	CHIMNEY_NEIGH_A_MAX = __CHIMNEY_NEIGH_A_MAX - 1
};

/**
 * enum chimney_path_attr - path state (PATH_OFFLOAD_STATE_*)
 * @CHIMNEY_PATH_A_UNSPEC: unused
 * @CHIMNEY_PATH_A_SOURCE_ADDRESS: const, 4 (IPv4) or 16 (IPv6) bytes,
 *	network byte order
 * @CHIMNEY_PATH_A_DESTINATION_ADDRESS: const, as the source
 * @CHIMNEY_PATH_A_PATH_MTU: cached, u32, PathMtu
 * @__CHIMNEY_PATH_A_MAX: number of attributes
 * @CHIMNEY_PATH_A_MAX: highest attribute number
 */
enum chimney_path_attr {
	CHIMNEY_PATH_A_UNSPEC,
	CHIMNEY_PATH_A_SOURCE_ADDRESS,
	CHIMNEY_PATH_A_DESTINATION_ADDRESS,
	CHIMNEY_PATH_A_PATH_MTU,

	__CHIMNEY_PATH_A_MAX,
	CHIMNEY_PATH_A_MAX = __CHIMNEY_PATH_A_MAX - 1
};

/* TCP_OFFLOAD_STATE_CONST.Flags */
#define CHIMNEY_TCP_FLAG_TIMESTAMP_ENABLED	0x01
#define CHIMNEY_TCP_FLAG_SACK_ENABLED		0x02
#define CHIMNEY_TCP_FLAG_WINDOW_SCALING_ENABLED	0x04
#define CHIMNEY_TCP_CONST_FLAGS			0x07

/* TCP_OFFLOAD_STATE_CACHED.Flags */
#define CHIMNEY_TCP_FLAG_KEEP_ALIVE_ENABLED	0x01
#define CHIMNEY_TCP_FLAG_NAGLING_ENABLED	0x02
#define CHIMNEY_TCP_FLAG_KEEP_ALIVE_RESTART	0x04
#define CHIMNEY_TCP_FLAG_MAX_RT_RESTART		0x08
#define CHIMNEY_TCP_FLAG_UPDATE_RCV_WND		0x10
#define CHIMNEY_TCP_CACHED_FLAGS		0x1f

/**
 * enum chimney_tcp_attr - TCP state (TCP_OFFLOAD_STATE_*)
 * @CHIMNEY_TCP_A_UNSPEC: unused
 * @CHIMNEY_TCP_A_CONST_FLAGS: const, u16, CHIMNEY_TCP_CONST_FLAGS
 * @CHIMNEY_TCP_A_REMOTE_PORT: const, u16, host byte order
 * @CHIMNEY_TCP_A_LOCAL_PORT: const, u16, host byte order
 * @CHIMNEY_TCP_A_SND_WIND_SCALE: const, u8 (0-14)
 * @CHIMNEY_TCP_A_RCV_WIND_SCALE: const, u8 (0-14)
 * @CHIMNEY_TCP_A_REMOTE_MSS: const, u16
 * @CHIMNEY_TCP_A_HASH_VALUE: const, u32
 * @CHIMNEY_TCP_A_CACHED_FLAGS: cached, u16, CHIMNEY_TCP_CACHED_FLAGS
 * @CHIMNEY_TCP_A_INITIAL_RCV_WND: cached, u32
 * @CHIMNEY_TCP_A_RCV_INDICATION_SIZE: cached, u32
 * @CHIMNEY_TCP_A_KA_PROBE_COUNT: cached, u8
 * @CHIMNEY_TCP_A_KA_TIMEOUT: cached, u32 ticks
 * @CHIMNEY_TCP_A_KA_INTERVAL: cached, u32 ticks
 * @CHIMNEY_TCP_A_MAX_RT: cached, u32 ticks: the longest a segment is resent
 *	(TotalRT); 0: TcpMaximumRetransmissions times, -1: no bound
 * @CHIMNEY_TCP_A_FLOW_LABEL: cached, u32 (20 bits)
 * @CHIMNEY_TCP_A_TTL_OR_HOP_LIMIT: cached, u8
 * @CHIMNEY_TCP_A_TOS_OR_TRAFFIC_CLASS: cached, u8
 * @CHIMNEY_TCP_A_USER_PRIORITY: cached, u8 (0-7)
 * @CHIMNEY_TCP_A_STATE: delegated, u8, &enum chimney_tcp_connection_state
 * @CHIMNEY_TCP_A_RCV_NXT: delegated, u32
 * @CHIMNEY_TCP_A_RCV_WND: delegated, u32
 * @CHIMNEY_TCP_A_SND_UNA: delegated, u32
 * @CHIMNEY_TCP_A_SND_NXT: delegated, u32
 * @CHIMNEY_TCP_A_SND_MAX: delegated, u32
 * @CHIMNEY_TCP_A_SND_WND: delegated, u32
 * @CHIMNEY_TCP_A_MAX_SND_WND: delegated, u32
 * @CHIMNEY_TCP_A_SEND_WL1: delegated, u32
 * @CHIMNEY_TCP_A_CWND: delegated, u32
 * @CHIMNEY_TCP_A_SS_THRESH: delegated, u32
 * @CHIMNEY_TCP_A_SRTT: delegated, u16 ticks x8
 * @CHIMNEY_TCP_A_RTT_VAR: delegated, u16 ticks x4
 * @CHIMNEY_TCP_A_TS_RECENT: delegated, u32
 * @CHIMNEY_TCP_A_TS_RECENT_AGE: delegated, u32 ticks since TsRecent came
 * @CHIMNEY_TCP_A_TS_TIME: delegated, u32 ticks: the timestamp clock, which
 *	runs at TicksPerSecond
 * @CHIMNEY_TCP_A_TOTAL_RT: delegated, u32 ticks
 * @CHIMNEY_TCP_A_DUP_ACK_COUNT: delegated, u8
 * @CHIMNEY_TCP_A_SND_WND_PROBE_COUNT: delegated, u8
 * @CHIMNEY_TCP_A_KEEPALIVE_PROBE_COUNT: delegated, u8
 * @CHIMNEY_TCP_A_KEEPALIVE_TIMEOUT_DELTA: delegated, u32 ticks (-1: not
 *	running)
 * @CHIMNEY_TCP_A_RETRANSMIT_COUNT: delegated, u8
 * @CHIMNEY_TCP_A_RETRANSMIT_TIMEOUT_DELTA: delegated, u32 ticks (-1: not
 *	running)
 * @CHIMNEY_TCP_A_SEND_BACKLOG_SIZE: delegated (query), u32: preferred
 *	outstanding send bytes, as in TcpIndicateSendBacklogChange
 * @CHIMNEY_TCP_A_RECEIVE_BACKLOG_SIZE: delegated (query), u32: 0xFFFFFFFF,
 *	not supported
 * @CHIMNEY_TCP_A_DWND: delegated, u32
 * @CHIMNEY_TCP_A_PAD: padding for 64-bit attributes
 * @CHIMNEY_TCP_A_SEND_IO_ID: delegated (initiate), u64: the host's id of
 *	%CHIMNEY_TCP_A_SEND_DATA, which completes as a send request of that id
 * @CHIMNEY_TCP_A_SEND_DATA: delegated (initiate), binary: the host's
 *	outstanding send data (NetBufferListChain), from SndUna on: bytes up to
 *	SndNxt were sent and wait for their ACK, up to SndMax are sent again
 *	first, the rest are not sent yet; at least SndMax - SndUna bytes.
 *	%CHIMNEY_A_BLOCKS is one attribute: with all its data, at most 64 KB
 * @CHIMNEY_TCP_A_BUFFERED_DATA: delegated (initiate), binary: bytes the
 *	host received (before RcvNxt) and did not deliver, delivered before any
 *	new byte
 * @__CHIMNEY_TCP_A_MAX: number of attributes
 * @CHIMNEY_TCP_A_MAX: highest attribute number
 */
enum chimney_tcp_attr {
	CHIMNEY_TCP_A_UNSPEC,
	CHIMNEY_TCP_A_CONST_FLAGS,
	CHIMNEY_TCP_A_REMOTE_PORT,
	CHIMNEY_TCP_A_LOCAL_PORT,
	CHIMNEY_TCP_A_SND_WIND_SCALE,
	CHIMNEY_TCP_A_RCV_WIND_SCALE,
	CHIMNEY_TCP_A_REMOTE_MSS,
	CHIMNEY_TCP_A_HASH_VALUE,
	CHIMNEY_TCP_A_CACHED_FLAGS,
	CHIMNEY_TCP_A_INITIAL_RCV_WND,
	CHIMNEY_TCP_A_RCV_INDICATION_SIZE,
	CHIMNEY_TCP_A_KA_PROBE_COUNT,
	CHIMNEY_TCP_A_KA_TIMEOUT,
	CHIMNEY_TCP_A_KA_INTERVAL,
	CHIMNEY_TCP_A_MAX_RT,
	CHIMNEY_TCP_A_FLOW_LABEL,
	CHIMNEY_TCP_A_TTL_OR_HOP_LIMIT,
	CHIMNEY_TCP_A_TOS_OR_TRAFFIC_CLASS,
	CHIMNEY_TCP_A_USER_PRIORITY,
	CHIMNEY_TCP_A_STATE,
	CHIMNEY_TCP_A_RCV_NXT,
	CHIMNEY_TCP_A_RCV_WND,
	CHIMNEY_TCP_A_SND_UNA,
	CHIMNEY_TCP_A_SND_NXT,
	CHIMNEY_TCP_A_SND_MAX,
	CHIMNEY_TCP_A_SND_WND,
	CHIMNEY_TCP_A_MAX_SND_WND,
	CHIMNEY_TCP_A_SEND_WL1,
	CHIMNEY_TCP_A_CWND,
	CHIMNEY_TCP_A_SS_THRESH,
	CHIMNEY_TCP_A_SRTT,
	CHIMNEY_TCP_A_RTT_VAR,
	CHIMNEY_TCP_A_TS_RECENT,
	CHIMNEY_TCP_A_TS_RECENT_AGE,
	CHIMNEY_TCP_A_TS_TIME,
	CHIMNEY_TCP_A_TOTAL_RT,
	CHIMNEY_TCP_A_DUP_ACK_COUNT,
	CHIMNEY_TCP_A_SND_WND_PROBE_COUNT,
	CHIMNEY_TCP_A_KEEPALIVE_PROBE_COUNT,
	CHIMNEY_TCP_A_KEEPALIVE_TIMEOUT_DELTA,
	CHIMNEY_TCP_A_RETRANSMIT_COUNT,
	CHIMNEY_TCP_A_RETRANSMIT_TIMEOUT_DELTA,
	CHIMNEY_TCP_A_SEND_BACKLOG_SIZE,
	CHIMNEY_TCP_A_RECEIVE_BACKLOG_SIZE,
	CHIMNEY_TCP_A_DWND,
	CHIMNEY_TCP_A_PAD,
	CHIMNEY_TCP_A_SEND_IO_ID,
	CHIMNEY_TCP_A_SEND_DATA,
	CHIMNEY_TCP_A_BUFFERED_DATA,

	__CHIMNEY_TCP_A_MAX,
	CHIMNEY_TCP_A_MAX = __CHIMNEY_TCP_A_MAX - 1
};

/**
 * enum chimney_caps_attr - NDIS_TCP_CONNECTION_OFFLOAD (capabilities)
 * @CHIMNEY_CAPS_A_UNSPEC: unused
 * @CHIMNEY_CAPS_A_ENCAPSULATION: u32
 * @CHIMNEY_CAPS_A_SUPPORT_IPV4: u8
 * @CHIMNEY_CAPS_A_SUPPORT_IPV6: u8
 * @CHIMNEY_CAPS_A_SUPPORT_IPV6_EXTENSION_HEADERS: u8
 * @CHIMNEY_CAPS_A_SUPPORT_SACK: u8
 * @CHIMNEY_CAPS_A_CONGESTION_ALGORITHM: u32
 * @CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY: u32
 * @CHIMNEY_CAPS_A_FLAGS: u32
 * @__CHIMNEY_CAPS_A_MAX: number of attributes
 * @CHIMNEY_CAPS_A_MAX: highest attribute number
 */
enum chimney_caps_attr {
	CHIMNEY_CAPS_A_UNSPEC,
	CHIMNEY_CAPS_A_ENCAPSULATION,
	CHIMNEY_CAPS_A_SUPPORT_IPV4,
	CHIMNEY_CAPS_A_SUPPORT_IPV6,
	CHIMNEY_CAPS_A_SUPPORT_IPV6_EXTENSION_HEADERS,
	CHIMNEY_CAPS_A_SUPPORT_SACK,
	CHIMNEY_CAPS_A_CONGESTION_ALGORITHM,
	CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY,
	CHIMNEY_CAPS_A_FLAGS,

	__CHIMNEY_CAPS_A_MAX,
	CHIMNEY_CAPS_A_MAX = __CHIMNEY_CAPS_A_MAX - 1
};

/**
 * enum chimney_limit_attr - what a device holds on behalf of user space
 *
 * Every byte the kernel keeps for a request is bounded by one of these and
 * charged to the memory cgroup of the process that sent it. Each is a u32,
 * at least 1, shown in device replies and set with %CHIMNEY_CMD_DEV_SET
 * (but %CHIMNEY_LIMIT_A_DEVICES, a module parameter). A request beyond a
 * limit is refused: an I/O or state request with ENOBUFS and an extack
 * message, a block of a new neighbor or path with the NDIS status
 * OFFLOAD_NEIGHBOR_ENTRIES or OFFLOAD_PATH_ENTRIES (connections have the
 * capacity, %CHIMNEY_CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY, and
 * OFFLOAD_TCP_ENTRIES), a new device with ENOSPC.
 *
 * @CHIMNEY_LIMIT_A_UNSPEC: unused
 * @CHIMNEY_LIMIT_A_SEND_BYTES: memory of the send and disconnect requests
 *	outstanding on one connection, in bytes: their data and 64 bytes
 *	each (default 4 MiB)
 * @CHIMNEY_LIMIT_A_RECEIVES: receive requests posted on one connection
 *	(default 256)
 * @CHIMNEY_LIMIT_A_REQUESTS: state requests queued for the virtual
 *	hardware of one device (default 1024)
 * @CHIMNEY_LIMIT_A_NEIGHBORS: neighbors offloaded to one device
 *	(default 65536)
 * @CHIMNEY_LIMIT_A_PATHS: paths offloaded to one device (default 1048576)
 * @CHIMNEY_LIMIT_A_JOURNAL_KB: memory of the device's notification journal,
 *	in KiB; the oldest notifications go first (default: the module
 *	parameter journal_kb, 4096)
 * @CHIMNEY_LIMIT_A_DEVICES: chimney devices in one network namespace, both
 *	ends of a wire counted (module parameter devices_per_netns, 64;
 *	read-only here)
 * @__CHIMNEY_LIMIT_A_MAX: number of attributes
 * @CHIMNEY_LIMIT_A_MAX: highest attribute number
 */
enum chimney_limit_attr {
	CHIMNEY_LIMIT_A_UNSPEC,
	CHIMNEY_LIMIT_A_SEND_BYTES,
	CHIMNEY_LIMIT_A_RECEIVES,
	CHIMNEY_LIMIT_A_REQUESTS,
	CHIMNEY_LIMIT_A_NEIGHBORS,
	CHIMNEY_LIMIT_A_PATHS,
	CHIMNEY_LIMIT_A_JOURNAL_KB,
	CHIMNEY_LIMIT_A_DEVICES,

	__CHIMNEY_LIMIT_A_MAX,
	CHIMNEY_LIMIT_A_MAX = __CHIMNEY_LIMIT_A_MAX - 1
};

/**
 * enum chimney_param_attr - NDIS_TCP_CONNECTION_OFFLOAD_PARAMETERS
 * @CHIMNEY_PARAM_A_UNSPEC: unused
 * @CHIMNEY_PARAM_A_ENCAPSULATION: u32
 * @CHIMNEY_PARAM_A_TICKS_PER_SECOND: u32: 10, 100 or 1000
 * @CHIMNEY_PARAM_A_TCP_ACK_FREQUENCY: u8
 * @CHIMNEY_PARAM_A_TCP_DELAYED_ACK_TICKS: u8
 * @CHIMNEY_PARAM_A_TCP_MAXIMUM_RETRANSMISSIONS: u8
 * @CHIMNEY_PARAM_A_TCP_DOUBT_REACHABILITY_RETRANSMISSIONS: u8
 * @CHIMNEY_PARAM_A_TCP_SWS_PREVENTION_TICKS: u32
 * @CHIMNEY_PARAM_A_TCP_DUPLICATE_ACK_THRESHOLD: u8
 * @CHIMNEY_PARAM_A_TCP_PUSH_TICKS: u32
 * @CHIMNEY_PARAM_A_NCE_STALE_TICKS: u32
 * @CHIMNEY_PARAM_A_CONGESTION_ALGORITHM: u32
 * @__CHIMNEY_PARAM_A_MAX: number of attributes
 * @CHIMNEY_PARAM_A_MAX: highest attribute number
 */
enum chimney_param_attr {
	CHIMNEY_PARAM_A_UNSPEC,
	CHIMNEY_PARAM_A_ENCAPSULATION,
	CHIMNEY_PARAM_A_TICKS_PER_SECOND,
	CHIMNEY_PARAM_A_TCP_ACK_FREQUENCY,
	CHIMNEY_PARAM_A_TCP_DELAYED_ACK_TICKS,
	CHIMNEY_PARAM_A_TCP_MAXIMUM_RETRANSMISSIONS,
	CHIMNEY_PARAM_A_TCP_DOUBT_REACHABILITY_RETRANSMISSIONS,
	CHIMNEY_PARAM_A_TCP_SWS_PREVENTION_TICKS,
	CHIMNEY_PARAM_A_TCP_DUPLICATE_ACK_THRESHOLD,
	CHIMNEY_PARAM_A_TCP_PUSH_TICKS,
	CHIMNEY_PARAM_A_NCE_STALE_TICKS,
	CHIMNEY_PARAM_A_CONGESTION_ALGORITHM,

	__CHIMNEY_PARAM_A_MAX,
	CHIMNEY_PARAM_A_MAX = __CHIMNEY_PARAM_A_MAX - 1
};

/**
 * enum chimney_stats_attr - per-device counters
 * @CHIMNEY_STATS_A_UNSPEC: unused
 * @CHIMNEY_STATS_A_PAD: padding for 64-bit attributes
 * @CHIMNEY_STATS_A_NEIGHBORS: u64, offloaded neighbor objects
 * @CHIMNEY_STATS_A_PATHS: u64, offloaded path objects
 * @CHIMNEY_STATS_A_CONNECTIONS: u64, offloaded TCP connections
 * @CHIMNEY_STATS_A_INITIATES: u64, initiate requests completed
 * @CHIMNEY_STATS_A_UPDATES: u64, update requests completed
 * @CHIMNEY_STATS_A_INVALIDATES: u64, invalidate requests completed
 * @CHIMNEY_STATS_A_QUERIES: u64, query requests completed
 * @CHIMNEY_STATS_A_TERMINATES: u64, terminate requests completed
 * @CHIMNEY_STATS_A_EVENTS: u64, events indicated
 * @CHIMNEY_STATS_A_NOTIFY_LOST: u64, notifications that could not be built
 * @__CHIMNEY_STATS_A_MAX: number of attributes
 * @CHIMNEY_STATS_A_MAX: highest attribute number
 */
enum chimney_stats_attr {
	CHIMNEY_STATS_A_UNSPEC,
	CHIMNEY_STATS_A_PAD,
	CHIMNEY_STATS_A_NEIGHBORS,
	CHIMNEY_STATS_A_PATHS,
	CHIMNEY_STATS_A_CONNECTIONS,
	CHIMNEY_STATS_A_INITIATES,
	CHIMNEY_STATS_A_UPDATES,
	CHIMNEY_STATS_A_INVALIDATES,
	CHIMNEY_STATS_A_QUERIES,
	CHIMNEY_STATS_A_TERMINATES,
	CHIMNEY_STATS_A_EVENTS,
	CHIMNEY_STATS_A_NOTIFY_LOST,

	__CHIMNEY_STATS_A_MAX,
	CHIMNEY_STATS_A_MAX = __CHIMNEY_STATS_A_MAX - 1
};

/**
 * enum chimney_tcp_stats_attr - TCP_OFFLOAD_STATS of one IP version; every
 *	counter is a u64 and counts offloaded traffic only
 * @CHIMNEY_TCP_STATS_A_UNSPEC: unused
 * @CHIMNEY_TCP_STATS_A_PAD: padding for 64-bit attributes
 * @CHIMNEY_TCP_STATS_A_IN_SEGMENTS: InSegments, including those in error
 * @CHIMNEY_TCP_STATS_A_OUT_SEGMENTS: OutSegments, excluding pure
 *	retransmissions
 * @CHIMNEY_TCP_STATS_A_RESET_ESTABLISHED: ResetEstablished, direct
 *	transitions to CLOSED from ESTABLISHED or CLOSE-WAIT
 * @CHIMNEY_TCP_STATS_A_RETRANSMITTED_SEGMENTS: RetransmittedSegments
 * @CHIMNEY_TCP_STATS_A_IN_ERRORS: InErrors
 * @CHIMNEY_TCP_STATS_A_OUT_RESETS: OutResets, segments sent with RST
 * @CHIMNEY_TCP_STATS_A_CURRENTLY_ESTABLISHED: CurrentlyEstablished,
 *	offloaded connections in ESTABLISHED or CLOSE-WAIT now (a gauge,
 *	never cleared)
 * @__CHIMNEY_TCP_STATS_A_MAX: number of attributes
 * @CHIMNEY_TCP_STATS_A_MAX: highest attribute number
 */
enum chimney_tcp_stats_attr {
	CHIMNEY_TCP_STATS_A_UNSPEC,
	CHIMNEY_TCP_STATS_A_PAD,
	CHIMNEY_TCP_STATS_A_IN_SEGMENTS,
	CHIMNEY_TCP_STATS_A_OUT_SEGMENTS,
	CHIMNEY_TCP_STATS_A_RESET_ESTABLISHED,
	CHIMNEY_TCP_STATS_A_RETRANSMITTED_SEGMENTS,
	CHIMNEY_TCP_STATS_A_IN_ERRORS,
	CHIMNEY_TCP_STATS_A_OUT_RESETS,
	CHIMNEY_TCP_STATS_A_CURRENTLY_ESTABLISHED,

	__CHIMNEY_TCP_STATS_A_MAX,
	CHIMNEY_TCP_STATS_A_MAX = __CHIMNEY_TCP_STATS_A_MAX - 1
};

/**
 * enum chimney_ip_stats_attr - IP_OFFLOAD_STATS of one IP version; every
 *	counter is a u64 and counts offloaded traffic only
 * @CHIMNEY_IP_STATS_A_UNSPEC: unused
 * @CHIMNEY_IP_STATS_A_PAD: padding for 64-bit attributes
 * @CHIMNEY_IP_STATS_A_IN_RECEIVES: InReceives
 * @CHIMNEY_IP_STATS_A_IN_OCTETS: InOctets, IP headers included
 * @CHIMNEY_IP_STATS_A_IN_DELIVERS: InDelivers
 * @CHIMNEY_IP_STATS_A_OUT_REQUESTS: OutRequests
 * @CHIMNEY_IP_STATS_A_OUT_OCTETS: OutOctets, IP headers included
 * @CHIMNEY_IP_STATS_A_IN_HEADER_ERRORS: InHeaderErrors
 * @CHIMNEY_IP_STATS_A_IN_TRUNCATED_PACKETS: InTruncatedPackets
 * @CHIMNEY_IP_STATS_A_IN_DISCARDS: InDiscards
 * @CHIMNEY_IP_STATS_A_OUT_DISCARDS: OutDiscards
 * @CHIMNEY_IP_STATS_A_OUT_NO_ROUTES: OutNoRoutes
 * @__CHIMNEY_IP_STATS_A_MAX: number of attributes
 * @CHIMNEY_IP_STATS_A_MAX: highest attribute number
 */
enum chimney_ip_stats_attr {
	CHIMNEY_IP_STATS_A_UNSPEC,
	CHIMNEY_IP_STATS_A_PAD,
	CHIMNEY_IP_STATS_A_IN_RECEIVES,
	CHIMNEY_IP_STATS_A_IN_OCTETS,
	CHIMNEY_IP_STATS_A_IN_DELIVERS,
	CHIMNEY_IP_STATS_A_OUT_REQUESTS,
	CHIMNEY_IP_STATS_A_OUT_OCTETS,
	CHIMNEY_IP_STATS_A_IN_HEADER_ERRORS,
	CHIMNEY_IP_STATS_A_IN_TRUNCATED_PACKETS,
	CHIMNEY_IP_STATS_A_IN_DISCARDS,
	CHIMNEY_IP_STATS_A_OUT_DISCARDS,
	CHIMNEY_IP_STATS_A_OUT_NO_ROUTES,

	__CHIMNEY_IP_STATS_A_MAX,
	CHIMNEY_IP_STATS_A_MAX = __CHIMNEY_IP_STATS_A_MAX - 1
};

/**
 * enum chimney_stats_set - the counter sets of %CHIMNEY_A_STATS_CLEAR
 * @CHIMNEY_STATS_SET_TCP4: OID_TCP4_OFFLOAD_STATS
 * @CHIMNEY_STATS_SET_TCP6: OID_TCP6_OFFLOAD_STATS
 * @CHIMNEY_STATS_SET_IP4: OID_IP4_OFFLOAD_STATS
 * @CHIMNEY_STATS_SET_IP6: OID_IP6_OFFLOAD_STATS
 * @CHIMNEY_STATS_SET_ALL: all of them
 */
enum chimney_stats_set {
	CHIMNEY_STATS_SET_TCP4 = 1 << 0,
	CHIMNEY_STATS_SET_TCP6 = 1 << 1,
	CHIMNEY_STATS_SET_IP4 = 1 << 2,
	CHIMNEY_STATS_SET_IP6 = 1 << 3,
	CHIMNEY_STATS_SET_ALL = 0xf,
};

#endif /* _UAPI_LINUX_CHIMNEY_H */
