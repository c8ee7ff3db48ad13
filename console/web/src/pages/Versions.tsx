import { useEffect, useState } from 'preact/hooks';
import {
  createAlias, deleteAlias, deleteVersion, describeAlias, describeStateMachine, listAliases, listVersions, publishVersion, updateAlias,
  type Alias, type StateMachine, type VersionItem,
} from '../api';
import { when } from '../format';
import { parseRouting, routingBar, routingText, versionNumber, type RoutingRow } from '../versions';
import { ErrorBox } from './common';
import './versions.css';

// AWS's quotas: 1,000 versions and 100 aliases per state machine. The
// lists are read whole up to these, a page at a time.
const maxVersions = 1000;
const maxAliases = 100;
/** How many versions are described (description, revision) and shown at first. */
const versionsShown = 20;

/** A machine's versions (newest first) and aliases, as read together. */
export interface Targets {
  versions: VersionItem[];
  aliases: Alias[];
}

/** Reads a machine's versions and aliases, again whenever tick changes. */
export function useTargets(arn: string, tick: number): { targets: Targets | null; err: unknown } {
  const [targets, setTargets] = useState<Targets | null>(null);
  const [err, setErr] = useState<unknown>(null);
  useEffect(() => setTargets(null), [arn]);
  useEffect(() => {
    let live = true;
    (async () => {
      const versions: VersionItem[] = [];
      let token: string | undefined;
      do {
        const p = await listVersions(arn, token);
        versions.push(...p.stateMachineVersions);
        token = p.nextToken;
      } while (token && versions.length < maxVersions);
      const items = [];
      token = undefined;
      do {
        const p = await listAliases(arn, token);
        items.push(...p.stateMachineAliases);
        token = p.nextToken;
      } while (token && items.length < maxAliases);
      const aliases = await Promise.all(items.map((a) => describeAlias(a.stateMachineAliasArn)));
      aliases.sort((a, b) => a.name.localeCompare(b.name));
      if (!live) return;
      setTargets({ versions, aliases });
      setErr(null);
    })().catch((x) => live && setErr(x));
    return () => { live = false; };
  }, [arn, tick]);
  return { targets, err };
}

/** The label of a version in lists and selects: "Version 3". */
const versionLabel = (arn: string) => `Version ${versionNumber(arn) ?? '?'}`;

