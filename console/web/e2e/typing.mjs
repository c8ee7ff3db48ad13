// Browser test: every keystroke lands in Workflow Studio's forms on a large
// machine. A 300-state machine is created through the API and opened in
// Studio; a sentence is typed at 60 ms a key into a state's field and into
// the machine's Comment, then read back from the fields and from the
// definition saved with UpdateStateMachine. Typing used to re-render and
// re-lay-out the whole draft per key, and keys that came meanwhile were
// lost ("Say thanks" saved as "Sa tanks"). Run by TestBrowserStudioTyping
// (console/studio_browser_test.go):
//
//   node e2e/typing.mjs URL
import { api, check, run } from './lib.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node e2e/typing.mjs URL');
  process.exit(2);
}

/** 300 states: Pass and Task states in a chain, a Choice every 10th, a Fail beside it. */
function bigMachine() {
  const states = {};
  const name = (i) => `S${String(i).padStart(3, '0')}`;
  for (let i = 0; i < 299; i++) {
    const next = name(i + 1);
    if (i % 10 === 5) {
      states[name(i)] = { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Oops' }], Default: next };
    } else if (i % 3 === 0) {
      states[name(i)] = { Type: 'Task', Resource: `arn:aws:lambda:us-east-1:123456789012:function:f${i}`, Next: next };
    } else {
      states[name(i)] = { Type: 'Pass', Next: next };
    }
  }
  states[name(299)] = { Type: 'Succeed' };
  states.Oops = { Type: 'Fail', Error: 'Stopped', Cause: 'asked to stop' };
  return { StartAt: name(0), States: states };
}

const sentence = 'Say thanks to every customer, kindly!';

await run(async (page) => {
  await page.goto(url + '/');
  const made = await api(page, 'CreateStateMachine', {
    name: 'big300', definition: JSON.stringify(bigMachine()), roleArn: 'arn:aws:iam::123456789012:role/stepwise',
  });
  check(!!made.stateMachineArn, `a 301-state machine created (${made.stateMachineArn ?? JSON.stringify(made)})`);
  await page.goto(url + '/studio/' + encodeURIComponent(made.stateMachineArn));
  const node = (n) => `[data-testid=canvas] .node[data-state="${n}"]`;
  await page.waitForSelector(node('S150'), { timeout: 30000 });

  /**
   * Types text into the field at sel, a key each 60 ms, the way a person
   * does: keys are sent on time through the DevTools protocol, without
   * waiting for the page to handle the one before (playwright's
   * keyboard.type waits, so a slow page never sees keys pile up). Returns
   * the ms per key the page took to take them all.
   */
  const typeInto = async (sel, text) => {
    await page.click(sel);
    const cdp = await page.context().newCDPSession(page);
    const t0 = Date.now();
    const sent = [];
    for (const ch of text) {
      sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch }));
      sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch }));
      await new Promise((r) => setTimeout(r, 60));
    }
    await Promise.all(sent);
    await cdp.detach();
    return (Date.now() - t0) / text.length;
  };

  // A state's field: S150's Comment, in the selected state's form. (The
  // node is tiny at this zoom: it is clicked by event, not by position.)
  await page.locator(node('S150')).dispatchEvent('click');
  await page.waitForFunction(() => document.querySelector('[data-testid=state-name]')?.value === 'S150');
  const stateField = '[data-testid=state-form] [data-field="Comment"]';
  const perKey = await typeInto(stateField, sentence);
  await page.waitForTimeout(500);
  const shown = await page.inputValue(stateField);
  check(shown === sentence, `the state's Comment field holds every key typed (${perKey.toFixed(0)} ms a key): ${JSON.stringify(shown)}`);

  // The machine's own Comment (nothing selected).
  await page.click('[data-testid=canvas]', { position: { x: 5, y: 5 } });
  await page.waitForSelector('.studio-side [data-field="Comment"]:not([data-testid])');
  const topField = '.studio-side textarea[data-field="Comment"]';
  const perKeyTop = await typeInto(topField, sentence);
  await page.waitForTimeout(500);
  const shownTop = await page.inputValue(topField);
  check(shownTop === sentence, `the machine's Comment field holds every key typed (${perKeyTop.toFixed(0)} ms a key): ${JSON.stringify(shownTop)}`);

  // The canvas follows the edit once typing pauses: select S150 again and
  // its form shows the text the draft holds.
  await page.locator(node('S150')).dispatchEvent('click');
  await page.waitForFunction(() => document.querySelector('[data-testid=state-name]')?.value === 'S150');
  check((await page.inputValue(stateField)) === sentence, 'the draft kept the state\'s Comment: its form shows it again');

  // Save: the definition the server keeps has the exact text.
  await page.waitForSelector('[data-testid=studio-status] .ok', { timeout: 20000 });
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=diff]');
  await page.click('[data-testid=confirm-update]');
  await page.waitForSelector('[data-testid=saved]');
  const def = JSON.parse((await api(page, 'DescribeStateMachine', { stateMachineArn: made.stateMachineArn })).definition);
  check(def.States.S150.Comment === sentence, `saved: States.S150.Comment is ${JSON.stringify(def.States.S150.Comment)}`);
  check(def.Comment === sentence, `saved: the machine's Comment is ${JSON.stringify(def.Comment)}`);
  check(Object.keys(def.States).length === 301, `saved: all ${Object.keys(def.States).length} states kept`);
});
