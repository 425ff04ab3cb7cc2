/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chimney: tracepoints of the offload target.
 *
 * One event per state request queued and completed, per block status, per
 * TCP event indicated, per adapter-wide status indication, per I/O request
 * posted or completed, per change of an object's flags or parent, and per
 * TCP state change, each with the device's ifindex and the object's
 * handles, so that one connection can be followed through its life:
 *
 *   trace-cmd record -e chimney -f 'handle == 0x100000002' ...
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM chimney

#if !defined(_CHIMNEY_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _CHIMNEY_TRACE_H

#include <linux/tracepoint.h>

#include "chimney.h"

#define chimney_show_cmd(cmd)						\
	__print_symbolic(cmd,						\
		{ CHIMNEY_CMD_INITIATE, "initiate" },			\
		{ CHIMNEY_CMD_UPDATE, "update" },			\
		{ CHIMNEY_CMD_INVALIDATE, "invalidate" },		\
		{ CHIMNEY_CMD_QUERY, "query" },				\
		{ CHIMNEY_CMD_TERMINATE, "terminate" },			\
		{ CHIMNEY_CMD_SEND, "send" },				\
		{ CHIMNEY_CMD_RECEIVE, "receive" },			\
		{ CHIMNEY_CMD_SEND_COMPLETE, "send-complete" },		\
		{ CHIMNEY_CMD_RECEIVE_COMPLETE, "receive-complete" })

#define chimney_show_layer(layer)					\
	__print_symbolic(layer,						\
		{ CHIMNEY_LAYER_NEIGH, "neighbor" },			\
		{ CHIMNEY_LAYER_PATH, "path" },				\
		{ CHIMNEY_LAYER_TCP, "tcp" })

#define chimney_show_change(what)					\
	__print_symbolic(what,						\
		{ CHIMNEY_TRACE_OBJ_CREATE, "create" },			\
		{ CHIMNEY_TRACE_OBJ_FLAGS, "flags" },			\
		{ CHIMNEY_TRACE_OBJ_RELINK, "relink" },			\
		{ CHIMNEY_TRACE_OBJ_UNPUBLISH, "unpublish" },		\
		{ CHIMNEY_TRACE_OBJ_FREE, "free" })
#define chimney_show_tcp_state(state)					\
	__print_symbolic(state,						\
		{ CHIMNEY_TCP_CONNECTION_CLOSED, "closed" },		\
		{ CHIMNEY_TCP_CONNECTION_LISTEN, "listen" },		\
		{ CHIMNEY_TCP_CONNECTION_SYN_SENT, "syn_sent" },	\
		{ CHIMNEY_TCP_CONNECTION_SYN_RCVD, "syn_rcvd" },	\
		{ CHIMNEY_TCP_CONNECTION_ESTABLISHED, "established" },	\
		{ CHIMNEY_TCP_CONNECTION_FIN_WAIT1, "fin_wait1" },	\
		{ CHIMNEY_TCP_CONNECTION_FIN_WAIT2, "fin_wait2" },	\
		{ CHIMNEY_TCP_CONNECTION_CLOSE_WAIT, "close_wait" },	\
		{ CHIMNEY_TCP_CONNECTION_CLOSING, "closing" },		\
		{ CHIMNEY_TCP_CONNECTION_LAST_ACK, "last_ack" },	\
		{ CHIMNEY_TCP_CONNECTION_TIME_WAIT, "time_wait" })

#define chimney_show_tcp_event(type)					\
	__print_symbolic(type,						\
		{ CHIMNEY_TCP_INDICATE_DISCONNECT, "disconnect" },	\
		{ CHIMNEY_TCP_INDICATE_RETRIEVE, "retrieve" },		\
		{ CHIMNEY_TCP_INDICATE_ABORT, "abort" },		\
		{ CHIMNEY_TCP_INDICATE_SEND_BACKLOG_CHANGE,		\
		  "send-backlog-change" })

TRACE_EVENT(chimney_request,
	    TP_PROTO(const struct chimney_dev *cdev, const struct chimney_req *req),
	    TP_ARGS(cdev, req),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u8, cmd)
			     __field(u64, req_id)
			     __field(unsigned int, nblocks)),
	    TP_fast_assign(__entry->ifindex = cdev->netdev->ifindex;
			   __entry->cmd = req->cmd;
			   __entry->req_id = req->req_id;
			   __entry->nblocks = req->nblocks;),
	    TP_printk("ifindex=%d %s req=%llu blocks=%u", __entry->ifindex,
		      chimney_show_cmd(__entry->cmd), __entry->req_id,
		      __entry->nblocks)
);