/** The Versions list: publish, describe, delete (refused while an alias routes to one). */
export function Versions({ arn, targets, onChange }: { arn: string; targets: Targets; onChange: () => void }) {
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [shown, setShown] = useState(versionsShown);
  const [details, setDetails] = useState<Map<string, StateMachine>>(new Map());
  const list = targets.versions.slice(0, shown);
  // Describe the shown versions (description and revision are not in the list).
  useEffect(() => {
    let live = true;
    const missing = list.filter((v) => !details.has(v.stateMachineVersionArn));
    if (missing.length === 0) return;
    Promise.all(missing.map((v) => describeStateMachine(v.stateMachineVersionArn).then((d) => [v.stateMachineVersionArn, d] as const)))
      .then((got) => {
        if (!live) return;
        setDetails((m) => {
          const n = new Map(m);
          for (const [k, d] of got) n.set(k, d);
          return n;
        });
      }, (x) => live && setErr(x));
    return () => { live = false; };
  }, [targets, shown]);
  const publish = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await publishVersion(arn, description.trim());
      setDescription('');
      setErr(null);
      onChange();
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (v: string) => {
    if (!confirm(`Delete ${versionLabel(v).toLowerCase()}?`)) return;
    try {
      await deleteVersion(v);
      setErr(null);
      onChange();
    } catch (x) {
      setErr(x);
    }
  };
  const routedBy = (v: string) => targets.aliases.filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === v));
  return (
    <section class="versions" aria-labelledby="versions-h" data-testid="versions">
      <div class="section-head">
        <h2 id="versions-h">Versions</h2>
        <form class="inline" onSubmit={publish} data-testid="publish">
          <input name="description" value={description} maxLength={256} aria-label="Version description (optional)"
            placeholder="description (optional)" onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
          <button type="submit" class="primary" disabled={busy}>Publish version</button>
        </form>
      </div>
      {err ? <div data-testid="versions-error"><ErrorBox err={err} /></div> : null}
      {targets.versions.length === 0 && <p class="muted">No versions. Publishing one freezes the current definition under a number.</p>}
      {list.length > 0 && (
        <table class="list" data-testid="version-list">
          <thead><tr><th>Version</th><th>Description</th><th>Created</th><th>Revision</th><th>Aliases</th><th /></tr></thead>
          <tbody>
            {list.map((v) => {
              const d = details.get(v.stateMachineVersionArn);
              const by = routedBy(v.stateMachineVersionArn);
              return (
                <tr key={v.stateMachineVersionArn} data-version={versionNumber(v.stateMachineVersionArn) ?? ''}>
                  <td class="nowrap" title={v.stateMachineVersionArn}>{versionLabel(v.stateMachineVersionArn)}</td>
                  <td data-kind="description">{d?.description ?? ''}</td>
                  <td>{when(v.creationDate)}</td>
                  <td class="arn" data-kind="revision">{d?.revisionId ?? ''}</td>
                  <td>{by.map((a) => a.name).join(', ')}</td>
                  <td><button type="button" class="small-button" onClick={() => remove(v.stateMachineVersionArn)}>Delete</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {targets.versions.length > shown && (
        <button type="button" onClick={() => setShown(shown + versionsShown)}>Show {Math.min(versionsShown, targets.versions.length - shown)} more</button>
      )}
    </section>
  );
}

/** An alias's routing as a bar, one segment per version by weight. */
function RoutingBar({ alias }: { alias: Alias }) {
  const segs = routingBar(alias.routingConfiguration);
  return (
    <div class="routing" role="img" aria-label={routingText(alias.routingConfiguration)} data-testid="routing-bar">
      {segs.map((s, i) => (
        <span key={s.arn} class={`route route-${i}`} style={{ width: `${s.weight}%` }} data-version={s.version ?? ''} data-weight={s.weight}>
          v{s.version ?? '?'} {s.weight}%
        </span>
      ))}
    </div>
  );
}

/** The Aliases list: routing by weight, with create, update and delete. */
export function Aliases({ targets, onChange }: { targets: Targets; onChange: () => void }) {
  const [editing, setEditing] = useState<Alias | 'new' | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const remove = async (a: Alias) => {
    if (!confirm(`Delete alias ${a.name}?`)) return;
    try {
      await deleteAlias(a.stateMachineAliasArn);
      setErr(null);
      if (editing !== 'new' && editing?.stateMachineAliasArn === a.stateMachineAliasArn) setEditing(null);
      onChange();
    } catch (x) {
      setErr(x);
    }
  };
  return (
    <section class="aliases" aria-labelledby="aliases-h" data-testid="aliases">
      <div class="section-head">
        <h2 id="aliases-h">Aliases</h2>
        <button type="button" onClick={() => setEditing('new')} disabled={targets.versions.length === 0}
          title={targets.versions.length === 0 ? 'Publish a version first' : undefined}>Create alias</button>
      </div>
      {err ? <div data-testid="aliases-error"><ErrorBox err={err} /></div> : null}
      {targets.aliases.length === 0 && <p class="muted">No aliases. An alias routes executions to one or two versions by weight.</p>}
      {targets.aliases.length > 0 && (
        <table class="list" data-testid="alias-list">
          <thead><tr><th>Name</th><th>Description</th><th>Routing</th><th>Updated</th><th /></tr></thead>
          <tbody>
            {targets.aliases.map((a) => (
              <tr key={a.stateMachineAliasArn} data-alias={a.name}>
                <td title={a.stateMachineAliasArn}>{a.name}</td>
                <td>{a.description ?? ''}</td>
                <td class="routing-cell"><RoutingBar alias={a} /><span class="small muted" data-kind="routing">{routingText(a.routingConfiguration)}</span></td>
                <td>{when(a.updateDate ?? a.creationDate)}</td>
                <td class="row-actions">
                  <button type="button" class="small-button" onClick={() => setEditing(a)}>Edit</button>{' '}
                  <button type="button" class="small-button" onClick={() => remove(a)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <AliasForm key={editing === 'new' ? 'new' : editing.stateMachineAliasArn} alias={editing === 'new' ? null : editing}
          versions={targets.versions} onDone={() => { setEditing(null); onChange(); }} onCancel={() => setEditing(null)} />
      )}
    </section>
  );
}

/** Creates an alias (alias null) or updates one: its description and one or two versions with weights. */
function AliasForm({ alias, versions, onDone, onCancel }: {
  alias: Alias | null; versions: VersionItem[]; onDone: () => void; onCancel: () => void;
}) {
  const [name, setName] = useState(alias?.name ?? '');
  const [description, setDescription] = useState(alias?.description ?? '');
  const [rows, setRows] = useState<RoutingRow[]>(() => {
    const r = (alias?.routingConfiguration ?? []).map((x) => ({ version: x.stateMachineVersionArn, weight: String(x.weight) }));
    if (r.length === 0) r.push({ version: versions[0]?.stateMachineVersionArn ?? '', weight: '100' });
    if (r.length === 1) r.push({ version: '', weight: '0' });
    return r;
  });
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseRouting(rows);
  const problem = 'error' in parsed ? parsed.error : '';
  const set = (i: number, k: keyof RoutingRow, v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const submit = async (e: Event) => {
    e.preventDefault();
    if ('error' in parsed) return;
    setBusy(true);
    try {
      if (alias) await updateAlias(alias.stateMachineAliasArn, description.trim(), parsed.routing);
      else await createAlias(name.trim(), description.trim(), parsed.routing);
      onDone();
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="alias-form" onSubmit={submit} data-testid="alias-form">
      <h3>{alias ? `Update alias ${alias.name}` : 'Create an alias'}</h3>
      <label>Name
        <input name="name" value={name} disabled={!!alias} maxLength={80} required onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label>Description (optional)
        <input name="description" value={description} maxLength={256} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
      </label>
      <fieldset>
        <legend>Routing (one or two versions; weights sum to 100)</legend>
        {rows.map((r, i) => (
          <div class="route-row" key={i} data-row={i}>
            <select name={`version${i}`} aria-label={`Version ${i + 1}`} value={r.version} onChange={(e) => set(i, 'version', (e.target as HTMLSelectElement).value)}>
              {i > 0 && <option value="">(none)</option>}
              {versions.map((v) => <option key={v.stateMachineVersionArn} value={v.stateMachineVersionArn}>{versionLabel(v.stateMachineVersionArn)}</option>)}
            </select>
            <input name={`weight${i}`} aria-label={`Weight of version ${i + 1} (%)`} inputMode="numeric" value={r.weight}
              disabled={r.version === ''} onInput={(e) => set(i, 'weight', (e.target as HTMLInputElement).value)} />
            <span class="muted">%</span>
          </div>
        ))}
      </fieldset>
      <p class={problem ? 'error small' : 'ok small'} aria-live="polite" data-testid="routing-problem">{problem || routingText('routing' in parsed ? parsed.routing : [])}</p>
      {err ? <div data-testid="alias-form-error"><ErrorBox err={err} /></div> : null}
      <button type="submit" class="primary" disabled={!!problem || busy}>{alias ? 'Update alias' : 'Create alias'}</button>{' '}
      <button type="button" onClick={onCancel}>Cancel</button>
    </form>
  );
}
