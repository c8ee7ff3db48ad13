import { describe, expect, it } from 'vitest';
import {
  aliasName, clientToken, parseRouting, parseStateMachineArn, redriveOffer, routingBar, routingText, targetLabel, versionNumber,
} from './versions';

const sm = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';

describe('parseStateMachineArn', () => {
  it('tells the machine, a version and an alias apart', () => {
    expect(parseStateMachineArn(sm)).toEqual({ kind: 'machine', machineArn: sm, name: 'orders' });
    expect(parseStateMachineArn(sm + ':12')).toEqual({ kind: 'version', machineArn: sm, name: 'orders', version: 12 });
    expect(parseStateMachineArn(sm + ':prod')).toEqual({ kind: 'alias', machineArn: sm, name: 'orders', alias: 'prod' });
    // Alias names may hold digits as long as they hold something else too.
    expect(parseStateMachineArn(sm + ':v2')).toMatchObject({ kind: 'alias', alias: 'v2' });
    expect(parseStateMachineArn(sm + ':2.0')).toMatchObject({ kind: 'alias', alias: '2.0' });
    expect(parseStateMachineArn('arn:aws-cn:states:cn-north-1:1:stateMachine:m:3')).toMatchObject({ kind: 'version', version: 3 });
  });

  it('refuses what is not a state machine ARN', () => {
    for (const bad of [
      '',
      'orders',
      'arn:aws:states:us-east-1:123456789012:execution:orders:one',
      'arn:aws:lambda:us-east-1:123456789012:stateMachine:orders',
      'arn:aws:states:us-east-1:123456789012:stateMachine:',
      sm + ':0', // versions are numbered from 1
      sm + ':99999999999999999999', // not a safe integer
      sm + ':', // empty qualifier
      sm + ':a b',
      sm + ':1:2',
    ]) {
      expect(parseStateMachineArn(bad), bad).toBeNull();
    }
  });

  it('gives version numbers and alias names', () => {
    expect(versionNumber(sm + ':7')).toBe(7);
    expect(versionNumber(sm)).toBeNull();
    expect(versionNumber(sm + ':prod')).toBeNull();
    expect(aliasName(sm + ':prod')).toBe('prod');
    expect(aliasName(sm + ':7')).toBeNull();
    expect(targetLabel(sm)).toBe('latest');
    expect(targetLabel(sm + ':7')).toBe('version 7');
    expect(targetLabel(sm + ':prod')).toBe('alias prod');
    expect(targetLabel('nonsense')).toBe('nonsense');
  });
});

describe('parseRouting', () => {
  const v1 = sm + ':1';
  const v2 = sm + ':2';

  it('accepts one version at 100 and two summing to 100', () => {
    expect(parseRouting([{ version: v1, weight: '100' }])).toEqual({ routing: [{ stateMachineVersionArn: v1, weight: 100 }] });
    expect(parseRouting([{ version: v2, weight: ' 50 ' }, { version: v1, weight: '50' }])).toEqual({
      routing: [{ stateMachineVersionArn: v2, weight: 50 }, { stateMachineVersionArn: v1, weight: 50 }],
    });
    expect(parseRouting([{ version: v2, weight: '100' }, { version: v1, weight: '0' }])).toEqual({
      routing: [{ stateMachineVersionArn: v2, weight: 100 }, { stateMachineVersionArn: v1, weight: 0 }],
    });
    // An empty second row is left out.
    expect(parseRouting([{ version: v1, weight: '100' }, { version: '', weight: '' }])).toEqual({
      routing: [{ stateMachineVersionArn: v1, weight: 100 }],
    });
  });

  it('says what is wrong, as the API would refuse it', () => {
    const cases: [Parameters<typeof parseRouting>[0], RegExp][] = [
      [[], /Pick a version/],
      [[{ version: '', weight: '100' }], /Pick a version/],
      [[{ version: v1, weight: '50' }, { version: v1, weight: '50' }], /two different versions/],
      [[{ version: v1, weight: '40' }, { version: v2, weight: '50' }], /sum to 100 \(they sum to 90\)/],
      [[{ version: v1, weight: '60' }, { version: v2, weight: '50' }], /sum to 100 \(they sum to 110\)/],
      [[{ version: v1, weight: '99' }], /sum to 100 \(they sum to 99\)/],
      [[{ version: v1, weight: '' }], /weight of version 1 must be a whole number/],
      [[{ version: v1, weight: '50.5' }, { version: v2, weight: '49.5' }], /weight of version 1 must be a whole number/],
      [[{ version: v1, weight: '-10' }, { version: v2, weight: '110' }], /weight of version 1/],
      [[{ version: v1, weight: '0' }, { version: v2, weight: '101' }], /weight of version 2 must be a whole number from 0 to 100/],
      [[{ version: v1, weight: '1e2' }], /whole number/],
      [[{ version: v1, weight: '40' }, { version: v2, weight: '30' }, { version: sm + ':3', weight: '30' }], /one or two versions/],
    ];
    for (const [rows, want] of cases) {
      const got = parseRouting(rows);
      expect('error' in got ? got.error : JSON.stringify(got), JSON.stringify(rows)).toMatch(want);
    }
  });
});

describe('routingBar', () => {
  it('draws each version with a weight, in the API order', () => {
    expect(routingBar([{ stateMachineVersionArn: sm + ':2', weight: 70 }, { stateMachineVersionArn: sm + ':1', weight: 30 }])).toEqual([
      { version: 2, arn: sm + ':2', weight: 70 }, { version: 1, arn: sm + ':1', weight: 30 },
    ]);
    expect(routingBar([{ stateMachineVersionArn: sm + ':2', weight: 100 }, { stateMachineVersionArn: sm + ':1', weight: 0 }])).toEqual([
      { version: 2, arn: sm + ':2', weight: 100 },
    ]);
    expect(routingBar([])).toEqual([]);
  });

  it('says the routing in words', () => {
    expect(routingText([{ stateMachineVersionArn: sm + ':2', weight: 50 }, { stateMachineVersionArn: sm + ':1', weight: 50 }])).toBe('v2 50 % · v1 50 %');
  });
});

describe('redriveOffer', () => {
  it('offers the button only for REDRIVABLE', () => {
    expect(redriveOffer({ status: 'FAILED', redriveStatus: 'REDRIVABLE' })).toEqual({ show: true, hint: '' });
    expect(redriveOffer({ status: 'FAILED', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded' }))
      .toEqual({ show: false, hint: 'Execution redrivable period exceeded' });
    // Running and succeeded executions say nothing worth a hint.
    expect(redriveOffer({ status: 'SUCCEEDED', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven.' }))
      .toEqual({ show: false, hint: '' });
    expect(redriveOffer({ status: 'RUNNING', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven.' }))
      .toEqual({ show: false, hint: '' });
    expect(redriveOffer({ status: 'FAILED', redriveStatus: 'REDRIVABLE_BY_MAP_RUN', redriveStatusReason: 'by its Map Run' }))
      .toEqual({ show: false, hint: 'by its Map Run' });
    expect(redriveOffer({ status: 'FAILED', redriveStatus: 'REDRIVABLE_BY_MAP_RUN' }).show).toBe(false);
    // A server without RedriveExecution sends no redriveStatus: no button, even for a failed execution.
    expect(redriveOffer({ status: 'FAILED' })).toEqual({ show: false, hint: '' });
    expect(redriveOffer({ status: 'FAILED', redriveStatus: 'SOMETHING_NEW' }).show).toBe(false);
  });

  it('makes client tokens AWS accepts, a new one each time', () => {
    const a = clientToken();
    const b = clientToken();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });
});
