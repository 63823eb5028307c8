// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench info and ctbench list: the device, the machine and the op table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "dev.h"
#include "env.h"
#include "info.h"
#include "pmu.h"
#include "suite.h"
#include "topo.h"

static int only_json_flag(const struct ctb_cmdspec *spec, int argc,
			  char **argv, int *json, int *rc)
{
	struct cmd_ctx c = { .maxpos = 0 };

	if (parse_cmd(spec, argc, argv, &c, rc))
		return 1;
	*json = c.json;
	return 0;
}

/* What `info` found out, text and JSON alike. */
struct info_facts {
	struct ctb_dev dev;
	struct ctb_topo topo;
	int have_dev, have_topo, emulated, pmu_ok, env;
	char err[CTB_ERRLEN], topo_s[128], pmu[256], probe[128];
	char reason[192], counting[200], env_hyp[128], env_why[384];
};

/* Open the device and look at the machine; the device may be missing. */
static void info_gather(struct info_facts *f)
{
	f->have_dev = !ctb_dev_open(&f->dev, NULL, f->err, sizeof(f->err));
	/* as root: resolved symbols give the live TLB ceiling, op support */
	if (f->have_dev && geteuid() == 0)
		ctb_dev_resolve_all(&f->dev, NULL, stderr, 0);
	f->have_topo = !ctb_topo_init(&f->topo, f->topo_s,
				      sizeof(f->topo_s));
	if (f->have_topo)
		ctb_topo_summary(&f->topo, f->topo_s, sizeof(f->topo_s));
	ctb_pmu_detect(f->pmu, sizeof(f->pmu));
	f->pmu_ok = ctb_pmu_probe(f->probe, sizeof(f->probe));
	if (f->have_dev)
		f->emulated = ctb_detect_emulation(getenv("CTB_EMULATION"),
						   f->dev.info.hypervisor,
						   f->dev.info.hypervisor_hint,
						   f->reason, sizeof(f->reason));
	else
		f->emulated = ctb_detect_emulation(getenv("CTB_EMULATION"),
						   CACHETLB_HYP_UNKNOWN, "",
						   f->reason, sizeof(f->reason));
	f->env = ctb_detect_environment(NULL, f->emulated, f->env_hyp,
					sizeof(f->env_hyp), f->env_why,
					sizeof(f->env_why));
}

static void info_print_json(const struct info_facts *f)
{
	json_t *o = json_object();

	if (f->have_dev)
		ctb_info_json(o, &f->dev.info, 1);
	else
		json_object_set_new(o, "device_error", json_string(f->err));
	json_object_update_new(o, json_pack(
		"{s:b, s:s, s:s, s:s, s:s, s:s}", "emulated", f->emulated,
		"emulation", f->emulated ? "qemu-tcg" : "native",
		"emulation_reason", f->reason, "topology", f->topo_s,
		"pmu_detected", f->pmu, "pmu_counting", f->counting));
	json_object_update_new(o, json_pack(
		"{s:s, s:s, s:s}", "environment", ctb_env_name(f->env),
		"environment_hypervisor", f->env_hyp,
		"environment_reason", f->env_why));
	ctb_json_print(stdout, o);
	json_decref(o);
}

/* The module's GET_INFO as text, one "key: value" line each. */
static void info_print_dev(const struct cachetlb_info *in)
{
	char feat[512];

	ctb_features_str(in->features, feat, sizeof(feat));
	printf("module:      cachetlb %s, ABI %u, %u ops\n",
	       in->module_version, in->hdr.abi_version, in->nr_ops);
	printf("kernel:      %s %s\n", in->release, in->machine);
	printf("cpu:         %s\n",
	       in->cpu_model[0] ? in->cpu_model : "unknown");
	printf("cpus:        %u online, %u possible, nr_cpu_ids %u\n",
	       in->online_cpus, in->possible_cpus, in->nr_cpu_ids);
	printf("sizes:       page %u, D line %u, I line %u, cbom block %u\n",
	       in->page_size, in->cache_line_size, in->icache_line_size,
	       in->cbom_block_size);
	printf("timer:       %s, resolution %" PRIu64 " ns\n",
	       in->timer_source, (uint64_t)in->clock_resolution_ns);
	printf("counter:     %s at %" PRIu64 " Hz, resolution %" PRIu64 " ticks\n",
	       ctb_counter_name(in->counter), (uint64_t)in->counter_hz,
	       (uint64_t)in->counter_resolution);
	printf("hypervisor:  %s (%s)\n", ctb_hyp_name(in->hypervisor),
	       in->hypervisor_hint);
	printf("features:    %s\n", feat);
	printf("tlb ceiling: %u pages (%s)\n", in->tlb_flush_ceiling,
	       in->ceiling_source);
	printf("limits:      %u ms per RUN, %u samples, %u iterations, %u pages\n",
	       in->time_limit_ms, in->max_samples, in->max_iterations,
	       in->max_pages);
}

