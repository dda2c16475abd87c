/* cmd_runs.c: placeholder until the 'runs' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_runs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'runs' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
