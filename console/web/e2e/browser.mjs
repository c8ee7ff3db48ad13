// Browser test of the console: drives Debian's Chromium with playwright-core
// against a server started by console/browser_test.go (the real API over a
// memory store, with the "order" machine and executions shipped, declined
// and rejected). Run it with: go test ./console -run TestBrowser -browser
//
//   node e2e/browser.mjs URL [--screenshots DIR] [--auth URL ACCESS_KEY SECRET]
//
// --auth names a second server that requires SigV4 with that key.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
const shotsAt = process.argv.indexOf('--screenshots');
const shots = shotsAt > 0 ? process.argv[shotsAt + 1] : '';
const authAt = process.argv.indexOf('--auth');
const [authURL, authKey, authSecret] = authAt > 0 ? process.argv.slice(authAt + 1, authAt + 4) : [];
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
const shot = async (name, at) => {
  if (!shots) return;
  // The top of the page, or the element at (scrolled to the top).
  if (at) await page.$eval(at, (e) => e.scrollIntoView({ block: 'start' }));
  else await page.evaluate(() => window.scrollTo(0, 0));
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
  await page.waitForSelector('[data-testid=definition]');
  check((await page.textContent('[data-testid=definition]')).includes('"StartAt": "Check"'), 'definition shown as formatted JSON');
  check(await page.$eval('[data-testid=definition]', (e) => e.getAttribute('contenteditable')) === 'false', 'definition shown read-only in the code editor');
  const keyColour = await page.$eval('.cm-content', (c) => {
    const spans = [...c.querySelectorAll('span')];
    const key = spans.find((x) => x.textContent === '"StartAt"');
    return key ? getComputedStyle(key).color : '';
  });
  const plainColour = await page.$eval('.cm-content', (c) => getComputedStyle(c).color);
  check(keyColour !== '' && keyColour !== plainColour, `JSON highlighted (keys ${keyColour}, text ${plainColour})`);
  check((await page.$$('.cm-foldGutter .cm-gutterElement span')).length > 3, 'definition foldable (fold markers in the gutter)');
  await page.click('role=tab[name="Graph"]');
  await shot('machine');

  // Start an execution from the input editor: invalid JSON is refused.
  await page.fill('[data-testid=input]', '{"items": [1, 2],');
  check(await page.isDisabled('text=Start execution >> xpath=self::button'), 'invalid input disables Start');
  check((await page.textContent('#input-problem')) !== 'Valid JSON', 'invalid input explained');
  await page.waitForSelector('.start .cm-lintRange-error, .start .cm-lint-marker-error');
  check(await page.getAttribute('[data-testid=input]', 'aria-invalid') === 'true', 'input editor marks the syntax error (aria-invalid, lint mark)');
  // Keyboard: Tab indents inside the editor; Escape then Tab leaves it.
  await page.fill('[data-testid=input]', '{"a": 1}');
  await page.click('button:has-text("Format")');
  check((await page.$$('.start .cm-line')).length === 3, 'Format pretty-prints the input');
  await page.focus('[data-testid=input]');
  await page.keyboard.press('End');
  await page.keyboard.press('Tab');
  const stillIn = await page.evaluate(() => !!document.activeElement?.closest('.cm-editor'));
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  const left = await page.evaluate(() => !document.activeElement?.closest('.cm-editor'));
  check(stillIn && left, 'Tab stays in the editor; Escape then Tab moves the focus on');
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

  // Map iterations and Parallel branches, one by one.
  const execURL = (name, machine = 'fanout') =>
    url + '/executions/' + encodeURIComponent(`arn:aws:states:us-east-1:123456789012:execution:${machine}:${name}`);
  await page.goto(execURL('fanout-ok'));
  await page.waitForSelector('.node[data-state="Each"][data-status="succeeded"]');
  await page.click('.node[data-state="Each"]', { position: { x: 30, y: 12 } });
  await page.waitForSelector('[data-testid=part-picker] select');
  const options = await page.$$eval('[data-testid=part-picker] option', (os) => os.map((o) => o.textContent));
  check(options.length === 4 && options.every((o) => o.includes('succeeded')), `Map offers its 4 iterations: ${options.join(', ')}`);
  await page.selectOption('[data-testid=part-picker] select', '2');
  await page.click('button:has-text("Open iteration")');
  const view = '[data-testid=part-view][data-part="Each:2"]';
  await page.waitForSelector(`${view} .node[data-state="Ship"]`);
  const inIt = Object.fromEntries((await page.$$eval(`${view} .node`, (ns) => ns.map((n) => [n.getAttribute('data-state'), n.getAttribute('data-status')]))).sort());
  check(JSON.stringify(inIt) === JSON.stringify({ Boom: '', Both: 'succeeded', Log: 'succeeded', Look: 'succeeded', Note: 'succeeded', Ship: 'succeeded' }),
    `iteration #2 drawn with its own colours: ${JSON.stringify(inIt)}`);
  await page.click(`${view} .node[data-state="Ship"]`);
  const itPanel = await page.textContent(`${view} [data-testid=state-panel]`);
  check(itPanel.includes('"n": 2') && !itPanel.includes('"n": 0'), 'a state of iteration #2 shows that iteration\'s input and output');
  await page.click(`${view} .node[data-state="Both"]`, { position: { x: 30, y: 12 } });
  await page.click(`${view} [data-testid=part-picker] button:has-text("Branch 2")`);
  const branch = `${view} [data-testid=part-view][data-part="Both:1"]`;
  await page.waitForSelector(`${branch} .node[data-state="Log"][data-status="succeeded"]`);
  check((await page.$$(`${branch} .node`)).length === 2, 'a Parallel branch inside the iteration opens with its own graph');
  await page.click(`${branch} .node[data-state="Note"]`);
  check((await page.textContent(`${branch} [data-testid=state-panel]`)).includes('"n": 2'), 'the branch\'s state shows this iteration\'s data');
  await page.click(`${branch} button:has-text("Close")`);
  await page.click(`${view} .node[data-state="Ship"]`);
  await shot('iteration', view);

  await page.goto(execURL('fanout-bad'));
  await page.waitForSelector('.node[data-state="Each"][data-status="caught"]');
  await page.click('.node[data-state="Each"]', { position: { x: 30, y: 12 } });
  await page.waitForSelector('[data-testid=part-picker]');
  const badLinks = await page.$$eval('[data-testid=part-picker] button.link', (bs) => bs.map((b) => b.textContent));
  check(JSON.stringify(badLinks) === JSON.stringify(['#0', '#1', '#2']), `failed and aborted iterations offered: ${badLinks.join(' ')}`);
  await page.click('[data-testid=part-picker] button.link:has-text("#2")');
  const bad = '[data-testid=part-view][data-part="Each:2"]';
  await page.waitForSelector(`${bad} .node[data-state="Boom"][data-status="failed"]`);
  check((await page.textContent(`${bad} [data-testid=part-status]`)) === 'failed', 'failed iteration marked failed');
  await page.click(`${bad} .node[data-state="Boom"]`);
  const boom = await page.textContent(`${bad} [data-testid=state-panel]`);
  check(boom.includes('Item.Bad') && boom.includes('the item is bad'), 'the failed iteration\'s state shows its error and cause');
  await page.click('[data-testid=part-picker] button.link:has-text("#0")');
  await page.waitForSelector('[data-testid=part-view][data-part="Each:0"] .node[data-state="Ship"][data-status="aborted"]');
  check((await page.textContent('[data-testid=part-view][data-part="Each:0"] [data-testid=part-status]')) === 'aborted', 'an iteration cut short by the failure shows aborted');

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
  check(all === 8, `all executions listed across machines (${all})`);

  // Create a state machine from a definition validated as you type.
  await page.goto(url + '/');
  await page.click('text=New state machine');
  await page.fill('label:has-text("Name") input', 'created');
  await page.fill('[data-testid=definition-input]', JSON.stringify({ Comment: 'A Pass that leads nowhere', StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }, null, 2));
  await page.waitForSelector('[data-testid=diagnostics] li.error');
  await page.waitForSelector('.new-machine .cm-lintRange-error');
  const marked = await page.$$eval('.new-machine .cm-lintRange-error', (ms) => ms.map((m) => m.textContent).join(''));
  check(marked.includes('"Next": "Nowhere"'), `diagnostic /States/A/Next marked in the editor: ${marked}`);
  await page.hover('.new-machine .cm-lintRange-error');
  await page.waitForSelector('.cm-tooltip-lint').catch(() => {});
  await shot('new');
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
  console.log(`perf 200-state machine page, page load to graph drawn: ${bigMs} ms`);
  // The same within the loaded console (a click in the list): what
  // rendering costs without loading the page's scripts.
  const inPage = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(url + '/');
    await page.waitForSelector('[data-testid=machines]');
    t0 = Date.now();
    await page.click('[data-testid=machines] a:text-is("big")');
    await page.waitForSelector('.node[data-state="S199"]');
    inPage.push(Date.now() - t0);
  }
  console.log(`perf 200-state machine page, click in the console to graph drawn: ${inPage.join(', ')} ms (3 runs)`);
  // Printed, not asserted: the timings depend on the machine's load.
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
  const rendered = await page.$$eval('[data-testid=history] tbody tr[data-event-id]', (rs) => rs.length);
  check(rendered < 150, `history table virtualised: ${rendered} of ${manyEvents} rows in the page`);
  t0 = Date.now();
  await page.$eval('[data-testid=history-scroll]', (el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector(`[data-testid=history] tbody tr[data-event-id="${manyEvents}"]`);
  const lastVisible = await page.$eval(`[data-testid=history] tbody tr[data-event-id="${manyEvents}"]`, (r) => {
    const box = r.closest('[data-testid=history-scroll]').getBoundingClientRect();
    const b = r.getBoundingClientRect();
    return b.top >= box.top - 1 && b.bottom <= box.bottom + 1;
  });
  console.log(`perf scrolling the history to event ${manyEvents}: ${Date.now() - t0} ms`);
  check(lastVisible, 'scrolled to the end, the last event is in view');
  t0 = Date.now();
  await page.$eval('[data-testid=history-scroll]', (el) => { el.scrollTop = el.scrollHeight / 2; });
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid=history-scroll]').getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid=history] tbody tr[data-event-id]')].some((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= box.top && b.bottom <= box.bottom && Math.abs(Number(r.getAttribute('data-event-id')) - 5003) < 40;
    });
  });
  console.log(`perf jumping to the middle of the history: ${Date.now() - t0} ms`);
  check(true, 'the middle of the history is in view after a jump');
  t0 = Date.now();
  await page.click('.node[data-state="One"]');
  await page.waitForFunction(() => document.querySelector('[data-testid=state-panel] h2')?.textContent?.startsWith('One'));
  console.log(`perf selecting a state entered 2,500 times: ${Date.now() - t0} ms`);
  await page.click('.node[data-state="Each"]', { position: { x: 30, y: 12 } });
  await page.waitForSelector('[data-testid=iterations]');
  check((await page.textContent('[data-testid=iterations]')).includes('2,500 items'), 'Map state lists its 2,500 iterations');

  // Readable in both themes: text against what is behind it, at WCAG AA
  // contrast (4.5:1) for HTML text and for the graph's state names.
  const contrasts = () => page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const behind = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (c && !/rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') return c;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    };
    const out = {};
    for (const sel of ['h1', 'header.top a', 'table.list td', '.muted', '.crumbs a']) {
      const el = document.querySelector(sel);
      if (el) out[sel] = ratio(getComputedStyle(el).color, behind(el));
    }
    const node = document.querySelector('.node[data-status="succeeded"]');
    if (node) out['state name on a succeeded state'] = ratio(getComputedStyle(node.querySelector('text.name')).fill, getComputedStyle(node.querySelector('rect')).fill);
    const none = document.querySelector('.node[data-status=""], .node[data-status="notReached"]');
    if (none) out['state name on a state not reached'] = ratio(getComputedStyle(none.querySelector('text.name')).fill, getComputedStyle(none.querySelector('rect')).fill);
    out.background = getComputedStyle(document.body).backgroundColor;
    return out;
  });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(execURL('fanout-ok'));
    await page.waitForSelector('.node[data-state="Each"][data-status="succeeded"]');
    await page.waitForSelector('table.list td');
    const c = await contrasts();
    const bg = (c.background.match(/\d+/g) || []).map(Number);
    const dark = bg.slice(0, 3).reduce((a, b) => a + b, 0) < 3 * 80;
    check(dark === (scheme === 'dark'), `${scheme} theme: page background ${c.background}`);
    const low = Object.entries(c).filter(([k, v]) => k !== 'background' && v < 4.5);
    check(Object.keys(c).length >= 6 && low.length === 0,
      `${scheme} theme: text contrast at least 4.5:1 (${Object.entries(c).filter(([k]) => k !== 'background').map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})`);
    if (scheme === 'dark') await shot('dark');
  }
  await page.emulateMedia({ colorScheme: 'light' });

  check(errors.length === 0, `no errors in the page${errors.length ? ': ' + errors.join('; ') : ''}`);

  // A server that requires credentials: the console asks for them, signs
  // every request, and says clearly when the server refuses them.
  if (authURL) {
    const sent = [];
    page.on('request', (r) => sent.push(JSON.stringify({ url: r.url(), headers: r.headers(), body: r.postData() ?? '' })));
    await page.goto(authURL);
    await page.waitForSelector('[data-testid=signin]');
    const reason = await page.textContent('[data-testid=signin-reason]');
    check(/Missing Authentication Token/.test(reason), `unsigned request refused, sign-in asked for: ${reason}`);
    await page.fill('label:has-text("Access key ID") input', authKey);
    await page.fill('label:has-text("Secret access key") input', 'not-the-secret');
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('[data-testid=signin-error]');
    const refused = await page.textContent('[data-testid=signin-error]');
    check(refused.includes('InvalidSignatureException') && refused.includes('does not match'), `wrong secret refused: ${refused}`);
    await shot('signin');
    await page.fill('label:has-text("Access key ID") input', 'AKIDUNKNOWN');
    await page.click('button:has-text("Sign in")');
    await page.waitForFunction(() => document.querySelector('[data-testid=signin-error]')?.textContent.includes('UnrecognizedClientException'));
    check(true, 'unknown access key refused (UnrecognizedClientException)');
    await page.fill('label:has-text("Access key ID") input', authKey);
    await page.fill('label:has-text("Secret access key") input', authSecret);
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('[data-testid=machines] a:text-is("signed")');
    check((await page.textContent('[data-testid=auth-status]')).includes(authKey), 'signed in: machines listed, key shown in the header');
    await page.click('[data-testid=machines] a:text-is("signed")');
    await page.waitForSelector('[data-testid=input]');
    await page.fill('[data-testid=input]', '{"who": "console"}');
    await page.click('button:has-text("Start execution")');
    await page.waitForSelector('h1 .badge[data-status="SUCCEEDED"]');
    check((await statusOf('Hello')) === 'succeeded', 'an execution started and followed with signed requests');
    const unsigned = sent.filter((r) => JSON.parse(r).headers['x-amz-target'] && !JSON.parse(r).headers.authorization);
    check(unsigned.length === 1, `after sign-in every API request is signed (${unsigned.length} unsigned: the first, which asked for the sign-in)`);
    check(!sent.some((r) => r.includes(authSecret) || r.includes(encodeURIComponent(authSecret))), 'the secret is never sent');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    check(!stored.includes(authSecret), 'the secret is not stored (stay signed in was not asked for)');
    await page.reload();
    await page.waitForSelector('[data-testid=signin]');
    check(true, 'after a reload the sign-in is asked for again');
    await page.fill('label:has-text("Access key ID") input', authKey);
    await page.fill('label:has-text("Secret access key") input', authSecret);
    await page.check('label.check input');
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('h1 .badge[data-status="SUCCEEDED"]');
    await page.reload();
    await page.waitForSelector('h1 .badge[data-status="SUCCEEDED"]');
    check(true, '"stay signed in" keeps the tab signed in across a reload (sessionStorage)');
    await page.click('[data-testid=auth-status] button:has-text("Sign out")');
    await page.waitForSelector('[data-testid=signin]');
    check(await page.evaluate(() => sessionStorage.length === 0), 'sign out forgets the credentials');
  }
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
