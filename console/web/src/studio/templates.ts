// Templates to start a workflow from. The contact form is the repository's
// example (examples/contact-form), imported as text so the two never drift.

import contactForm from '../../../../examples/contact-form/contact-form.asl.json?raw';
import { fromPlain, print } from './json';

export interface Template {
  id: string;
  title: string;
  description: string;
  definition: string;
}

const fmt = (x: unknown) => print(fromPlain(x));
const lambda = 'arn:aws:states:::lambda:invoke';

export const emptyDefinition = fmt({ Comment: 'A new state machine', StartAt: '', States: {} });

export const templates: Template[] = [
  {
    id: 'hello', title: 'Hello world', description: 'A Pass state that greets, then succeeds.',
    definition: fmt({
      Comment: 'Hello world',
      StartAt: 'Hello',
      States: {
        Hello: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    }),
  },
  {
    id: 'retry-catch', title: 'Retry and catch', description: 'A task retried with backoff; failures caught and handled.',
    definition: fmt({
      Comment: 'Retry a flaky task, then catch what still fails',
      StartAt: 'Call service',
      States: {
        'Call service': {
          Type: 'Task', Resource: lambda,
          Parameters: { FunctionName: 'flaky-service', 'Payload.$': '$' },
          ResultSelector: { 'result.$': '$.Payload' },
          Retry: [
            { ErrorEquals: ['Lambda.TooManyRequestsException', 'States.Timeout'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handle failure' }],
          Next: 'Succeeded',
        },
        'Handle failure': { Type: 'Pass', Parameters: { 'failed.$': '$.error.Error' }, Next: 'Failed' },
        Failed: { Type: 'Fail', Error: 'ServiceFailed', Cause: 'The service failed after retries' },
        Succeeded: { Type: 'Succeed' },
      },
    }),
  },
  {
    id: 'parallel', title: 'Parallel', description: 'Two branches run at once; their results are combined.',
    definition: fmt({
      Comment: 'Run two branches in parallel and combine their results',
      StartAt: 'In parallel',
      States: {
        'In parallel': {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Lookup price', States: { 'Lookup price': { Type: 'Pass', Result: { price: 42 }, End: true } } },
            { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Lookup stock' }, 'Lookup stock': { Type: 'Pass', Result: { stock: 7 }, End: true } } },
          ],
          ResultPath: '$.results',
          Next: 'Combine',
        },
        Combine: { Type: 'Pass', Parameters: { 'price.$': '$.results[0].price', 'stock.$': '$.results[1].stock' }, End: true },
      },
    }),
  },
  {
    id: 'map', title: 'Map over items', description: 'Processes each item of an array, a few at a time.',
    definition: fmt({
      Comment: 'Process each item of an array',
      StartAt: 'Each item',
      States: {
        'Each item': {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2,
          ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Process',
            States: { Process: { Type: 'Pass', Parameters: { 'processed.$': '$.item', 'at.$': '$.index' }, End: true } },
          },
          ResultPath: '$.processed',
          End: true,
        },
      },
    }),
  },
  {
    id: 'approval', title: 'Human approval', description: 'Waits for a person to approve with a task token (SendTaskSuccess).',
    definition: fmt({
      Comment: 'Ask for approval and wait for the answer (SendTaskSuccess / SendTaskFailure with the task token)',
      StartAt: 'Request approval',
      States: {
        'Request approval': {
          Type: 'Task', Resource: `${lambda}.waitForTaskToken`,
          Parameters: { FunctionName: 'request-approval', Payload: { 'request.$': '$', 'taskToken.$': '$$.Task.Token' } },
          HeartbeatSeconds: 3600,
          TimeoutSeconds: 86400,
          ResultPath: '$.approval',
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Rejected' }],
          Next: 'Approved?',
        },
        'Approved?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: 'Approved' }],
          Default: 'Rejected',
        },
        Approved: { Type: 'Succeed' },
        Rejected: { Type: 'Fail', Error: 'Rejected', Cause: 'The request was not approved' },
      },
    }),
  },
  {
    id: 'nested', title: 'Nested workflow', description: 'Starts another state machine and waits for its result (.sync:2).',
    definition: fmt({
      Comment: 'Run a child state machine and wait for it',
      StartAt: 'Run child',
      States: {
        'Run child': {
          Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: {
            StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child',
            'Input.$': '$',
            'Name.$': "States.Format('{}-child', $$.Execution.Name)",
          },
          ResultSelector: { 'output.$': '$.Output' },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    }),
  },
  {
    id: 'contact-form', title: 'Contact form', description: 'Validate with Lambda, store in DynamoDB, email with SES, answer; every failure caught.',
    definition: contactForm.trim(),
  },
];
