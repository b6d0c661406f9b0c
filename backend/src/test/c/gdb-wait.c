/* Waits for signals forever: the gdb interrupt (Ctrl-C) test stops it while it runs. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("waiting\n");
    for (;;)
        pause();
}