TRACE_EVENT(chimney_complete,
	    TP_PROTO(const struct chimney_dev *cdev, const struct chimney_req *req),
	    TP_ARGS(cdev, req),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u8, cmd)
			     __field(u64, req_id)
			     __field(unsigned int, nblocks)
			     __field(u64, seq)),
	    TP_fast_assign(__entry->ifindex = cdev->netdev->ifindex;
			   __entry->cmd = req->cmd;
			   __entry->req_id = req->req_id;
			   __entry->nblocks = req->nblocks;
			   __entry->seq = cdev->seq;),
	    TP_printk("ifindex=%d %s req=%llu blocks=%u seq=%llu", __entry->ifindex,
		      chimney_show_cmd(__entry->cmd), __entry->req_id,
		      __entry->nblocks, __entry->seq)
);

TRACE_EVENT(chimney_block,
	    TP_PROTO(const struct chimney_dev *cdev, const struct chimney_req *req,
		     unsigned int index),
	    TP_ARGS(cdev, req, index),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u8, cmd)
			     __field(u8, layer)
			     __field(u64, req_id)
			     __field(unsigned int, index)
			     __field(u64, handle)
			     __field(u64, host_handle)
			     __field(u32, status)),
	    TP_fast_assign(__entry->ifindex = cdev->netdev->ifindex;
			   __entry->cmd = req->cmd;
			   __entry->layer = req->blocks[index].layer;
			   __entry->req_id = req->req_id;
			   __entry->index = index;
			   __entry->handle = req->blocks[index].handle;
			   __entry->host_handle = req->blocks[index].host_handle;
			   __entry->status = req->blocks[index].status;),
	    TP_printk("ifindex=%d %s req=%llu block=%u %s handle=%#llx host=%#llx status=%#x",
		      __entry->ifindex, chimney_show_cmd(__entry->cmd),
		      __entry->req_id, __entry->index,
		      chimney_show_layer(__entry->layer), __entry->handle,
		      __entry->host_handle, __entry->status)
);

TRACE_EVENT(chimney_tcp_event,
	    TP_PROTO(const struct chimney_dev *cdev, const struct chimney_obj *conn,
		     u32 type, u32 info),
	    TP_ARGS(cdev, conn, type, info),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u64, handle)
			     __field(u64, host_handle)
			     __field(u32, type)
			     __field(u32, info)
			     __field(u64, seq)),
	    TP_fast_assign(__entry->ifindex = cdev->netdev->ifindex;
			   __entry->handle = chimney_obj_handle(conn);
			   __entry->host_handle = conn->host_handle;
			   __entry->type = type;
			   __entry->info = info;
			   __entry->seq = cdev->seq;),
	    TP_printk("ifindex=%d handle=%#llx host=%#llx %s info=%u seq=%llu",
		      __entry->ifindex, __entry->handle, __entry->host_handle,
		      chimney_show_tcp_event(__entry->type),
		      __entry->info, __entry->seq)
);

TRACE_EVENT(chimney_tcp_state,
	    TP_PROTO(const struct chimney_dev *cdev, const struct chimney_obj *conn,
		     u8 old, u8 state),
	    TP_ARGS(cdev, conn, old, state),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u64, handle)
			     __field(u64, host_handle)
			     __field(u8, old)
			     __field(u8, state)),
	    TP_fast_assign(__entry->ifindex = cdev->netdev->ifindex;
			   __entry->handle = chimney_obj_handle(conn);
			   __entry->host_handle = conn->host_handle;
			   __entry->old = old;
			   __entry->state = state;),
	    TP_printk("ifindex=%d handle=%#llx host=%#llx %s->%s",
		      __entry->ifindex, __entry->handle, __entry->host_handle,
		      chimney_show_tcp_state(__entry->old),
		      chimney_show_tcp_state(__entry->state))
);

