// Browser test of the layout issue 14 (item 19) found broken, asserted on
// geometry: Config mode's "Include execution data" checkbox sits beside its
// label; "Edit in Workflow Studio" is body-sized, not heading-sized; a long
// error name wraps inside the side panels (the execution's state panel and
// Studio's TestState result), whole and with a title, instead of being
// clipped. Run by TestBrowserLayout (console/layout_browser_test.go):
//
//   node e2e/layout.mjs URL
import { api, check, run } from './lib.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node e2e/layout.mjs URL');
  process.exit(2);
}

const longError = 'Stepwise.Validation.TheOrderCouldNotBeShippedBecauseTheWarehouseInventoryServiceRejectedTheReservationRequest';

/** Whether el's text fits its box: it wraps or is wholly visible, with no part clipped off to the side. */
const fits = (page, sel) => page.$eval(sel, (el) => {
  const panel = el.closest('.panel');
  return {
    text: el.textContent,
    title: el.getAttribute('title') ?? el.closest('[title]')?.getAttribute('title') ?? '',
    scroll: el.scrollWidth,
    client: el.clientWidth,
    right: el.getBoundingClientRect().right,
    panelRight: panel ? panel.getBoundingClientRect().right : Infinity,
    panelScroll: panel ? panel.scrollWidth : 0,
    panelClient: panel ? panel.clientWidth : 0,
  };
});
const fitted = (g) => g.scroll <= g.client && g.right <= g.panelRight + 0.5 && g.panelScroll <= g.panelClient;

await run(async (page) => {
  await page.goto(url + '/');
  const def = {
    StartAt: 'Check',
    States: {
      Check: { Type: 'Pass', Next: 'Refuse' },
      Refuse: { Type: 'Fail', Error: longError, Cause: 'the inventory service said no' },
    },
  };
  const made = await api(page, 'CreateStateMachine', { name: 'refuse', definition: JSON.stringify(def), roleArn: 'arn:aws:iam::123456789012:role/stepwise' });
  const ex = await api(page, 'StartExecution', { stateMachineArn: made.stateMachineArn, name: 'refused', input: '{}' });
  for (let i = 0; i < 200; i++) {
    const d = await api(page, 'DescribeExecution', { executionArn: ex.executionArn });
    if (d.status !== 'RUNNING') break;
    await page.waitForTimeout(50);
  }

  // The machine page: the Edit link is body-sized and outside the heading.
  await page.goto(url + '/state-machines/' + encodeURIComponent(made.stateMachineArn));
  const edit = await page.waitForSelector('a:text-is("Edit in Workflow Studio")');
  const sizes = await edit.evaluate((a) => ({
    link: parseFloat(getComputedStyle(a).fontSize),
    body: parseFloat(getComputedStyle(document.body).fontSize),
    inHeading: !!a.closest('h1, h2, h3'),
    height: a.getBoundingClientRect().height,
  }));
  check(sizes.link === sizes.body && !sizes.inHeading, `"Edit in Workflow Studio" is body text: ${sizes.link}px (body ${sizes.body}px), in a heading: ${sizes.inHeading}`);

  // The execution's state panel: select the Fail state; its error wraps.
  await page.goto(url + '/executions/' + encodeURIComponent(ex.executionArn));
  await page.waitForSelector('.node[data-state="Refuse"]');
  await page.locator('.node[data-state="Refuse"]').dispatchEvent('click');
  await page.waitForSelector('[data-testid=state-panel] [data-testid=state-error]');
  const se = await fits(page, '[data-testid=state-panel] [data-testid=state-error] strong');
  check(se.text === longError && fitted(se),
    `the state panel shows the whole long error name, wrapped (scrollWidth ${se.scroll} <= clientWidth ${se.client}, right ${se.right.toFixed(0)} <= panel ${se.panelRight.toFixed(0)}, panel scroll ${se.panelScroll} <= ${se.panelClient})`);
  check(se.title === longError, `the state panel's error name has the full name as its title: ${se.title}`);

  // Studio: TestState on the Fail state reports the long error in the side panel.
  await page.goto(url + '/studio/' + encodeURIComponent(made.stateMachineArn));
  await page.waitForSelector('[data-testid=canvas] .node[data-state="Refuse"]');
  await page.locator('[data-testid=canvas] .node[data-state="Refuse"]').dispatchEvent('click');
  await page.click('[data-testid=test-panel] summary');
  await page.click('[data-testid=test-run]');
  await page.waitForSelector('[data-testid=test-error]');
  const te = await fits(page, '[data-testid=test-error]');
  check(te.text === longError && fitted(te),
    `Studio's TestState result shows the whole long error name, wrapped (scrollWidth ${te.scroll} <= clientWidth ${te.client}, right ${te.right.toFixed(0)} <= panel ${te.panelRight.toFixed(0)}, panel scroll ${te.panelScroll} <= ${te.panelClient})`);
  check(te.title === longError, `Studio's error name has the full name as its title: ${te.title}`);

  // Config mode: the logging checkbox sits right beside its label's text.
  await page.click('[data-testid=mode-config]');
  const cb = await page.waitForSelector('.studio-config input[type=checkbox]');
  const g = await cb.evaluate((input) => {
    const label = input.closest('label');
    const range = document.createRange();
    const textNode = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    range.selectNodeContents(textNode);
    const t = range.getBoundingClientRect();
    const b = input.getBoundingClientRect();
    return { text: textNode.textContent.trim(), box: { x: b.x, right: b.right, y: b.y, h: b.height, w: b.width }, label: { x: t.x, y: t.y, h: t.height } };
  });
  const gap = g.label.x - g.box.right;
  const dy = Math.abs((g.label.y + g.label.h / 2) - (g.box.y + g.box.h / 2));
  check(gap >= 0 && gap <= 12 && dy <= 6 && g.box.w <= 24,
    `the checkbox is beside "${g.text}": ${g.box.w.toFixed(0)}px wide, ${gap.toFixed(1)}px before its text, centres ${dy.toFixed(1)}px apart`);

  // Config mode: every other label stands above its control, which starts
  // where the label does (the Definition panel's fields ran inline, help
  // text beside them).
  const stacked = await page.$$eval('.studio-config label:not(.check)', (ls) => ls.map((l) => {
    const c = l.querySelector('input, select, textarea');
    const range = document.createRange();
    range.selectNodeContents([...l.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
    const t = range.getBoundingClientRect();
    const b = c.getBoundingClientRect();
    return { name: l.textContent.trim().split(/\s/)[0], below: b.top >= t.bottom - 1, left: Math.abs(b.left - l.getBoundingClientRect().left) <= 2 };
  }));
  const bad = stacked.filter((x) => !x.below || !x.left).map((x) => x.name);
  check(stacked.length >= 6 && bad.length === 0, `Config mode: ${stacked.length} labels each above their control${bad.length ? '; not: ' + bad.join(', ') : ''}`);
});
