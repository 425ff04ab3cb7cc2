// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: fault injection and read-only views through debugfs. In
 * /sys/kernel/debug/chimney/:
 *
 *   teardowns          devices gone whose teardown has not ended (read-only)
 *
 * and in /sys/kernel/debug/chimney/<device number>/ (the number is in the
 * device's netlink replies):
 *
 *   ifindex            the device's ifindex (read-only)
 *   corrupt            Y: the whole device's hardware state is corrupt
 *   corrupt_handle     write a handle: that object's state is corrupt
 *   latency_ms         how long the virtual hardware takes for a request
 *   inline_requests    Y: a request is processed as it comes, by its
 *                      sender, unless others wait (for fail-nth)
 *   fail_next_offload  fail the next N new-offload blocks with RESOURCES
 *   fail_next_update   fail the next N references of an update with FAILURE
 *                      (the objects stay as they were, R27)
 *   fail_next_query, fail_next_invalidate, fail_next_terminate
 *                      fail the next N references of that kind with
 *                      FAILURE, as hardware that hung: Retrieve
 *                      (HardwareFailure) and Abort follow (R37-R39)
 *   nct_offset_ms      added to the neighbor-reachability clock (NCT), to
 *                      test its wrap through 0 (R94)
 *   fin_wait2_ms       how long the FIN_WAIT_2 timer runs (120 s, R89)
 *   indicate_timeout_ms  how long a receive indication waits for the
 *                      host's answer before it counts as refused (1 s)
 *   indicate           write pause, upload_all or resume: the adapter-wide
 *                      status indication (resume waits for the upload)
 *   tx_drop_every      the wire loses every Nth frame of data (or FIN)
 *                      the engine sends from the write on (0: none)
 *   tx_dropped         how many it lost since (read-only)
 *   objects            the offloaded objects, one a line (read-only)
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "chimney.h"

static struct dentry *chimney_debugfs_root;

/*
 * The objects, a line each, by their index in the device's xarray. The walk
 * holds RCU only while seq_file fills one buffer: a million objects are
 * many short read sections, not one long one, and the position is the next
 * index, so a read resumes where it stopped whatever changed meanwhile.
 */
#define CHIMNEY_OBJECTS_END	((loff_t)U32_MAX + 1)

static void *chimney_objects_find(struct seq_file *m, loff_t *pos)
{
	struct chimney_dev *cdev = m->private;
	unsigned long idx = *pos;
	struct chimney_obj *obj;

	obj = xa_find(&cdev->objs, &idx, U32_MAX, XA_PRESENT);
	*pos = obj ? idx : CHIMNEY_OBJECTS_END;
	return obj;
}

static void *chimney_objects_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	if (!*pos)
		return SEQ_START_TOKEN;
	if (*pos >= CHIMNEY_OBJECTS_END)
		return NULL;
	return chimney_objects_find(m, pos);
}

static void *chimney_objects_next(struct seq_file *m, void *v, loff_t *pos)
{
	(*pos)++;
	if (*pos >= CHIMNEY_OBJECTS_END)
		return NULL;
	return chimney_objects_find(m, pos);
}

static void chimney_objects_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int chimney_objects_show(struct seq_file *m, void *v)
{
	struct chimney_obj *obj = v, *parent;
	struct chimney_dev *cdev = m->private;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "handle type parent host_handle flags\n");
		return 0;
	}
	parent = chimney_obj_parent(cdev, obj);
	seq_printf(m, "0x%llx %u 0x%llx 0x%llx 0x%lx\n",
		   chimney_obj_handle(obj), obj->type,
		   parent ? chimney_obj_handle(parent) : 0,
		   obj->host_handle, obj->flags & CHIMNEY_OBJ_UAPI_FLAGS);
	return 0;
}

static const struct seq_operations chimney_objects_sops = {
	.start	= chimney_objects_start,
	.next	= chimney_objects_next,
	.stop	= chimney_objects_stop,
	.show	= chimney_objects_show,
};
DEFINE_SEQ_ATTRIBUTE(chimney_objects);

static ssize_t chimney_corrupt_handle_write(struct file *file, const char __user *buf,
					    size_t count, loff_t *ppos)
{
	struct chimney_dev *cdev = file->private_data;
	struct chimney_obj *obj;
	u64 handle;
	int err;

	err = kstrtou64_from_user(buf, count, 0, &handle);
	if (err)
		return err;
	mutex_lock(&cdev->lock);
	obj = chimney_obj_lookup(cdev, handle);
	if (obj)
		chimney_obj_set_flag(obj, CHIMNEY_OBJ_CORRUPT_BIT);
	mutex_unlock(&cdev->lock);
	return obj ? count : -ENOENT;
}

static const struct file_operations chimney_corrupt_handle_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = chimney_corrupt_handle_write,
	.llseek = noop_llseek,
};

