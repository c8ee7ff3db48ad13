package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// ---- numbers ----

var decimalRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`)

func fnNumber(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	switch x := v.(type) {
	case undefinedType:
		return undefined, nil
	case float64:
		return x, nil
	case jsonNumber:
		return num(x), nil
	case bool:
		if x {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		if decimalRe.MatchString(x) {
			f, err := strconv.ParseFloat(x, 64)
			if err == nil && !math.IsInf(f, 0) {
				return f, nil
			}
		}
		if len(x) > 2 && x[0] == '0' {
			base := 0
			switch x[1] {
			case 'x', 'X':
				base = 16
			case 'o', 'O':
				base = 8
			case 'b', 'B':
				base = 2
			}
			if base != 0 {
				if n, err := strconv.ParseUint(x[2:], base, 64); err == nil {
					return float64(n), nil
				}
			}
		}
	}
	return nil, newErr("D3030", v)
}

func fnRound(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	x := num(v)
	prec := 0
	if p := arg(args, 1); !isUndef(p) {
		prec = jsInt(num(p))
	}
	if prec != 0 {
		x = shiftDecimal(x, prec)
	}
	r := math.Floor(x + 0.5)
	if math.Abs(r-x) == 0.5 && math.Abs(math.Mod(r, 2)) == 1 {
		r--
	}
	if prec != 0 {
		r = shiftDecimal(r, -prec)
	}
	if r == 0 {
		r = 0
	}
	return r, nil
}

// shiftDecimal multiplies by 10^n through the decimal string, as jsonata-js
// does to avoid binary rounding.
func shiftDecimal(x float64, n int) float64 {
	s := formatNumber(x)
	mant, exp, _ := strings.Cut(s, "e")
	e := 0
	if exp != "" {
		e, _ = strconv.Atoi(exp)
	}
	f, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+n), 64)
	if err != nil {
		return x
	}
	return f
}

func fnSqrt(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	x := num(v)
	if x < 0 {
		return nil, newErr("D3060", x)
	}
	return math.Sqrt(x), nil
}

func fnPower(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	r := math.Pow(num(v), num(arg(args, 1)))
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return nil, newErr("D3061", num(v))
	}
	return r, nil
}

func fnRandom(ev *evaluator, _ []any, _ any, _ *frame) (any, error) {
	return ev.random().Float64(), nil
}

func fnBoolean(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return toBoolean(arg(args, 0))
}

func fnNot(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	b, err := toBoolean(arg(args, 0))
	if err != nil || isUndef(b) {
		return b, err
	}
	return !b.(bool), nil
}
