/*
 * The three stages of a shell pipeline, chosen by argv[1]:
 *   produce        one number per byte read from stdin: 1, 2, 3...
 *   filter         each number n read becomes n*n+1
 *   consume FILE   each number is written to FILE (truncated at start, no O_APPEND) and
 *                  reported on stdout as "got N"
 * Run as sh -c 'pipeline produce | pipeline filter | pipeline consume out.txt'.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char line[64];
    if (argc > 1 && strcmp(argv[1], "produce") == 0) {
        char c;
        long n = 0;
        while (read(0, &c, 1) == 1)
            dprintf(1, "%ld\n", ++n);
        return 0;
    }
    FILE *in = fdopen(0, "r");
    if (argc > 1 && strcmp(argv[1], "filter") == 0) {
        while (fgets(line, sizeof line, in)) {
            long n = atol(line);
            dprintf(1, "%ld\n", n * n + 1);
        }
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "consume") == 0) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        while (fgets(line, sizeof line, in)) {
            write(fd, line, strlen(line));
            dprintf(1, "got %s", line);
        }
        return 0;
    }
    return 2;
}
