// The API calls Workflow Studio adds to the console's (../api.ts): all of
// them plain AWS Step Functions actions.

import { call } from '../api';

export interface Tag { key: string; value: string }

export interface LoggingConfiguration {
  level?: string;
  includeExecutionData?: boolean;
  destinations?: unknown[];
}

export interface MachineConfig {
  name: string;
  type: string;
  roleArn: string;
  logging: LoggingConfiguration;
  tags: Tag[];
}

export const createMachine = (c: MachineConfig, definition: string) =>
  call<{ stateMachineArn: string; creationDate: number }>('CreateStateMachine', {
    name: c.name, definition, type: c.type, roleArn: c.roleArn, loggingConfiguration: c.logging,
    tags: c.tags.length ? c.tags : undefined,
  });

export const updateMachine = (stateMachineArn: string, c: MachineConfig, definition: string) =>
  call<{ updateDate: number }>('UpdateStateMachine', { stateMachineArn, definition, roleArn: c.roleArn, loggingConfiguration: c.logging });

export const describeMachine = (stateMachineArn: string) =>
  call<{ name: string; type: string; definition: string; roleArn: string; loggingConfiguration?: LoggingConfiguration }>('DescribeStateMachine', { stateMachineArn });

export const listTags = (resourceArn: string) => call<{ tags: Tag[] }>('ListTagsForResource', { resourceArn });
export const tagResource = (resourceArn: string, tags: Tag[]) => call<object>('TagResource', { resourceArn, tags });
export const untagResource = (resourceArn: string, tagKeys: string[]) => call<object>('UntagResource', { resourceArn, tagKeys });

export interface TestStateRequest {
  definition: string;
  roleArn?: string;
  input?: string;
  inspectionLevel?: 'INFO' | 'DEBUG' | 'TRACE';
  variables?: string;
  context?: string;
  revealSecrets?: boolean;
  mock?: { result?: string; errorOutput?: { error?: string; cause?: string } };
}

export interface TestStateResponse {
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  status?: string;
  inspectionData?: Record<string, unknown>;
}

/** Runs one state with an input (the AWS TestState action). */
export const testState = (req: TestStateRequest) => call<TestStateResponse>('TestState', req);
