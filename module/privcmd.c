// SPDX-License-Identifier: GPL-2.0
/*
 * The toolstack's way to the hypervisor, as Linux offers it on Xen:
 *
 * /dev/xen/privcmd, also /proc/xen/privcmd   HYPERCALL, DM_OP, RESTRICT,
 *                                            MMAPBATCH_V2 (privcmd_foreign.c)
 * /dev/xen/hypercall                         pinned hypercall buffers
 * /proc/xen/capabilities                     "control_d": this is dom0
 *
 * A hypercall runs in the calling process's context, so the pointers in
 * its arguments are that process's addresses, which the hypervisor
 * reads through its page tables; they must be present, which is what
 * /dev/xen/hypercall's buffers are for (libxencall uses them). The
 * older foreign-mapping ioctls (MMAP, MMAPBATCH) and MMAP_RESOURCE are
 * not here: like every ioctl kxen does not know, they fail with ENOTTY
 * (libxenforeignmemory uses MMAPBATCH_V2 first).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/refcount.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/privcmd.h>
#include <xen/interface/hvm/dm_op.h>
#include "hypercall.h"
#include "kxen.h"

/* Xen's and Linux's limits on a DM_OP's buffers. */
#define DM_OP_MAX_BUFS		16
#define DM_OP_MAX_BUF_SIZE	4096

/* An open privcmd file: the one domain it may reach, once restricted. */
struct privcmd_file {
	domid_t restriction;		/* DOMID_INVALID: any */
};

static int privcmd_open(struct inode *inode, struct file *file)
{
	struct privcmd_file *pf = kzalloc(sizeof(*pf), GFP_KERNEL);

	if (!pf)
		return -ENOMEM;
	pf->restriction = DOMID_INVALID;
	file->private_data = pf;
	return 0;
}

static int privcmd_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static long privcmd_hypercall(struct privcmd_file *pf, void __user *udata)
{
	struct privcmd_hypercall call;
	long ret;

	if (pf->restriction != DOMID_INVALID)
		return -EPERM;
	if (copy_from_user(&call, udata, sizeof(call)))
		return -EFAULT;
	/* kxen's control hypercall belongs to this module, not to processes. */
	if (call.op == KXEN_HYPERCALL)
		return -ENOSYS;
	if (!kxen_hv_hold())
		return -ENODEV;
	ret = kxen_hypercall5_sleepable(call.op, call.arg[0], call.arg[1],
					call.arg[2], call.arg[3], call.arg[4]);
	/* The calls that make, pause, load, shut down or destroy guests. */
	if (call.op == __HYPERVISOR_domctl || call.op == __HYPERVISOR_sched_op ||
	    call.op == __HYPERVISOR_multicall)
		kxen_vcpu_threads_sync();
	/* And the calls that free guest memory (memory_op in a multicall). */
	if (call.op == __HYPERVISOR_domctl || call.op == __HYPERVISOR_memory_op ||
	    call.op == __HYPERVISOR_multicall)
		kxen_pool_reclaim_soon();
	kxen_hv_release();
	return ret;
}

static unsigned int pages_spanned(const struct privcmd_dm_op_buf *buf)
{
	unsigned long start = (unsigned long)buf->uptr;

	if (!buf->size)
		return 0;
	return ((start + buf->size - 1) >> PAGE_SHIFT) - (start >> PAGE_SHIFT) + 1;
}

/*
 * The buffers are pinned for the call, so the hypervisor finds them
 * present, and marked dirty after it, as it may have written them.
 */
