/* cmd_init.c: placeholder until the 'init' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_init(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'init' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
