package jobs

import (
	"context"
	"fmt"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// target is how an optimized integration is carried out as an AWS SDK
// integration where the two differ: the SDK service and action it calls,
// and how its parameters and answer are mapped. The zero target calls
// the same action of the same service with the Task's parameters, and
// returns the SDK's answer as it is.
type target struct {
	// service and action name the AWS SDK integration called; empty
	// means the resource's own.
	service, action string
	// input maps the Task's parameters to the SDK action's; nil passes
	// them on. Its errors fail the task with States.Runtime.
	input func(params *jsonval.Object) (*jsonval.Object, error)
	// call, when set, carries the integration out itself (over sdk) in
	// place of one call of the SDK action.
	call func(ctx context.Context, iv *Invoker, req tasks.Request, params *jsonval.Object) (any, error)
	// output maps the SDK's answer to the integration's result; nil
	// returns it as it is.
	output func(out *jsonval.Object) (any, error)
}

// sdkServices are the services of AWS SDK integrations whose optimized
// integrations have another name: Amazon EMR's is elasticmapreduce, its
// SDK service emr.
var sdkServices = map[string]string{"elasticmapreduce": "emr"}

// sdkServiceOf is the SDK service an optimized integration of service
// calls by default.
func sdkServiceOf(service string) string {
	if s, ok := sdkServices[service]; ok {
		return s
	}
	return service
}

// targets are the optimized integrations that differ from the AWS SDK
// integration of the same action, by SERVICE:ACTION. Each difference is
// AWS's ("Create and manage Amazon EMR clusters with Step Functions",
// "Invoke and customize Amazon Bedrock models with Step Functions").
var targets = map[string]target{
	// EMR's optimized API wraps the EMR API under other names, taking
	// one ClusterId where EMR takes a list of job flows, one Step where
	// it takes Steps.
	"elasticmapreduce:createCluster": {action: "runJobFlow", input: emrCreateCluster, output: func(out *jsonval.Object) (any, error) {
		res := object("ClusterId", get(out, "JobFlowId"))
		if arn, ok := out.Get("ClusterArn"); ok {
			res.Set("ClusterArn", arn)
		}
		return res, nil
	}},
	"elasticmapreduce:setClusterTerminationProtection": {action: "setTerminationProtection", input: func(p *jsonval.Object) (*jsonval.Object, error) {
		if err := checkFields("elasticmapreduce:setClusterTerminationProtection", p, "ClusterId", "TerminationProtected"); err != nil {
			return nil, err
		}
		in := renameIntoList(p, "ClusterId", "JobFlowIds")
		return in, nil
	}},
	"elasticmapreduce:terminateCluster": {action: "terminateJobFlows", input: func(p *jsonval.Object) (*jsonval.Object, error) {
		if err := checkFields("elasticmapreduce:terminateCluster", p, "ClusterId"); err != nil {
			return nil, err
		}
		return renameIntoList(p, "ClusterId", "JobFlowIds"), nil
	}},
	"elasticmapreduce:addStep": {action: "addJobFlowSteps", input: func(p *jsonval.Object) (*jsonval.Object, error) {
		if err := checkFields("elasticmapreduce:addStep", p, "ClusterId", "Step", "ExecutionRoleArn"); err != nil {
			return nil, err
		}
		in := renameIntoList(p, "Step", "Steps")
		in = rename(in, "ClusterId", "JobFlowId")
		return in, nil
	}, output: func(out *jsonval.Object) (any, error) {
		return object("StepId", first(out, "StepIds")), nil
	}},
	"elasticmapreduce:cancelStep": {action: "cancelSteps", input: func(p *jsonval.Object) (*jsonval.Object, error) {
		if err := checkFields("elasticmapreduce:cancelStep", p, "ClusterId", "StepId", "StepCancellationOption"); err != nil {
			return nil, err
		}
		return renameIntoList(p, "StepId", "StepIds"), nil
	}},
	"elasticmapreduce:modifyInstanceFleetByName": {call: func(ctx context.Context, iv *Invoker, req tasks.Request, p *jsonval.Object) (any, error) {
		return iv.modifyByName(ctx, req, p, byName{field: "InstanceFleet", nameField: "InstanceFleetName",
			list: "listInstanceFleets", items: "InstanceFleets", idField: "InstanceFleetId", modify: "modifyInstanceFleet"})
	}},
	"elasticmapreduce:modifyInstanceGroupByName": {call: func(ctx context.Context, iv *Invoker, req tasks.Request, p *jsonval.Object) (any, error) {
		return iv.modifyByName(ctx, req, p, byName{field: "InstanceGroup", nameField: "InstanceGroupName",
			list: "listInstanceGroups", items: "InstanceGroups", idField: "InstanceGroupId", modify: "modifyInstanceGroups", asList: true})
	}},
	// Bedrock's InvokeModel is Bedrock Runtime's, with Body as JSON
	// both ways and the input read from S3 when Input names it.
	"bedrock:invokeModel": {service: "bedrockruntime", call: bedrockInvokeModel},
}

// emrCreateCluster checks createCluster's parameters as AWS does: they
// are RunJobFlow's, except that Steps are not allowed and
// Instances.KeepJobFlowAliveWhenNoSteps must be true, so that the
// cluster waits for the steps a later addStep adds.
func emrCreateCluster(p *jsonval.Object) (*jsonval.Object, error) {
	if p.Has("Steps") {
		return nil, fmt.Errorf("elasticmapreduce:createCluster does not take Steps: add them with elasticmapreduce:addStep")
	}
	inst := asObject(get(p, "Instances"))
	if keep, _ := get(inst, "KeepJobFlowAliveWhenNoSteps").(bool); !keep {
		return nil, fmt.Errorf("elasticmapreduce:createCluster needs Instances.KeepJobFlowAliveWhenNoSteps set to true")
	}
	return p, nil
}

// rename returns a copy of o whose member from is called to.
func rename(o *jsonval.Object, from, to string) *jsonval.Object {
	c := jsonval.NewObject(o.Len())
	for k, v := range o.All() {
		if k == from {
			k = to
		}
		c.Set(k, v)
	}
	return c
}

// renameIntoList returns a copy of o whose member from is called to and
// holds a list of its value: the one ClusterId of an optimized EMR
// integration as the JobFlowIds of the EMR API.
func renameIntoList(o *jsonval.Object, from, to string) *jsonval.Object {
	c := jsonval.NewObject(o.Len())
	for k, v := range o.All() {
		if k == from {
			k, v = to, []any{v}
		}
		c.Set(k, v)
	}
	return c
}

// byName describes an EMR modify...ByName integration: the member of
// the Task's parameters holding the change, the member naming the fleet
// or group, and the EMR actions that list them and modify one by ID.
type byName struct {
	field, nameField     string
	list, items, idField string
	modify               string
	asList               bool // modifyInstanceGroups takes a list
}

// maxListPages bounds the pages of instance fleets or groups read to
// find one by name (EMR lists 50 per page; a cluster has at most 30
// instance groups or 3 fleets).
const maxListPages = 10

// modifyByName carries out modifyInstanceFleetByName or
// modifyInstanceGroupByName: it finds the fleet's or group's ID by name
// with EMR's list action, then modifies it by ID.
func (iv *Invoker) modifyByName(ctx context.Context, req tasks.Request, p *jsonval.Object, b byName) (any, error) {
	key := "elasticmapreduce:modify" + b.field + "ByName"
	if err := checkFields(key, p, "ClusterId", b.nameField, b.field); err != nil {
		return nil, runtimeError("%v", err)
	}
	cluster, _ := get(p, "ClusterId").(string)
	name, _ := get(p, b.nameField).(string)
	change := asObject(get(p, b.field))
	if cluster == "" || name == "" || change == nil {
		return nil, runtimeError("%s needs ClusterId, %s and %s", key, b.nameField, b.field)
	}
	if change.Has(b.idField) {
		return nil, runtimeError("%s.%s: %s names the %s by %s instead", key, b.idField, key, strings.ToLower(b.field), b.nameField)
	}
	id := ""
	var marker any
	for range maxListPages {
		in := object("ClusterId", cluster)
		if marker != nil {
			in.Set("Marker", marker)
		}
		out, err := iv.sdk(ctx, req, "emr", b.list, in)
		if err != nil {
			return nil, optimizedError("elasticmapreduce", err)
		}
		items, _ := get(asObject(out), b.items).([]any)
		for _, it := range items {
			if get(asObject(it), "Name") == name {
				id, _ = get(asObject(it), "Id").(string)
				break
			}
		}
		if marker = get(asObject(out), "Marker"); id != "" || marker == nil || marker == "" {
			break
		}
	}
	if id == "" {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf("The cluster %s has no %s named %s", cluster, strings.ToLower(b.field), name)}
	}
	mod := jsonval.NewObject(change.Len() + 1)
	mod.Set(b.idField, id)
	for k, v := range change.All() {
		mod.Set(k, v)
	}
	in := object("ClusterId", cluster)
	if b.asList {
		in.Set(b.field+"s", []any{mod})
	} else {
		in.Set(b.field, mod)
	}
	if _, err := iv.sdk(ctx, req, "emr", b.modify, in); err != nil {
		return nil, optimizedError("elasticmapreduce", err)
	}
	return jsonval.NewObject(0), nil
}

