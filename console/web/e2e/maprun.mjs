// Browser test of the Map Run page (issue 17, item 5): a distributed Map
// over three items, MaxConcurrency 1, each child waiting 2 s. The
// execution page links its Map state to the Map Run and lists the run
// (ListMapRuns); the Map Run page shows DescribeMapRun's status, settings
// and counts, refreshes while RUNNING until SUCCEEDED, shows UpdateMapRun's
// refusal of a bad value and applies a good one, and links back to the
// parent execution. A second run, whose one bad item exceeds its tolerance
// of 0, shows FAILED with its failed item counted and drawn. Run by TestBrowserMapRun (console/maprun_browser_test.go):
//
//   node e2e/maprun.mjs URL STATE_MACHINE_ARN [--screenshots DIR]
import { join } from 'node:path';
import { api, check, run } from './lib.mjs';

const [url, machine] = process.argv.slice(2);
const at = process.argv.indexOf('--screenshots');
const shots = at > 0 ? process.argv[at + 1] : undefined;
if (!url || !machine || (at > 0 && !shots)) {
  console.error('usage: node e2e/maprun.mjs URL STATE_MACHINE_ARN [--screenshots DIR]');
  process.exit(2);
}

/** The counts row of a Counts section, by status. */
const counts = (page, testId) => page.$$eval(`[data-testid=${testId}] td[data-kind]`, (tds) =>
  Object.fromEntries(tds.map((td) => [td.dataset.kind, Number(td.textContent.replace(/[^0-9]/g, ''))])));

