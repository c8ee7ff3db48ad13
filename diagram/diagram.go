// Package diagram draws a state machine as text that other tools render:
// a Mermaid flowchart (shown by GitHub, GitLab and most Markdown viewers)
// or a Graphviz DOT graph. It draws what the console draws: a start and an
// end in every scope, Next and Default edges, Choice edges labelled with
// their rules, Catch edges dashed with the errors they catch, and Parallel
// branches and Map item processors as nested groups.
package diagram

import (
	"fmt"
	"strings"

	"stepwise/asl"
	"stepwise/jsonval"
)

// graph is a definition as nodes, groups and edges, the model both
// formats are written from.
type graph struct {
	root  group
	edges []edge
}

// group is a scope (the top level, a Parallel branch, a Map's item
// processor) or a compound state holding scopes.
type group struct {
	id, label string
	nodes     []node
	groups    []*group
}

type nodeKind int

const (
	nodeState nodeKind = iota
	nodeStart
	nodeEnd
)

type node struct {
	id, label string
	kind      nodeKind
	failure   bool // a Fail state
}

type edgeStyle int

const (
	edgeNext edgeStyle = iota
	edgeDefault
	edgeCatch
)

type edge struct {
	from, to string
	label    string
	style    edgeStyle
}

// build walks the definition. Node ids are n0, n1, ... in the order the
// states are met, so that two states of the same name in different
// branches stay apart.
func build(sm *asl.StateMachine) *graph {
	b := &builder{g: &graph{root: group{id: "root"}}}
	b.program(&b.g.root, &sm.Program)
	return b.g
}

type builder struct {
	g    *graph
	next int
}

func (b *builder) id() string {
	b.next++
	return fmt.Sprintf("n%d", b.next-1)
}

// program adds a scope's states to g, with its start and end markers,
// and returns the ids of those markers.
func (b *builder) program(g *group, p *asl.Program) (start, end string) {
	start, end = b.id(), b.id()
	g.nodes = append(g.nodes, node{id: start, kind: nodeStart}, node{id: end, kind: nodeEnd})
	ids := make(map[string]string, len(p.Order))
	// entry and exit are where edges into and out of a state attach: the
	// state's node, or the markers of a compound state's group.
	entry, exit := map[string]string{}, map[string]string{}
	for _, name := range p.Order {
		s := p.States[name]
		id := b.id()
		ids[name] = id
		switch s.Type {
		case asl.TypeParallel, asl.TypeMap:
			sub := &group{id: id, label: fmt.Sprintf("%s (%s)", name, s.Type)}
			in, out := b.id(), b.id()
			sub.nodes = append(sub.nodes, node{id: in, kind: nodeStart}, node{id: out, kind: nodeEnd})
			var scopes []*asl.Program
			if s.Type == asl.TypeParallel {
				scopes = s.Parallel.Branches
			} else {
				scopes = []*asl.Program{s.Map.Processor}
			}
			for i, scope := range scopes {
				label := "Item processor"
				if s.Type == asl.TypeParallel {
					label = fmt.Sprintf("Branch %d", i+1)
				}
				inner := &group{id: b.id(), label: label}
				st, en := b.program(inner, scope)
				b.edge(in, st, "", edgeNext)
				b.edge(en, out, "", edgeNext)
				sub.groups = append(sub.groups, inner)
			}
			g.groups = append(g.groups, sub)
			entry[name], exit[name] = in, out
		default:
			g.nodes = append(g.nodes, node{id: id, label: name, failure: s.Type == asl.TypeFail})
			entry[name], exit[name] = id, id
		}
	}
	b.edge(start, entry[p.StartAt], "", edgeNext)
	for _, name := range p.Order {
		b.transitions(p.States[name], exit[name], entry, end)
	}
	return start, end
}

// transitions adds the edges out of state s, leaving from its exit.
func (b *builder) transitions(s *asl.State, from string, entry map[string]string, end string) {
	switch {
	case s.Type == asl.TypeChoice:
		for _, r := range s.Choice.Choices {
			b.edge(from, entry[r.Next], ruleText(r), edgeNext)
		}
		if s.Choice.Default != "" {
			b.edge(from, entry[s.Choice.Default], "Default", edgeDefault)
		}
	case s.Next != "":
		b.edge(from, entry[s.Next], "", edgeNext)
	default: // End, Succeed, Fail
		b.edge(from, end, "", edgeNext)
	}
	for _, c := range s.Catch {
		b.edge(from, entry[c.Next], strings.Join(c.ErrorEquals, ", "), edgeCatch)
	}
}

func (b *builder) edge(from, to, label string, style edgeStyle) {
	if from == "" || to == "" {
		return // a transition to a state the definition lacks: nothing to draw
	}
	b.g.edges = append(b.g.edges, edge{from: from, to: to, label: label, style: style})
}

// ruleText shows a Choice rule as its edge's label: the JSONata condition,
// or the variable, operator and operand, with And, Or and Not spelled out.
func ruleText(r *asl.ChoiceRule) string {
	switch {
	case r.Condition != nil:
		if expr, ok := r.Condition.Expression(); ok {
			return expr
		}
		return "true"
	case len(r.And) > 0:
		return joinRules(r.And, " and ")
	case len(r.Or) > 0:
		return joinRules(r.Or, " or ")
	case r.Not != nil:
		return "not (" + ruleText(r.Not) + ")"
	}
	operand := ""
	if r.OperandPath != nil {
		operand = r.OperandPath.String()
	} else {
		operand = jsonval.MustMarshalString(r.Value)
	}
	variable := ""
	if r.Variable != nil {
		variable = r.Variable.String()
	}
	return strings.TrimSpace(variable + " " + r.Operator + " " + operand)
}

func joinRules(rules []*asl.ChoiceRule, sep string) string {
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = "(" + ruleText(r) + ")"
	}
	return strings.Join(parts, sep)
}
