package diagram

import (
	"fmt"
	"strings"

	"stepwise/asl"
)

// Mermaid returns the state machine as a Mermaid flowchart, top down.
func Mermaid(sm *asl.StateMachine) string {
	g := build(sm)
	var w strings.Builder
	w.WriteString("flowchart TD\n")
	mermaidGroup(&w, &g.root, 1)
	var catches []string
	for i, e := range g.edges {
		arrow := "-->"
		if e.style != edgeNext {
			arrow = "-.->"
		}
		if e.style == edgeCatch {
			catches = append(catches, fmt.Sprint(i))
		}
		if e.label != "" {
			arrow += `|"` + mermaidText(e.label) + `"|`
		}
		fmt.Fprintf(&w, "  %s %s %s\n", e.from, arrow, e.to)
	}
	if len(catches) > 0 {
		fmt.Fprintf(&w, "  linkStyle %s stroke:#c0392b,color:#c0392b\n", strings.Join(catches, ","))
	}
	if strings.Contains(w.String(), " fail\n") {
		w.WriteString("  classDef fail stroke:#c0392b,stroke-width:2px\n")
	}
	return w.String()
}

func mermaidGroup(w *strings.Builder, g *group, depth int) {
	indent := strings.Repeat("  ", depth)
	for _, n := range g.nodes {
		switch n.kind {
		case nodeStart:
			fmt.Fprintf(w, "%s%s((\" \"))\n", indent, n.id)
		case nodeEnd:
			fmt.Fprintf(w, "%s%s(((\" \")))\n", indent, n.id)
		default:
			fmt.Fprintf(w, "%s%s[\"%s\"]\n", indent, n.id, mermaidText(n.label))
			if n.failure {
				fmt.Fprintf(w, "%sclass %s fail\n", indent, n.id)
			}
		}
	}
	for _, sub := range g.groups {
		fmt.Fprintf(w, "%ssubgraph %s [\"%s\"]\n", indent, sub.id, mermaidText(sub.label))
		mermaidGroup(w, sub, depth+1)
		fmt.Fprintf(w, "%send\n", indent)
	}
}

// mermaidText makes text safe inside a quoted Mermaid label: quotes and
// the characters Mermaid reads as markup become entity codes.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "|", "#124;", "<", "#lt;", ">", "#gt;", "\n", " ")
	return r.Replace(s)
}

// DOT returns the state machine as a Graphviz digraph, top down, with
// Parallel branches and Map processors as clusters.
func DOT(sm *asl.StateMachine) string {
	g := build(sm)
	var w strings.Builder
	w.WriteString("digraph stateMachine {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	dotGroup(&w, &g.root, 1)
	for _, e := range g.edges {
		var attrs []string
		if e.label != "" {
			attrs = append(attrs, "label="+dotText(e.label))
		}
		switch e.style {
		case edgeDefault:
			attrs = append(attrs, "style=dotted")
		case edgeCatch:
			attrs = append(attrs, "style=dashed", "color=\"#c0392b\"", "fontcolor=\"#c0392b\"")
		}
		fmt.Fprintf(&w, "  %s -> %s", e.from, e.to)
		if len(attrs) > 0 {
			fmt.Fprintf(&w, " [%s]", strings.Join(attrs, ", "))
		}
		w.WriteString(";\n")
	}
	w.WriteString("}\n")
	return w.String()
}

func dotGroup(w *strings.Builder, g *group, depth int) {
	indent := strings.Repeat("  ", depth)
	for _, n := range g.nodes {
		switch n.kind {
		case nodeStart:
			fmt.Fprintf(w, "%s%s [shape=circle, label=\"\", width=0.2, style=filled, fillcolor=black];\n", indent, n.id)
		case nodeEnd:
			fmt.Fprintf(w, "%s%s [shape=doublecircle, label=\"\", width=0.15, style=filled, fillcolor=black];\n", indent, n.id)
		default:
			extra := ""
			if n.failure {
				extra = ", color=\"#c0392b\""
			}
			fmt.Fprintf(w, "%s%s [label=%s%s];\n", indent, n.id, dotText(n.label), extra)
		}
	}
	for _, sub := range g.groups {
		fmt.Fprintf(w, "%ssubgraph cluster_%s {\n%s  label=%s;\n%s  style=rounded;\n", indent, sub.id, indent, dotText(sub.label), indent)
		dotGroup(w, sub, depth+1)
		fmt.Fprintf(w, "%s}\n", indent)
	}
}

// dotText quotes text as a DOT string.
func dotText(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
