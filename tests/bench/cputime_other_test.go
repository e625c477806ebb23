//go:build !unix

package main

import "time"

// processCPU is not available here: benchmarks report wall time only.
func processCPU() (time.Duration, bool) { return 0, false }

// pageFaults is not available here.
func pageFaults() (int64, bool) { return 0, false }