static long privcmd_dm_op(struct privcmd_file *pf, void __user *udata)
{
	struct privcmd_dm_op_buf ubufs[DM_OP_MAX_BUFS];
	struct xen_dm_op_buf xbufs[DM_OP_MAX_BUFS];
	struct privcmd_dm_op op;
	unsigned int i, nr_pages = 0, pinned = 0;
	struct page **pages;
	long ret;

	if (copy_from_user(&op, udata, sizeof(op)))
		return -EFAULT;
	if (pf->restriction != DOMID_INVALID && pf->restriction != op.dom)
		return -EPERM;
	if (op.num == 0)
		return 0;	/* libxendevicemodel's probe */
	if (op.num > DM_OP_MAX_BUFS)
		return -E2BIG;
	if (copy_from_user(ubufs, op.ubufs, op.num * sizeof(*ubufs)))
		return -EFAULT;
	for (i = 0; i < op.num; i++) {
		if (ubufs[i].size > DM_OP_MAX_BUF_SIZE)
			return -E2BIG;
		if (!access_ok(ubufs[i].uptr, ubufs[i].size))
			return -EFAULT;
		nr_pages += pages_spanned(&ubufs[i]);
	}
	pages = kcalloc(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (nr_pages && !pages)
		return -ENOMEM;
	for (i = 0; i < op.num; i++) {
		unsigned int n = pages_spanned(&ubufs[i]);
		int got = n ? pin_user_pages_fast((unsigned long)ubufs[i].uptr,
						  n, FOLL_WRITE, pages + pinned) : 0;

		if (got > 0)
			pinned += got;
		if (got != n) {
			ret = -EFAULT;
			goto unpin;
		}
		set_xen_guest_handle(xbufs[i].h, ubufs[i].uptr);
		xbufs[i].size = ubufs[i].size;
	}
	ret = -ENODEV;
	if (kxen_hv_hold()) {
		ret = kxen_hypercall3(__HYPERVISOR_dm_op, op.dom, op.num,
				      (unsigned long)xbufs);
		kxen_hv_release();
	}
unpin:
	unpin_user_pages_dirty_lock(pages, pinned, true);
	kfree(pages);
	return ret;
}

static long privcmd_restrict(struct privcmd_file *pf, void __user *udata)
{
	domid_t dom;

	if (copy_from_user(&dom, udata, sizeof(dom)))
		return -EFAULT;
	/* Once restricted, a file stays with its domain. */
	if (pf->restriction != DOMID_INVALID && pf->restriction != dom)
		return -EINVAL;
	pf->restriction = dom;
	return 0;
}

static long privcmd_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct privcmd_file *pf = file->private_data;
	void __user *udata = (void __user *)arg;

	switch (cmd) {
	case IOCTL_PRIVCMD_HYPERCALL:
		return privcmd_hypercall(pf, udata);
	case IOCTL_PRIVCMD_DM_OP:
		return privcmd_dm_op(pf, udata);
	case IOCTL_PRIVCMD_RESTRICT:
		return privcmd_restrict(pf, udata);
	case IOCTL_PRIVCMD_MMAPBATCH_V2:
		return kxen_privcmd_mmapbatch(pf->restriction, udata);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations privcmd_fops = {
	.owner = THIS_MODULE,
	.open = privcmd_open,
	.release = privcmd_release,
	.unlocked_ioctl = privcmd_ioctl,
	.mmap = kxen_privcmd_mmap,
};

static struct miscdevice privcmd_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/privcmd",
	.fops = &privcmd_fops,
};

/* The pages of one /dev/xen/hypercall mapping. */
struct hypercall_buf {
	refcount_t users;		/* the VMA, and its copies by mremap */
	unsigned int nr_pages;
	struct page *pages[];
};

static void hypercall_buf_free(struct hypercall_buf *buf)
{
	unsigned int i;

	for (i = 0; i < buf->nr_pages; i++)
		if (buf->pages[i])
			__free_page(buf->pages[i]);
	kvfree(buf);
}

static void hypercall_buf_open(struct vm_area_struct *vma)
{
	struct hypercall_buf *buf = vma->vm_private_data;

	refcount_inc(&buf->users);
}

static void hypercall_buf_close(struct vm_area_struct *vma)
{
	struct hypercall_buf *buf = vma->vm_private_data;

	if (refcount_dec_and_test(&buf->users))
		hypercall_buf_free(buf);
}

int kxen_vma_refuse_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static const struct vm_operations_struct hypercall_buf_vm_ops = {
	.open = hypercall_buf_open,
	.close = hypercall_buf_close,
	/* A buffer goes as a whole: partial unmaps are refused. */
	.may_split = kxen_vma_refuse_split,
};

/*
 * Zeroed pages of the kernel's own, mapped shared into the process:
 * never swapped, never copied into a child, so always there when a
 * hypercall reads them.
 */
static int hypercall_buf_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long i, nr_pages = vma_pages(vma);
	struct hypercall_buf *buf;
	int err;

	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff)
		return -EINVAL;
	buf = kvzalloc(struct_size(buf, pages, nr_pages), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	refcount_set(&buf->users, 1);
	buf->nr_pages = nr_pages;
	for (i = 0; i < nr_pages; i++) {
		buf->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!buf->pages[i]) {
			hypercall_buf_free(buf);
			return -ENOMEM;
		}
	}
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	err = vm_map_pages_zero(vma, buf->pages, nr_pages);
	if (err) {
		hypercall_buf_free(buf);
		return err;
	}
	vma->vm_private_data = buf;
	vma->vm_ops = &hypercall_buf_vm_ops;
	return 0;
}

static const struct file_operations hypercall_buf_fops = {
	.owner = THIS_MODULE,
	.mmap = hypercall_buf_mmap,
};

static struct miscdevice hypercall_buf_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/hypercall",
	.fops = &hypercall_buf_fops,
};

static int capabilities_show(struct seq_file *m, void *v)
{
	seq_puts(m, "control_d\n");
	return 0;
}

static const struct proc_ops proc_privcmd_ops = {
	.proc_open = privcmd_open,
	.proc_release = privcmd_release,
	.proc_ioctl = privcmd_ioctl,
	.proc_mmap = kxen_privcmd_mmap,
};

static struct proc_dir_entry *proc_xen;

int kxen_privcmd_init(void)
{
	int err;

	proc_xen = proc_mkdir("xen", NULL);
	if (!proc_xen) {
		pr_err("/proc/xen exists already: is xenfs mounted there?\n");
		return -EEXIST;
	}
	if (!proc_create_single("capabilities", 0444, proc_xen,
				capabilities_show) ||
	    !proc_create("privcmd", 0600, proc_xen, &proc_privcmd_ops)) {
		err = -ENOMEM;
		goto remove_proc;
	}
	err = misc_register(&privcmd_dev);
	if (err)
		goto remove_proc;
	err = misc_register(&hypercall_buf_dev);
	if (err)
		goto deregister_privcmd;
	return 0;
deregister_privcmd:
	misc_deregister(&privcmd_dev);
remove_proc:
	proc_remove(proc_xen);
	return err;
}

void kxen_privcmd_exit(void)
{
	misc_deregister(&hypercall_buf_dev);
	misc_deregister(&privcmd_dev);
	proc_remove(proc_xen);
}
