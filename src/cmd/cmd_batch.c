/* cmd_batch.c: placeholder until the 'batch' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_batch(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'batch' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
