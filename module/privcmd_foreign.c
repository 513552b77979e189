// SPDX-License-Identifier: GPL-2.0
/*
 * Foreign mappings through /dev/xen/privcmd, as libxenforeignmemory
 * makes them: the process maps the device, a range that starts empty
 * (touching it raises SIGBUS), then IOCTL_PRIVCMD_MMAPBATCH_V2 fills it
 * with a guest's frames, with an error for each frame that failed and
 * the others mapped (QEMU's map cache relies on that partial success).
 *
 * The hypervisor makes each frame visible to dom0 at its machine
 * address and keeps the page alive until it is unmapped here, even if
 * the guest gives it up or is destroyed meanwhile. A mapping lasts as
 * long as its VMA: it cannot be split (unmapping part of it fails),
 * and a child process does not inherit it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/privcmd.h>
#include "hypercall.h"
#include "kxen.h"

/* Page 0 is never pool memory (Linux keeps the first megabyte). */
#define NO_FRAME	0

/* The frames one privcmd VMA maps. */
struct foreign_vma {
	refcount_t users;		/* the VMA, and its copies by mremap */
	unsigned long nr_pages;
	u64 frame[];			/* machine frame per page, or NO_FRAME */
};

/*
 * Ends the foreign mappings of NR machine frames; their user PTEs are
 * gone already. Every CPU then exits once, dropping what its TLB held,
 * which is what lets pages given up meanwhile go back to the pool.
 */
static void foreign_unmap(const u64 *frames, unsigned long nr)
{
	unsigned long done, n;

	for (done = 0; done < nr; done += n) {
		n = min_t(unsigned long, nr - done, KXEN_FOREIGN_BATCH);
		WARN_ON_ONCE(kxen_op(KXEN_OP_FOREIGN_UNMAP,
				     (unsigned long)(frames + done), n));
	}
	kxen_hv_sync_cpus();
}

static void foreign_vma_open(struct vm_area_struct *vma)
{
	struct foreign_vma *fv = vma->vm_private_data;

	refcount_inc(&fv->users);
}

static void foreign_vma_close(struct vm_area_struct *vma)
{
	struct foreign_vma *fv = vma->vm_private_data;
	unsigned long i, nr = 0;

	if (!refcount_dec_and_test(&fv->users))
		return;
	for (i = 0; i < fv->nr_pages; i++)
		if (fv->frame[i] != NO_FRAME)
			fv->frame[nr++] = fv->frame[i];
	/* The files that made the mappings keep the hypervisor loaded. */
	if (nr && kxen_hv_hold()) {
		foreign_unmap(fv->frame, nr);
		kxen_hv_release();
	}
	kvfree(fv);
}

static vm_fault_t foreign_vma_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct foreign_vm_ops = {
	.open = foreign_vma_open,
	.close = foreign_vma_close,
	.may_split = kxen_vma_refuse_split,
	.fault = foreign_vma_fault,
};

int kxen_privcmd_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long nr_pages = vma_pages(vma);
	struct foreign_vma *fv;

	/* A private writable mapping would be copy-on-write: not of these. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	fv = kvzalloc(struct_size(fv, frame, nr_pages), GFP_KERNEL);
	if (!fv)
		return -ENOMEM;
	refcount_set(&fv->users, 1);
	fv->nr_pages = nr_pages;
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTCOPY | VM_DONTEXPAND |
			 VM_DONTDUMP;
	vma->vm_private_data = fv;
	vma->vm_ops = &foreign_vm_ops;
	return 0;
}

/*
 * Maps NR frames of DOM at ADDR of VMA, where nothing is mapped yet:
 * FRAMES hold guest frames, ERRS get the errors. Frames the hypervisor
 * gave but the page tables could not take go back to it.
 */
static void map_frames(struct vm_area_struct *vma, unsigned long addr,
		       domid_t dom, u64 *frames, int *errs, unsigned long nr)
{
	struct foreign_vma *fv = vma->vm_private_data;
	unsigned long first = (addr - vma->vm_start) >> PAGE_SHIFT;
	unsigned long done, n, i, nr_undo = 0;
	struct kxen_foreign_map req = { .domid = dom };
	long err;

	for (done = 0; done < nr; done += n) {
		n = min_t(unsigned long, nr - done, KXEN_FOREIGN_BATCH);
		req.frames = (unsigned long)(frames + done);
		req.errs = (unsigned long)(errs + done);
		req.nr = n;
		err = kxen_op(KXEN_OP_FOREIGN_MAP, (unsigned long)&req, 0);
		for (i = done; i < done + n; i++) {
			if (err)
				errs[i] = err;
			if (errs[i])
				continue;
			if (vmf_insert_pfn(vma, addr + (i << PAGE_SHIFT),
					   frames[i]) != VM_FAULT_NOPAGE) {
				errs[i] = -ENOMEM;
				frames[nr_undo++] = frames[i];
				continue;
			}
			fv->frame[first + i] = frames[i];
		}
	}
	if (nr_undo)
		foreign_unmap(frames, nr_undo);
}

/* The privcmd VMA holding [addr, addr + nr pages), all unmapped; or NULL. */
static struct vm_area_struct *empty_range(struct mm_struct *mm,
					  unsigned long addr, unsigned long nr)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	struct foreign_vma *fv;
	unsigned long first, i;

	if (!vma || vma->vm_ops != &foreign_vm_ops || addr & ~PAGE_MASK ||
	    nr > (vma->vm_end - addr) >> PAGE_SHIFT)
		return NULL;
	fv = vma->vm_private_data;
	first = (addr - vma->vm_start) >> PAGE_SHIFT;
	for (i = 0; i < nr; i++)
		if (fv->frame[first + i] != NO_FRAME)
			return NULL;
	return vma;
}

long kxen_privcmd_mmapbatch(u16 restriction, void __user *udata)
{
	struct mm_struct *mm = current->mm;
	struct privcmd_mmapbatch_v2 m;
	struct vm_area_struct *vma;
	u64 *frames = NULL;
	int *errs = NULL;
	long ret;

	if (copy_from_user(&m, udata, sizeof(m)))
		return -EFAULT;
	if (restriction != DOMID_INVALID && restriction != m.dom)
		return -EPERM;
	if (!m.num || m.num > LONG_MAX >> PAGE_SHIFT)
		return -EINVAL;
	frames = kvmalloc_array(m.num, sizeof(*frames), GFP_KERNEL);
	errs = kvcalloc(m.num, sizeof(*errs), GFP_KERNEL);
	ret = -ENOMEM;
	if (!frames || !errs)
		goto free;
	ret = -EFAULT;
	if (copy_from_user(frames, m.arr, m.num * sizeof(*frames)) ||
	    clear_user(m.err, m.num * sizeof(*errs)))
		goto free;
	ret = -ENODEV;
	if (!kxen_hv_hold())
		goto free;
	mmap_write_lock(mm);
	vma = empty_range(mm, m.addr, m.num);
	if (vma)
		map_frames(vma, m.addr, m.dom, frames, errs, m.num);
	mmap_write_unlock(mm);
	kxen_hv_release();
	ret = -EINVAL;
	if (vma)
		ret = copy_to_user(m.err, errs, m.num * sizeof(*errs)) ?
		      -EFAULT : 0;
free:
	kvfree(errs);
	kvfree(frames);
	return ret;
}
