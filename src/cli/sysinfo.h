/*
 * sysinfo.h -- what the machine offers the mdz program: CPUs to run
 * threads on, and physical memory (for the default thread budget).
 */
#ifndef MDZ_CLI_SYSINFO_H
#define MDZ_CLI_SYSINFO_H

#include <stdint.h>

/* CPUs this process may run on (its affinity mask where the system tells
 * it, else the online CPUs), at least 1. */
int sys_cpus(void);

/* Bytes of physical memory, or 4 GiB if the system does not say. */
uint64_t sys_ram(void);

#endif
