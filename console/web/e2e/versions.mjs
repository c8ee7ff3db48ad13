// Browser test of versions, aliases and the Redrive button (issue 18,
// item 6). On the state machine page it publishes two versions (the
// machine's definition updated between them, so they differ), checks
// the routing form refuses weights that do not sum to 100 and shows the
// API's refusal of an alias name, creates a 50/50 alias, starts an
// execution on the alias from the start form and finds on the execution
// page the version DescribeExecution says ran, sees the delete of a
// routed version refused with ConflictException, moves the alias wholly
// to version 2 and then deletes version 1. On a failed execution, the
// Redrive button follows DescribeExecution's redriveStatus. Run by
// TestBrowserVersions (console/versions_browser_test.go):
//
//   node e2e/versions.mjs URL STATE_MACHINE_ARN FAILED_EXECUTION_ARN FAILED_PARALLEL_EXECUTION_ARN [--screenshots DIR]
import { join } from 'node:path';
import { api, check, run } from './lib.mjs';

const [url, machine, failed, fanFailed] = process.argv.slice(2);
const at = process.argv.indexOf('--screenshots');
const shots = at > 0 ? process.argv[at + 1] : undefined;
if (!url || !machine || !failed || !fanFailed || (at > 0 && !shots)) {
  console.error('usage: node e2e/versions.mjs URL STATE_MACHINE_ARN FAILED_EXECUTION_ARN FAILED_PARALLEL_EXECUTION_ARN [--screenshots DIR]');
  process.exit(2);
}

/** The version rows of the Versions list: [number, description, revision]. */
const versionRows = (page) => page.$$eval('[data-testid=version-list] tbody tr', (trs) => trs.map((tr) => [
  tr.dataset.version, tr.querySelector('[data-kind=description]').textContent, tr.querySelector('[data-kind=revision]').textContent,
]));

