package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// benchResult is one parsed `go test -bench` result line: ns/op, B/op,
// allocs/op and any custom metrics, by unit.
type benchResult struct {
	name    string
	metrics map[string]float64
}

// parseBench reads the result lines of go test -bench output; repeated
// runs (-count) of a benchmark are kept in order.
func parseBench(out []byte) map[string][]benchResult {
	res := map[string][]benchResult{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := fields[0]
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i] // the -GOMAXPROCS suffix
			}
		}
		r := benchResult{name: name, metrics: map[string]float64{}}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			r.metrics[fields[i+1]] = v
		}
		res[name] = append(res[name], r)
	}
	return res
}

// median returns the median of a metric over the runs of a benchmark.
func median(runs []benchResult, unit string) (float64, bool) {
	var vs []float64
	for _, r := range runs {
		if v, ok := r.metrics[unit]; ok {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	return vs[len(vs)/2], true
}

// least returns the least value of a metric over the runs of a benchmark.
func least(runs []benchResult, unit string) (float64, bool) {
	found := false
	lo := 0.0
	for _, r := range runs {
		if v, ok := r.metrics[unit]; ok && (!found || v < lo) {
			lo, found = v, true
		}
	}
	return lo, found
}

// goBench runs `go test -run ^$ -bench pattern -benchmem` on one core in a
// package of the module and parses the results.
func goBench(pkg, pattern string, sz size) (map[string][]benchResult, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	args := []string{"test", "-run", "^$", "-bench", pattern, "-benchmem", "-cpu", "1",
		"-benchtime", sz.BenchTime, "-count", strconv.Itoa(sz.BenchCount), pkg}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	res := parseBench(out)
	if len(res) == 0 {
		return nil, fmt.Errorf("go %s printed no benchmark results:\n%s", strings.Join(args, " "), out)
	}
	return res, nil
}

// moduleRoot finds the directory holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory: run the bench inside the repository")
		}
		dir = parent
	}
}

// engineFigures measures figure 3 with Go benchmarks on one core: decode +
// frames of a year of 5-minute data for ten fields (tests/bench), and the
// planner for a five-year range (pkg/planner).
func engineFigures(sz size) []figure {
	var figs []figure
	const dfName = "BenchmarkDecodeFramesYear5Min10Fields/gzip"
	res, err := goBench("./tests/bench", "^BenchmarkDecodeFramesYear5Min10Fields$", sz)
	if err != nil {
		figs = append(figs, failed("decode+frames 1 y x 5 min x 10 fields", "<= 150 ms/op", err))
	} else {
		figs = append(figs, decodeFrameFigures(res, dfName, "")...)
		figs = append(figs, decodeFrameFigures(res, "BenchmarkDecodeFramesYear5Min10Fields/identity", " (identity body)")...)
	}
	res, err = goBench("./pkg/planner", "^BenchmarkPlanFiveYears$", sz)
	if err != nil {
		return append(figs, failed("planner 5 years auto", "< 1000 µs/op", err))
	}
	for _, sub := range []struct{ name, label string }{{"auto", "planner 5 y auto granularity + chunks"}, {"5min", "planner 5 y at 5 min (60 chunks)"}} {
		ns, ok := median(res["BenchmarkPlanFiveYears/"+sub.name], "ns/op")
		if !ok {
			figs = append(figs, failed(sub.label, "< 1000 µs/op", fmt.Errorf("no result for BenchmarkPlanFiveYears/%s", sub.name)))
			continue
		}
		figs = append(figs, below(sub.label, ns/1e3, 1000, "µs/op"))
	}
	return figs
}

// Targets of the decode+frames figures (issue 14).
const (
	decodeCPULimit   = 150 // ms of CPU per op on one core
	decodeAllocLimit = 2   // bytes allocated per op / the frames' own size
	decodeBareLimit  = 2   // CPU per op / CPU of fastjson parsing the same bodies
)

