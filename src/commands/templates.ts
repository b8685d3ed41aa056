// "NN Lab: New Network from Template…": the shipped samples (samples/*.nn.json) as templates, opened as
// a new untitled `.nn.json` editor or saved to a file (a CSV the template reads is copied beside it).
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { applyEdits, modify, parse as parseJson } from 'jsonc-parser';

interface Template {
  file: string;
  uri: vscode.Uri;
  name: string;
  description: string;
  text: string;
  /** the CSV path the template reads, relative to the spec */
  csv?: string;
}

async function loadTemplates(extensionUri: vscode.Uri): Promise<Template[]> {
  const dir = vscode.Uri.joinPath(extensionUri, 'samples');
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return [];
  }
  const out: Template[] = [];
  for (const [file, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (type !== vscode.FileType.File || !file.endsWith('.nn.json')) continue;
    const uri = vscode.Uri.joinPath(dir, file);
    const raw = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const json: unknown = parseJson(raw);
    const obj = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    const data = typeof obj.data === 'object' && obj.data !== null ? (obj.data as Record<string, unknown>) : {};
    // the repository's relative "$schema" does not resolve elsewhere; jsonValidation covers *.nn.json
    const text = applyEdits(raw, modify(raw, ['$schema'], undefined, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
    out.push({
      file,
      uri,
      name: typeof obj.name === 'string' ? obj.name : file.replace(/\.nn\.json$/, ''),
      description: typeof obj.description === 'string' ? obj.description : '',
      text,
      ...(data.type === 'csv' && typeof data.path === 'string' ? { csv: data.path } : {}),
    });
  }
  return out;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `<folder>/xor.nn.json`, or `xor-2.nn.json`… when taken (by a file or an open untitled editor). */
async function freeName(folder: vscode.Uri, file: string): Promise<vscode.Uri> {
  const stem = file.replace(/\.nn\.json$/, '');
  for (let i = 1; ; i++) {
    const candidate = vscode.Uri.joinPath(folder, i === 1 ? file : `${stem}-${i}.nn.json`);
    const open = vscode.workspace.textDocuments.some((d) => d.uri.path === candidate.path);
    if (!open && !(await exists(candidate))) return candidate;
  }
}

/**
 * The command. Arguments (optional, e.g. from a link or a test): the template's file name
 * (`"xor.nn.json"`) and `"untitled"` to skip the questions and open it unsaved. Returns the new
 * document's uri.
 */
export async function newFromTemplate(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, file?: unknown, mode?: unknown): Promise<vscode.Uri | undefined> {
  const templates = await loadTemplates(extensionUri);
  if (!templates.length) {
    log.error(`No templates found in ${vscode.Uri.joinPath(extensionUri, 'samples').fsPath}`);
    void vscode.window.showErrorMessage('NN Lab: no templates found (the samples folder is missing from the installed extension).');
    return undefined;
  }
  let t = typeof file === 'string' ? templates.find((x) => x.file === file || x.name === file) : undefined;
  if (typeof file === 'string' && !t) {
    void vscode.window.showErrorMessage(`NN Lab: no template "${file}"; there are ${templates.map((x) => x.file).join(', ')}.`);
    return undefined;
  }
  if (!t) {
    const picked = await vscode.window.showQuickPick(
      templates.map((x) => ({ label: x.name, description: x.file, detail: x.description, template: x })),
      { title: 'New Network from Template', placeHolder: 'Pick a network to start from', matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked) return undefined;
    t = picked.template;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;

  const UNTITLED = '$(new-file) New untitled file';
  const SAVE = '$(save) Save to a file…';
  const how = t.csv
    ? SAVE // the data file has to be copied next to the spec, so it needs a place on disk
    : mode === 'untitled'
      ? UNTITLED
      : await vscode.window.showQuickPick([UNTITLED, SAVE], { title: `New ${t.file}`, placeHolder: 'Open it unsaved, or save it right away?' });
  if (!how) return undefined;

  if (how === UNTITLED) {
    // an untitled document with a *.nn.json path gets the lenses, hovers and diagnostics at once
    const base = folder ?? vscode.Uri.file(homedir());
    const target = await freeName(base, t.file);
    const doc = await vscode.workspace.openTextDocument(target.with({ scheme: 'untitled' }));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), t.text));
    return doc.uri;
  }

  const target = await vscode.window.showSaveDialog({
    title: `Save ${t.file}`,
    defaultUri: folder ? await freeName(folder, t.file) : undefined,
    filters: { 'NN Lab network spec': ['json'] },
    saveLabel: 'Create',
  });
  if (!target) return undefined;
  const uri = target.path.endsWith('.nn.json') ? target : target.with({ path: target.path.replace(/(\.json)?$/, '.nn.json') });
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(t.text));
  if (t.csv) {
    const src = vscode.Uri.joinPath(t.uri, '..', t.csv);
    const dst = vscode.Uri.joinPath(uri, '..', t.csv);
    if (!(await exists(dst))) {
      try {
        await vscode.workspace.fs.copy(src, dst);
        log.info(`Copied the template's data ${t.csv} to ${dst.fsPath}`);
      } catch (err) {
        void vscode.window.showWarningMessage(`NN Lab: could not copy the data file ${t.csv}: ${String(err)}`);
      }
    }
  }
  await vscode.window.showTextDocument(uri);
  return uri;
}