TRACE_EVENT(chimney_status,
	    TP_PROTO(const struct chimney_dev *cdev, u32 status),
	    TP_ARGS(cdev, status),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u32, status)
			     __field(u64, seq)),
	    TP_fast_assign(__entry->ifindex = cdev->netdev->ifindex;
			   __entry->status = status;
			   __entry->seq = cdev->seq;),
	    TP_printk("ifindex=%d %s seq=%llu", __entry->ifindex,
		      __print_symbolic(__entry->status,
				       { CHIMNEY_NDIS_STATUS_OFFLOAD_PAUSE, "OFFLOAD_PAUSE" },
				       { CHIMNEY_NDIS_STATUS_UPLOAD_ALL, "UPLOAD_ALL" },
				       { CHIMNEY_NDIS_STATUS_OFFLOAD_RESUME, "OFFLOAD_RESUME" }),
		      __entry->seq)
);

TRACE_EVENT(chimney_neigh_event,
	    TP_PROTO(const struct chimney_dev *cdev, const struct chimney_obj *neigh,
		     u32 code, u32 nrd),
	    TP_ARGS(cdev, neigh, code, nrd),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u64, handle)
			     __field(u64, host_handle)
			     __field(u32, code)
			     __field(u32, nrd)
			     __field(u64, seq)),
	    TP_fast_assign(__entry->ifindex = cdev->netdev->ifindex;
			   __entry->handle = chimney_obj_handle(neigh);
			   __entry->host_handle = neigh->host_handle;
			   __entry->code = code;
			   __entry->nrd = nrd;
			   __entry->seq = cdev->seq;),
	    TP_printk("ifindex=%d handle=%#llx host=%#llx %s nrd=%u seq=%llu",
		      __entry->ifindex, __entry->handle, __entry->host_handle,
		      __print_symbolic(__entry->code,
				       { CHIMNEY_NEIGHBOR_REACHABILITY_IN_DOUBT, "in-doubt" },
				       { CHIMNEY_NEIGHBOR_REACHABILITY_QUERY, "query" }),
		      __entry->nrd, __entry->seq)
);

TRACE_EVENT(chimney_io,
	    TP_PROTO(const struct chimney_dev *cdev, const struct chimney_obj *conn,
		     u8 cmd, u64 io_id, u32 status, u32 bytes),
	    TP_ARGS(cdev, conn, cmd, io_id, status, bytes),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u8, cmd)
			     __field(u64, handle)
			     __field(u64, host_handle)
			     __field(u64, io_id)
			     __field(u32, status)
			     __field(u32, bytes)),
	    TP_fast_assign(__entry->ifindex = cdev->netdev->ifindex;
			   __entry->cmd = cmd;
			   __entry->handle = chimney_obj_handle(conn);
			   __entry->host_handle = conn->host_handle;
			   __entry->io_id = io_id;
			   __entry->status = status;
			   __entry->bytes = bytes;),
	    TP_printk("ifindex=%d %s handle=%#llx host=%#llx io=%llu status=%#x bytes=%u",
		      __entry->ifindex, chimney_show_cmd(__entry->cmd),
		      __entry->handle, __entry->host_handle, __entry->io_id,
		      __entry->status, __entry->bytes)
);

TRACE_EVENT(chimney_obj,
	    TP_PROTO(const struct chimney_obj *obj, u8 what, unsigned long old),
	    TP_ARGS(obj, what, old),
	    TP_STRUCT__entry(__field(u64, handle)
			     __field(u64, host_handle)
			     __field(u8, layer)
			     __field(u8, what)
			     __field(unsigned long, old)
			     __field(unsigned long, flags)),
	    TP_fast_assign(__entry->handle = chimney_obj_handle(obj);
			   __entry->host_handle = obj->host_handle;
			   __entry->layer = obj->layer;
			   __entry->what = what;
			   __entry->old = old & CHIMNEY_OBJ_UAPI_FLAGS;
			   __entry->flags = READ_ONCE(obj->flags) & CHIMNEY_OBJ_UAPI_FLAGS;),
	    TP_printk("%s handle=%#llx host=%#llx %s flags=%#lx->%#lx",
		      chimney_show_layer(__entry->layer), __entry->handle,
		      __entry->host_handle, chimney_show_change(__entry->what),
		      __entry->old, __entry->flags)
);

#endif /* _CHIMNEY_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE chimney_trace
#include <trace/define_trace.h>
