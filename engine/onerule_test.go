package engine_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneInterpreter checks issue 15's first rule on the source: the
// engine switches on the state type only, never on the query language
// (the difference between JSONPath and JSONata is compiled into each
// state's asl.Flow), and no function of the engine has a JSONata twin
// (catch/jcatch, complete/jcomplete, ...).
func TestOneInterpreter(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	funcs := map[string]string{} // name -> file
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
				funcs[x.Name.Name] = name
			case *ast.SelectorExpr:
				switch x.Sel.Name {
				case "QueryLanguage", "JSONata", "JSONPath":
					t.Errorf("%s: the engine reads %s; the query language belongs to the state's asl.Flow", fset.Position(x.Pos()), x.Sel.Name)
				}
			}
			return true
		})
	}
	if len(funcs) == 0 {
		t.Fatal("no engine functions found")
	}
	for name, file := range funcs {
		if twin, ok := strings.CutPrefix(name, "j"); ok && twin != "" {
			if _, has := funcs[twin]; has {
				t.Errorf("%s: %s is the JSONata twin of %s (%s)", file, name, twin, funcs[twin])
			}
		}
	}
}
