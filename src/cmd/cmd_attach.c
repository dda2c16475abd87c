/* cmd_attach.c: placeholder until the 'attach' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_attach(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'attach' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
