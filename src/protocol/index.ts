// The one typed message protocol: host ↔ worker (training.ts), host ↔ webviews (webview.ts,
// walkthrough.ts) and the shared request/response helper and validation helpers (rpc.ts: Requester,
// answerRequest, Parsed, isRecord). Pure: no vscode, no DOM.
export * from './rpc';
export * from './training';
export * from './webview';
