// SPDX-License-Identifier: GPL-2.0
/*
 * udev-stub.c - the five libudev entry points that Debian's static libhwloc.a
 * references.  Debian ships no libudev.a, and the test guests have no udev,
 * so udev_new() reports "no udev" and hwloc skips its udev queries.
 */
#include <stddef.h>

struct udev;
struct udev_device;

struct udev *udev_new(void);
struct udev *udev_unref(struct udev *u);
struct udev_device *udev_device_new_from_subsystem_sysname(struct udev *u,
		const char *subsystem, const char *sysname);
const char *udev_device_get_property_value(struct udev_device *d,
		const char *key);
struct udev_device *udev_device_unref(struct udev_device *d);

struct udev *udev_new(void)
{
	return NULL;
}

struct udev *udev_unref(struct udev *u)
{
	(void)u;
	return NULL;
}

struct udev_device *udev_device_new_from_subsystem_sysname(struct udev *u,
		const char *subsystem, const char *sysname)
{
	(void)u;
	(void)subsystem;
	(void)sysname;
	return NULL;
}

const char *udev_device_get_property_value(struct udev_device *d,
		const char *key)
{
	(void)d;
	(void)key;
	return NULL;
}

struct udev_device *udev_device_unref(struct udev_device *d)
{
	(void)d;
	return NULL;
}
