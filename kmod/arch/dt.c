// SPDX-License-Identifier: GPL-2.0
/*
 * dt.c - the hypervisor hint of the arches that boot with a device tree
 * (arm64, riscv, 32-bit ARM: CTB_ARCH_DT_VIRT).
 */
#include <linux/kernel.h>
#include <linux/of.h>
#include <linux/string.h>

#include "../cachetlb.h"

/*
 * QEMU's virt machines carry a well-known root compatible string
 * (CTB_ARCH_DT_VIRT: "linux,dummy-virt" on arm64 and 32-bit ARM,
 * "riscv-virtio"); that is positive evidence of emulation or
 * virtualisation.  Anything else (a real board, or no device tree at all
 * under ACPI) proves nothing either way.
 */
u32 ctb_arch_hypervisor(char *hint, size_t len)
{
	const char *virt_compatible = CTB_ARCH_DT_VIRT;
	const char *model = NULL;

	if (!of_root) {
		strscpy(hint, "no device tree (ACPI?): no reliable hint", len);
		return CACHETLB_HYP_UNKNOWN;
	}
	of_property_read_string(of_root, "model", &model);
	if (of_machine_is_compatible(virt_compatible)) {
		snprintf(hint, len,
			 "device tree compatible \"%s\" (QEMU virt), model \"%s\"",
			 virt_compatible, model ? model : "");
		return CACHETLB_HYP_PRESENT;
	}
	snprintf(hint, len, "device tree model \"%s\": no hypervisor hint",
		 model ? model : "");
	return CACHETLB_HYP_UNKNOWN;
}
