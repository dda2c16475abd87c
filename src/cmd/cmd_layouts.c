/* cmd_layouts.c: placeholder until the 'layouts' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_layouts(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'layouts' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
