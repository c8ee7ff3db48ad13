package teststate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// funcs returns the functions and methods the non-test files of dir
// declare, by name, and the selectors they use.
func funcs(t *testing.T, dir string) (decls, selectors map[string]string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	decls, selectors = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				decls[x.Name.Name] = name
			case *ast.SelectorExpr:
				selectors[x.Sel.Name] = fset.Position(x.Pos()).String()
			}
			return true
		})
	}
	return decls, selectors
}

// TestThinLayer checks issue 15's second rule on the source: TestState is
// a client of the engine. teststate declares none of the engine's
// functions (Start and Finish name its own API) and evaluates no part of
// a state's data flow itself: no asl.Flow, no compiled field's Eval, no
// dataflow pipeline step, no Retry or Catch matching.
func TestThinLayer(t *testing.T) {
	engineFuncs, _ := funcs(t, "../engine")
	own, selectors := funcs(t, ".")
	for name, file := range own {
		if _, dup := engineFuncs[name]; dup && name != "Start" && name != "Finish" && name != "String" {
			t.Errorf("%s: %s is also an engine function; TestState should call the engine", file, name)
		}
	}
	for _, sel := range []string{"Flow", "Eval", "Compiled", "ApplyInputPath", "ApplyResultPath", "ApplyOutputPath", "ErrorEquals", "Retry", "Catch"} {
		if pos, ok := selectors[sel]; ok {
			t.Errorf("%s: teststate reads .%s; the engine's per-state step evaluates the state", pos, sel)
		}
	}
}
