import { randomBytes } from 'node:crypto';
import { SUBPROTOCOL } from '@oxidite/protocol';
import { INSPECTOR_TOPIC } from '../security';
import { INSPECTOR_DISCONNECT } from './inspector-rpc';

/**
 * The page: static HTML and one script, which speaks the wire protocol (PROTOCOL.md) over the
 * server's own WebSocket endpoint with the secret from its URL. Everything received is rendered
 * with `textContent`, never as HTML: topic names, user ids and payloads are other people's input.
 */
export function renderInspectorPage(wsPath: string): { readonly html: string; readonly nonce: string } {
  const nonce = randomBytes(16).toString('base64');
  const config = JSON.stringify({
    wsPath,
    protocol: SUBPROTOCOL,
    topic: INSPECTOR_TOPIC,
    disconnect: INSPECTOR_DISCONNECT,
  }).replaceAll('<', '\\u003c');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Oxidite inspector</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}h1{font-size:18px}h2{font-size:14px;margin:16px 0 4px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}#status{font-weight:bold}#tail{max-height:240px;overflow:auto;font-family:monospace;background:#fafafa;padding:4px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
</style></head>
<body>
<h1>Oxidite inspector <span id="status">connecting</span></h1>
<h2>Connections</h2>
<table><thead><tr><th>id</th><th>transport</th><th>user</th><th>address</th><th>subscriptions</th><th>queued bytes</th><th>node</th><th></th></tr></thead><tbody id="connections"></tbody></table>
<h2>Topics</h2>
<table><thead><tr><th>topic</th><th>subscribers</th><th>publishes/s</th><th>history size</th><th>node</th></tr></thead><tbody id="topics"></tbody></table>
<div class="grid"><div><h2>Recent refusals</h2><table><thead><tr><th>time</th><th>status</th><th>reason</th><th>address</th></tr></thead><tbody id="refusals"></tbody></table></div>
<div><h2>Recent closes</h2><table><thead><tr><th>time</th><th>connection</th><th>user</th><th>code</th><th>reason</th></tr></thead><tbody id="closes"></tbody></table>
<p>Close codes: <span id="close-codes"></span></p></div></div>
<h2>Tail</h2>
<form id="tail-form"><input id="tail-topic" placeholder="topic" required> <button id="tail-button">Tail</button> <span id="tail-state"></span></form>
<div id="tail"></div>
<script nonce="${nonce}">
const config = ${config};
const token = new URLSearchParams(location.search).get('access_token') || '';
const nodes = new Map();
let nextId = 1;
let tailed = null;
const $ = (id) => document.getElementById(id);
const cell = (row, value) => { const td = document.createElement('td'); td.textContent = value == null ? '' : String(value); row.append(td); return td; };
const time = (ms) => new Date(ms).toLocaleTimeString();
const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + config.wsPath + '?access_token=' + encodeURIComponent(token), [config.protocol]);
const send = (envelope) => ws.send(JSON.stringify(envelope));
ws.onopen = () => { $('status').textContent = 'live'; send({ type: 'subscribe', id: nextId++, topic: config.topic, rewind: 1 }); };
ws.onclose = (event) => { $('status').textContent = 'closed (' + event.code + ')'; };
ws.onmessage = (event) => {
  if (typeof event.data !== 'string') return;
  const envelope = JSON.parse(event.data);
  if (envelope.type === 'message' && envelope.topic === config.topic) { nodes.set(envelope.data.node, envelope.data); render(); }
  else if (envelope.type === 'message' && envelope.topic === tailed) tail(envelope);
  else if (envelope.type === 'subscribed' && envelope.topic === tailed) $('tail-state').textContent = 'tailing ' + tailed;
  else if (envelope.type === 'error' && envelope.topic === tailed) $('tail-state').textContent = envelope.code + ': ' + envelope.message;
};
function render() {
  const connections = $('connections'), topics = $('topics'), refusals = $('refusals'), closes = $('closes');
  for (const body of [connections, topics, refusals, closes]) body.replaceChildren();
  const codes = {};
  for (const [node, snapshot] of nodes) {
    for (const c of snapshot.connections) {
      const row = document.createElement('tr'); row.dataset.id = c.id;
      for (const value of [c.id, c.transport, c.user, c.address, c.subscriptions.join(' '), c.queuedBytes, node]) cell(row, value);
      const button = document.createElement('button'); button.textContent = 'Disconnect'; button.className = 'disconnect';
      button.onclick = () => send({ type: 'rpc', id: nextId++, method: config.disconnect, data: { connectionId: c.id } });
      cell(row, '').append(button); connections.append(row);
    }
    for (const t of snapshot.topics) { const row = document.createElement('tr'); for (const value of [t.topic, t.subscribers, t.rate, t.historySize, node]) cell(row, value); topics.append(row); }
    for (const r of snapshot.refusals.slice().reverse()) { const row = document.createElement('tr'); for (const value of [time(r.at), r.status, r.reason, r.address]) cell(row, value); refusals.append(row); }
    for (const c of snapshot.closes.slice().reverse()) { const row = document.createElement('tr'); row.dataset.id = c.id; for (const value of [time(c.at), c.id, c.user, c.code, c.reason]) cell(row, value); closes.append(row); }
    for (const [code, count] of Object.entries(snapshot.closeCodes)) codes[code] = (codes[code] || 0) + count;
  }
  $('close-codes').textContent = Object.entries(codes).map(([code, count]) => code + ' × ' + count).join(', ') || 'none';
}
function tail(envelope) {
  const line = document.createElement('div');
  line.textContent = envelope.offset + '  ' + JSON.stringify(envelope.data);
  $('tail').prepend(line);
  while ($('tail').childElementCount > 200) $('tail').lastChild.remove();
}
$('tail-form').onsubmit = (event) => {
  event.preventDefault();
  if (tailed) send({ type: 'unsubscribe', id: nextId++, topic: tailed });
  tailed = $('tail-topic').value.trim();
  $('tail').replaceChildren();
  send({ type: 'subscribe', id: nextId++, topic: tailed, rewind: 10 });
};
</script>
</body></html>
`;
  return { html, nonce };
}
