// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: attributes that may appear once appear once.
 *
 * Netlink's parsers keep the last of two attributes of one type and its
 * finders the first, and neither complains (Linux 6.1 and 6.12 alike). A
 * request that carries a nest twice is then two requests to whoever reads
 * it twice: counting with one and parsing with the other once let a tree of
 * 200 blocks be written into room for one. Every nest the family reads, and
 * the top level of every message, goes through here instead, and is refused
 * when any type repeats. Nested arrays (the block lists) are the exception:
 * their elements are not attributes of a policy, and their walkers do not
 * look them up by type.
 */
#include <kunit/visibility.h>
#include <net/genetlink.h>

#include "chimney.h"

/* More than the types of any nest of the family (the TCP state has most). */
#define CHIMNEY_NLA_TYPES	64

/*
 * Linux 6.1 keeps extack messages by pointer, with no formatting: one
 * string per type, written once at load, names the repeated attribute, and
 * its offset (NLMSGERR_ATTR_OFFS) points at the second copy.
 */
static char chimney_dup_msg[CHIMNEY_NLA_TYPES][48] __ro_after_init;

/**
 * chimney_nla_init() - write the messages that name a repeated attribute
 */
void chimney_nla_init(void)
{
	int type;

	for (type = 0; type < CHIMNEY_NLA_TYPES; type++)
		snprintf(chimney_dup_msg[type], sizeof(chimney_dup_msg[type]),
			 "Attribute %d appears twice in its nest", type);
}

/**
 * chimney_nla_once() - refuse a stream of attributes that repeats a type
 * @head: the first attribute
 * @len: the length of the stream
 * @maxtype: the highest type the stream's policy knows
 * @extack: where the rejection is explained
 *
 * Types above @maxtype are left to the policy, which refuses them.
 *
 * Return: 0, or -EINVAL with the second copy in @extack.
 */
int chimney_nla_once(const struct nlattr *head, int len, int maxtype,
		     struct netlink_ext_ack *extack)
{
	DECLARE_BITMAP(seen, CHIMNEY_NLA_TYPES) = {};
	const struct nlattr *nla;
	int rem;

	/* A nest with more types than this is a bug of this module. */
	if (WARN_ON_ONCE(maxtype >= CHIMNEY_NLA_TYPES))
		return -EINVAL;

	nla_for_each_attr(nla, head, len, rem) {
		int type = nla_type(nla);

		if (type > maxtype)
			continue;
		if (__test_and_set_bit(type, seen)) {
			if (extack) {
				extack->_msg = chimney_dup_msg[type];
				extack->bad_attr = nla;
			}
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * chimney_nla_parse_nested() - nla_parse_nested() that refuses repeats
 * @tb: the attributes by type
 * @maxtype: the highest type of @policy
 * @nla: the nest
 * @policy: its policy (strict validation)
 * @extack: where a rejection is explained
 *
 * Return: 0, or the negative errno of the first rejection.
 */
int chimney_nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
			     const struct nla_policy *policy,
			     struct netlink_ext_ack *extack)
{
	int err;

	err = nla_parse_nested(tb, maxtype, nla, policy, extack);
	if (err)
		return err;
	return chimney_nla_once(nla_data(nla), nla_len(nla), maxtype, extack);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_nla_parse_nested);

/**
 * chimney_nl_once() - the top level of a request, each attribute once
 * @nlh: the request
 * @extack: where a rejection is explained
 *
 * Return: 0, or -EINVAL with the second copy in @extack.
 */
int chimney_nl_once(const struct nlmsghdr *nlh, struct netlink_ext_ack *extack)
{
	return chimney_nla_once(nlmsg_attrdata(nlh, GENL_HDRLEN),
				nlmsg_attrlen(nlh, GENL_HDRLEN), CHIMNEY_A_MAX, extack);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_nl_once);
