package service_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// parseDir parses the non-test Go files of the package in dir.
func parseDir(t *testing.T, dir string) map[string]*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	fset := token.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = f
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return files
}

// TestLayerImports checks the split of issue 15 item 5: the facade
// (service) calls the runtime and never the other way, test-case mocks
// come in from the caller rather than from tasks/mock, and the runtime's
// metrics live outside api.
func TestLayerImports(t *testing.T) {
	forbidden := map[string][]string{
		".":          {"stepwise/tasks/mock", "stepwise/api"},
		"../runtime": {"stepwise/service", "stepwise/api", "stepwise/tasks/mock"},
		"../metrics": {"stepwise/service", "stepwise/api"},
		"../api":     {"stepwise/runtime", "stepwise/metrics"},
	}
	for dir, bad := range forbidden {
		for name, f := range parseDir(t, dir) {
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, b := range bad {
					if path == b {
						t.Errorf("%s imports %s", name, path)
					}
				}
			}
		}
	}
}

// TestNoStoredContext checks STYLE.md §5: no struct of the service, the
// runtime or the metrics holds a context.Context; contexts are passed
// through calls.
func TestNoStoredContext(t *testing.T) {
	for _, dir := range []string{".", "../runtime", "../metrics"} {
		for name, f := range parseDir(t, dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				st, ok := n.(*ast.StructType)
				if !ok {
					return true
				}
				for _, field := range st.Fields.List {
					sel, ok := field.Type.(*ast.SelectorExpr)
					if ok && sel.Sel.Name == "Context" {
						if id, ok := sel.X.(*ast.Ident); ok && id.Name == "context" {
							t.Errorf("%s: a struct field of type context.Context", name)
						}
					}
				}
				return true
			})
		}
	}
}
