/*
 * An exec'ing debuggee for gdb tests: prints a line, then replaces itself with gdb-loop from
 * the same directory (its breakpoints must not follow into the new program, and gdb, told of
 * the exec, stops in the new one).
 */
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char path[4096];
    (void)argc;
    setvbuf(stdout, NULL, _IONBF, 0);
    snprintf(path, sizeof path, "%s/gdb-loop", dirname(strdup(argv[0])));
    printf("exec %s\n", path);
    execl(path, "gdb-loop", (char *)NULL);
    perror("execl");
    return 1;
}
