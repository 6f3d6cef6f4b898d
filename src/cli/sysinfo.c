/*
 * sysinfo.c -- CPU count and physical memory (sysinfo.h).
 */
#define _GNU_SOURCE  /* sched_getaffinity, CPU_COUNT */
#include "sysinfo.h"

#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#endif

int sys_cpus(void)
{
#if defined(__linux__) && defined(CPU_COUNT)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

uint64_t sys_ram(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || size <= 0)
        return (uint64_t)4 << 30;
    return (uint64_t)pages * (uint64_t)size;
}
