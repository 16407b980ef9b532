// The Lambdaform extension: starts `lambdaform lsp` for .lf files. Everything
// the editor shows beyond highlighting comes from the language server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('lambdaform');
  const command = config.get('server.path') || 'lambdaform';
  const codesUrl = config.get('codesUrl');
  const serverOptions = { command, args: ['lsp'], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'lambdaform' },
      { scheme: 'untitled', language: 'lambdaform' },
    ],
    initializationOptions: codesUrl ? { codesUrl } : {},
    middleware: { executeCommand: explainBeside },
  };
  client = new LanguageClient('lambdaform', 'Lambdaform', serverOptions, clientOptions);
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `Lambdaform: cannot start \`${command} lsp\` (${error}). Set lambdaform.server.path to the lambdaform executable.`
    );
  });
  context.subscriptions.push({ dispose: () => (client ? client.stop() : undefined) });
}

// A code lens's `lambdaform.explain` asks the server to `show` the text,
// which editors with no other way to show it print as a message; here it
// opens beside the code instead, and the server is asked not to.
async function explainBeside(command, args, next) {
  const shown = command === 'lambdaform.explain' && args.some((arg) => arg && arg.show);
  if (!shown) {
    return next(command, args);
  }
  const result = await next(command, args.map((arg) => ({ ...arg, show: false })));
  if (result && typeof result.text === 'string') {
    const document = await vscode.workspace.openTextDocument({ content: result.text, language: 'plaintext' });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
  return result;
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
