// VS Code client for freebusy-lsp: starts the server over stdio, passes the `freebusyLsp.*`
// settings, and adds palette commands on top of the server's workspace/executeCommand commands.
import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { parseCodeList, serverHasCommand, toPickItems } from './codes';
import { documentSelector } from './selector';
import { resolveServerPath, ResolvedServer } from './serverPath';
import { SECTION, toServerSettings } from './settings';

/** Server commands (workspace/executeCommand). */
const CMD = {
  listCodes: 'freebusy.listCodes',
  explain: 'freebusy.explain',
  createRemediationScript: 'freebusy.createRemediationScript',
  redact: 'freebusy.redact',
} as const;

/** Context key: the running server offers `freebusy.redact`. */
const CAN_REDACT = 'freebusyLsp.canRedact';
/** Read-only virtual documents holding `freebusy.explain` cards (never sent to the server). */
const EXPLAIN_SCHEME = 'freebusy-lsp-explain';

let client: LanguageClient | undefined;
let outputChannel: vscode.OutputChannel | undefined;
let starting: Promise<void> | undefined;
const explanations = new Map<string, string>();
let explanationChanged: vscode.EventEmitter<vscode.Uri> | undefined;

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A bundled binary may lose its executable bit when the .vsix is unpacked. */
function ensureExecutable(file: string, output: vscode.OutputChannel): void {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(file, 0o755);
    } catch (err) {
      output.appendLine(`Cannot make ${file} executable: ${String(err)}`);
    }
  }
}

function resolveServer(context: vscode.ExtensionContext): ResolvedServer {
  const config = vscode.workspace.getConfiguration(SECTION);
  return resolveServerPath({
    setting: config.get<string>('server.path'),
    extensionPath: context.extensionPath,
    platform: process.platform,
    envPath: process.env.PATH ?? process.env.Path,
    homeDir: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    isFile,
  });
}

