// Command durable measures durable Standard executions on the embedded
// SQLite store: state transitions per second with many executions running
// at once, and the latency of the store's commits (issue #5, benchmark 1).
//
//	go run ./bench/durable -executions 1000 -rounds 3
//
// With -parked N it instead parks N executions in a long Wait and reports
// the process's memory and how long a restart takes to be ready (benchmark
// 2).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"stepwise/service"
	"stepwise/store"
	"stepwise/store/sqlite"
	"stepwise/tasks"
)

const role = "arn:aws:iam::123456789012:role/bench"

// tenStates is the benchmark's machine: Pass, Choice, Wait 0 s and a task
// answered in-process, twice, then Pass and Succeed.
const tenStates = `{"StartAt":"P1","States":{
 "P1":{"Type":"Pass","Parameters":{"n.$":"$.n","step":1},"Next":"C1"},
 "C1":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThanEquals":0,"Next":"W1"}],"Default":"P3"},
 "W1":{"Type":"Wait","Seconds":0,"Next":"T1"},
 "T1":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo","Next":"P2"},
 "P2":{"Type":"Pass","Parameters":{"n.$":"$.n","step":2},"Next":"C2"},
 "C2":{"Type":"Choice","Choices":[{"Variable":"$.step","NumericEquals":2,"Next":"W2"}],"Default":"P3"},
 "W2":{"Type":"Wait","Seconds":0,"Next":"T2"},
 "T2":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo","Next":"P3"},
 "P3":{"Type":"Pass","Result":"done","ResultPath":"$.result","Next":"S"},
 "S":{"Type":"Succeed"}}}`

func main() {
	executions := flag.Int("executions", 1000, "concurrent executions per round")
	rounds := flag.Int("rounds", 3, "rounds to run")
	workers := flag.Int("workers", 256, "service workers")
	parked := flag.Int("parked", 0, "instead: park this many executions in a Wait and measure memory and restart")
	reopen := flag.Bool("reopen", false, "with -dir: only restart on the database there and measure (a fresh process)")
	dir := flag.String("dir", "", "data directory (default: a new temporary one)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "stepwise-bench-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	path := filepath.Join(*dir, "stepwise.db")
	if *reopen {
		if err := restart(path, *workers); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *parked > 0 {
		if err := park(path, *parked, *workers); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := throughput(path, *executions, *rounds, *workers); err != nil {
		log.Fatal(err)
	}
}

// timed wraps a store to record the latency of each Commit.
type timed struct {
	store.Store
	mu   sync.Mutex
	lats []time.Duration
}

func (t *timed) Commit(ctx context.Context, c store.Commit) error {
	start := time.Now()
	err := t.Store.Commit(ctx, c)
	d := time.Since(start)
	t.mu.Lock()
	t.lats = append(t.lats, d)
	t.mu.Unlock()
	return err
}

func (t *timed) take() []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.lats
	t.lats = nil
	return l
}

func throughput(path string, executions, rounds, workers int) error {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	ts := &timed{Store: st}
	inv := tasks.NewMemory()
	inv.Register("echo", func(_ context.Context, req tasks.Request) (any, error) { return req.Input, nil })
	svc, err := service.Open(service.Config{Store: ts, Invoker: inv, Workers: workers})
	if err != nil {
		return err
	}
	defer svc.Close()
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = svc.Run(runCtx) })
	defer func() { stop(); wg.Wait() }()
	sm, err := svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "bench", Definition: tenStates, RoleARN: role})
	if err != nil {
		return err
	}
	fmt.Printf("machine: 10 states (Pass, Choice, Wait 0 s, in-process task, twice; Pass, Succeed); %d executions at once; %d workers; GOMAXPROCS=%d\n",
		executions, workers, runtime.GOMAXPROCS(0))
	for r := range rounds {
		ts.take()
		start := time.Now()
		var failed atomic.Int64
		var starters sync.WaitGroup
		arns := make([]string, executions)
		for i := range executions {
			starters.Go(func() {
				e, err := svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: sm.ARN, Name: fmt.Sprintf("r%d-%d", r, i), Input: fmt.Sprintf(`{"n":%d}`, i)})
				if err != nil {
					failed.Add(1)
					return
				}
				arns[i] = e.ARN
			})
		}
		starters.Wait()
		for {
			running, _, err := svc.ListExecutions(ctx, store.ExecutionQuery{StateMachineARN: sm.ARN, Status: store.ExecutionRunning, Page: store.Page{MaxResults: 1}})
			if err != nil {
				return err
			}
			if len(running) == 0 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		elapsed := time.Since(start)
		lats := ts.take()
		slices.Sort(lats)
		transitions := 10 * (executions - int(failed.Load()))
		fmt.Printf("round %d: %d transitions in %v = %.0f transitions/s; %d commits (%.0f/s), commit latency p50 %v p99 %v; %d failed to start\n",
			r+1, transitions, elapsed.Round(time.Millisecond), float64(transitions)/elapsed.Seconds(),
			len(lats), float64(len(lats))/elapsed.Seconds(), pct(lats, 50), pct(lats, 99), failed.Load())
	}
	return nil
}

func pct(l []time.Duration, p int) time.Duration {
	if len(l) == 0 {
		return 0
	}
	return l[(len(l)-1)*p/100].Round(10 * time.Microsecond)
}

// park starts n executions that wait for a year, then measures memory and
// how long a new service on the same file takes to be ready.
func park(path string, n, workers int) error {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return err
	}
	svc, err := service.Open(service.Config{Store: st, Workers: workers})
	if err != nil {
		return err
	}
	sm, err := svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "parked", RoleARN: role,
		Definition: `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":31536000,"End":true}}}`})
	if err != nil {
		return err
	}
	start := time.Now()
	var next atomic.Int64
	var starters sync.WaitGroup
	for range 256 {
		starters.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				if _, err := svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: sm.ARN, Name: fmt.Sprintf("p%d", i)}); err != nil {
					log.Fatal(err)
				}
			}
		})
	}
	starters.Wait()
	fmt.Printf("parked %d executions in %v (%.0f starts/s)\n", n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds())
	svc.Close()
	st.Close()
	return restart(path, workers)
}

// restart opens the store and the service on an existing database, runs
// until the scheduler has looked at the pending work once, and reports the
// time to get there and the process's memory.
func restart(path string, workers int) error {
	ctx := context.Background()
	runtime.GC()
	start := time.Now()
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := service.Open(service.Config{Store: st, Workers: workers})
	if err != nil {
		return err
	}
	defer svc.Close()
	next1, ok, err := st.NextWorkTime(ctx)
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = svc.Run(runCtx) })
	time.Sleep(100 * time.Millisecond)
	ready := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	stop()
	wg.Wait()
	fmt.Printf("restart: ready in %v (next timer due %v, found %v); heap in use %d MiB, total from OS %d MiB\n",
		ready.Round(time.Millisecond), next1.Format(time.RFC3339), ok, ms.HeapInuse>>20, ms.Sys>>20)
	return nil
}
