// The console's only way to the server: the AWS Step Functions API
// (awsJson1_0), exactly as the SDKs call it.

import { authErrorTypes, authRefused, credentials } from './auth';
import type { MapRunCounts } from './maprun';
import { sign, type Credentials } from './sigv4';
import type { HistoryEvent } from './status';
import type { RoutingItem } from './versions';

/** An AWS-shaped error answer: {"__type": "...", "message": "..."}. */
export class ApiError extends Error {
  constructor(public type: string, message: string, public httpStatus: number) {
    super(`${type}: ${message}`);
  }
}

/**
 * The request could not be signed (e.g. the page lacks what signing
 * needs). Nothing was sent.
 */
export class SigningError extends Error {
  constructor(public cause: unknown) {
    super(`could not sign the request: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SigningError';
  }
}

/** The request was sent but no answer came (network down, server gone, connection refused). */
export class NetworkError extends Error {
  constructor(public cause: unknown) {
    super(`no answer from the server: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'NetworkError';
  }
}

export interface CallOptions {
  /** Sign with these credentials instead of the signed-in ones (null: unsigned). */
  creds?: Credentials | null;
  /** Don't ask for a sign-in when the server refuses the credentials. */
  quiet?: boolean;
}

/**
 * Calls one action, e.g. call('ListStateMachines', {}). When the user has
 * signed in, the request is signed with SigV4; when the server turns it
 * away for want of (valid) credentials, the sign-in is asked for.
 */
export async function call<T>(action: string, body: object, opts: CallOptions = {}): Promise<T> {
  const text0 = JSON.stringify(body);
  let headers: Record<string, string> = {
    'X-Amz-Target': `AWSStepFunctions.${action}`,
    'Content-Type': 'application/x-amz-json-1.0',
  };
  const creds = opts.creds === undefined ? credentials() : opts.creds;
  if (creds) {
    // The browser sends Host itself: location.host is what it sends.
    let signed;
    try {
      signed = await sign({
        method: 'POST', host: location.host, path: '/', headers, body: text0, service: 'states', date: new Date(),
      }, creds);
    } catch (e) {
      throw new SigningError(e);
    }
    headers = { ...headers, ...signed.headers };
  }
  let r: Response;
  let text: string;
  try {
    r = await fetch('/', { method: 'POST', headers, body: text0 });
    text = await r.text();
  } catch (e) {
    throw new NetworkError(e);
  }
  let data: Record<string, unknown> = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError('InvalidResponse', text.slice(0, 200), r.status);
  }
  if (!r.ok) {
    const type = String(data.__type ?? 'HTTP' + r.status).split('#').pop()!;
    const err = new ApiError(type, String(data.message ?? data.Message ?? r.statusText), r.status);
    if (authErrorTypes.has(type) && !opts.quiet) authRefused(`${type}: ${err.message.slice(type.length + 2)}`);
    throw err;
  }
  return data as T;
}

export interface StateMachineItem {
  stateMachineArn: string;
  name: string;
  type: string;
  creationDate: number;
}

export interface StateMachine extends StateMachineItem {
  definition: string;
  roleArn?: string;
  status?: string;
  /** The machine's description, or a version's (PublishStateMachineVersion's description). */
  description?: string;
  revisionId?: string;
}

export interface ExecutionItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
  /** The version that ran, when started on a version or an alias. */
  stateMachineVersionArn?: string;
  /** The alias it was started on, when it was. */
  stateMachineAliasArn?: string;
  redriveCount?: number;
  redriveDate?: number;
}

export interface Execution extends ExecutionItem {
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveStatus?: 'REDRIVABLE' | 'NOT_REDRIVABLE' | 'REDRIVABLE_BY_MAP_RUN' | string;
  redriveStatusReason?: string;
}

export const listStateMachines = (nextToken?: string) =>
  call<{ stateMachines: StateMachineItem[]; nextToken?: string }>('ListStateMachines', { maxResults: 100, nextToken });

export const describeStateMachine = (stateMachineArn: string) =>
  call<StateMachine>('DescribeStateMachine', { stateMachineArn });

export const listExecutions = (stateMachineArn: string, statusFilter?: string, nextToken?: string, maxResults = 20) =>
  call<{ executions: ExecutionItem[]; nextToken?: string }>('ListExecutions', {
    stateMachineArn, statusFilter: statusFilter || undefined, nextToken, maxResults,
  });

export const describeExecution = (executionArn: string) =>
  call<Execution>('DescribeExecution', { executionArn });

export const describeStateMachineForExecution = (executionArn: string) =>
  call<StateMachine>('DescribeStateMachineForExecution', { executionArn });

export const startExecution = (stateMachineArn: string, input: string, name?: string) =>
  call<{ executionArn: string; startDate: number }>('StartExecution', { stateMachineArn, input, name: name || undefined });

export const stopExecution = (executionArn: string, error?: string, cause?: string) =>
  call<{ stopDate: number }>('StopExecution', { executionArn, error, cause });

