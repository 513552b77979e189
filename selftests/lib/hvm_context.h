/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HVM contexts (Xen's save records) in the C selftests, built and read
 * as libxenguest does: the records a PVH guest's boot vCPU is loaded
 * with, through xc_domain_hvm_setcontext().
 */
#ifndef KXEN_HVM_CONTEXT_H
#define KXEN_HVM_CONTEXT_H

#include <stdbool.h>
#include <string.h>
#include <xenctrl.h>
#include <xen/hvm/save.h>

#define DESC		sizeof(struct hvm_save_descriptor)
#define CR0_PE		(1ull << 0)
#define CR0_ET		(1ull << 4)
#define TSC_LOADED	(1ull << 40)

/* A context being built, as libxenguest builds one. */
struct context {
	uint8_t data[16384];
	uint32_t len;
};

static inline void add(struct context *c, uint16_t type, uint16_t instance,
		       const void *body, uint32_t len)
{
	struct hvm_save_descriptor d = {
		.typecode = type, .instance = instance, .length = len,
	};

	memcpy(c->data + c->len, &d, DESC);
	memcpy(c->data + c->len + DESC, body, len);
	c->len += DESC + len;
}

/* The record TYPE/INSTANCE in C, or NULL. */
static inline const void *find_record(const struct context *c, uint16_t type,
				      uint16_t instance)
{
	const struct hvm_save_descriptor *d;
	uint32_t at;

	for (at = 0; at + DESC <= c->len; at += DESC + d->length) {
		d = (const void *)(c->data + at);
		if (d->typecode == type && d->instance == instance)
			return d + 1;
		if (!d->typecode)
			break;
	}
	return NULL;
}

static inline bool get_context(xc_interface *xch, uint32_t domid,
			       struct context *c)
{
	int len = xc_domain_hvm_getcontext(xch, domid, c->data,
					   sizeof(c->data));

	c->len = len < 0 ? 0 : len;
	return len > 0;
}

/* What libxenguest loads to boot a PVH guest at ENTRY: flat 32-bit. */
static inline struct hvm_hw_cpu boot_cpu(uint64_t entry)
{
	return (struct hvm_hw_cpu){
		.rip = entry, .rbx = 0x1000, .cr0 = CR0_PE | CR0_ET,
		.cs_limit = ~0u, .ds_limit = ~0u, .es_limit = ~0u,
		.ss_limit = ~0u, .tr_limit = 0x67,
		.cs_arbytes = 0xc9b, .ds_arbytes = 0xc93, .es_arbytes = 0xc93,
		.ss_arbytes = 0xc93, .tr_arbytes = 0x8b,
		.dr6 = 0xffff0ff0, .dr7 = 0x400, .tsc = TSC_LOADED,
	};
}

/* HEADER from a domain's own context, then CPU for vCPU 0, then END. */
static inline int set_boot(xc_interface *xch, uint32_t domid,
			   const struct hvm_hw_cpu *cpu, uint32_t cpu_len)
{
	struct context full, c = { .len = 0 };

	if (!get_context(xch, domid, &full))
		return -1;
	add(&c, HVM_SAVE_CODE(HEADER), 0,
	    find_record(&full, HVM_SAVE_CODE(HEADER), 0),
	    HVM_SAVE_LENGTH(HEADER));
	add(&c, HVM_SAVE_CODE(CPU), 0, cpu, cpu_len);
	add(&c, 0, 0, NULL, 0);
	return xc_domain_hvm_setcontext(xch, domid, c.data, c.len);
}

#endif /* KXEN_HVM_CONTEXT_H */
