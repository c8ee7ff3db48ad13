// State machine versions and aliases: their ARNs taken apart, an alias's
// routing checked as the API checks it before it is sent, its weights
// turned into a bar, and whether an execution can be redriven.

/** What a state machine ARN names: the machine itself, one of its versions, or one of its aliases. */
export type Qualified =
  | { kind: 'machine'; machineArn: string; name: string }
  | { kind: 'version'; machineArn: string; name: string; version: number }
  | { kind: 'alias'; machineArn: string; name: string; alias: string };

/**
 * Takes arn:aws:states:REGION:ACCOUNT:stateMachine:NAME[:QUALIFIER] apart;
 * null when arn is not a state machine ARN. A qualifier of digits only is
 * a version number (AWS numbers versions from 1); any other is an alias
 * name, which AWS requires to hold a letter, '_', '-' or '.', so the two
 * never collide.
 */
export function parseStateMachineArn(arn: string): Qualified | null {
  const parts = arn.split(':');
  if (parts.length < 7 || parts.length > 8 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== 'stateMachine') return null;
  const name = parts[6];
  if (!name) return null;
  const machineArn = parts.slice(0, 7).join(':');
  if (parts.length === 7) return { kind: 'machine', machineArn, name };
  const q = parts[7];
  if (/^[0-9]+$/.test(q)) {
    const version = Number(q);
    return version >= 1 && Number.isSafeInteger(version) ? { kind: 'version', machineArn, name, version } : null;
  }
  return /^[a-zA-Z0-9_.-]+$/.test(q) ? { kind: 'alias', machineArn, name, alias: q } : null;
}

/** The version number at the end of a version ARN, or null when arn is not one. */
export function versionNumber(arn: string): number | null {
  const q = parseStateMachineArn(arn);
  return q?.kind === 'version' ? q.version : null;
}

/** The alias name at the end of an alias ARN, or null when arn is not one. */
export function aliasName(arn: string): string | null {
  const q = parseStateMachineArn(arn);
  return q?.kind === 'alias' ? q.alias : null;
}

/** A short label for a machine, version or alias ARN: "latest", "version 3", "alias prod". */
export function targetLabel(arn: string): string {
  const q = parseStateMachineArn(arn);
  if (!q) return arn;
  if (q.kind === 'version') return `version ${q.version}`;
  if (q.kind === 'alias') return `alias ${q.alias}`;
  return 'latest';
}

/** One row of an alias's routing as the form holds it: a version ARN and the weight as typed. */
export interface RoutingRow {
  version: string;
  weight: string;
}

/** One entry of routingConfiguration as the API takes and returns it. */
export interface RoutingItem {
  stateMachineVersionArn: string;
  weight: number;
}

/**
 * Turns the form's rows into a routingConfiguration, or says what is wrong
 * with them, by the rules the API applies (CreateStateMachineAlias): one or
 * two versions, each named once, weights whole numbers from 0 to 100 that
 * sum to 100. Rows without a version are left out. The API still has the
 * last word (e.g. on versions that have been deleted).
 */
export function parseRouting(rows: RoutingRow[]): { routing: RoutingItem[] } | { error: string } {
  const used = rows.filter((r) => r.version !== '');
  if (used.length === 0) return { error: 'Pick a version to route to.' };
  if (used.length > 2) return { error: 'An alias routes to one or two versions.' };
  if (used.length === 2 && used[0].version === used[1].version) return { error: 'Pick two different versions.' };
  const routing: RoutingItem[] = [];
  for (const r of used) {
    const label = targetLabel(r.version);
    const t = r.weight.trim();
    if (!/^[0-9]+$/.test(t)) return { error: `The weight of ${label} must be a whole number from 0 to 100.` };
    const w = Number(t);
    if (w > 100) return { error: `The weight of ${label} must be a whole number from 0 to 100.` };
    routing.push({ stateMachineVersionArn: r.version, weight: w });
  }
  const sum = routing.reduce((s, r) => s + r.weight, 0);
  if (sum !== 100) return { error: `The weights must sum to 100 (they sum to ${sum}).` };
  return { routing };
}

/** One segment of an alias's routing bar: a version and its share in percent. */
export interface RouteSegment {
  version: number | null;
  arn: string;
  weight: number;
}

/**
 * The bar of an alias's routing: one segment per version with a weight
 * above 0, in the order the API gives them (a version routed 0 % is
 * listed beside the bar, not drawn).
 */
export function routingBar(routing: RoutingItem[]): RouteSegment[] {
  return routing
    .filter((r) => r.weight > 0)
    .map((r) => ({ version: versionNumber(r.stateMachineVersionArn), arn: r.stateMachineVersionArn, weight: r.weight }));
}

/** The versions an alias routes to, with their weights: "v2 50 % · v1 50 %". */
export function routingText(routing: RoutingItem[]): string {
  return routing.map((r) => `${targetLabel(r.stateMachineVersionArn).replace('version ', 'v')} ${r.weight} %`).join(' · ');
}

/** What the execution page needs to decide on the Redrive button (DescribeExecution's members). */
export interface RedriveFacts {
  status: string;
  redriveStatus?: string;
  redriveStatusReason?: string;
}

/**
 * Whether the Redrive button is shown, and the hint beside it when not.
 * Only REDRIVABLE offers it: NOT_REDRIVABLE has a reason to show (for an
 * execution that ended unsuccessfully), and
 * REDRIVABLE_BY_MAP_RUN means the execution's Map Run is redriven, not
 * the execution (AWS's RedriveExecution refuses it). A server that sends
 * no redriveStatus (one without RedriveExecution) offers no button.
 */
export function redriveOffer(e: RedriveFacts): { show: boolean; hint: string } {
  if (e.redriveStatus === 'REDRIVABLE') return { show: true, hint: '' };
  if (e.redriveStatus === 'REDRIVABLE_BY_MAP_RUN') {
    return { show: false, hint: e.redriveStatusReason || 'Redrive this execution\'s Map Run instead.' };
  }
  // A running or succeeded execution's reason says only that; it is left
  // out. A failed one's (e.g. the 14-day window passed) is worth reading.
  if (e.redriveStatus === 'NOT_REDRIVABLE' && e.status !== 'RUNNING' && e.status !== 'SUCCEEDED') {
    return { show: false, hint: e.redriveStatusReason ?? '' };
  }
  return { show: false, hint: '' };
}

/**
 * A fresh clientToken for RedriveExecution (AWS: 1 to 64 characters), so a
 * retried click redrives once. crypto.getRandomValues, not randomUUID: the
 * console is also served over plain HTTP, which is not a secure context.
 */
export function clientToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}
