package engine_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// engineImports are the module's packages the interpreter may import
// (DESIGN.md: engine calls asl and dataflow and nothing else, with the
// leaf packages they share).
var engineImports = []string{"stepwise/asl", "stepwise/dataflow", "stepwise/history", "stepwise/jsonval", "stepwise/resource"}

// forbiddenImports reach the outside world: files, network, processes,
// the process's environment, logs, or a random source that is not seeded
// by the execution.
var forbiddenImports = []string{
	"os", "os/exec", "os/signal", "os/user", "io/fs", "io/ioutil", "net", "net/http", "net/netip", "net/url",
	"syscall", "plugin", "unsafe", "log", "log/slog", "database/sql", "crypto/rand", "math/rand", "runtime/debug",
}

// forbiddenCalls read the clock, sleep, or draw from a global random
// source; time and randomness come into the engine as inputs.
var forbiddenCalls = map[string][]string{
	"time": {"Now", "Since", "Until", "Sleep", "After", "AfterFunc", "Tick", "NewTimer", "NewTicker"},
	"math/rand/v2": {"Int", "IntN", "Int32", "Int32N", "Int64", "Int64N", "Uint32", "Uint32N", "Uint64", "Uint64N",
		"UintN", "Uint", "Float32", "Float64", "ExpFloat64", "NormFloat64", "Perm", "Shuffle", "N"},
}

// TestEngineHasNoIO checks DESIGN.md's first rule, the interpreter does no
// I/O, on the source: engine imports only the standard library and the
// packages above, and neither it nor any module package it reaches imports
// an I/O package or reads the clock or a global random source.
func TestEngineHasNoIO(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	direct := packageFiles(t, root, "stepwise/engine")
	for _, f := range direct {
		for _, imp := range f.imports {
			if strings.HasPrefix(imp, "stepwise/") && !slices.Contains(engineImports, imp) {
				t.Errorf("%s imports %s; engine may import only %v from the module", f.name, imp, engineImports)
			}
			if !strings.HasPrefix(imp, "stepwise/") && strings.Contains(strings.Split(imp, "/")[0], ".") {
				t.Errorf("%s imports %s, outside the standard library", f.name, imp)
			}
		}
	}
	seen := map[string]bool{}
	queue := []string{"stepwise/engine"}
	for len(queue) > 0 {
		pkg := queue[0]
		queue = queue[1:]
		if seen[pkg] {
			continue
		}
		seen[pkg] = true
		for _, f := range packageFiles(t, root, pkg) {
			for _, imp := range f.imports {
				if slices.Contains(forbiddenImports, imp) {
					t.Errorf("%s (reached from engine) imports %s", f.name, imp)
				}
				if strings.HasPrefix(imp, "stepwise/") {
					queue = append(queue, imp)
				}
			}
			for _, call := range f.calls {
				t.Errorf("%s (reached from engine) calls %s", f.name, call)
			}
		}
	}
	if !seen["stepwise/dataflow"] || !seen["stepwise/jsonata"] {
		t.Fatalf("walked %v: the walk missed engine's dependencies", seen)
	}
}

type sourceFile struct {
	name    string
	imports []string
	calls   []string // forbidden calls found
}

// packageFiles parses the non-test Go files of the module package pkg.
func packageFiles(t *testing.T, root, pkg string) []sourceFile {
	t.Helper()
	dir := filepath.Join(root, strings.TrimPrefix(pkg, "stepwise/"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("package %s: %v", pkg, err)
	}
	var files []sourceFile
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		path := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		sf := sourceFile{name: filepath.Join(strings.TrimPrefix(pkg, "stepwise/"), name)}
		local := map[string]string{} // local name -> import path, for forbiddenCalls
		for _, is := range f.Imports {
			p, _ := strconv.Unquote(is.Path.Value)
			sf.imports = append(sf.imports, p)
			if _, ok := forbiddenCalls[p]; ok {
				n := p[strings.LastIndex(p, "/")+1:]
				if p == "math/rand/v2" {
					n = "rand"
				}
				if is.Name != nil {
					n = is.Name.Name
				}
				local[n] = p
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			if p, ok := local[id.Name]; ok && slices.Contains(forbiddenCalls[p], sel.Sel.Name) {
				sf.calls = append(sf.calls, fset.Position(sel.Pos()).String()+": "+p+"."+sel.Sel.Name)
			}
			return true
		})
		files = append(files, sf)
	}
	return files
}