await run(async (page) => {
  // Every confirm() (delete) is accepted.
  page.on('dialog', (d) => d.accept());
  const machinePage = url + '/state-machines/' + encodeURIComponent(machine);
  await page.goto(machinePage);
  await page.waitForSelector('[data-testid=versions]');
  check(/No versions/.test(await page.textContent('[data-testid=versions]')), 'a new machine has no versions');
  check(await page.isDisabled('[data-testid=aliases] .section-head button'), 'no alias can be created before a version');

  // Version 1, published from the page with a description.
  await page.fill('[data-testid=publish] input[name=description]', 'first');
  await page.click('[data-testid=publish] button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=version-list] tr[data-version="1"] [data-kind=revision]')?.textContent);
  let rows = await versionRows(page);
  const sm1 = await api(page, 'DescribeStateMachine', { stateMachineArn: machine });
  check(rows.length === 1 && rows[0][0] === '1' && rows[0][1] === 'first' && rows[0][2] === sm1.revisionId,
    `version 1 is listed with its description and revision ${sm1.revisionId}: ${JSON.stringify(rows)}`);

  // Version 2, after the definition changes.
  const up = await api(page, 'UpdateStateMachine', {
    stateMachineArn: machine, definition: JSON.stringify({ StartAt: 'Answer', States: { Answer: { Type: 'Pass', Result: 'two', End: true } } }),
  });
  check(typeof up.revisionId === 'string' && up.revisionId !== sm1.revisionId, `UpdateStateMachine makes a new revision: ${JSON.stringify(up)}`);
  await page.reload();
  await page.waitForSelector('[data-testid=publish]');
  await page.fill('[data-testid=publish] input[name=description]', 'second');
  await page.click('[data-testid=publish] button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=version-list] tr[data-version="2"] [data-kind=revision]')?.textContent);
  rows = await versionRows(page);
  check(rows.length === 2 && rows[0][0] === '2' && rows[0][1] === 'second' && rows[0][2] === up.revisionId && rows[1][0] === '1',
    `versions newest first, version 2 with the new revision: ${JSON.stringify(rows)}`);
  const v1 = machine + ':1';
  const v2 = machine + ':2';

  // The alias form: weights checked before sending, the API's refusal shown.
  await page.click('[data-testid=aliases] .section-head button');
  const form = '[data-testid=alias-form]';
  await page.waitForSelector(form);
  await page.selectOption(`${form} select[name=version0]`, v2);
  await page.fill(`${form} input[name=weight0]`, '60');
  await page.selectOption(`${form} select[name=version1]`, v1);
  await page.fill(`${form} input[name=weight1]`, '50');
  const sumProblem = await page.textContent('[data-testid=routing-problem]');
  check(/sum to 100 \(they sum to 110\)/.test(sumProblem), `weights summing to 110 are refused before sending: ${sumProblem}`);
  check(await page.isDisabled(`${form} button[type=submit]`), 'the alias cannot be sent while its weights are wrong');
  await page.selectOption(`${form} select[name=version1]`, v2);
  const twice = await page.textContent('[data-testid=routing-problem]');
  check(/two different versions/.test(twice), `one version twice is refused: ${twice}`);
  await page.selectOption(`${form} select[name=version1]`, v1);
  await page.fill(`${form} input[name=weight0]`, '50');
  check(!(await page.isDisabled(`${form} button[type=submit]`)), 'a 50/50 routing can be sent');
  // AWS's alias names need a letter, '_', '-' or '.': the API refuses "2024".
  await page.fill(`${form} input[name=name]`, '2024');
  await page.click(`${form} button[type=submit]`);
  const refusal = await (await page.waitForSelector('[data-testid=alias-form-error]')).textContent();
  check(/^ValidationException: .*name/.test(refusal), `the API's refusal of the name is shown: ${refusal}`);
  await page.fill(`${form} input[name=name]`, 'live');
  await page.fill(`${form} input[name=description]`, 'half and half');
  await page.click(`${form} button[type=submit]`);
  await page.waitForSelector('[data-testid=alias-list] tr[data-alias=live]');
  check(!(await page.isVisible(form)), 'the form closes once the alias is created');
  const bar = await page.$$eval('[data-testid=alias-list] tr[data-alias=live] .route', (els) => els.map((e) => [e.dataset.version, e.dataset.weight, e.style.width]));
  check(JSON.stringify(bar) === JSON.stringify([['2', '50', '50%'], ['1', '50', '50%']]), `the routing bar is 50/50 over versions 2 and 1: ${JSON.stringify(bar)}`);
  const aliasRow = await page.textContent('[data-testid=alias-list] tr[data-alias=live]');
  check(aliasRow.includes('half and half') && aliasRow.includes('v2 50 % · v1 50 %'), `the alias row has its description and routing: ${aliasRow}`);
  const usedBy = await page.$$eval('[data-testid=version-list] tbody tr', (trs) => trs.map((tr) => tr.children[4].textContent));
  check(JSON.stringify(usedBy) === '["live","live"]', `both versions are listed as routed by live: ${JSON.stringify(usedBy)}`);
  if (shots) await page.screenshot({ path: join(shots, 'versions.png'), fullPage: true });

  // Start an execution on the alias from the start form.
  const alias = machine + ':live';
  const opts = await page.$$eval('[data-testid=start-target] option', (os) => os.map((o) => [o.value, o.textContent]));
  check(JSON.stringify(opts.map((o) => o[1])) === '["Latest revision","Alias live","Version 2","Version 1"]',
    `the start form offers the latest revision, the alias and both versions: ${JSON.stringify(opts)}`);
  await page.selectOption('[data-testid=start-target]', alias);
  await page.fill('.start input', 'on-alias');
  await page.click('.start button[type=submit]');
  await page.waitForSelector('[data-testid=ran-version]');
  const exArn = decodeURIComponent(new URL(page.url()).pathname.replace(/^\/executions\//, ''));
  check(/:execution:deploy:on-alias$/.test(exArn), `the start opens the execution page: ${exArn}`);
  let d;
  for (let i = 0; i < 200; i++) {
    d = await api(page, 'DescribeExecution', { executionArn: exArn });
    if (d.status !== 'RUNNING') break;
    await page.waitForTimeout(50);
  }
  check(d.stateMachineAliasArn === alias && (d.stateMachineVersionArn === v1 || d.stateMachineVersionArn === v2),
    `DescribeExecution: started on the alias, ran a version of it: ${d.stateMachineAliasArn} ${d.stateMachineVersionArn}`);
  const ranNumber = d.stateMachineVersionArn.split(':').pop();
  check(d.output === (ranNumber === '1' ? '"one"' : '"two"'), `version ${ranNumber} ran its own definition: ${d.output}`);
  const ranVersion = await page.textContent('[data-testid=ran-version]');
  check(ranVersion.startsWith(`Version ${ranNumber} `) && ranVersion.includes(d.stateMachineVersionArn), `the page shows version ${ranNumber}: ${ranVersion}`);
  const ranAlias = await page.textContent('[data-testid=ran-alias]');
  check(ranAlias.startsWith('live ') && ranAlias.includes(alias), `the page shows the alias: ${ranAlias}`);
  await page.waitForSelector('h1 [data-status=SUCCEEDED]');
  check(!(await page.isVisible('[data-testid=redrive]')), 'a succeeded execution has no Redrive button');
  check(d.redriveStatus === undefined || d.redriveStatus === 'NOT_REDRIVABLE', `a succeeded execution is NOT_REDRIVABLE: ${d.redriveStatus}`);
  check(!(await page.isVisible('[data-testid=redrive-hint]')), 'and the page does not say so (it is plain)');
  if (shots) await page.screenshot({ path: join(shots, 'execution-on-alias.png'), fullPage: true });
  const crumb = decodeURIComponent(await page.getAttribute('.crumbs a:text-is("deploy")', 'href'));
  check(crumb === '/state-machines/' + machine, `the crumbs lead to the machine, not its version: ${crumb}`);
  // A version's own page is its machine's.
  await page.goto(url + '/state-machines/' + encodeURIComponent(v2));
  const note = await (await page.waitForSelector('[data-testid=qualified]')).textContent();
  check(note.includes('version 2 of deploy'), `a version's ARN leads to its machine: ${note}`);

  // A start on a version: only the version is shown.
  await page.goto(machinePage);
  await page.waitForSelector('[data-testid=start-target] option[value$=":1"]', { state: 'attached' });
  await page.selectOption('[data-testid=start-target]', v1);
  await page.fill('.start input', 'on-v1');
  await page.click('.start button[type=submit]');
  await page.waitForSelector('[data-testid=ran-version]');
  check((await page.textContent('[data-testid=ran-version]')).startsWith('Version 1 '), 'a start on version 1 shows version 1');
  check(!(await page.isVisible('[data-testid=ran-alias]')), 'and no alias');

  // Deleting a version the alias routes to is refused with the API's error.
  await page.goto(machinePage);
  await page.waitForSelector('[data-testid=version-list] tr[data-version="1"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=executions] td[data-kind=version]').length === 2);
  const ran = await page.$$eval('[data-testid=executions] tbody tr', (trs) => trs.map((tr) => tr.children[0].textContent + ': ' + tr.children[2].textContent).sort());
  check(JSON.stringify(ran) === JSON.stringify(['on-alias: v' + ranNumber + ' (alias live)', 'on-v1: v1']), `the executions list says what each ran: ${JSON.stringify(ran)}`);
  await page.click('[data-testid=version-list] tr[data-version="1"] button');
  const conflict = await (await page.waitForSelector('[data-testid=versions-error]')).textContent();
  check(/^ConflictException: /.test(conflict), `the delete of a routed version is refused: ${conflict}`);
  check((await versionRows(page)).length === 2, 'both versions are still listed');

  // Route the alias wholly to version 2; then version 1 can go.
  await page.click('[data-testid=alias-list] tr[data-alias=live] button:text-is("Edit")');
  await page.waitForSelector(form);
  check(await page.isDisabled(`${form} input[name=name]`), 'an alias keeps its name when updated');
  check(await page.inputValue(`${form} input[name=description]`) === 'half and half', 'the update form starts from the alias');
  await page.fill(`${form} input[name=weight0]`, '100');
  await page.selectOption(`${form} select[name=version1]`, '');
  await page.click(`${form} button[type=submit]`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=alias-list] tr[data-alias=live] .route').length === 1);
  const moved = await api(page, 'DescribeStateMachineAlias', { stateMachineAliasArn: alias });
  check(JSON.stringify(moved.routingConfiguration) === JSON.stringify([{ stateMachineVersionArn: v2, weight: 100 }]),
    `UpdateStateMachineAlias routed everything to version 2: ${JSON.stringify(moved.routingConfiguration)}`);
  await page.click('[data-testid=version-list] tr[data-version="1"] button');
  await page.waitForFunction(() => !document.querySelector('[data-testid=version-list] tr[data-version="1"]'));
  check(!(await page.isVisible('[data-testid=versions-error]')), 'version 1 is deleted once nothing routes to it');
  const left = await api(page, 'ListStateMachineVersions', { stateMachineArn: machine });
  check(left.stateMachineVersions.length === 1 && left.stateMachineVersions[0].stateMachineVersionArn === v2, `only version 2 is left: ${JSON.stringify(left)}`);

  // Deleting the alias.
  await page.click('[data-testid=alias-list] tr[data-alias=live] button:text-is("Delete")');
  await page.waitForFunction(() => !document.querySelector('[data-testid=alias-list] tr[data-alias=live]'));
  const aliases = await api(page, 'ListStateMachineAliases', { stateMachineArn: machine });
  check(aliases.stateMachineAliases.length === 0, `the alias is deleted: ${JSON.stringify(aliases)}`);

  // The Redrive button follows redriveStatus: shown only when REDRIVABLE.
  const f = await api(page, 'DescribeExecution', { executionArn: failed });
  await page.goto(url + '/executions/' + encodeURIComponent(failed));
  await page.waitForSelector('h1 [data-status=FAILED]');
  const shown = await page.isVisible('[data-testid=redrive]');
  check(shown === (f.redriveStatus === 'REDRIVABLE'), `a failed execution with redriveStatus ${f.redriveStatus} ${shown ? 'has' : 'has no'} Redrive button`);
  check(!(await page.isVisible('[data-testid=redrive-count]')), 'an execution never redriven shows no redrive count');
  if (f.redriveStatus === undefined) {
    console.log('note: the server sends no redriveStatus (no RedriveExecution yet), so the button stays hidden');
    return;
  }
  check(f.redriveStatus === 'REDRIVABLE', `the failed execution is REDRIVABLE: ${f.redriveStatus} ${f.redriveStatusReason ?? ''}`);
  check(await page.getAttribute('.node[data-state="Look"]', 'class').then((c) => c.includes('status-failed')), 'before the redrive, Look is drawn failed');
  await page.click('[data-testid=redrive]');
  // The page refreshes by itself until the redriven run ends.
  await page.waitForSelector('h1 [data-status=SUCCEEDED]');
  const after = await api(page, 'DescribeExecution', { executionArn: failed });
  check(after.status === 'SUCCEEDED' && after.redriveCount === 1 && typeof after.redriveDate === 'number',
    `RedriveExecution ran it again: ${after.status}, redriveCount ${after.redriveCount}, redriveDate ${after.redriveDate}`);
  await page.waitForSelector('[data-testid=redrive-count]');
  check(await page.textContent('[data-testid=redrive-count]') === '1', 'the page shows one redrive');
  check((await page.textContent('[data-testid=redrive-date]')).length > 0, 'and when it was');
  check(!(await page.isVisible('[data-testid=redrive]')), 'a redriven execution that succeeded has no Redrive button');
  check(after.redriveStatus === 'NOT_REDRIVABLE' && !(await page.isVisible('[data-testid=redrive-hint]')), `now NOT_REDRIVABLE, without a hint: ${after.redriveStatus}`);
  const types = await page.$$eval('[data-testid=history] tr.row', (rows) => rows.map((r) => r.children[1].textContent.trim()));
  check(types.includes('ExecutionFailed') && types.indexOf('ExecutionRedriven') > types.indexOf('ExecutionFailed'),
    `the history shows ExecutionRedriven after ExecutionFailed: ${JSON.stringify(types)}`);
  const firstEntries = (await api(page, 'GetExecutionHistory', { executionArn: failed, maxResults: 1000 })).events
    .filter((e) => e.type === 'PassStateEntered').length;
  check(firstEntries === 1, `the succeeded Pass state is not run again: entered ${firstEntries} time(s)`);
  for (const [state, want] of [['First', 'succeeded'], ['Look', 'succeeded'], ['Fine', 'succeeded']]) {
    const cls = await page.getAttribute(`.node[data-state="${state}"]`, 'class');
    check(cls.includes(`status-${want}`), `after the redrive ${state} is drawn ${want}: ${cls}`);
  }
  if (shots) await page.screenshot({ path: join(shots, 'execution-redriven.png'), fullPage: true });

  // A redrive inside a Parallel: only the failed branch runs again, and
  // both branches are drawn succeeded.
  await page.goto(url + '/executions/' + encodeURIComponent(fanFailed));
  await page.waitForSelector('h1 [data-status=FAILED]');
  await page.click('.node[data-state="Fan"]', { position: { x: 30, y: 12 } });
  const before = await page.$$eval('[data-testid=part-picker] button', (bs) => bs.map((b) => b.textContent));
  // (A Choice that matched nothing leaves no event in its branch, so the
  // branch is shown aborted rather than failed: the execution's error names it.)
  check(before.length === 2 && before[0] === 'Branch 1 (succeeded)' && /^Branch 2 \((failed|aborted)\)$/.test(before[1]),
    `before the redrive, branch 2 did not succeed: ${JSON.stringify(before)}`);
  await page.click('[data-testid=redrive]');
  await page.waitForSelector('h1 [data-status=SUCCEEDED]');
  const fh = (await api(page, 'GetExecutionHistory', { executionArn: fanFailed, maxResults: 1000 })).events;
  const entries = (name) => fh.filter((e) => e.stateEnteredEventDetails?.name === name).length;
  check(entries('A') === 1 && entries('Look') === 2 && entries('Fan') === 1,
    `only the failed branch ran again: A ${entries('A')}, Look ${entries('Look')}, Fan ${entries('Fan')}`);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=part-picker] button')].map((b) => b.textContent).join() === 'Branch 1 (succeeded),Branch 2 (succeeded)');
  check(true, 'after the redrive both branches are succeeded');
  check((await page.getAttribute('.node[data-state="Fan"]', 'class')).includes('status-succeeded'), 'and the Parallel is drawn succeeded');
  await page.click('[data-testid=part-picker] button:has-text("Branch 2")');
  const branch2 = '[data-testid=part-view][data-part="Fan:1"]';
  await page.waitForSelector(`${branch2} .node[data-state="Look"]`);
  const inBranch = Object.fromEntries(await page.$$eval(`${branch2} .node`, (ns) => ns.map((n) => [n.getAttribute('data-state'), n.getAttribute('data-status')])));
  check(inBranch.Look === 'succeeded' && inBranch.Fine === 'succeeded', `branch 2 drawn succeeded after its redrive: ${JSON.stringify(inBranch)}`);
  if (shots) await page.screenshot({ path: join(shots, 'parallel-redriven.png'), fullPage: true });
});
