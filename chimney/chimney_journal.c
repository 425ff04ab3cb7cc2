// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the notification journal.
 *
 * Every notification a device sends (completions, events) is also kept in
 * a per-device journal of bounded size, in sequence order. A listener that
 * overran its socket (ENOBUFS) or saw a gap in the sequence numbers asks
 * for the notifications from the first one it missed (CHIMNEY_CMD_NOTIFY_GET
 * with CHIMNEY_A_SEQ) and gets them again, exactly as they were sent; if
 * they are no longer all in the journal it is told so (ERANGE) and
 * resynchronises by dumping the objects; so too when a notification could
 * not be built at all. No completion is lost silently.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "chimney.h"

static unsigned int journal_kb = 4096;
module_param(journal_kb, uint, 0644);
MODULE_PARM_DESC(journal_kb, "Notifications kept per device for replay, in KiB (default 4096)");

/**
 * struct chimney_journal_entry - one notification as it was sent
 * @list: entry in &chimney_dev.journal
 * @seq: its sequence number
 * @cmd: its &enum chimney_cmd
 * @len: bytes in @data
 * @data: its attributes
 */
struct chimney_journal_entry {
	struct list_head list;
	u64 seq;
	u8 cmd;
	u32 len;
	u8 data[];
};

static size_t chimney_journal_cost(const struct chimney_journal_entry *e)
{
	return struct_size(e, data, e->len);
}

static void chimney_journal_evict(struct chimney_dev *cdev)
{
	struct chimney_journal_entry *e;

	e = list_first_entry(&cdev->journal, struct chimney_journal_entry, list);
	list_del(&e->list);
	cdev->journal_bytes -= chimney_journal_cost(e);
	chimney_dev_set_seq(cdev, &cdev->journal_first, e->seq + 1);
	kfree(e);
}

/**
 * chimney_journal_init() - start a device's empty journal
 * @cdev: the device
 */
void chimney_journal_init(struct chimney_dev *cdev)
{
	INIT_LIST_HEAD(&cdev->journal);
	cdev->journal_bytes = 0;
	cdev->journal_first = 0;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_journal_init);

/**
 * chimney_journal_add() - keep a copy of a notification being sent
 * @cdev: the device; its lock must be held
 * @seq: the notification's sequence number
 * @cmd: its command
 * @data: its attributes
 * @len: their length
 *
 * The oldest entries make room. If no copy can be kept, replay from any
 * number up to @seq becomes impossible, and the journal says so.
 */
void chimney_journal_add(struct chimney_dev *cdev, u64 seq, u8 cmd,
			 const void *data, u32 len)
{
	size_t limit = (size_t)cdev->limits.journal_kb * 1024;
	struct chimney_journal_entry *e = NULL;

	lockdep_assert_held(&cdev->lock);
	if (struct_size(e, data, len) <= limit)
		e = kmalloc(struct_size(e, data, len), CHIMNEY_GFP_USER);
	if (!e) {
		while (!list_empty(&cdev->journal))
			chimney_journal_evict(cdev);
		chimney_dev_set_seq(cdev, &cdev->journal_first, seq + 1);
		return;
	}
	e->seq = seq;
	e->cmd = cmd;
	e->len = len;
	memcpy(e->data, data, len);
	while (!list_empty(&cdev->journal) &&
	       cdev->journal_bytes + chimney_journal_cost(e) > limit)
		chimney_journal_evict(cdev);
	list_add_tail(&e->list, &cdev->journal);
	cdev->journal_bytes += chimney_journal_cost(e);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_journal_add);

/**
 * chimney_journal_default_kb() - a new device's CHIMNEY_LIMIT_A_JOURNAL_KB
 *
 * Return: the module parameter journal_kb.
 */
u32 chimney_journal_default_kb(void)
{
	return READ_ONCE(journal_kb);
}

/**
 * chimney_journal_destroy() - free a device's journal
 * @cdev: the device, already dead
 */
void chimney_journal_destroy(struct chimney_dev *cdev)
{
	unsigned int n = 0;

	mutex_lock(&cdev->lock);
	while (!list_empty(&cdev->journal)) {
		chimney_journal_evict(cdev);
		chimney_walk_resched(cdev, &n);
	}
	mutex_unlock(&cdev->lock);
}
EXPORT_SYMBOL_IF_KUNIT(chimney_journal_destroy);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * chimney_journal_notes() - what a device sent from a sequence number on
 * @cdev: the device
 * @from: the first sequence number
 * @notes: where each goes, in order
 * @max: room in @notes
 *
 * Return: how many notifications the journal has from @from on; more than
 * @max when they did not all fit.
 */
unsigned int chimney_journal_notes(struct chimney_dev *cdev, u64 from,
				   struct chimney_journal_note *notes, unsigned int max)
{
	struct chimney_journal_entry *e;
	unsigned int n = 0;

	mutex_lock(&cdev->lock);
	list_for_each_entry(e, &cdev->journal, list) {
		const struct nlattr *a;

		if (e->seq < from)
			continue;
		if (n < max) {
			notes[n].cmd = e->cmd;
			a = nla_find((const struct nlattr *)e->data, e->len, CHIMNEY_A_STATUS);
			notes[n].status = a ? nla_get_u32(a) : 0;
			a = nla_find((const struct nlattr *)e->data, e->len, CHIMNEY_A_IO_ID);
			notes[n].io_id = a ? nla_get_u64(a) : 0;
			a = nla_find((const struct nlattr *)e->data, e->len, CHIMNEY_A_DEV_ID);
			notes[n].dev_id = a ? nla_get_u32(a) : U32_MAX;
		}
		n++;
	}
	mutex_unlock(&cdev->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(chimney_journal_notes);
#endif

/**
 * chimney_journal_put() - replay notifications into a dump
 * @cdev: the device; its lock must be held
 * @skb: the dump's buffer
 * @cb: the dump
 * @from: in: the first sequence number wanted; out: the next one
 *
 * Return: 0 when all are in @skb, -EMSGSIZE when @skb is full (call again),
 * -ERANGE when some of them are no longer in the journal.
 */
int chimney_journal_put(struct chimney_dev *cdev, struct sk_buff *skb,
			struct netlink_callback *cb, u64 *from)
{
	struct chimney_journal_entry *e;
	void *hdr;

	lockdep_assert_held(&cdev->lock);
	if (*from < cdev->journal_first)
		return -ERANGE;
	list_for_each_entry(e, &cdev->journal, list) {
		if (e->seq < *from)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &chimney_genl_family, NLM_F_MULTI, e->cmd);
		if (!hdr)
			return -EMSGSIZE;
		if (skb_tailroom(skb) < e->len) {
			genlmsg_cancel(skb, hdr);
			return -EMSGSIZE;
		}
		skb_put_data(skb, e->data, e->len);
		genlmsg_end(skb, hdr);
		*from = e->seq + 1;
	}
	return 0;
}
