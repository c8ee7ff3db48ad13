package main

import (
	"runtime/debug"
	"testing"
	"testing/fstest"
)

// TestCgroupMemoryLimit reads the container's memory limit from cgroup v2
// and v1 files laid out as the kernel lays them out (issue 14, item 9).
func TestCgroupMemoryLimit(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name  string
		files fstest.MapFS
		want  int64
	}{
		{"v2 container root", fstest.MapFS{
			"proc/self/cgroup":         file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("3221225472\n"),
		}, 3 << 30},
		{"v2 no limit", fstest.MapFS{
			"proc/self/cgroup":         file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("max\n"),
		}, 0},
		{"v2 nested, the smaller ancestor wins", fstest.MapFS{
			"proc/self/cgroup":                                       file("0::/system.slice/stepwise.service\n"),
			"sys/fs/cgroup/system.slice/memory.max":                  file("1073741824\n"),
			"sys/fs/cgroup/system.slice/stepwise.service/memory.max": file("max\n"),
		}, 1 << 30},
		{"v2 nested, own limit", fstest.MapFS{
			"proc/self/cgroup":                                       file("0::/system.slice/stepwise.service\n"),
			"sys/fs/cgroup/system.slice/memory.max":                  file("max\n"),
			"sys/fs/cgroup/system.slice/stepwise.service/memory.max": file("536870912\n"),
		}, 512 << 20},
		{"v2 without /proc/self/cgroup", fstest.MapFS{
			"sys/fs/cgroup/memory.max": file("2147483648"),
		}, 2 << 30},
		{"v1 limit", fstest.MapFS{
			"proc/self/cgroup": file("12:cpu,cpuacct:/\n11:memory:/docker/abc\n"),
			"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": file("1073741824\n"),
		}, 1 << 30},
		{"v1 container root", fstest.MapFS{
			"proc/self/cgroup":                           file("11:memory:/\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("268435456\n"),
		}, 256 << 20},
		{"v1 unlimited", fstest.MapFS{
			"proc/self/cgroup":                           file("11:memory:/\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("9223372036854771712\n"),
		}, 0},
		{"garbage", fstest.MapFS{
			"proc/self/cgroup":         file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("lots\n"),
		}, 0},
		{"a path climbing out", fstest.MapFS{
			"proc/self/cgroup":         file("0::/../../etc\n"),
			"sys/fs/cgroup/memory.max": file("1048576\n"),
		}, 1 << 20},
		{"nothing", fstest.MapFS{}, 0},
	}
	for _, tt := range tests {
		if got := cgroupMemoryLimit(tt.files); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestApplyMemoryLimit checks that the Go memory limit becomes 90% of the
// cgroup's, and that GOMEMLIMIT, when set, is left alone.
func TestApplyMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	root := fstest.MapFS{
		"proc/self/cgroup":         &fstest.MapFile{Data: []byte("0::/\n")},
		"sys/fs/cgroup/memory.max": &fstest.MapFile{Data: []byte("3221225472\n")},
	}
	env := func(set string) func(string) string {
		return func(k string) string {
			if k == "GOMEMLIMIT" {
				return set
			}
			return ""
		}
	}
	if got := applyMemoryLimit(env("1GiB"), root); got != 0 || debug.SetMemoryLimit(-1) != old {
		t.Fatalf("with GOMEMLIMIT set: set %d, limit now %d", got, debug.SetMemoryLimit(-1))
	}
	want := int64(3 << 30 * 9 / 10)
	if got := applyMemoryLimit(env(""), root); got != want || debug.SetMemoryLimit(-1) != want {
		t.Fatalf("set %d, limit now %d, want %d", got, debug.SetMemoryLimit(-1), want)
	}
}
