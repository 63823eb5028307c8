// SPDX-License-Identifier: GPL-2.0
/*
 * The one JSON serialisation of the module's GET_INFO: used by
 * `ctbench info --json` and by the meta of a result set.
 */
#include <string.h>

#include <jansson.h>

#include "dev.h"
#include "info.h"

/* The feature names as a JSON array (ctb_features_str says "-" for none). */
static json_t *features_json(uint64_t features)
{
	char buf[512], *save = NULL, *tok;
	json_t *a = json_array();

	ctb_features_str(features, buf, sizeof(buf));
	if (!strcmp(buf, "-"))
		return a;
	for (tok = strtok_r(buf, " ", &save); a && tok;
	     tok = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(tok));
	return a;
}

/* Move the keys of p (NULL when json_pack failed) into o. */
static int merge(json_t *o, json_t *p)
{
	int err = !p || json_object_update(o, p);

	json_decref(p);
	return err;
}

int ctb_info_json(json_t *o, const struct cachetlb_info *in, int full)
{
	int err;

	err = merge(o, json_pack(
		"{s:I, s:s, s:s, s:s, s:s}",
		"abi_version", (json_int_t)in->hdr.abi_version,
		"module_version", in->module_version,
		"arch", in->machine,
		"cpu_model", in->cpu_model[0] ? in->cpu_model : "unknown",
		"kernel_release", in->release));
	err |= merge(o, json_pack(
		"{s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:I}",
		"page_size", (json_int_t)in->page_size,
		"cache_line_size", (json_int_t)in->cache_line_size,
		"cbom_block_size", (json_int_t)in->cbom_block_size,
		"online_cpus", (json_int_t)in->online_cpus,
		"timer_source", in->timer_source,
		"counter", ctb_counter_name(in->counter),
		"counter_hz", (json_int_t)in->counter_hz,
		"clock_resolution_ns", (json_int_t)in->clock_resolution_ns));
	err |= merge(o, json_pack(
		"{s:s, s:s, s:o, s:I, s:s}",
		"hypervisor", ctb_hyp_name(in->hypervisor),
		"hypervisor_hint", in->hypervisor_hint,
		"features", features_json(in->features),
		"tlb_flush_ceiling", (json_int_t)in->tlb_flush_ceiling,
		"ceiling_source", in->ceiling_source));
	if (!full)
		return err ? -1 : 0;
	err |= merge(o, json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"counter_resolution", (json_int_t)in->counter_resolution,
		"icache_line_size", (json_int_t)in->icache_line_size,
		"possible_cpus", (json_int_t)in->possible_cpus,
		"nr_cpu_ids", (json_int_t)in->nr_cpu_ids,
		"nr_ops", (json_int_t)in->nr_ops,
		"time_limit_ms", (json_int_t)in->time_limit_ms,
		"max_samples", (json_int_t)in->max_samples,
		"max_iterations", (json_int_t)in->max_iterations,
		"max_pages", (json_int_t)in->max_pages));
	return err ? -1 : 0;
}
