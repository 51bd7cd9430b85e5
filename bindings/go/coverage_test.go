// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// COVERAGE names, for every exported C function, the Go function, method
// or field that binds it, or why there is none; each name must exist.
func TestCoverageFile(t *testing.T) {
	sym, err := os.ReadFile(filepath.Join(srcdir(), "lib", "libvmfex.sym"))
	if err != nil {
		t.Fatal(err)
	}
	cov, err := os.ReadFile("COVERAGE")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range pkgs["vmfex"].Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch d := n.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
				} else {
					typ := d.Recv.List[0].Type
					if s, ok := typ.(*ast.StarExpr); ok {
						typ = s.X
					}
					names[typ.(*ast.Ident).Name+"."+d.Name.Name] = true
				}
			case *ast.TypeSpec:
				if st, ok := d.Type.(*ast.StructType); ok {
					for _, fl := range st.Fields.List {
						for _, id := range fl.Names {
							names[d.Name.Name+"."+id.Name] = true
						}
					}
				}
			}
			return true
		})
	}
	covered := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(cov)), "\n") {
		f := strings.Split(line, "\t")
		switch {
		case len(f) == 2 && names[f[1]]:
		case len(f) == 3 && f[1] == "-" && f[2] != "":
		default:
			t.Errorf("COVERAGE: bad line %q", line)
		}
		if covered[f[0]] {
			t.Errorf("COVERAGE: %s twice", f[0])
		}
		covered[f[0]] = true
	}
	exported := regexp.MustCompile(`(?m)^\s*(vmfex_\w+);`).FindAllStringSubmatch(string(sym), -1)
	for _, m := range exported {
		if !covered[m[1]] {
			t.Errorf("COVERAGE: %s is neither bound nor left out with a reason", m[1])
		}
		delete(covered, m[1])
	}
	for s := range covered {
		t.Errorf("COVERAGE: %s is not exported", s)
	}
}