// bedrockInvokeModel carries out arn:aws:states:::bedrock:invokeModel as
// Bedrock Runtime's InvokeModel. AWS's differences: Body may be JSON
// (sent as its text), Input.S3Uri names an object to send instead of
// Body (whose content type stands in for a missing ContentType), and the
// result's Body is the model's JSON answer as JSON, not as text. Output
// (writing the answer to S3) is not carried out: it fails with
// States.Runtime rather than leaving the answer where it is.
func bedrockInvokeModel(ctx context.Context, iv *Invoker, req tasks.Request, p *jsonval.Object) (any, error) {
	const key = "bedrock:invokeModel"
	if p.Has("Output") {
		return nil, runtimeError("%s.Output: Stepwise does not write the model's answer to S3; remove Output and write it with a later s3:putObject state", key)
	}
	in := p
	if input, ok := p.Get("Input"); ok {
		if p.Has("Body") {
			return nil, runtimeError("%s takes Body or Input, not both", key)
		}
		uri, _ := get(asObject(input), "S3Uri").(string)
		bucket, objKey, ok := splitS3URI(uri)
		if !ok || asObject(input).Len() != 1 {
			return nil, runtimeError("%s.Input: want {\"S3Uri\": \"s3://BUCKET/KEY\"}", key)
		}
		if !iv.remote["s3"] {
			return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: "bedrock:invokeModel reads Input.S3Uri from S3, which has no endpoint: start Stepwise with --aws-endpoint s3=URL or --aws, or mock the state with --mock-config"}
		}
		got, err := iv.sdk(ctx, req, "s3", "getObject", object("Bucket", bucket, "Key", objKey))
		if err != nil {
			return nil, err
		}
		body, ok := get(asObject(got), "Body").(string)
		if !ok {
			return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf("%s: the object %s is not text", key, uri)}
		}
		in = jsonval.NewObject(p.Len())
		for k, v := range p.All() {
			if k != "Input" {
				in.Set(k, v)
			}
		}
		in.Set("Body", body)
		if !in.Has("ContentType") {
			if ct, ok := get(asObject(got), "ContentType").(string); ok {
				in.Set("ContentType", ct)
			}
		}
	}
	out, err := iv.sdk(ctx, req, "bedrockruntime", "invokeModel", in)
	if err != nil {
		return nil, optimizedError("bedrock", err)
	}
	o := asObject(out)
	if o == nil {
		return out, nil
	}
	res := jsonval.NewObject(o.Len())
	for k, v := range o.All() {
		if s, ok := v.(string); ok && k == "Body" {
			// The model's JSON answer as JSON; a body that is not JSON
			// stays as its text.
			if parsed, err := jsonval.ParseString(s); err == nil {
				v = parsed
			}
		}
		res.Set(k, v)
	}
	return res, nil
}

// splitS3URI splits s3://BUCKET/KEY.
func splitS3URI(uri string) (bucket, key string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", false
	}
	bucket, key, ok = strings.Cut(rest, "/")
	return bucket, key, ok && bucket != "" && key != ""
}
