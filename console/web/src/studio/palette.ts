// The palette: every state type and the task kinds Stepwise runs, each with
// the state a drop creates. Both query languages are covered: a template
// uses Parameters ("x.$") under JSONPath and Arguments ({% %}) under JSONata.

import { fromPlain, JObj } from './json';

export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface PaletteItem {
  /** Stable id, used in tests and drag data. */
  id: string;
  label: string;
  group: 'Flow' | 'Task' | 'AWS service';
  /** Base of the new state's name. */
  name: string;
  help: string;
  make: (ql: QueryLanguage, fresh: (base: string) => string) => JObj;
}

const task = (resource: string, jsonpath: Record<string, unknown> | undefined, jsonata: Record<string, unknown> | undefined) =>
  (ql: QueryLanguage) => {
    const st: Record<string, unknown> = { Type: 'Task', Resource: resource };
    if (ql === 'JSONata' && jsonata) st.Arguments = jsonata;
    if (ql === 'JSONPath' && jsonpath) st.Parameters = jsonpath;
    return fromPlain(st) as JObj;
  };

const pass = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });

export const palette: PaletteItem[] = [
  { id: 'Pass', label: 'Pass', group: 'Flow', name: 'Pass', help: 'Passes its input on, optionally shaped or replaced by Result.',
    make: () => fromPlain({ Type: 'Pass' }) as JObj },
  { id: 'Choice', label: 'Choice', group: 'Flow', name: 'Choice', help: 'Branches on rules; the first rule that matches wins, else Default.',
    make: (ql) => fromPlain({ Type: 'Choice', Choices: [ql === 'JSONata' ? { Condition: '{% $states.input.ok = true %}' } : { Variable: '$.ok', BooleanEquals: true }] }) as JObj },
  { id: 'Wait', label: 'Wait', group: 'Flow', name: 'Wait', help: 'Waits a number of seconds or until a timestamp.',
    make: () => fromPlain({ Type: 'Wait', Seconds: 5 }) as JObj },
  { id: 'Succeed', label: 'Succeed', group: 'Flow', name: 'Success', help: 'Ends the execution (or branch) successfully.',
    make: () => fromPlain({ Type: 'Succeed' }) as JObj },
  { id: 'Fail', label: 'Fail', group: 'Flow', name: 'Fail', help: 'Ends the execution with an error and a cause.',
    make: () => fromPlain({ Type: 'Fail', Error: 'Failed', Cause: 'Something went wrong' }) as JObj },
  { id: 'Parallel', label: 'Parallel', group: 'Flow', name: 'Parallel', help: 'Runs branches at the same time; its output is the array of their outputs.',
    make: (_ql, fresh) => fromPlain({ Type: 'Parallel', Branches: [pass(fresh('Branch 1 Pass')), pass(fresh('Branch 2 Pass'))] }) as JObj },
  { id: 'Map', label: 'Map', group: 'Flow', name: 'Map', help: 'Runs its item processor once for each item of an array.',
    make: (ql, fresh) => fromPlain({
      Type: 'Map',
      ...(ql === 'JSONata' ? { Items: '{% $states.input.items %}' } : { ItemsPath: '$.items' }),
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...pass(fresh('Process item')) },
    }) as JObj },
  { id: 'Lambda', label: 'Lambda invoke', group: 'Task', name: 'Lambda Invoke', help: 'Calls a Lambda function (arn:aws:states:::lambda:invoke).',
    make: task('arn:aws:states:::lambda:invoke', { FunctionName: 'my-function', 'Payload.$': '$' }, { FunctionName: 'my-function', Payload: '{% $states.input %}' }) },
  { id: 'HTTP', label: 'HTTP invoke', group: 'Task', name: 'Call HTTPS API', help: 'Calls an HTTPS endpoint (arn:aws:states:::http:invoke).',
    make: task('arn:aws:states:::http:invoke', { ApiEndpoint: 'https://example.com/api', Method: 'GET' }, { ApiEndpoint: 'https://example.com/api', Method: 'GET' }) },
  { id: 'Activity', label: 'Activity', group: 'Task', name: 'Activity', help: 'Waits for an activity worker to take the task (GetActivityTask) and answer.',
    make: task('arn:aws:states:us-east-1:123456789012:activity:my-activity', undefined, undefined) },
  { id: 'Callback', label: 'Wait for callback', group: 'Task', name: 'Wait for callback', help: 'Sends a task token and waits for SendTaskSuccess or SendTaskFailure (.waitForTaskToken).',
    make: task('arn:aws:states:::lambda:invoke.waitForTaskToken',
      { FunctionName: 'request-approval', Payload: { 'input.$': '$', 'taskToken.$': '$$.Task.Token' } },
      { FunctionName: 'request-approval', Payload: { input: '{% $states.input %}', taskToken: '{% $states.context.Task.Token %}' } }) },
  { id: 'StartExecution', label: 'Start execution (.sync)', group: 'Task', name: 'Start nested workflow', help: 'Starts another state machine and waits for it to finish (states:startExecution.sync:2).',
    make: task('arn:aws:states:::states:startExecution.sync:2',
      { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', 'Input.$': '$' },
      { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', Input: '{% $states.input %}' }) },
  { id: 'StartExecutionAsync', label: 'Start execution', group: 'Task', name: 'Start workflow', help: 'Starts another state machine without waiting (states:startExecution).',
    make: task('arn:aws:states:::states:startExecution',
      { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', 'Input.$': '$' },
      { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', Input: '{% $states.input %}' }) },
  { id: 'DynamoDBGetItem', label: 'DynamoDB GetItem', group: 'AWS service', name: 'DynamoDB GetItem', help: 'Reads an item by key.',
    make: task('arn:aws:states:::dynamodb:getItem', { TableName: 'MyTable', Key: { id: { 'S.$': '$.id' } } }, { TableName: 'MyTable', Key: { id: { S: '{% $states.input.id %}' } } }) },
  { id: 'DynamoDBPutItem', label: 'DynamoDB PutItem', group: 'AWS service', name: 'DynamoDB PutItem', help: 'Writes an item.',
    make: task('arn:aws:states:::dynamodb:putItem', { TableName: 'MyTable', Item: { id: { 'S.$': '$.id' } } }, { TableName: 'MyTable', Item: { id: { S: '{% $states.input.id %}' } } }) },
  { id: 'DynamoDBUpdateItem', label: 'DynamoDB UpdateItem', group: 'AWS service', name: 'DynamoDB UpdateItem', help: 'Updates attributes of an item.',
    make: task('arn:aws:states:::dynamodb:updateItem',
      { TableName: 'MyTable', Key: { id: { 'S.$': '$.id' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'done' } } },
      { TableName: 'MyTable', Key: { id: { S: '{% $states.input.id %}' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'done' } } }) },
  { id: 'DynamoDBDeleteItem', label: 'DynamoDB DeleteItem', group: 'AWS service', name: 'DynamoDB DeleteItem', help: 'Deletes an item by key.',
    make: task('arn:aws:states:::dynamodb:deleteItem', { TableName: 'MyTable', Key: { id: { 'S.$': '$.id' } } }, { TableName: 'MyTable', Key: { id: { S: '{% $states.input.id %}' } } }) },
  { id: 'SQSSendMessage', label: 'SQS SendMessage', group: 'AWS service', name: 'SQS SendMessage', help: 'Sends a message to a queue.',
    make: task('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/my-queue', 'MessageBody.$': '$' },
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/my-queue', MessageBody: '{% $states.input %}' }) },
  { id: 'SNSPublish', label: 'SNS Publish', group: 'AWS service', name: 'SNS Publish', help: 'Publishes a message to a topic.',
    make: task('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:my-topic', 'Message.$': '$' },
      { TopicArn: 'arn:aws:sns:us-east-1:123456789012:my-topic', Message: '{% $states.input %}' }) },
  { id: 'EventBridgePutEvents', label: 'EventBridge PutEvents', group: 'AWS service', name: 'EventBridge PutEvents', help: 'Sends events to an event bus.',
    make: task('arn:aws:states:::events:putEvents', { Entries: [{ Source: 'my.app', DetailType: 'Something happened', 'Detail.$': '$' }] },
      { Entries: [{ Source: 'my.app', DetailType: 'Something happened', Detail: '{% $states.input %}' }] }) },
  { id: 'SESSendEmail', label: 'SES v2 SendEmail', group: 'AWS service', name: 'SES SendEmail', help: 'Sends an email (aws-sdk:sesv2:sendEmail).',
    make: task('arn:aws:states:::aws-sdk:sesv2:sendEmail',
      { FromEmailAddress: 'me@example.com', Destination: { ToAddresses: ['you@example.com'] }, Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { 'Data.$': '$.message' } } } } },
      { FromEmailAddress: 'me@example.com', Destination: { ToAddresses: ['you@example.com'] }, Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: '{% $states.input.message %}' } } } } }) },
];

export const paletteItem = (id: string) => palette.find((p) => p.id === id);