/** Reads the whole history, page by page (at most maxEvents events). */
export async function getHistory(executionArn: string, maxEvents = 25000): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', {
      executionArn, maxResults: 1000, nextToken,
    });
    out.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken && out.length < maxEvents);
  return out;
}

/**
 * Reads the events after afterId, newest pages first (reverseOrder), so a
 * running execution is refreshed without reading its whole history again.
 * Returns them oldest first.
 */
export async function getNewEvents(executionArn: string, afterId: number): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let nextToken: string | undefined;
  for (;;) {
    const page = await call<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', {
      executionArn, maxResults: 200, reverseOrder: true, nextToken,
    });
    let reached = false;
    for (const e of page.events) {
      if (e.id <= afterId) {
        reached = true;
        break;
      }
      out.push(e);
    }
    nextToken = page.nextToken;
    if (reached || !nextToken) break;
  }
  return out.reverse();
}

export interface Diagnostic {
  severity: string;
  code: string;
  message: string;
  location?: string;
}

export const validateDefinition = (definition: string, type?: string) =>
  call<{ result: string; diagnostics: Diagnostic[]; truncated?: boolean }>('ValidateStateMachineDefinition', { definition, type });

export const createStateMachine = (name: string, definition: string, type: string, roleArn: string) =>
  call<{ stateMachineArn: string; creationDate: number }>('CreateStateMachine', { name, definition, type, roleArn });

/** One entry of ListStateMachineVersions. */
export interface VersionItem {
  stateMachineVersionArn: string;
  creationDate: number;
}

/** Publishes the machine's current revision as a version (AWS: the same revision twice gives the same version). */
export const publishVersion = (stateMachineArn: string, description?: string) =>
  call<{ stateMachineVersionArn: string; creationDate: number }>('PublishStateMachineVersion', {
    stateMachineArn, description: description || undefined,
  });

/** One page of a machine's versions, newest first. */
export const listVersions = (stateMachineArn: string, nextToken?: string, maxResults = 100) =>
  call<{ stateMachineVersions: VersionItem[]; nextToken?: string }>('ListStateMachineVersions', { stateMachineArn, maxResults, nextToken });

export const deleteVersion = (stateMachineVersionArn: string) =>
  call<Record<string, never>>('DeleteStateMachineVersion', { stateMachineVersionArn });

/** One entry of ListStateMachineAliases. */
export interface AliasItem {
  stateMachineAliasArn: string;
  creationDate: number;
}

/** An alias as DescribeStateMachineAlias answers it. */
export interface Alias extends AliasItem {
  name: string;
  description?: string;
  routingConfiguration: RoutingItem[];
  updateDate?: number;
}

export const listAliases = (stateMachineArn: string, nextToken?: string, maxResults = 100) =>
  call<{ stateMachineAliases: AliasItem[]; nextToken?: string }>('ListStateMachineAliases', { stateMachineArn, maxResults, nextToken });

export const describeAlias = (stateMachineAliasArn: string) => call<Alias>('DescribeStateMachineAlias', { stateMachineAliasArn });

export const createAlias = (name: string, description: string, routingConfiguration: RoutingItem[]) =>
  call<{ stateMachineAliasArn: string; creationDate: number }>('CreateStateMachineAlias', {
    name, description: description || undefined, routingConfiguration,
  });

export const updateAlias = (stateMachineAliasArn: string, description: string, routingConfiguration: RoutingItem[]) =>
  call<{ updateDate: number }>('UpdateStateMachineAlias', { stateMachineAliasArn, description, routingConfiguration });

export const deleteAlias = (stateMachineAliasArn: string) =>
  call<Record<string, never>>('DeleteStateMachineAlias', { stateMachineAliasArn });

/** Restarts a failed, timed-out or aborted execution from where it stopped. */
export const redriveExecution = (executionArn: string, clientToken: string) =>
  call<{ redriveDate: number }>('RedriveExecution', { executionArn, clientToken });

/** A Map Run as DescribeMapRun answers it. */
export interface MapRun {
  mapRunArn: string;
  /** The execution that started the Map Run. */
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | string;
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
  redriveCount?: number;
  redriveDate?: number;
}

/** One entry of ListMapRuns. */
export interface MapRunItem {
  executionArn: string;
  mapRunArn: string;
  stateMachineArn: string;
  startDate: number;
  stopDate?: number;
}

export const describeMapRun = (mapRunArn: string) => call<MapRun>('DescribeMapRun', { mapRunArn });

export const listMapRuns = (executionArn: string, nextToken?: string, maxResults = 100) =>
  call<{ mapRuns: MapRunItem[]; nextToken?: string }>('ListMapRuns', { executionArn, maxResults, nextToken });

/** The settings UpdateMapRun changes; those left out stay as they are. */
export interface MapRunUpdate {
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

export const updateMapRun = (mapRunArn: string, u: MapRunUpdate) =>
  call<Record<string, never>>('UpdateMapRun', { mapRunArn, ...u });
