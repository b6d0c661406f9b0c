/*
 * Two threads keep different values live in AVX registers (ymm0..ymm2) while they spin on a
 * flag; the test checkpoints during the spin, restarts, sets the flag, and each thread prints
 * what its registers still hold. Only a per-thread XSAVE restore gets both right.
 */
#include <pthread.h>
#include <stdio.h>
#include <immintrin.h>

volatile int go;
static volatile int spinning;

static void hold(const char *who, double base)
{
    double out[12];
    __asm__ volatile(
        "vbroadcastsd %[a], %%ymm0\n\t"
        "vbroadcastsd %[b], %%ymm1\n\t"
        "vbroadcastsd %[c], %%ymm2\n\t"
        "lock incl %[spin]\n\t"
        "1: pause\n\t"
        "cmpl $0, %[go]\n\t"
        "je 1b\n\t"
        "vmovupd %%ymm0, 0(%[out])\n\t"
        "vmovupd %%ymm1, 32(%[out])\n\t"
        "vmovupd %%ymm2, 64(%[out])\n\t"
        :
        : [a] "m"((double){base + 1}), [b] "m"((double){base + 2}), [c] "m"((double){base + 3}),
          [go] "m"(go), [spin] "m"(spinning), [out] "r"(out)
        : "memory", "xmm0", "xmm1", "xmm2");
    printf("%s %.1f %.1f %.1f %.1f %.1f %.1f\n", who, out[0], out[3], out[4], out[7], out[8], out[11]);
}

static void *worker(void *arg)
{
    (void)arg;
    hold("worker", 100.0);
    return NULL;
}

int main(void)
{
    pthread_t t;
    setvbuf(stdout, NULL, _IONBF, 0);
    pthread_create(&t, NULL, worker, NULL);
    while (spinning < 1)
        ;
    printf("spinning\n");
    hold("main", 200.0);
    pthread_join(t, NULL);
    return 0;
}
