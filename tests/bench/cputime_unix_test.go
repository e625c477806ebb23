//go:build unix

package main

import (
	"syscall"
	"time"
)

// pageFaults is the number of page faults (minor and major) the process
// has taken so far: each is a page of memory touched for the first time
// since the runtime got it from (or gave it back to) the kernel, costly
// on a virtual machine whose host has not backed that memory yet.
func pageFaults() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return int64(ru.Minflt + ru.Majflt), true
}

// processCPU is the CPU time (user + system) the process has used so far,
// every thread included (the GC's too).
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
