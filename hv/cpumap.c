// SPDX-License-Identifier: GPL-2.0
/*
 * CPU sets between the hypervisor and Xen's tools (struct xenctl_bitmap):
 * bit N of byte N / 8 is CPU id N, in both directions.
 */
#include <hv/cpumap.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/xen.h>

#define MAX_BITMAP_BYTES	PAGE_SIZE

cpumap_t cpumap_all(void)
{
	return hv_machine.nr_cpu_ids >= 64 ? ~0ull :
	       (1ull << hv_machine.nr_cpu_ids) - 1;
}

cpumap_t cpumap_online(void)
{
	cpumap_t map = 0;
	u32 i;

	for (i = 0; i < hv_machine.nr_cpu_ids; i++)
		if (hv_cpu_online(i))
			map |= 1ull << i;
	return map;
}

unsigned int cpumap_weight(cpumap_t map)
{
	unsigned int n;

	for (n = 0; map; map &= map - 1)
		n++;
	return n;
}

/* Bytes a bitmap of NR_BITS takes (no overflow near 2^32 bits). */
static u32 bitmap_bytes(u32 nr_bits)
{
	return nr_bits / 8 + !!(nr_bits % 8);
}

/* Bytes the CPU ids take. */
static u32 id_bytes(void)
{
	return bitmap_bytes(hv_machine.nr_cpu_ids);
}

long cpumap_to_guest(struct hv_cpu *cpu, const struct xenctl_bitmap *bitmap,
		     cpumap_t map)
{
	u8 bytes[KXEN_MAX_CPUS / 8], zero[64] = { 0 };
	u32 i, want = bitmap_bytes(bitmap->nr_bits), have = id_bytes();
	u64 buf = (u64)bitmap->bitmap.p;

	if (want > MAX_BITMAP_BYTES)
		return -XEN_EINVAL;
	map &= cpumap_all();
	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = map >> (8 * i);
	if (have > want)
		have = want;
	if (copy_to_guest(cpu, buf, bytes, have))
		return -XEN_EFAULT;
	for (i = have; i < want; i += sizeof(zero))
		if (copy_to_guest(cpu, buf + i, zero,
				  want - i < sizeof(zero) ? want - i :
							    sizeof(zero)))
			return -XEN_EFAULT;
	return 0;
}

long cpumap_from_guest(struct hv_cpu *cpu, cpumap_t *map,
		       const struct xenctl_bitmap *bitmap)
{
	u8 bytes[KXEN_MAX_CPUS / 8] = { 0 };
	u32 i, have = bitmap_bytes(bitmap->nr_bits);

	if (have > id_bytes())
		have = id_bytes();
	if (copy_from_guest(cpu, bytes, (u64)bitmap->bitmap.p, have))
		return -XEN_EFAULT;
	*map = 0;
	for (i = 0; i < have; i++)
		*map |= (cpumap_t)bytes[i] << (8 * i);
	if (bitmap->nr_bits < 64)
		*map &= (1ull << bitmap->nr_bits) - 1;
	*map &= cpumap_all();
	return 0;
}
