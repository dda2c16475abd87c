/* cmd_list.c: placeholder until the 'list' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'list' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
