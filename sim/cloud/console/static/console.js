// The console page: plain DOM, no framework. Every value from the emulator is device data, so
// it is only ever put on the page as text (textContent / value), never as markup.
'use strict';

var MAX_LOG_ROWS = 300;
var SVG = 'http://www.w3.org/2000/svg';
var SPARK_W = 120;
var SPARK_H = 28;
var state = { devices: [], selected: null, product: null, pickedService: null, lastSeq: 0, seen: {}, messages: [] };

function $(id) {
  return document.getElementById(id);
}

/** Creates an element with text content and optional class. */
function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function keyOf(pk, dn) {
  return pk + '/' + dn;
}

function devicePath(d) {
  return '/api/devices/' + encodeURIComponent(d.productKey) + '/' + encodeURIComponent(d.deviceName);
}

function getJson(url) {
  return fetch(url, { cache: 'no-store' }).then(function (r) {
    return r.json();
  });
}

function postJson(url, body) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (r) {
    return r.json();
  });
}

function timeText(ms) {
  var d = new Date(ms);
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

function selectedDevice() {
  if (!state.selected) return null;
  for (var i = 0; i < state.devices.length; i++) {
    var d = state.devices[i];
    if (keyOf(d.productKey, d.deviceName) === state.selected) return d;
  }
  return null;
}

// ---- device list -------------------------------------------------------------------------

function deviceButton(d) {
  var b = el('button', null, keyOf(d.productKey, d.deviceName) === state.selected ? 'selected' : '');
  b.type = 'button';
  b.appendChild(el('span', null, d.online ? 'dot on' : 'dot'));
  b.appendChild(el('span', d.deviceName));
  b.appendChild(el('span', d.nodeType === 'device' ? '' : d.nodeType, 'kind'));
  b.title = keyOf(d.productKey, d.deviceName) + (d.productName ? ' · ' + d.productName : '') + (d.online ? ' · online' : ' · offline');
  b.dataset.key = keyOf(d.productKey, d.deviceName);
  b.addEventListener('click', function () {
    select(keyOf(d.productKey, d.deviceName));
  });
  return b;
}

function renderDevices() {
  var list = $('devices');
  list.textContent = '';
  var byKey = {};
  state.devices.forEach(function (d) {
    byKey[keyOf(d.productKey, d.deviceName)] = d;
  });
  state.devices.forEach(function (d) {
    if (d.gateway && byKey[d.gateway]) return; // shown under its gateway
    var li = el('li');
    li.appendChild(deviceButton(d));
    if (d.subDevices && d.subDevices.length) {
      var ul = el('ul');
      d.subDevices.forEach(function (s) {
        var sub = byKey[keyOf(s.productKey, s.deviceName)];
        if (!sub) return;
        var sli = el('li');
        sli.appendChild(deviceButton(sub));
        ul.appendChild(sli);
      });
      li.appendChild(ul);
    }
    list.appendChild(li);
  });
}

function refreshDevices() {
  return getJson('/api/devices').then(function (devices) {
    state.devices = devices;
    renderDevices();
    renderHeader();
  });
}

// ---- selected device ---------------------------------------------------------------------

function renderHeader() {
  var d = selectedDevice();
  $('no-selection').hidden = !!d;
  $('device-panel').hidden = !d;
  if (!d) return;
  $('dev-title').textContent = d.productKey + ' / ' + d.deviceName;
  var st = $('dev-state');
  st.textContent = d.disabled ? 'disabled' : d.online ? 'online' : 'offline';
  st.className = d.online ? 'badge on' : 'badge';
  var meta = (d.productName || 'product') + ' · ' + d.nodeType;
  if (d.tls !== undefined) meta += ' · ' + (d.tls ? 'MQTT over TLS' : 'MQTT over TCP');
  if (d.gateway) meta += ' · via gateway ' + d.gateway;
  $('dev-meta').textContent = meta;
  var subs = $('subdevices');
  subs.textContent = '';
  $('subdevices-section').hidden = !(d.subDevices && d.subDevices.length);
  (d.subDevices || []).forEach(function (s) {
    var li = el('li');
    li.appendChild(el('span', null, s.online ? 'dot on' : 'dot'));
    li.appendChild(el('span', s.productKey + ' / ' + s.deviceName + (s.online ? ' · online' : ' · offline')));
    subs.appendChild(li);
  });
}

/** A small line chart of a property's recent numeric values (inline SVG, oldest on the left). */
function sparkline(samples) {
  var svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', SPARK_W);
  svg.setAttribute('height', SPARK_H);
  svg.setAttribute('viewBox', '0 0 ' + SPARK_W + ' ' + SPARK_H);
  var values = samples.map(function (s) {
    return s.value;
  });
  var lo = Math.min.apply(null, values);
  var hi = Math.max.apply(null, values);
  var span = hi - lo || 1;
  var step = samples.length > 1 ? (SPARK_W - 4) / (samples.length - 1) : 0;
  var points = values.map(function (v, i) {
    return (2 + i * step).toFixed(1) + ',' + (SPARK_H - 3 - ((v - lo) / span) * (SPARK_H - 6)).toFixed(1);
  });
  var line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.appendChild(line);
  var last = points[points.length - 1].split(',');
  var dot = document.createElementNS(SVG, 'circle');
  dot.setAttribute('cx', last[0]);
  dot.setAttribute('cy', last[1]);
  dot.setAttribute('r', '2');
  svg.appendChild(dot);
  var title = document.createElementNS(SVG, 'title');
  title.textContent = samples.length + ' values, min ' + lo + ', max ' + hi;
  svg.appendChild(title);
  svg.dataset.points = String(samples.length);
  return svg;
}

function renderProperties(props, history) {
  var body = $('properties').tBodies[0];
  body.textContent = '';
  var ids = Object.keys(props).sort();
  $('properties-empty').hidden = ids.length > 0;
  ids.forEach(function (id) {
    var tr = el('tr');
    tr.dataset.property = id;
    tr.appendChild(el('td', id));
    tr.appendChild(el('td', JSON.stringify(props[id].value), 'value'));
    tr.appendChild(el('td', timeText(props[id].time)));
    var chart = el('td', null, 'chart');
    var samples = history[id] || [];
    if (samples.length) chart.appendChild(sparkline(samples));
    tr.appendChild(chart);
    body.appendChild(tr);
  });
}

function renderFiles(d, files) {
  var body = $('files').tBodies[0];
  body.textContent = '';
  $('files-empty').hidden = files.length > 0;
  files.forEach(function (f) {
    var tr = el('tr');
    var td = el('td');
    var a = el('a', f.fileName);
    a.href = devicePath(d) + '/files/' + encodeURIComponent(f.fileName);
    a.setAttribute('download', '');
    td.appendChild(a);
    tr.appendChild(td);
    tr.appendChild(el('td', f.size + ' B'));
    body.appendChild(tr);
  });
}

function renderServices(product) {
  var list = $('service-ids');
  list.textContent = '';
  ((product && product.services) || []).forEach(function (s) {
    var o = el('option');
    o.value = s.identifier;
    o.textContent = s.identifier + (s.callType ? ' (' + s.callType + ')' : '');
    list.appendChild(o);
  });
}

/** The property picker of the set form: the thing model's writable properties. */
function renderPropertyChoices(product) {
  var select = $('set-property');
  while (select.options.length > 1) select.remove(1);
  ((product && product.properties) || []).forEach(function (p) {
    if (p.accessMode === 'r') return;
    var o = el('option', p.identifier + ' (' + p.type + ')');
    o.value = p.identifier;
    select.appendChild(o);
  });
  select.hidden = select.options.length <= 1;
  select.previousElementSibling.hidden = select.hidden;
}

/** A value of the thing model's type to start editing from. */
function sampleValue(type) {
  if (type === 'text') return '';
  if (type === 'date') return String(Date.now());
  if (type === 'struct') return {};
  if (type === 'array') return [];
  return 0;
}

/** Adds the picked property to the params being edited (keeping what is there). */
function onPickProperty() {
  var select = $('set-property');
  var id = select.value;
  select.value = '';
  if (!id) return;
  var params;
  try {
    params = JSON.parse($('set-params').value || '{}');
  } catch (e) {
    params = {};
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) params = {};
  var def = ((state.product && state.product.properties) || []).filter(function (p) {
    return p.identifier === id;
  })[0];
  if (!(id in params)) params[id] = sampleValue(def ? def.type : 'int');
  $('set-params').value = JSON.stringify(params, null, 1);
}

/** Picking (or typing) a service of the thing model fills in its inputs and whether it is
 *  synchronous, once per service picked, so that editing the params afterwards is kept. */
function onPickService() {
  var id = $('service-id').value.trim();
  var def = ((state.product && state.product.services) || []).filter(function (s) {
    return s.identifier === id;
  })[0];
  if (!def || state.pickedService === id) return;
  state.pickedService = id;
  var params = {};
  (def.inputs || []).forEach(function (i) {
    params[i.identifier] = sampleValue(i.type);
  });
  $('service-params').value = JSON.stringify(params, null, 1);
  $('service-sync').checked = def.callType === 'sync';
}

function refreshDetail() {
  var d = selectedDevice();
  if (!d) return Promise.resolve();
  return Promise.all([getJson(devicePath(d) + '/properties'), getJson(devicePath(d) + '/files'), getJson(devicePath(d) + '/history')]).then(function (r) {
    if (selectedDevice() !== d) return;
    renderProperties(r[0], r[2]);
    renderFiles(d, r[1]);
  });
}

/** What was typed or answered for one device means nothing for the next one. */
function resetForms() {
  $('set-params').value = '{}';
  $('set-property').value = '';
  $('set-result').textContent = '';
  $('set-result').className = 'result';
  $('service-id').value = '';
  state.pickedService = null;
  $('service-params').value = '{}';
  $('service-sync').checked = false;
  $('service-calls').textContent = '';
  $('properties').tBodies[0].textContent = '';
  renderServices(null);
  renderPropertyChoices(null);
}

function select(key) {
  var changed = key !== state.selected;
  state.selected = key;
  if (location.hash !== '#' + key) history.replaceState(null, '', '#' + key);
  if (changed) {
    state.product = null;
    resetForms();
  }
  renderDevices();
  renderHeader();
  renderLog();
  var d = selectedDevice();
  if (!d) return;
  getJson('/api/products/' + encodeURIComponent(d.productKey)).then(function (p) {
    if (selectedDevice() !== d) return;
    state.product = p;
    renderServices(p);
    renderPropertyChoices(p);
  });
  refreshDetail();
}

// ---- actions -----------------------------------------------------------------------------

/** Shows a DownlinkResult: the device's reply code and data, or why there was none. */
function showResult(box, r) {
  var text;
  var good = false;
  if (!r || r.error) text = 'error: ' + (r ? r.error : 'no answer');
  else if (r.status === 'reply') {
    good = r.code === 200;
    text = 'reply code ' + r.code + (r.message ? ' · ' + r.message : '') + '\ndata: ' + JSON.stringify(r.data);
  } else if (r.status === 'refused') text = 'refused by the cloud: ' + r.code + ' ' + r.message;
  else if (r.status === 'timeout') text = 'timeout: the device did not answer';
  else if (r.status === 'offline') text = 'offline: the device is not connected';
  else text = JSON.stringify(r);
  box.textContent = text;
  box.className = 'result ' + (good ? 'good' : 'bad');
}

function parseParams(textarea, box) {
  try {
    var v = JSON.parse(textarea.value || '{}');
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('params must be a JSON object');
    return v;
  } catch (e) {
    box.textContent = 'invalid JSON: ' + e.message;
    box.className = 'result bad';
    return null;
  }
}

function onSetProperties(ev) {
  ev.preventDefault();
  var d = selectedDevice();
  var box = $('set-result');
  var params = parseParams($('set-params'), box);
  if (!d || !params) return;
  box.textContent = 'waiting for the device…';
  box.className = 'result';
  postJson(devicePath(d) + '/properties', { params: params }).then(function (r) {
    showResult(box, r);
  }, function (e) {
    showResult(box, { error: e.message });
  });
}

/** Each call gets its own entry, newest first, and its result appears in that entry. */
function newCall(text) {
  var li = el('li', null, 'call');
  li.appendChild(el('div', text, 'call-what'));
  var box = el('pre', null, 'result');
  li.appendChild(box);
  var list = $('service-calls');
  list.insertBefore(li, list.firstChild);
  return box;
}

function onInvokeService(ev) {
  ev.preventDefault();
  var d = selectedDevice();
  var id = $('service-id').value.trim();
  var sync = $('service-sync').checked;
  var box = newCall(id + ' ' + $('service-params').value.replace(/\s+/g, ' ') + (sync ? ' · sync' : ''));
  var params = parseParams($('service-params'), box);
  if (!d || !params) return;
  if (!id) {
    box.textContent = 'enter a service identifier';
    box.className = 'result bad';
    return;
  }
  box.textContent = 'waiting for the device…';
  box.className = 'result';
  postJson(devicePath(d) + '/services/' + encodeURIComponent(id), { params: params, sync: sync }).then(function (r) {
    showResult(box, r);
  }, function (e) {
    showResult(box, { error: e.message });
  });
}

// ---- message log -------------------------------------------------------------------------

function messageRow(m) {
  var tr = el('tr', null, m.direction + (m.verdict === 'ok' || m.verdict === 'replied' ? '' : ' problem'));
  tr.appendChild(el('td', timeText(m.time)));
  tr.appendChild(el('td', m.direction === 'up' ? '↑' : '↓', 'dir'));
  tr.appendChild(el('td', m.deviceName || ''));
  tr.appendChild(el('td', m.topic, 'topic'));
  var payload = m.payload.length > 300 ? m.payload.slice(0, 300) + '…' : m.payload;
  tr.appendChild(el('td', payload, 'payload'));
  tr.appendChild(el('td', m.verdict + (m.code !== undefined ? ' ' + m.code : '') + (m.detail ? ' · ' + m.detail : ''), 'verdict'));
  return tr;
}

function shown(m) {
  if ($('log-selected-only').checked && state.selected && keyOf(m.productKey, m.deviceName) !== state.selected) return false;
  var words = $('log-filter').value.trim().toLowerCase();
  if (!words) return true;
  var text = [m.deviceName || '', m.productKey || '', m.topic, m.payload, m.verdict, m.code === undefined ? '' : m.code, m.detail || ''].join(' ').toLowerCase();
  return words.split(/\s+/).every(function (w) {
    return text.indexOf(w) >= 0;
  });
}

function renderLog() {
  var body = $('messages').tBodies[0];
  body.textContent = '';
  for (var i = state.messages.length - 1; i >= 0; i--) if (shown(state.messages[i])) body.appendChild(messageRow(state.messages[i]));
}

function addMessage(m) {
  // An uplink's entry is numbered on arrival but sent once its verdict is known, i.e. after
  // the reply it caused: seq order is not arrival order, so duplicates are found by seq.
  if (state.seen[m.seq]) return;
  state.seen[m.seq] = true;
  if (m.seq > state.lastSeq) state.lastSeq = m.seq;
  state.messages.push(m);
  if (state.messages.length > MAX_LOG_ROWS) delete state.seen[state.messages.shift().seq];
  if (!shown(m)) return;
  var body = $('messages').tBodies[0];
  body.insertBefore(messageRow(m), body.firstChild);
  while (body.rows.length > MAX_LOG_ROWS) body.deleteRow(body.rows.length - 1);
}

// ---- live updates ------------------------------------------------------------------------

var pending = null;
/** Many messages arrive in bursts; refresh the views at most a few times a second. */
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(function () {
    pending = null;
    refreshDevices().then(refreshDetail);
  }, 150);
}