function serverSettings(scope?: vscode.Uri) {
  return toServerSettings(vscode.workspace.getConfiguration(SECTION, scope));
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const server = resolveServer(context);
  const output = outputChannel!;
  if (!server.found) {
    const where =
      server.source === 'setting'
        ? `freebusyLsp.server.path points at "${server.command}", which does not exist.`
        : `"${server.command}" was not found on PATH and no server is bundled with the extension.`;
    output.appendLine(`freebusy-lsp not started: ${where}`);
    const choice = await vscode.window.showErrorMessage(
      `freebusy-lsp: ${where} Install it with "cargo install --path server --locked" or set freebusyLsp.server.path.`,
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
    }
    return;
  }
  if (server.source === 'bundled' && process.platform !== 'win32') ensureExecutable(server.command, output);
  output.appendLine(`Starting ${server.command} (${server.source})`);

  const serverOptions: ServerOptions = {
    run: { command: server.command, args: ['--stdio'] },
    debug: { command: server.command, args: ['--stdio'], options: { env: { ...process.env, RUST_BACKTRACE: '1' } } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel: output,
    synchronize: { configurationSection: SECTION },
    initializationOptions: () => serverSettings(),
    middleware: {
      workspace: {
        // Answer workspace/configuration for our section with the normalized settings.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return params.items.map((item, i) =>
            item.section === SECTION
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : result[i],
          );
        },
      },
    },
  };

  const c = new LanguageClient(SECTION, 'freebusy-lsp', serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    const canRedact = e.newState === State.Running && serverHasCommand(c.initializeResult?.capabilities, CMD.redact);
    void vscode.commands.executeCommand('setContext', CAN_REDACT, canRedact);
  });
  client = c;
  try {
    await c.start();
  } catch (err) {
    output.appendLine(`freebusy-lsp failed to start: ${String(err)}`);
    void vscode.window.showErrorMessage(`freebusy-lsp failed to start: ${String(err)}`);
    return;
  }
  const canRedact = serverHasCommand(c.initializeResult?.capabilities, CMD.redact);
  await vscode.commands.executeCommand('setContext', CAN_REDACT, canRedact);
  const info = c.initializeResult?.serverInfo;
  if (info) output.appendLine(`Running ${info.name} ${info.version ?? ''}`.trimEnd());
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  await vscode.commands.executeCommand('setContext', CAN_REDACT, false);
  if (!c) return;
  try {
    if (c.isRunning()) await c.stop(5000);
  } catch (err) {
    outputChannel?.appendLine(`Stopping freebusy-lsp: ${String(err)}`);
  }
  try {
    await c.dispose(2000);
  } catch {
    // already stopped
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (starting) await starting;
  starting = (async () => {
    await stopClient();
    await startClient(context);
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

/** The running client, or a message saying why there is none. */
async function runningClient(): Promise<LanguageClient | undefined> {
  if (starting) await starting;
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('freebusy-lsp is not running. Run "freebusy-lsp: Restart server" or check the freebusy-lsp output.');
    return undefined;
  }
  return client;
}

async function executeServerCommand<T>(c: LanguageClient, command: string, args: unknown[]): Promise<T | undefined> {
  if (!serverHasCommand(c.initializeResult?.capabilities, command)) {
    void vscode.window.showErrorMessage(`This freebusy-lsp server does not offer ${command}: update the server.`);
    return undefined;
  }
  try {
    return (await c.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`freebusy-lsp: ${command} failed: ${message}`);
    return undefined;
  }
}

async function explainCode(): Promise<void> {
  const c = await runningClient();
  if (!c) return;
  const list = await executeServerCommand<unknown>(c, CMD.listCodes, []);
  if (list === undefined) return;
  const items = toPickItems(parseCodeList(list));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('freebusy-lsp listed no codes.');
    return;
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: 'freebusy-lsp: Explain error code',
    placeHolder: 'Code or words of the error (e.g. FB026, ASURL, 8004010F)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!pick) return;
  const markdown = await executeServerCommand<unknown>(c, CMD.explain, [pick.code]);
  if (typeof markdown !== 'string') {
    if (markdown !== undefined) void vscode.window.showErrorMessage(`freebusy-lsp gave no explanation for ${pick.code}.`);
    return;
  }
  // A read-only virtual Markdown document: outside the document selector, so the server does not
  // flag the error strings quoted in the card, and VS Code never asks to save it.
  const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${pick.code}.md` });
  explanations.set(uri.toString(), markdown);
  explanationChanged?.fire(uri);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
}

/** The active editor's document, if it is one the server handles. */
function activeDocument(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || vscode.languages.match(documentSelector(), doc) === 0) {
    void vscode.window.showWarningMessage('freebusy-lsp: open a log, text, Markdown or PowerShell file first.');
    return undefined;
  }
  return doc;
}

async function runOnActiveDocument(command: string): Promise<void> {
  const doc = activeDocument();
  if (!doc) return;
  const c = await runningClient();
  if (!c) return;
  await executeServerCommand<unknown>(c, command, [c.code2ProtocolConverter.asUri(doc.uri)]);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel('freebusy-lsp');
  explanationChanged = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    outputChannel,
    explanationChanged,
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      onDidChange: explanationChanged.event,
      provideTextDocumentContent: (uri) => explanations.get(uri.toString()) ?? '',
    }),
    vscode.commands.registerCommand('freebusyLsp.explainCode', explainCode),
    vscode.commands.registerCommand('freebusyLsp.createRemediationScript', () => runOnActiveDocument(CMD.createRemediationScript)),
    vscode.commands.registerCommand('freebusyLsp.redact', () => runOnActiveDocument(CMD.redact)),
    vscode.commands.registerCommand('freebusyLsp.restartServer', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Other settings reach the running server through configurationSection.
      if (e.affectsConfiguration(`${SECTION}.server.path`)) void restart(context);
    }),
  );
  await vscode.commands.executeCommand('setContext', CAN_REDACT, false);
  starting = startClient(context).finally(() => {
    starting = undefined;
  });
  await starting;
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