static void info_print_text(const struct info_facts *f)
{
	if (f->have_dev)
		info_print_dev(&f->dev.info);
	else	/* the error itself goes to stderr, once (cmd_info) */
		printf("device:      not available\n");
	if (f->emulated)
		printf("results:     EMULATED (qemu-tcg): %s\n", f->reason);
	else
		printf("results:     %s\n", f->reason);
	if (f->env == CTB_ENV_VIRTUALIZED)
		printf("environment: virtualized, hypervisor %s (%s)\n",
		       f->env_hyp, f->env_why);
	else
		printf("environment: %s (%s)\n", ctb_env_name(f->env),
		       f->env_why);
	printf("topology:    %s\n", f->topo_s);
	printf("pmu:         %s; counting %s%s\n", f->pmu,
	       f->pmu_ok ? "works" : "n/a: ", f->pmu_ok ? "" : f->probe);
}

int cmd_info(int argc, char **argv)
{
	struct info_facts f;
	int json, ret;

	if (only_json_flag(&info_spec, argc, argv, &json, &ret))
		return ret;
	memset(&f, 0, sizeof(f));	/* counting: "" (was never filled) */
	info_gather(&f);
	if (json)
		info_print_json(&f);
	else
		info_print_text(&f);
	if (f.have_topo)
		ctb_topo_fini(&f.topo);
	if (!f.have_dev) {
		fprintf(stderr, "ctbench: %s\n", f.err);
		return CTB_EXIT_NODEV;
	}
	ctb_dev_close(&f.dev);
	return 0;
}

static void uses_str(uint32_t uses, char *buf, size_t len)
{
	static const char *const n[] = {
		"count", "aux", "state", "stride", "user_buf", "targets",
		"opflags",
	};
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < 7; i++)
		if (uses & (1U << i))
			off += (size_t)snprintf(buf + off, off < len ?
						len - off : 0, "%s%s",
						off ? "," : "", n[i]);
	if (!off)
		snprintf(buf, len, "-");
}

static int open_resolved(struct ctb_dev *dev, FILE *report)
{
	char err[CTB_ERRLEN];
	int ret = ctb_dev_open(dev, NULL, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "ctbench: %s\n", err);
		return CTB_EXIT_NODEV;
	}
	if (geteuid() == 0)
		ctb_dev_resolve_all(dev, NULL, report, 0);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	struct ctb_dev dev;
	json_t *ops = NULL;
	int json, ret;

	if (only_json_flag(&list_spec, argc, argv, &json, &ret))
		return ret;
	ret = open_resolved(&dev, stderr);
	if (ret)
		return ret;
	if (json)
		ops = json_array();
	else
		printf("%-3s %-28s %-7s %-4s %-9s %-13s %-26s %s\n", "#",
		       "op", "family", "ok", "unit", "count", "uses",
		       "props / reason");
	for (unsigned int i = 0; i < dev.nops; i++) {
		const struct cachetlb_op_desc *d = &dev.ops[i];
		const char *fam = ctb_family_name(d->family);
		char u[96], p[160], range[32];

		uses_str(d->uses, u, sizeof(u));
		ctb_props_str(d->props, p, sizeof(p));
		if (d->uses & CACHETLB_USES_COUNT)
			snprintf(range, sizeof(range), "%u..%u", d->count_min,
				 d->count_max);
		else
			snprintf(range, sizeof(range), "-");
		if (json) {
			json_array_append_new(ops, json_pack(
				"{s:i, s:s, s:s, s:b, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s}",
				"index", (int)i, "name", d->name,
				"family", fam ? fam : "?",
				"supported", d->supported, "unit", d->unit,
				"count_min", (int)d->count_min,
				"count_max", (int)d->count_max, "uses", u,
				"props", p, "params", d->params,
				"reason", d->reason, "symbols", d->symbols));
		} else {
			printf("%-3u %-28s %-7s %-4s %-9s %-13s %-26s %s\n", i,
			       d->name, fam ? fam : "?",
			       d->supported ? "yes" : "no", d->unit, range, u,
			       d->supported ? p : d->reason);
		}
	}
	if (json) {
		ret = ctb_json_print(stdout, ops);
		json_decref(ops);
	}
	ctb_dev_close(&dev);
	return ret;
}
