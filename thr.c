#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
void*f(void*a){void*p=malloc(100);(void)p;pause();return a;}
int main(){pthread_t t[3];for(int i=0;i<3;i++)pthread_create(&t[i],0,f,0);char*q=malloc(1<<20);q[0]=1;pause();}
