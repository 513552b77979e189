// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/hypervisor as Linux builds it on Xen (drivers/xen/sys-hypervisor.c),
 * which Debian's toolstack reads to recognise Xen 4.17. Linux only fills
 * it when booted on Xen; under kxen this module does, every value coming
 * from the hypervisor through xen_version, as Linux's own code gets it.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <xen/interface/xen.h>
#include <xen/interface/features.h>
#include <xen/interface/version.h>
#include "hypercall.h"
#include "kxen.h"

/* Shows a string the hypervisor writes into a buffer of SIZE bytes. */
static ssize_t show_string(char *buf, unsigned int cmd, size_t size)
{
	char *s = kzalloc(size, GFP_KERNEL);
	long ret;

	if (!s)
		return -ENOMEM;
	ret = kxen_xen_version(cmd, s);
	if (!ret)
		ret = sysfs_emit(buf, "%.*s\n", (int)size, s);
	kfree(s);
	return ret;
}

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "xen\n");
}

static ssize_t guest_type_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "PVH\n");	/* dom0 runs in HVM containers */
}

static ssize_t uuid_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	xen_domain_handle_t handle;
	long ret = kxen_xen_version(XENVER_guest_handle, handle);

	return ret ? ret : sysfs_emit(buf, "%pU\n", handle);
}

static ssize_t major_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%ld\n", kxen_xen_version(XENVER_version, NULL) >> 16);
}

static ssize_t minor_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%ld\n", kxen_xen_version(XENVER_version, NULL) & 0xffff);
}

static ssize_t extra_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return show_string(buf, XENVER_extraversion, XEN_EXTRAVERSION_LEN);
}

static ssize_t capabilities_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return show_string(buf, XENVER_capabilities, XEN_CAPABILITIES_INFO_LEN);
}

static ssize_t changeset_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return show_string(buf, XENVER_changeset, XEN_CHANGESET_INFO_LEN);
}

static ssize_t virtual_start_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	struct xen_platform_parameters params;
	long ret = kxen_xen_version(XENVER_platform_parameters, &params);

	return ret ? ret : sysfs_emit(buf, "%lx\n", params.virt_start);
}

static ssize_t pagesize_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	long ret = kxen_xen_version(XENVER_pagesize, NULL);

	return ret < 0 ? ret : sysfs_emit(buf, "%lx\n", ret);
}

static ssize_t features_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	struct xen_feature_info info;
	ssize_t len = 0;
	int i;

	for (i = XENFEAT_NR_SUBMAPS - 1; i >= 0; i--) {
		long ret;

		info.submap_idx = i;
		ret = kxen_xen_version(XENVER_get_features, &info);
		if (ret)
			return ret;
		len += sysfs_emit_at(buf, len, "%08x", info.submap);
	}
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t compile_info_show(char *buf, size_t offset, size_t size)
{
	struct xen_compile_info *info = kzalloc(sizeof(*info), GFP_KERNEL);
	long ret;

	if (!info)
		return -ENOMEM;
	ret = kxen_xen_version(XENVER_compile_info, info);
	if (!ret)
		ret = sysfs_emit(buf, "%.*s\n", (int)size, (char *)info + offset);
	kfree(info);
	return ret;
}

#define COMPILE_INFO_ATTR(name, field)					\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return compile_info_show(buf,					\
		offsetof(struct xen_compile_info, field),		\
		sizeof_field(struct xen_compile_info, field));		\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

COMPILE_INFO_ATTR(compiler, compiler);
COMPILE_INFO_ATTR(compiled_by, compile_by);
COMPILE_INFO_ATTR(compile_date, compile_date);

static struct kobj_attribute type_attr = __ATTR_RO(type);
static struct kobj_attribute guest_type_attr = __ATTR_RO(guest_type);
static struct kobj_attribute uuid_attr = __ATTR_RO(uuid);
static struct kobj_attribute major_attr = __ATTR_RO(major);
static struct kobj_attribute minor_attr = __ATTR_RO(minor);
static struct kobj_attribute extra_attr = __ATTR_RO(extra);
static struct kobj_attribute capabilities_attr = __ATTR_RO(capabilities);
static struct kobj_attribute changeset_attr = __ATTR_RO(changeset);
static struct kobj_attribute virtual_start_attr = __ATTR_RO(virtual_start);
static struct kobj_attribute pagesize_attr = __ATTR_RO(pagesize);
static struct kobj_attribute features_attr = __ATTR_RO(features);

static struct attribute *top_attrs[] = {
	&type_attr.attr, &guest_type_attr.attr, &uuid_attr.attr, NULL
};

static struct attribute *version_attrs[] = {
	&major_attr.attr, &minor_attr.attr, &extra_attr.attr, NULL
};

static struct attribute *compilation_attrs[] = {
	&compiler_attr.attr, &compiled_by_attr.attr, &compile_date_attr.attr,
	NULL
};

static struct attribute *properties_attrs[] = {
	&capabilities_attr.attr, &changeset_attr.attr,
	&virtual_start_attr.attr, &pagesize_attr.attr, &features_attr.attr,
	NULL
};

static const struct attribute_group top_group = { .attrs = top_attrs };
static const struct attribute_group version_group = {
	.name = "version", .attrs = version_attrs,
};
static const struct attribute_group compilation_group = {
	.name = "compilation", .attrs = compilation_attrs,
};
static const struct attribute_group properties_group = {
	.name = "properties", .attrs = properties_attrs,
};

static const struct attribute_group *groups[] = {
	&top_group, &version_group, &compilation_group, &properties_group,
	NULL
};

int kxen_sys_hypervisor_init(void)
{
	return sysfs_create_groups(hypervisor_kobj, groups);
}

void kxen_sys_hypervisor_exit(void)
{
	sysfs_remove_groups(hypervisor_kobj, groups);
}