// decodeFrameFigures turns one decode+frames benchmark into its time and
// allocation figures, and its ratio to the bare fastjson parse of the same
// bodies (bench's sibling "bare-<encoding>"). The time gated is CPU time
// per op on one core, the least over the -count rounds: what the machine
// does besides (a busy core beside it, the host of a virtual machine)
// only ever adds CPU time to a round, never takes any away, so the least
// round is the op's own cost; the median is reported beside it, and the
// wall time too. The ratio is taken round by round (each round runs the
// two back to back), then the median.
func decodeFrameFigures(res map[string][]benchResult, bench, label string) []figure {
	name := "decode+frames 1 y x 5 min x 10 fields" + label
	runs := res[bench]
	ns, ok1 := median(runs, "ns/op")
	alloc, ok2 := median(runs, "B/op")
	fb, ok3 := median(runs, "frame-bytes")
	if !ok1 || !ok2 || !ok3 || fb == 0 {
		err := fmt.Errorf("no complete result for %s", bench)
		return []figure{failed(name, fmt.Sprintf("<= %d ms/op", decodeCPULimit), err)}
	}
	cpu, hasCPU := least(runs, "cpu-ms/op")
	cpuMedian, _ := median(runs, "cpu-ms/op")
	if !hasCPU {
		cpu, _ = least(runs, "ns/op") // no CPU clock here: gate on wall time
		cpu /= 1e6
		cpuMedian = ns / 1e6
	}
	vals, _ := median(runs, "values")
	note := fmt.Sprintf("%.2f M values; frames %.1f MB; allocated %.1f MB/op; CPU %.0f ms/op least, %.0f median, wall %.0f ms/op median (%d rounds)",
		vals/1e6, fb/1e6, alloc/1e6, cpu, cpuMedian, ns/1e6, len(runs))
	if faults, ok := median(runs, "faults/op"); ok {
		// Pages touched for the first time: each costs the kernel (and on a
		// virtual machine possibly the host) time charged to the op.
		gcs, _ := median(runs, "gc/op")
		note += fmt.Sprintf("; %.0f page faults/op, %.2f GC cycles/op", faults, gcs)
	}
	t := atMost(name+" CPU (least of the rounds)", cpu, decodeCPULimit, "ms/op")
	t.Note = note
	m := figure{Name: name + " CPU (median of the rounds)", Value: cpuMedian, Unit: "ms/op", Target: "report (a busy machine inflates it)", Pass: true, Note: note}
	w := figure{Name: name + " wall", Value: ns / 1e6, Unit: "ms/op", Target: "report (machine load inflates it)", Pass: true, Note: note}
	a := atMost(name+" alloc/frames", alloc/fb, decodeAllocLimit, "x")
	a.Note = note
	return []figure{t, m, w, a, bareRatio(runs, res[bareName(bench)], name)}
}

// bareName is the fastjson sibling of a decode+frames benchmark.
func bareName(bench string) string {
	i := strings.LastIndex(bench, "/")
	return bench[:i+1] + "bare-" + bench[i+1:]
}

// bareRatio is the median over the -count rounds of (CPU per op of the
// engine) / (CPU per op of fastjson parsing the same bodies), each round's
// two figures measured back to back in one process.
func bareRatio(engine, bare []benchResult, name string) figure {
	label := name + " CPU / fastjson parse"
	target := fmt.Sprintf("<= %d x", decodeBareLimit)
	var ratios []benchResult
	var bareCPU []float64
	for i := range min(len(engine), len(bare)) {
		e, ok1 := engine[i].metrics["cpu-ms/op"]
		b, ok2 := bare[i].metrics["cpu-ms/op"]
		if ok1 && ok2 && b > 0 {
			ratios = append(ratios, benchResult{metrics: map[string]float64{"x": e / b}})
			bareCPU = append(bareCPU, b)
		}
	}
	r, ok := median(ratios, "x")
	if !ok {
		return failed(label, target, fmt.Errorf("no CPU time for %s and its bare parse", name))
	}
	f := atMost(label, r, decodeBareLimit, "x")
	sort.Float64s(bareCPU)
	f.Note = fmt.Sprintf("github.com/valyala/fastjson parse of the same bodies: %.0f ms CPU/op (median of %d rounds)", bareCPU[len(bareCPU)/2], len(bareCPU))
	return f
}
