// Package resultmodel holds the API models of the results of the
// integrations Stepwise carries out itself (see the README's Tasks
// section), and checks a mocked Task result against them as AWS's
// TestState does with its fieldValidationMode: STRICT (the default)
// needs the model's required fields, STRICT and PRESENT check the type of
// every field the model knows, and NONE checks nothing. Fields a model
// does not know are always accepted, and results of resources without a
// model are not checked.
package resultmodel
