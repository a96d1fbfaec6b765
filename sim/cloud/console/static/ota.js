// The console page's OTA section: the versions the selected device reported, the packages of
// its product (upload one; start upgrading the device to one) and its upgrade jobs with their
// progress. Uses console.js's helpers ($, el, getJson, postJson, devicePath, selectedDevice);
// everything from the emulator goes on the page as text only.
'use strict';

var ota = { key: null };

function otaRow(cells) {
  var tr = document.createElement('tr');
  for (var i = 0; i < cells.length; i++) {
    var td = document.createElement('td');
    if (cells[i] instanceof Node) td.appendChild(cells[i]);
    else td.textContent = cells[i] === undefined || cells[i] === null ? '' : String(cells[i]);
    tr.appendChild(td);
  }
  return tr;
}

function otaShow(d, view) {
  var versions = Object.keys(view.versions).map(function (m) {
    return m + ' ' + view.versions[m];
  });
  $('ota-versions').textContent = versions.length ? 'reported: ' + versions.join(', ') : 'no version reported yet';
  var pk = $('ota-packages').tBodies[0];
  pk.textContent = '';
  view.packages.forEach(function (p) {
    var b = el('button', 'Upgrade this device');
    b.type = 'button';
    b.addEventListener('click', function () {
      postJson(devicePath(d) + '/ota', { packageId: p.id }).then(function (r) {
        $('ota-result').textContent = r.error ? 'refused: ' + r.error : 'upgrade started: ' + r.module + ' ' + r.version;
        otaRefresh();
      });
    });
    pk.appendChild(otaRow([p.module, p.version, p.size, p.signMethod, b]));
  });
  var jb = $('ota-jobs').tBodies[0];
  jb.textContent = '';
  view.jobs.forEach(function (j) {
    jb.appendChild(otaRow([j.module, j.fromVersion || '', j.version, j.status, j.step, j.desc]));
  });
}

function otaRefresh() {
  var d = selectedDevice();
  if (!d) return;
  getJson(devicePath(d) + '/ota').then(function (view) {
    if (selectedDevice() === d && view && view.jobs) otaShow(d, view);
  });
}

$('ota-upload').addEventListener('submit', function (e) {
  e.preventDefault();
  var d = selectedDevice();
  var file = $('ota-file').files[0];
  if (!d || !file) {
    $('ota-result').textContent = 'pick a device and a file';
    return;
  }
  var reader = new FileReader();
  reader.onload = function () {
    var url = String(reader.result);
    var body = { productKey: d.productKey, module: $('ota-module').value, version: $('ota-version').value, signMethod: $('ota-sign').value, fileName: file.name, content: url.substring(url.indexOf(',') + 1) };
    postJson('/api/ota/packages', body).then(function (r) {
      $('ota-result').textContent = r.error ? 'refused: ' + r.error : 'package ' + r.module + ' ' + r.version + ' added (' + r.size + ' bytes, md5 ' + r.md5 + ')';
      otaRefresh();
    });
  };
  reader.readAsDataURL(file);
});

setInterval(otaRefresh, 1000);
