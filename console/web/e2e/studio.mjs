// Browser test of Workflow Studio: drives Debian's Chromium with
// playwright-core against a server started by console/studio_browser_test.go
// (the real API over an empty memory store). Run it with:
//   go test ./console -run TestBrowserStudio -browser
//
//   node e2e/studio.mjs URL --example PATH/contact-form.asl.json [--screenshots DIR]
//
// Scenario 1: from an empty canvas, build Pass -> Choice -> Succeed / Fail by
// drag and drop, read the ASL in Code mode, break it there and fix it by
// following the marked diagnostic, save, run, and see the run; then edit the
// saved machine and check the diff shown before the update.
// Scenario 2: build the contact-form example in Design mode only (palette,
// forms, drop slots; never the code editor), test a state with TestState,
// and check the saved definition equals the example's.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : '';
};
const shots = arg('--screenshots');
const examplePath = arg('--example');
if (!url || !examplePath) {
  console.error('usage: node e2e/studio.mjs URL --example contact-form.asl.json [--screenshots DIR]');
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
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1500, height: 1000 },
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

const shot = async (name) => {
  if (!shots) return;
  await page.screenshot({ path: join(shots, `${name}.png`) });
};

/** Drags with the mouse (pointer events) from one element's centre to another's. */
async function drag(from, to) {
  await page.locator(from).first().scrollIntoViewIfNeeded();
  await page.locator(to).first().scrollIntoViewIfNeeded();
  const a = await page.locator(from).first().boundingBox();
  const b = await page.locator(to).first().boundingBox();
  if (!a || !b) throw new Error(`drag: ${!a ? from : to} not visible`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 30, a.y + a.height / 2 + 10, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}
const paletteItem = (id) => `[data-palette="${id}"]`;
const slot = (text) => `[data-testid=canvas] [data-slot="${text}"]`;
const edgeAfter = (from) => `[data-testid=canvas] .drop-edge[data-from="${from}"][data-via="next"] circle`;
const catchSlot = (from, i) => `[data-testid=canvas] .slot[data-from="${from}"][data-via="catch"][data-index="${i}"]`;
const node = (name) => `[data-testid=canvas] .node[data-state="${name}"]`;
const select = async (name) => {
  await page.click(`${node(name)} > rect`, { position: { x: 12, y: 8 } });
  await page.waitForFunction((n) => document.querySelector('[data-testid=state-name]')?.value === n, name);
};
const rename = async (to) => {
  await page.fill('[data-testid=state-name]', to);
  await page.press('[data-testid=state-name]', 'Enter');
  await page.waitForSelector(node(to));
};
const field = (path) => `[data-testid=state-form] [data-field="${path}"]`;
const setField = async (path, value) => {
  await page.fill(field(path), value);
  await page.waitForTimeout(30);
};
const waitValid = () => page.waitForSelector('[data-testid=studio-status] .ok', { timeout: 10000 });
/** The ASL of the draft, as the code editor holds it (read through its lines). */
const codeText = async () => (await page.$$eval('[data-testid=code] .cm-line', (ls) => ls.map((l) => l.textContent).join('\n')));
/** JSON with sorted keys: equal definitions compare equal whatever their key order. */
const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

try {
  // ---- Scenario 1: Pass -> Choice -> Succeed / Fail, by drag and drop.
  await page.goto(url + '/');
  await page.click('text=Workflow Studio >> nth=0');
  await page.waitForURL(/\/studio$/);
  await page.waitForSelector(slot('Drop a state here'));
  check(true, 'an empty canvas offers a drop slot');

  await drag(paletteItem('Pass'), slot('Drop a state here'));
  await page.waitForSelector(node('Pass'));
  check(true, 'Pass dropped on the empty canvas');

  await drag(paletteItem('Choice'), edgeAfter('Pass'));
  await page.waitForSelector(node('Choice'));
  check((await page.$$(slot('Drop: rule 1'))).length === 1 && (await page.$$(slot('Drop: Default'))).length === 1,
    'Choice inserted after Pass, with slots for its rule and Default');

  await drag(paletteItem('Succeed'), slot('Drop: rule 1'));
  await page.waitForSelector(node('Success'));
  await drag(paletteItem('Fail'), slot('Drop: Default'));
  await page.waitForSelector(node('Fail'));
  const edges = await page.$$eval('[data-testid=canvas] .edge', (es) => es.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}:${e.getAttribute('data-kind')}`));
  check(edges.includes('Pass>Choice:next') && edges.includes('Choice>Success:choice') && edges.includes('Choice>Fail:default'),
    `graph edges: ${edges.filter((e) => !e.includes('^')).join(', ')}`);

  // The Fail state's form: set its error; undo and redo it from the keyboard.
  await select('Fail');
  await setField('Error', 'NotOk');
  await setField('Cause', 'ok was not true');
  await page.click('[data-testid=canvas]', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await select('Fail');
  check((await page.inputValue(field('Cause'))) === 'Something went wrong', 'Ctrl+Z undoes the last edit');
  await page.click('[data-testid=canvas]', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Shift+z');
  await select('Fail');
  check((await page.inputValue(field('Cause'))) === 'ok was not true', 'Ctrl+Shift+Z redoes it');
  // The Choice rule, through the form.
  await select('Choice');
  check((await page.inputValue(field('Choices.0.Variable'))) === '$.ok', 'the rule editor shows the rule\'s variable');
  await waitValid();
  check(true, 'the server finds the designed machine valid');

  // A palette click adds after the selected state; a state dragged onto
  // another arrow moves there; Delete removes it and reconnects.
  const edgeList = () => page.$$eval('[data-testid=canvas] .edge', (es) => es.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`));
  await select('Pass');
  await page.click(paletteItem('Wait'));
  await page.waitForSelector(node('Wait'));
  let el = await edgeList();
  check(el.includes('Pass>Wait') && el.includes('Wait>Choice'), 'clicking Wait in the palette inserts it after the selected Pass');
  await drag(node('Wait'), '[data-testid=canvas] .drop-edge[data-from="Choice"][data-via="default"] circle');
  await page.waitForSelector('[data-testid=canvas] .edge[data-from="Choice"][data-to="Wait"]');
  el = await edgeList();
  check(el.includes('Pass>Choice') && el.includes('Wait>Fail') && !el.includes('Pass>Wait'), `Wait dragged onto the Default arrow moves there: ${el.filter((e) => !e.includes('^')).join(', ')}`);
  await select('Wait');
  await page.click('[data-testid=canvas]', { position: { x: 5, y: 5 } });
  await select('Wait');
  await page.locator(node('Wait')).focus();
  await page.keyboard.press('Delete');
  await page.waitForSelector(node('Wait'), { state: 'detached' });
  el = await edgeList();
  check(el.includes('Choice>Fail'), 'Delete removes Wait and reconnects Choice to Fail');

  // Code mode shows the ASL the designer wrote.
  await page.click('[data-testid=mode-code]');
  await page.waitForSelector('[data-testid=code] .cm-line');
  let asl = JSON.parse(await codeText());
  check(canon(asl.States) === canon({
    Pass: { Type: 'Pass', Next: 'Choice' },
    Choice: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Success' }], Default: 'Fail' },
    Success: { Type: 'Succeed' },
    Fail: { Type: 'Fail', Error: 'NotOk', Cause: 'ok was not true' },
  }) && asl.StartAt === 'Pass', `Code mode shows the ASL: ${JSON.stringify(asl.States)}`);

  // Break it in Code mode: Pass now leads to a state that does not exist.
  const line = page.locator('[data-testid=code] .cm-line', { hasText: '"Next": "Choice"' });
  // The editor may still be taking its first value when Code mode opens,
  // which puts the cursor back at the start: click until the cursor stays
  // on the line.
  for (let i = 0; i < 20; i++) {
    await line.click();
    await page.waitForTimeout(50);
    const active = await page.textContent('[data-testid=code] .cm-activeLine').catch(() => '');
    if (active.includes('"Next": "Choice"')) break;
  }
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('x"');
  await page.waitForSelector('[data-testid=diagnostic]');
  const diag = await page.textContent('#code-diagnostics li');
  check(/\/States\/Pass\/Next/.test(diag) && /Choicx/.test(diag), `the diagnostic names its location: ${diag.trim()}`);
  await page.waitForSelector('[data-testid=code] .cm-lintRange-error');
  const marked = await page.textContent('[data-testid=code] .cm-lintRange-error');
  check(marked.includes('Choicx'), `the diagnostic is marked in the editor at its location: ${marked}`);
  check(await page.isDisabled('[data-testid=save]'), 'Save is refused while the definition has errors');
  // Design mode shows the problem on the state too.
  await page.click('[data-testid=mode-design]');
  check((await page.$$(`${node('Pass')}.has-error`)).length === 1, 'Design mode marks the state with the problem');
  await page.click('[data-testid=mode-code]');
  // Follow the diagnostic: it selects the marked text; type the fix over it.
  await page.click('[data-testid=diagnostic]');
  // Following it is asynchronous (the editor's module is looked up first).
  await page.waitForFunction(() => (document.getSelection()?.toString() ?? '').includes('Choicx'), null, { timeout: 3000 }).catch(() => {});
  const sel = await page.evaluate(() => document.getSelection()?.toString() ?? '');
  check(sel.includes('Choicx'), `following the diagnostic selects it: ${sel}`);
  await page.keyboard.type('"Next": "Choice"');
  await waitValid();
  check(!(await codeText()).includes('Choicx'), 'fixed in Code mode; the server finds it valid again');
  await page.click('[data-testid=mode-design]');
  await page.waitForSelector(node('Choice'));
  check((await page.$$('[data-testid=canvas] .edge[data-from="Pass"][data-to="Choice"]')).length === 1, 'Design mode shows the Code-mode fix');

  // Config and save.
  await page.click('[data-testid=mode-config]');
  await page.fill('[data-testid=config-name]', 'designed');
  await page.selectOption('[data-testid=config-logging]', 'ERROR');
  await page.click('[data-testid=add-tag]');
  await page.fill('input[aria-label="Tag key"]', 'team');
  await page.fill('input[aria-label="Tag value"]', 'studio');
  await waitValid();
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=saved]');
  check(/\/studio\/arn/.test(page.url()), `saved: the address names the machine (${page.url()})`);
  const list = await api('ListStateMachines', {});
  const made = list.stateMachines.find((m) => m.name === 'designed');
  check(!!made, 'CreateStateMachine made "designed"');
  const desc = await api('DescribeStateMachine', { stateMachineArn: made.stateMachineArn });
  check(canon(JSON.parse(desc.definition)) === canon(asl), 'the saved definition is the designed one');
  check(desc.loggingConfiguration?.level === 'ERROR', `logging level saved (${JSON.stringify(desc.loggingConfiguration)})`);
  const tags = await api('ListTagsForResource', { resourceArn: made.stateMachineArn });
  check(JSON.stringify(tags.tags) === JSON.stringify([{ key: 'team', value: 'studio' }]), `tags saved: ${JSON.stringify(tags.tags)}`);

  // Run it and see the run.
  await page.fill('[data-testid=run-input]', '{"ok": true}');
  await page.click('[data-testid=run]');
  await page.waitForURL(/\/executions\//);
  await page.waitForSelector('h1 .badge[data-status="SUCCEEDED"]', { timeout: 15000 });
  const st = await page.getAttribute('.node[data-state="Success"]', 'data-status');
  const failSt = await page.getAttribute('.node[data-state="Fail"]', 'data-status');
  check(st === 'succeeded' && failSt === '', `the execution view shows the run: Success ${st}, Fail ${failSt || 'not reached'}`);

  // Edit the saved machine: the update shows its diff first.
  await page.goto(url + '/state-machines/' + encodeURIComponent(made.stateMachineArn));
  await page.click('text=Edit in Workflow Studio');
  await page.waitForSelector(node('Fail'));
  await select('Fail');
  await setField('Error', 'NotOkAtAll');
  await waitValid();
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=diff]');
  const del = await page.$$eval('[data-testid=diff] .ddel', (ls) => ls.map((l) => l.textContent));
  const add = await page.$$eval('[data-testid=diff] .dadd', (ls) => ls.map((l) => l.textContent));
  check(del.length === 1 && del[0].includes('"Error": "NotOk"') && add.length === 1 && add[0].includes('"Error": "NotOkAtAll"'),
    `the diff shows the changed line: ${del.join('')} → ${add.join('')}`);
  await page.click('[data-testid=confirm-update]');
  await page.waitForSelector('[data-testid=saved]');
  const after = await api('DescribeStateMachine', { stateMachineArn: made.stateMachineArn });
  check(JSON.parse(after.definition).States.Fail.Error === 'NotOkAtAll', 'UpdateStateMachine saved the edit');

  // ---- Scenario 2: the contact form, in Design mode only.
  const example = JSON.parse(readFileSync(examplePath, 'utf8'));
  const ex = example.States;
  const j = (v) => JSON.stringify(v, null, 2);
  await page.goto(url + '/studio');
  await page.waitForSelector(slot('Drop a state here'));
  await page.click('[data-testid=mode-config]');
  await page.fill('[data-testid=config-name]', 'contact-form');
  await page.fill('.studio-config [data-field="Comment"]', example.Comment);
  await page.click('[data-testid=mode-design]');

  // The main flow: Lambda -> DynamoDB -> SES -> Pass.
  await drag(paletteItem('Lambda'), slot('Drop a state here'));
  await page.waitForSelector(node('Lambda Invoke'));
  await select('Lambda Invoke');
  await rename('Validate');
  await drag(paletteItem('DynamoDBPutItem'), edgeAfter('Validate'));
  await page.waitForSelector(node('DynamoDB PutItem'));
  await select('DynamoDB PutItem');
  await rename('StoreContact');
  await drag(paletteItem('SESSendEmail'), edgeAfter('StoreContact'));
  await select('SES SendEmail');
  await rename('SendEmail');
  await drag(paletteItem('Pass'), edgeAfter('SendEmail'));
  await select('Pass');
  await rename('Thanks');
  check(true, 'main flow dropped: Validate, StoreContact, SendEmail, Thanks');

  // Validate: parameters, result selector, a retrier and two catchers whose
  // targets are dropped onto their slots.
  await select('Validate');
  await setField('Parameters', j(ex.Validate.Parameters));
  await setField('ResultSelector', j(ex.Validate.ResultSelector));
  await page.click('[data-testid=add-retry]');
  await setField('Retry.0.ErrorEquals', ex.Validate.Retry[0].ErrorEquals.join(', '));
  await setField('Retry.0.IntervalSeconds', '1');
  await setField('Retry.0.MaxAttempts', '3');
  await setField('Retry.0.BackoffRate', '2');
  await page.click('[data-testid=add-catch]');
  await setField('Catch.0.ErrorEquals', 'ValidationError');
  await page.click('[data-testid=add-catch]');
  await drag(paletteItem('Pass'), catchSlot('Validate', 0));
  await select('Pass');
  await rename('ReadValidationError');
  await setField('Parameters', j(ex.ReadValidationError.Parameters));
  await drag(paletteItem('Pass'), edgeAfter('ReadValidationError'));
  await select('Pass');
  await rename('InvalidInput');
  await setField('Parameters', j(ex.InvalidInput.Parameters));
  await drag(paletteItem('Pass'), catchSlot('Validate', 1));
  await select('Pass');
  await rename('Failed');
  await setField('Parameters', j(ex.Failed.Parameters));

  await select('StoreContact');
  await setField('Parameters', j(ex.StoreContact.Parameters));
  await setField('ResultPath', 'null');
  await page.click('[data-testid=add-retry]');
  await setField('Retry.0.ErrorEquals', ex.StoreContact.Retry[0].ErrorEquals.join(', '));
  await setField('Retry.0.IntervalSeconds', '1');
  await setField('Retry.0.MaxAttempts', '2');
  await setField('Retry.0.BackoffRate', '2');
  await page.click('[data-testid=add-catch]');
  await page.selectOption(field('Catch.0.Next'), 'Failed');

  await select('SendEmail');
  await setField('Parameters', j(ex.SendEmail.Parameters));
  await setField('ResultSelector', j(ex.SendEmail.ResultSelector));
  await setField('ResultPath', '$.email');
  await page.click('[data-testid=add-catch]');
  await page.selectOption(field('Catch.0.Next'), 'Failed');

  await select('Thanks');
  await setField('Parameters', j(ex.Thanks.Parameters));
  await waitValid();
  check(true, 'the designed contact form is valid');
  check(await page.$('[data-testid=code] .cm-editor') === null, 'the code editor was never opened in scenario 2');

  // Test one state with TestState: a mocked Lambda answer through ResultSelector.
  await select('Validate');
  await page.click('[data-testid=test-panel] summary');
  await page.fill('[data-testid=test-input]', '{"name": "Ada", "email": "ada@example.com", "message": "Hi"}');
  await page.check('[data-testid=mock-result]');
  await page.fill('[data-testid=mock-result-text]', '{"Payload": {"name": "Ada", "email": "ada@example.com", "message": "Hi"}}');
  await page.click('[data-testid=test-run]');
  await page.waitForSelector('[data-testid=test-result]');
  await page.locator('[data-testid=test-output]').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('studio');
  const out = JSON.parse(await page.textContent('[data-testid=test-output]'));
  const next = await page.textContent('[data-testid=test-next]');
  const eff = JSON.parse(await page.textContent('[data-testid=test-effective]'));
  check(canon(out) === canon({ contact: { name: 'Ada', email: 'ada@example.com', message: 'Hi' } }) && next === 'StoreContact',
    `TestState: output ${JSON.stringify(out)}, next ${next}`);
  check(eff.FunctionName === 'validate-contact' && eff.Payload?.name === 'Ada', `TestState: effective input ${JSON.stringify(eff)}`);
  await page.fill('[data-testid=mock-result-text]', '{"Payload": 1');
  check(await page.isDisabled('[data-testid=test-run]'), 'an invalid mocked result is refused before sending');

  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=saved]');
  const cf = (await api('ListStateMachines', {})).stateMachines.find((m) => m.name === 'contact-form');
  const cfDef = JSON.parse((await api('DescribeStateMachine', { stateMachineArn: cf.stateMachineArn })).definition);
  const same = Object.keys(ex).filter((k) => canon(cfDef.States[k]) === canon(ex[k]));
  check(same.length === Object.keys(ex).length && Object.keys(cfDef.States).length === Object.keys(ex).length && cfDef.StartAt === example.StartAt && cfDef.Comment === example.Comment,
    `the contact form built in Design mode equals examples/contact-form (same states: ${same.join(', ')})`);
  for (const k of Object.keys(ex)) if (canon(cfDef.States[k]) !== canon(ex[k])) console.log(`  ${k}: got ${canon(cfDef.States[k])}\n  ${k}: want ${canon(ex[k])}`);

  check(errors.length === 0, `no page errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
} catch (e) {
  failures++;
  console.log(`FAIL ${e.stack ?? e}`);
  await page.screenshot({ path: join(profile, 'failure.png') }).then(() => console.log(`screenshot: ${join(profile, 'failure.png')}`), () => {});
} finally {
  await browser.close();
}
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
