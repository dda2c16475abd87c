/* cmd_show.c: placeholder until the 'show' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_show(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'show' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
