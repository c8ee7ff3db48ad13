// Browser test of the console: drives Debian's Chromium with playwright-core
// against a server started by console/browser_test.go (the real API over a
// memory store, with the "order" machine and executions shipped, declined
// and rejected). Run it with: go test ./console -run TestBrowser -browser
//
//   node e2e/browser.mjs URL [--screenshots DIR]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
const shotsAt = process.argv.indexOf('--screenshots');
const shots = shotsAt > 0 ? process.argv[shotsAt + 1] : '';
if (!url) {
  console.error('usage: node e2e/browser.mjs URL [--screenshots DIR]');
  process.exit(2);
}

let failures = 0;
function check(cond, what) {
  if (cond) console.log(`ok   ${what}`);
  else {
    failures++;
    console.log(`FAIL ${what}`);
  }
}

const profile = mkdtempSync(join(tmpdir(), 'stepwise-chromium-'));
// A fresh profile (--user-data-dir) each run, as playwright requires it.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const page = browser.pages()[0] ?? (await browser.newPage());
page.setDefaultTimeout(10000);
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

const api = (action, body) =>
  page.evaluate(async ([action, body]) => {
    const r = await fetch('/', {
      method: 'POST',
      headers: { 'X-Amz-Target': `AWSStepFunctions.${action}`, 'Content-Type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(body),
    });
    return r.json();
  }, [action, body]);
const statusOf = (name) => page.getAttribute(`.node[data-state="${name}"]`, 'data-status');
const shot = async (name) => {
  if (!shots) return;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${name}.png`) });
};

try {
  // The list of state machines.
  await page.goto(url);
  await page.waitForSelector('[data-testid=machines]');
  const names = await page.$$eval('[data-testid=machines] tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  check(names.includes('order') && names.includes('hello'), `machines listed: ${names.join(', ')}`);
  await shot('machines');

  // The order machine's graph.
  await page.click('text=order');
  await page.waitForSelector('[data-testid=graph] .node[data-state="Charge"]');
  const states = await page.$$eval('[data-testid=graph] .node', (ns) => ns.map((n) => n.getAttribute('data-state')).sort());
  const want = ['Charge', 'Check', 'Done', 'Fan', 'Held', 'Hold', 'Items', 'Price', 'Recover', 'Refund', 'Reject', 'Ship'];
  check(JSON.stringify(states) === JSON.stringify(want), `graph has every state: ${states.join(', ')}`);
  const edges = await page.$$eval('[data-testid=graph] .edge', (es) =>
    es.map((e) => ({ from: e.getAttribute('data-from'), to: e.getAttribute('data-to'), kind: e.getAttribute('data-kind'), label: e.querySelector('.edge-label text')?.textContent ?? '' })));
  const has = (from, to, kind, label) => edges.some((e) => e.from === from && e.to === to && e.kind === kind && (label === undefined || e.label === label));
  check(has('Check', 'Fan', 'choice', '$.items IsPresent true'), 'Choice edge labelled with its rule');
  check(has('Check', 'Reject', 'default', 'Default'), 'Default edge drawn apart');
  check(has('Fan', 'Recover', 'catch', 'States.ALL') && has('Charge', 'Refund', 'catch', 'Payment.Declined'), 'Catch edges with their errors');
  const dash = await page.$eval('.edge.catch path', (p) => getComputedStyle(p).strokeDasharray);
  check(dash !== 'none' && dash !== '', `Catch edges dashed (${dash})`);
  check(has('Fan', 'Items', 'next') && has('Charge', 'Done', 'next'), 'Next edges');
  const groups = await page.$$eval('[data-testid=graph] .group text', (ts) => ts.map((t) => t.textContent));
  check(JSON.stringify(groups) === JSON.stringify(['Branch 1', 'Branch 2', 'Item processor']), `nested groups: ${groups.join(', ')}`);
  const inside = await page.evaluate(() => {
    const box = (s) => document.querySelector(`.node[data-state="${s}"] rect`).getBBox();
    const fan = box('Fan');
    const hold = box('Hold');
    return hold.x >= fan.x && hold.y >= fan.y && hold.x + hold.width <= fan.x + fan.width && hold.y + hold.height <= fan.y + fan.height;
  });
  check(inside, 'branch states drawn inside their Parallel');
  check((await page.$$('[data-marker=start]')).length === 4 && (await page.$$('[data-marker=end]')).length === 4, 'start and end marked in each scope');
  await page.click('text=Definition');
  check((await page.textContent('[data-testid=definition]')).includes('"StartAt": "Check"'), 'definition shown as formatted JSON');
  await page.click('role=tab[name="Graph"]');
  await shot('machine');

  // Start an execution from the input editor: invalid JSON is refused.
  await page.fill('[data-testid=input]', '{"items": [1, 2],');
  check(await page.isDisabled('text=Start execution >> xpath=self::button'), 'invalid input disables Start');
  check((await page.textContent('#input-problem')) !== 'Valid JSON', 'invalid input explained');
  await page.fill('[data-testid=input]', '{"items": [1, 2], "wait": 2, "card": "ok"}');
  await page.click('button:has-text("Start execution")');
  await page.waitForURL(/\/executions\//);
  await page.waitForSelector('.node[data-state="Hold"][data-status="running"]');
  check(true, 'started execution seen running (Hold running)');
  check((await page.textContent('h1 .badge')) === 'RUNNING', 'execution badge RUNNING');
  check(await page.isVisible('button:has-text("Stop execution")'), 'Stop offered while running');
  await page.waitForSelector('h1 .badge[data-status="SUCCEEDED"]', { timeout: 15000 });
  check(true, 'execution then succeeded');
  const after = Object.fromEntries(await Promise.all(['Check', 'Fan', 'Hold', 'Items', 'Ship', 'Charge', 'Done', 'Refund', 'Reject'].map(async (s) => [s, await statusOf(s)])));
  check(after.Check === 'succeeded' && after.Hold === 'succeeded' && after.Ship === 'succeeded' && after.Done === 'succeeded', `states coloured succeeded: ${JSON.stringify(after)}`);
  check(after.Refund === '' && after.Reject === '', 'untaken states not reached');
  const fill = await page.$eval('.node[data-state="Done"] rect', (r) => getComputedStyle(r).fill);
  const fillNot = await page.$eval('.node[data-state="Reject"] rect', (r) => getComputedStyle(r).fill);
  check(fill !== fillNot, `succeeded and not reached differ in colour (${fill} vs ${fillNot})`);

  // The history table matches GetExecutionHistory.
  const arn = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  const hist = await api('GetExecutionHistory', { executionArn: arn, maxResults: 1000 });
  const rows = await page.$$eval('[data-testid=history] tbody tr[data-event-id]', (rs) =>
    rs.map((r) => [Number(r.getAttribute('data-event-id')), r.children[1].textContent]));
  check(JSON.stringify(rows) === JSON.stringify(hist.events.map((e) => [e.id, e.type])), `history table matches GetExecutionHistory (${rows.length} events)`);
  await page.click('[data-testid=history] tbody tr[data-event-id="1"] button');
  check((await page.textContent('[data-testid=history] tr.details')).includes('"items"'), 'history row expands to its details');
  const transitions = await page.textContent('[data-testid=transitions]');
  check(Number(transitions) === hist.events.filter((e) => e.type.endsWith('StateEntered')).length, `cost view counts ${transitions} transitions`);
  await page.click('.node[data-state="Charge"]');
  check((await page.textContent('[data-testid=state-panel]')).includes('"charged": true'), 'selecting a state shows its output');
  await shot('execution');

  // Stop a running execution.
  await page.goto(url + '/state-machines/' + encodeURIComponent('arn:aws:states:us-east-1:123456789012:stateMachine:order'));
  await page.fill('[data-testid=input]', '{"items": [1], "wait": 60, "card": "ok"}');
  await page.fill('input[placeholder="generated when empty"]', 'to-stop');
  await page.click('button:has-text("Start execution")');
  await page.waitForSelector('.node[data-state="Hold"][data-status="running"]');
  page.once('dialog', (d) => d.accept());
  await page.click('button:has-text("Stop execution")');
  await page.waitForSelector('h1 .badge[data-status="ABORTED"]');
  check((await statusOf('Hold')) === 'aborted' && (await statusOf('Fan')) === 'aborted', 'stopped execution: running states aborted');
  check((await statusOf('Price')) === 'succeeded', 'stopped execution: finished states keep their colour');

  // A caught failure.
  await page.goto(url + '/executions/' + encodeURIComponent('arn:aws:states:us-east-1:123456789012:execution:order:declined'));
  await page.waitForSelector('.node[data-state="Charge"][data-status="caught"]');
  check((await statusOf('Refund')) === 'succeeded', 'caught Charge, then Refund succeeded');
  await page.click('.node[data-state="Charge"]');
  const panel = await page.textContent('[data-testid=state-panel]');
  check(panel.includes('Payment.Declined') && panel.includes('the card was declined'), 'caught state shows its error and cause');

  // A failed execution.
  await page.goto(url + '/executions/' + encodeURIComponent('arn:aws:states:us-east-1:123456789012:execution:order:rejected'));
  await page.waitForSelector('.node[data-state="Reject"][data-status="failed"]');
  check(true, 'failed execution: Reject coloured failed');
  await page.focus('.node[data-state="Reject"]');
  await page.keyboard.press('Enter');
  const failPanel = await page.textContent('[data-testid=state-panel]');
  check(failPanel.includes('Rejected') && failPanel.includes('the order has no items'), 'failing state (selected by keyboard) shows error and cause');
  check((await page.textContent('[data-testid=execution-error]')).includes('Rejected'), 'execution error shown');
  await shot('failed');

  // The executions list, filtered.
  await page.goto(url + '/state-machines/' + encodeURIComponent('arn:aws:states:us-east-1:123456789012:stateMachine:order'));
  await page.waitForSelector('[data-testid=executions]');
  await page.selectOption('.executions select', 'FAILED');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=executions] tbody tr').length === 1);
  check((await page.textContent('[data-testid=executions] tbody')).includes('rejected'), 'status filter shows the failed execution only');

  // Executions across machines.
  await page.click('nav.topnav >> text=Executions');
  await page.waitForSelector('[data-testid=all-executions]');
  const all = await page.$$eval('[data-testid=all-executions] tbody tr', (rs) => rs.length);
  check(all === 6, `all executions listed across machines (${all})`);

  // Create a state machine from a definition validated as you type.
  await page.goto(url + '/');
  await page.click('text=New state machine');
  await page.fill('label:has-text("Name") input', 'created');
  await page.fill('[data-testid=definition-input]', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}');
  await page.waitForSelector('[data-testid=diagnostics] li.error');
  check(await page.isDisabled('button:has-text("Create state machine")'), `invalid definition refused: ${await page.textContent('[data-testid=diagnostics]')}`);
  await page.fill('[data-testid=definition-input]', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}');
  await page.waitForSelector('[data-testid=diagnostics] .ok');
  await page.click('button:has-text("Create state machine")');
  await page.waitForSelector('h1:has-text("created")');
  check((await page.$$('[data-testid=graph] .node')).length === 2, 'created state machine shown with its graph');

  // Measurements (printed, not asserted): a 200-state graph, a 10,000-event execution.
  const machineURL = (n) => url + '/state-machines/' + encodeURIComponent(`arn:aws:states:us-east-1:123456789012:stateMachine:${n}`);
  let t0 = Date.now();
  await page.goto(machineURL('big'));
  await page.waitForSelector('.node[data-state="S199"]');
  const bigMs = Date.now() - t0;
  const bigNodes = await page.$$eval('[data-testid=graph] .node', (ns) => ns.length);
  check(bigNodes === 200, `200-state graph rendered (${bigNodes} states)`);
  console.log(`perf 200-state machine page, navigation to graph drawn: ${bigMs} ms`);
  t0 = Date.now();
  await page.goto(url + '/executions/' + encodeURIComponent('arn:aws:states:us-east-1:123456789012:execution:many:many'));
  await page.waitForSelector('.node[data-state="One"][data-status="succeeded"]', { timeout: 30000 });
  await page.waitForSelector('[data-testid=history] tbody tr[data-event-id]');
  const manyMs = Date.now() - t0;
  const manyEvents = Number(await page.textContent('[data-testid=cost] [data-testid=transitions]').then(() => page.$eval('#history-h .small', (e) => parseInt(e.textContent.replace(/,/g, '')))));
  check(manyEvents > 10000, `execution with ${manyEvents} history events loaded`);
  console.log(`perf ${manyEvents}-event execution page, navigation to coloured graph and table: ${manyMs} ms`);
  t0 = Date.now();
  await page.click('[data-testid=history] tbody tr[data-event-id="2"] button');
  await page.waitForSelector('[data-testid=history] tr.details');
  console.log(`perf expanding a history row with ${manyEvents} events loaded: ${Date.now() - t0} ms`);
  t0 = Date.now();
  await page.click('.node[data-state="One"]');
  await page.waitForFunction(() => document.querySelector('[data-testid=state-panel] h2')?.textContent?.startsWith('One'));
  console.log(`perf selecting a state entered 2,500 times: ${Date.now() - t0} ms`);
  await page.click('.node[data-state="Each"]', { position: { x: 30, y: 12 } });
  await page.waitForSelector('[data-testid=iterations]');
  check((await page.textContent('[data-testid=iterations]')).includes('2,500 items'), 'Map state lists its 2,500 iterations');

  check(errors.length === 0, `no errors in the page${errors.length ? ': ' + errors.join('; ') : ''}`);
} catch (e) {
  failures++;
  console.log(`FAIL ${e.message}`);
  await page.screenshot({ path: join(tmpdir(), 'stepwise-console-failure.png') }).catch(() => {});
  console.log(`     screenshot: ${join(tmpdir(), 'stepwise-console-failure.png')}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