static ssize_t chimney_indicate_write(struct file *file, const char __user *ubuf,
				      size_t count, loff_t *ppos)
{
	struct chimney_dev *cdev = file->private_data;
	char buf[16];
	u32 status;
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sysfs_streq(buf, "pause"))
		status = CHIMNEY_NDIS_STATUS_OFFLOAD_PAUSE;
	else if (sysfs_streq(buf, "upload_all"))
		status = CHIMNEY_NDIS_STATUS_UPLOAD_ALL;
	else if (sysfs_streq(buf, "resume"))
		status = CHIMNEY_NDIS_STATUS_OFFLOAD_RESUME;
	else
		return -EINVAL;
	/* Its notifications go to the device's netns. */
	if (!chimney_dev_hold_live(cdev))
		return -ENODEV;
	mutex_lock(&cdev->lock);
	err = chimney_offload_indicate(cdev, status);
	mutex_unlock(&cdev->lock);
	dev_put(cdev->netdev);
	return err ? err : count;
}

static const struct file_operations chimney_indicate_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = chimney_indicate_write,
	.llseek = noop_llseek,
};

static int chimney_tx_drop_get(void *data, u64 *val)
{
	struct chimney_dev *cdev = data;

	*val = READ_ONCE(cdev->tx_drop_every);
	return 0;
}

/* The counts start over, so that a test knows which frames are lost. */
static int chimney_tx_drop_set(void *data, u64 val)
{
	struct chimney_dev *cdev = data;

	if (val > U32_MAX)
		return -EINVAL;
	mutex_lock(&cdev->lock);
	WRITE_ONCE(cdev->tx_drop_every, val);
	cdev->tx_frames = 0;
	WRITE_ONCE(cdev->tx_dropped, 0);
	mutex_unlock(&cdev->lock);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(chimney_tx_drop_fops, chimney_tx_drop_get, chimney_tx_drop_set,
			 "%llu\n");

/**
 * chimney_debugfs_dev_init() - create the debugfs directory of a device
 * @cdev: the device
 */
void chimney_debugfs_dev_init(struct chimney_dev *cdev)
{
	static const char * const chimney_fail_names[CHIMNEY_FAIL_KINDS] = {
		[CHIMNEY_FAIL_OFFLOAD] = "offload",
		[CHIMNEY_FAIL_UPDATE] = "update",
		[CHIMNEY_FAIL_QUERY] = "query",
		[CHIMNEY_FAIL_INVALIDATE] = "invalidate",
		[CHIMNEY_FAIL_TERMINATE] = "terminate",
	};
	struct dentry *d;
	char name[24];
	int i;

	snprintf(name, sizeof(name), "%d", cdev->id);
	d = debugfs_create_dir(name, chimney_debugfs_root);
	cdev->debugfs = d;
	debugfs_create_u32("ifindex", 0400, d, (u32 *)&cdev->netdev->ifindex);
	debugfs_create_bool("corrupt", 0600, d, &cdev->corrupt);
	debugfs_create_file("corrupt_handle", 0200, d, cdev, &chimney_corrupt_handle_fops);
	debugfs_create_u32("latency_ms", 0600, d, &cdev->latency_ms);
	debugfs_create_bool("inline_requests", 0600, d, &cdev->inline_requests);
	for (i = 0; i < CHIMNEY_FAIL_KINDS; i++) {
		snprintf(name, sizeof(name), "fail_next_%s", chimney_fail_names[i]);
		debugfs_create_u32(name, 0600, d, &cdev->fail_next[i]);
	}
	debugfs_create_u32("nct_offset_ms", 0600, d, &cdev->nct_offset);
	debugfs_create_u32("fin_wait2_ms", 0600, d, &cdev->fin_wait2_ms);
	debugfs_create_u32("indicate_timeout_ms", 0600, d, &cdev->ind_timeout_ms);
	debugfs_create_file_unsafe("tx_drop_every", 0600, d, cdev, &chimney_tx_drop_fops);
	debugfs_create_u32("tx_dropped", 0400, d, &cdev->tx_dropped);
	debugfs_create_file("indicate", 0200, d, cdev, &chimney_indicate_fops);
	debugfs_create_file("objects", 0400, d, cdev, &chimney_objects_fops);
}

/**
 * chimney_debugfs_dev_exit() - remove the debugfs directory of a device
 * @cdev: the device
 */
void chimney_debugfs_dev_exit(struct chimney_dev *cdev)
{
	debugfs_remove_recursive(cdev->debugfs);
}

/**
 * chimney_debugfs_init() - create /sys/kernel/debug/chimney
 *
 * Return: 0; debugfs failures are not fatal.
 */
int chimney_debugfs_init(void)
{
	chimney_debugfs_root = debugfs_create_dir(CHIMNEY_DRV_NAME, NULL);
	debugfs_create_atomic_t("teardowns", 0400, chimney_debugfs_root, &chimney_teardowns);
	return 0;
}

/**
 * chimney_debugfs_exit() - remove /sys/kernel/debug/chimney
 */
void chimney_debugfs_exit(void)
{
	debugfs_remove_recursive(chimney_debugfs_root);
}