await run(async (page) => {
  await page.goto(url + '/');
  const ex = await api(page, 'StartExecution', { stateMachineArn: machine, name: 'fan-1', input: JSON.stringify({ items: [1, 2, 3] }) });
  check(typeof ex.executionArn === 'string', `StartExecution: ${JSON.stringify(ex)}`);

  // The execution page: the Map state's panel links to its Map Run.
  await page.goto(url + '/executions/' + encodeURIComponent(ex.executionArn));
  await page.waitForSelector('.node[data-state="Each"]');
  await page.locator('.node[data-state="Each"]').dispatchEvent('click');
  const link = await page.waitForSelector('[data-testid=map-run-link] a');
  const href = decodeURIComponent(await link.getAttribute('href'));
  const mapRunArn = href.replace(/^\/map-runs\//, '');
  check(/^arn:aws:states:[^:]+:\d+:mapRun:fan\/Each:[0-9a-f-]{36}$/.test(mapRunArn), `the Map state links to its Map Run: ${href}`);

  const panel = await page.textContent('[data-testid=state-panel]');
  check(!/No iteration has started/.test(panel), 'a distributed Map offers no iterations to open (they are its Map Run\'s)');
  const started = await page.$$eval('[data-testid=history] tr.row', (rows) => rows.map((r) => [...r.children].map((td) => td.textContent.trim()))
    .filter((c) => c[1] === 'MapRunStarted'));
  check(started.length === 1 && started[0][2] === 'Each', `the history names MapRunStarted's state: ${JSON.stringify(started)}`);

  // ... and the page lists the execution's Map Runs (ListMapRuns).
  const row = await page.waitForSelector(`[data-testid=map-runs] tr[data-map-run="${mapRunArn}"]`);
  check((await row.textContent()).includes('Each'), `the Map Runs list has the run of Each: ${await row.textContent()}`);

  // The Map Run page, reached through the link.
  await link.click();
  await page.waitForSelector('[data-testid=maprun-status]');
  check(new URL(page.url()).pathname === '/map-runs/' + encodeURIComponent(mapRunArn), `the link opens the Map Run page: ${page.url()}`);
  const first = await page.textContent('[data-testid=maprun-status]');
  check(first === 'RUNNING', `the Map Run is RUNNING at first: ${first}`);
  check(await page.isVisible('.live'), 'a running Map Run is shown live');
  const items0 = await counts(page, 'item-counts');
  check(items0.total === 3 && items0.running <= 1, `while running, 3 items and at most MaxConcurrency 1 running: ${JSON.stringify(items0)}`);
  check(await page.textContent('[data-testid=max-concurrency]') === '1', `max concurrency 1: ${await page.textContent('[data-testid=max-concurrency]')}`);
  const note = await page.textContent('[data-testid=maprun-note]');
  check(/inside the parent execution/.test(note), `the page says child executions run inside the parent: ${note}`);

  // UpdateMapRun refuses a negative MaxConcurrency; the page shows its error.
  await page.fill('[data-testid=maprun-update] input[name=maxConcurrency]', '-1');
  await page.click('[data-testid=maprun-update] button[type=submit]');
  const refused = await page.waitForSelector('[data-testid=maprun-update-error]');
  const refusal = await refused.textContent();
  check(/^ValidationException: .*maxConcurrency/.test(refusal), `UpdateMapRun's refusal is shown: ${refusal}`);

  // A good value is applied and shows on the next refresh.
  await page.fill('[data-testid=maprun-update] input[name=maxConcurrency]', '2');
  await page.click('[data-testid=maprun-update] button[type=submit]');
  await page.waitForSelector('[data-testid=maprun-updated]');
  check(!(await page.isVisible('[data-testid=maprun-update-error]')), 'the error goes once an update succeeds');
  await page.waitForFunction(() => document.querySelector('[data-testid=max-concurrency]')?.textContent === '2');
  check(true, 'max concurrency 2 after UpdateMapRun');

  // The page refreshes until the run ends.
  await page.waitForFunction(() => document.querySelector('[data-testid=maprun-status]')?.textContent === 'SUCCEEDED', null, { timeout: 30000 });
  check(true, 'the Map Run reaches SUCCEEDED without a reload');
  const items = await counts(page, 'item-counts');
  check(items.succeeded === 3 && items.total === 3 && items.running === 0 && items.pending === 0 && items.failed === 0,
    `items: 3 of 3 succeeded: ${JSON.stringify(items)}`);
  const execs = await counts(page, 'execution-counts');
  check(execs.succeeded === 3 && execs.total === 3, `child executions: 3 of 3 succeeded: ${JSON.stringify(execs)}`);
  const bar = await page.$eval('[data-testid=item-counts] [role=progressbar]', (el) => ({
    now: el.getAttribute('aria-valuenow'), max: el.getAttribute('aria-valuemax'),
    segs: [...el.children].map((c) => [c.className, c.style.width]),
  }));
  check(bar.now === '3' && bar.max === '3' && bar.segs.length === 1 && bar.segs[0][0].includes('seg-succeeded') && bar.segs[0][1] === '100%',
    `the progress bar is all succeeded: ${JSON.stringify(bar)}`);
  check(!(await page.isVisible('.live')), 'an ended Map Run is no longer live');
  if (shots) await page.screenshot({ path: join(shots, 'maprun.png'), fullPage: true });

  // Back to the parent execution, whose list now shows the run ended.
  await page.click(`.crumbs a:text-is("fan-1")`);
  await page.waitForSelector('[data-testid=map-runs] tr[data-map-run] [data-status=SUCCEEDED]');
  check(new URL(page.url()).pathname === '/executions/' + encodeURIComponent(ex.executionArn), `the crumbs lead back to the execution: ${page.url()}`);
  const cells = await page.$$eval(`[data-testid=map-runs] tr[data-map-run="${mapRunArn}"] td`, (tds) => tds.map((td) => td.textContent.trim()));
  check(cells.length === 5 && cells[4] !== '', `the listed run has a stop date: ${JSON.stringify(cells)}`);
  if (shots) {
    await page.locator('.node[data-state="Each"]').dispatchEvent('click');
    await page.waitForSelector('[data-testid=map-run-link] [data-status=SUCCEEDED]');
    await page.screenshot({ path: join(shots, 'maprun-execution.png'), fullPage: true });
  }

  // A run that fails past its tolerance: FAILED, its failed item counted and drawn.
  const failing = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map', MaxConcurrency: 1, ToleratedFailureCount: 0, End: true,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Look',
          States: {
            Look: { Type: 'Choice', Choices: [{ Variable: '$.bad', IsPresent: true, Next: 'Boom' }], Default: 'Fine' },
            Fine: { Type: 'Pass', End: true },
            Boom: { Type: 'Fail', Error: 'Item.Bad', Cause: 'the item is bad' },
          },
        },
      },
    },
  };
  const made = await api(page, 'CreateStateMachine', { name: 'fails', definition: JSON.stringify(failing), roleArn: 'arn:aws:iam::123456789012:role/stepwise' });
  const bad = await api(page, 'StartExecution', { stateMachineArn: made.stateMachineArn, name: 'fails-1', input: JSON.stringify([{}, { bad: true }]) });
  for (let i = 0; i < 200; i++) {
    const d = await api(page, 'DescribeExecution', { executionArn: bad.executionArn });
    if (d.status !== 'RUNNING') break;
    await page.waitForTimeout(50);
  }
  await page.goto(url + '/executions/' + encodeURIComponent(bad.executionArn));
  await page.waitForSelector('.node[data-state="Each"]');
  await page.locator('.node[data-state="Each"]').dispatchEvent('click');
  const badLink = await page.waitForSelector('[data-testid=map-run-link] a');
  check(await page.isVisible('[data-testid=map-run-link] [data-status=FAILED]'), 'the failed Map state\'s run is marked FAILED');
  await badLink.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=maprun-status]')?.textContent === 'FAILED');
  const badItems = await counts(page, 'item-counts');
  check(badItems.failed === 1 && badItems.total === 2 && badItems.running === 0,
    `a failed run: 1 of 2 items failed: ${JSON.stringify(badItems)}`);
  const segs = await page.$$eval('[data-testid=item-counts] [role=progressbar] .seg', (els) => els.map((e) => e.className));
  check(segs.some((c) => c.includes('seg-failed')), `the progress bar draws the failed item: ${JSON.stringify(segs)}`);
  check(await page.textContent('[data-testid=tolerated-count]') === '0', 'tolerated failures 0');

  // A Map Run that does not exist: DescribeMapRun's error.
  const bogus = mapRunArn.replace(/:[0-9a-f-]{36}$/, ':00000000-0000-4000-8000-000000000000');
  await page.goto(url + '/map-runs/' + encodeURIComponent(bogus));
  const missing = await (await page.waitForSelector('p.error')).textContent();
  check(/^ResourceNotFound: /.test(missing), `a missing Map Run shows the API's error: ${missing}`);
});
