// The one typed message protocol: host ↔ worker (training.ts), host ↔ webviews (webview.ts) and the
// shared request/response helper (Requester / answerRequest in webview.ts). Pure: no vscode, no DOM.
export * from './training';
export * from './webview';
