package main

import (
	"bufio"
	"bytes"
	"io/fs"
	"math"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
)

// memoryLimitShare is the part of the container's memory limit that the Go
// heap may use: the rest is for the runtime's own overhead, goroutine
// stacks, SQLite's page cache (allocated outside the Go heap) and
// whatever else shares the container.
const memoryLimitShare = 0.9

// applyMemoryLimit sets the Go runtime's soft memory limit to
// memoryLimitShare of the memory limit of the cgroup the process runs in,
// unless GOMEMLIMIT is set (then the runtime has applied it already). Near
// the limit the collector runs harder instead of letting the heap grow
// until the kernel kills the process, which under a container limit is
// what turned one heavy execution into a crash loop (issue 14, item 9).
// It returns the limit set, 0 when none was (no cgroup limit found).
func applyMemoryLimit(getenv func(string) string, root fs.FS) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := cgroupMemoryLimit(root)
	if limit <= 0 {
		return 0
	}
	soft := int64(float64(limit) * memoryLimitShare)
	debug.SetMemoryLimit(soft)
	return soft
}

// cgroupMemoryLimit returns the memory limit, in bytes, of the cgroup the
// process belongs to, or 0 when it has none or it cannot be read. root is
// the file system root ("/" in production), so that tests can use a
// directory of their own. Both cgroup v2 (memory.max) and v1
// (memory.limit_in_bytes) are read; the limit of a cgroup is the smallest
// along its path to the hierarchy's root, as the kernel enforces every
// ancestor's limit too.
func cgroupMemoryLimit(root fs.FS) int64 {
	v2, v1 := selfCgroups(root)
	if v2 != "" || v1 == "" {
		if l := smallestLimit(root, "sys/fs/cgroup", v2, "memory.max"); l > 0 {
			return l
		}
	}
	return smallestLimit(root, "sys/fs/cgroup/memory", v1, "memory.limit_in_bytes")
}

// selfCgroups reads /proc/self/cgroup: the cgroup v2 path (the "0::" line)
// and the v1 path of the memory controller. Either is "" when absent;
// without the file both are "" and only the roots are read.
func selfCgroups(root fs.FS) (v2, v1 string) {
	data, err := fs.ReadFile(root, "proc/self/cgroup")
	if err != nil {
		return "", ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		// hierarchy-ID:controller-list:cgroup-path
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			v2 = parts[2]
		case containsController(parts[1], "memory"):
			v1 = parts[2]
		}
	}
	return v2, v1
}

func containsController(list, name string) bool {
	for _, c := range strings.Split(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// smallestLimit reads file in the cgroup directory base/cg and in each of
// its ancestors up to base, and returns the smallest limit found, or 0.
func smallestLimit(root fs.FS, base, cg, file string) int64 {
	var best int64
	dir := path.Join(base, path.Clean("/" + cg)[1:])
	for {
		if l := readLimit(root, path.Join(dir, file)); l > 0 && (best == 0 || l < best) {
			best = l
		}
		if dir == base || !strings.HasPrefix(dir, base+"/") {
			return best
		}
		dir = path.Dir(dir)
	}
}

// unlimited is the value at or above which a v1 limit means none: the
// kernel reports "no limit" as the largest page-aligned int64
// (9223372036854771712).
const unlimited = math.MaxInt64 / 2

// readLimit parses one limit file: a number of bytes, or "max" (v2's no
// limit). Anything else, a missing file included, counts as no limit.
func readLimit(root fs.FS, name string) int64 {
	data, err := fs.ReadFile(root, name)
	if err != nil {
		return 0
	}
	s := strings.TrimSpace(string(data))
	if s == "max" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n >= unlimited {
		return 0
	}
	return n
}
