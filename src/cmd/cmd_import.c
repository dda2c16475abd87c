/* cmd_import.c: placeholder until the 'import' command lands. */
#include <stdio.h>

#include "cmd.h"

int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cbpack: 'import' is not implemented yet\n");
	return CB_EXIT_FAIL;
}
