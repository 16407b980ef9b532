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
  };
  client = new LanguageClient('lambdaform', 'Lambdaform', serverOptions, clientOptions);
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `Lambdaform: cannot start \`${command} lsp\` (${error}). Set lambdaform.server.path to the lambdaform executable.`
    );
  });
  context.subscriptions.push({ dispose: () => (client ? client.stop() : undefined) });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
