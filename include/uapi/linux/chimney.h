/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * chimney: user-space API of the TCP chimney offload target.
 *
 * Shared by the kernel module (chimney/) and its user-space tools. The
 * generic netlink family that carries offload requests, completions and
 * events is named CHIMNEY_GENL_NAME; its commands and attributes are added
 * here together with the control plane.
 */
#ifndef _UAPI_LINUX_CHIMNEY_H
#define _UAPI_LINUX_CHIMNEY_H

/* rtnl link kind: "ip link add NAME type chimney". */
#define CHIMNEY_LINK_KIND	"chimney"

/* Generic netlink family name and version. */
#define CHIMNEY_GENL_NAME	"chimney"
#define CHIMNEY_GENL_VERSION	1

#endif /* _UAPI_LINUX_CHIMNEY_H */
