// Package jsonval is the JSON value model shared by every Stepwise package
// that reads or builds payloads: dataflow, jsonata, engine and the edges.
//
// A value is one of:
//
//   - nil (JSON null)
//   - bool
//   - string
//   - [json.Number], a number as it appeared in JSON text, kept exactly so
//     that integers stay integers and long decimals are not rounded
//   - float64, a number computed by Stepwise (arithmetic, intrinsics, JSONata)
//   - []any, an array of values
//   - *[Object], an object that remembers the order of its keys
//
// Values are immutable once they are shared: a function that receives a value
// must not change it, and a function that needs a changed copy builds a new
// one (see [Object.Clone]). This lets states pass payloads to each other
// without copying.
package jsonval