function connectStream() {
  var live = $('live');
  var es = new EventSource('/api/stream');
  es.onopen = function () {
    live.textContent = '● live';
    live.className = 'live';
    // Catch up on what happened while disconnected (a little overlap for late verdicts).
    getJson('/api/messages?after=' + Math.max(0, state.lastSeq - 100)).then(function (list) {
      list.forEach(addMessage);
    });
    refreshSoon();
  };
  es.onerror = function () {
    live.textContent = 'reconnecting…';
    live.className = 'live off';
  };
  es.addEventListener('message', function (ev) {
    addMessage(JSON.parse(ev.data));
    refreshSoon();
  });
  es.addEventListener('presence', refreshSoon);
  es.addEventListener('properties', refreshSoon);
}

function start() {
  $('set-form').addEventListener('submit', onSetProperties);
  $('service-form').addEventListener('submit', onInvokeService);
  $('log-selected-only').addEventListener('change', renderLog);
  $('log-filter').addEventListener('input', renderLog);
  $('set-property').addEventListener('change', onPickProperty);
  $('service-id').addEventListener('input', onPickService);
  refreshDevices().then(function () {
    var fromHash = decodeURIComponent(location.hash.slice(1));
    var first = state.devices[0];
    if (fromHash) select(fromHash);
    else if (first) select(keyOf(first.productKey, first.deviceName));
  });
  connectStream();
  // Sub-device logins and logouts have no event of their own: a slow poll keeps them fresh.
  setInterval(refreshSoon, 3000);
}

document.addEventListener('DOMContentLoaded', start);
