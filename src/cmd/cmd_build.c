/* cmd_build.c: placeholder until the 'build' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_build(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'build' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
