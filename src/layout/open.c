/*
 * open.c: choosing a layout by name or by path, the way the command line
 * and the batch both do.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cbpack/layout.h"

bool cb_layout_exists(const char *name)
{
	char path[4096];

	if (!name || !*name || strchr(name, '/') || strstr(name, ".."))
		return false;
	snprintf(path, sizeof(path), "%s/%s.xml", cb_layout_dir(), name);
	return access(path, R_OK) == 0;
}

int cb_layout_open(struct cb_layout **out, const char *name_or_path, struct cb_error *err)
{
	size_t n = strlen(name_or_path);

	if (strchr(name_or_path, '/') || (n > 4 && !strcmp(name_or_path + n - 4, ".xml")))
		return cb_layout_load(out, name_or_path, err);
	return cb_layout_find(out, name_or_path, err);
}
