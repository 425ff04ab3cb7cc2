// SPDX-License-Identifier: GPL-2.0
/*
 * link_chimney.so: "ip link add NAME type chimney [peer name PEER ...]".
 *
 * An iproute2 link plugin. ip(8) loads it from $IP_LIB_DIR (default
 * /usr/lib/x86_64-linux-gnu/ip on Debian) when it meets the kind "chimney",
 * and resolves the symbols it calls (iplink_parse, addattr_nest, ...) in
 * its own executable, which exports them. The peer's arguments are those of
 * any link, as for veth: name, address, netns, mtu, ...
 */
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/chimney.h>

/* From iproute2 6.1 (ip/ip_common.h, include/libnetlink.h). */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv, struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f, struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv, FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

struct iplink_req;
int iplink_parse(int argc, char **argv, struct iplink_req *req, char **type);
struct rtattr *addattr_nest(struct nlmsghdr *n, int maxlen, int type);
int addattr_nest_end(struct nlmsghdr *n, struct rtattr *nest);

static void chimney_print_help(struct link_util *lu, int argc, char **argv, FILE *f)
{
	fprintf(f,
		"Usage: ip link <options> type chimney [peer <options>]\n"
		"To get <options> type 'ip link add help'\n");
}

/* As veth does: the peer's ifinfomsg and attributes in CHIMNEY_LINK_A_PEER. */
static int chimney_parse_opt(struct link_util *lu, int argc, char **argv,
			     struct nlmsghdr *n)
{
	struct ifinfomsg *ifm = NLMSG_DATA(n), *peer_ifm;
	unsigned int ifi_flags, ifi_change, ifi_index;
	struct rtattr *data;
	char *type = NULL;
	int err;

	if (strcmp(argv[0], "peer")) {
		chimney_print_help(lu, 0, NULL, stderr);
		return -1;
	}
	ifi_flags = ifm->ifi_flags;
	ifi_change = ifm->ifi_change;
	ifi_index = ifm->ifi_index;
	ifm->ifi_flags = 0;
	ifm->ifi_change = 0;
	ifm->ifi_index = 0;

	data = addattr_nest(n, 1024, CHIMNEY_LINK_A_PEER);
	n->nlmsg_len += sizeof(struct ifinfomsg);
	err = iplink_parse(argc - 1, argv + 1, (struct iplink_req *)n, &type);
	if (err < 0)
		return err;
	if (type) {
		fprintf(stderr, "chimney: a peer has no type of its own\n");
		return -1;
	}
	peer_ifm = RTA_DATA(data);
	peer_ifm->ifi_index = ifm->ifi_index;
	peer_ifm->ifi_flags = ifm->ifi_flags;
	peer_ifm->ifi_change = ifm->ifi_change;
	ifm->ifi_flags = ifi_flags;
	ifm->ifi_change = ifi_change;
	ifm->ifi_index = ifi_index;
	addattr_nest_end(n, data);
	return argc - 1 - err;
}

struct link_util chimney_link_util = {
	.id		= CHIMNEY_LINK_KIND,
	.parse_opt	= chimney_parse_opt,
	.print_help	= chimney_print_help,
};
