/*
 * The console's script: every state change is a JSON POST carrying the session's CSRF token in
 * `x-csrf-token` (from the page data); the host also checks that it comes from its own origin.
 * Buttons say what they do with data attributes:
 *   data-action="post" data-url="/admin/api/..." [data-body='{"k":"v"}']  -> POST, then reload the page
 *   data-action="sync" data-corp="<corp>" data-dry-run="true|false"      -> a sync job, polled; a dry
 *                                                                            run is drawn as a diff with
 *                                                                            an "apply" button
 *   data-action="logout"                                                  -> sign out
 * Plain ES2017, no build step. The words come in the page data, in the page's language.
 */
(function () {
  'use strict';

  var dataBlock = document.getElementById('jit-page-data');
  var page = dataBlock ? JSON.parse(dataBlock.textContent) : { words: {}, errors: {}, app: { title: '' } };
  var POLL_MS = 1000;

  /** A console word, `{name}` marks filled in. */
  function word(key, values) {
    var found = (page.words && page.words[key]) || key;
    Object.keys(values || {}).forEach(function (name) { found = found.split('{' + name + '}').join(String(values[name])); });
    return found;
  }

  /** An error as people read it: the words for its code in the page's language, else the server's message. */
  function errorText(err) {
    var known = err && err.code && page.errors && page.errors[err.code];
    if (known) return known.split('{org}').join(page.app.title);
    if (err && err.code === 'NETWORK') return word('console.networkFailed');
    return word('console.failed', { message: (err && err.message) || (err && err.code) || '' });
  }

  function failure(code, message) {
    var err = new Error(message || code);
    err.code = code;
    return err;
  }

  function request(method, url, body) {
    var headers = { accept: 'application/json' };
    if (method !== 'GET') {
      headers['content-type'] = 'application/json';
      if (page.csrfToken) headers['x-csrf-token'] = page.csrfToken;
    }
    return fetch(url, { method: method, credentials: 'same-origin', headers: headers, body: method === 'GET' ? undefined : JSON.stringify(body || {}) }).then(
      function (response) {
        return response.json().then(
          function (envelope) {
            if (envelope && envelope.success === true) return envelope.data;
            var error = (envelope && envelope.error) || {};
            var err = failure(error.code || 'INTERNAL_ERROR', error.message);
            err.details = error.details;
            throw err;
          },
          function () { throw failure('INTERNAL_ERROR'); },
        );
      },
      function () { throw failure('NETWORK'); },
    );
  }

  function post(url, body) { return request('POST', url, body); }
  function get(url) { return request('GET', url); }

  /** Tiny element builder: el('p', {class: 'x', text: 'hi'}, [children]). */
  /** The shared element builder (assets/jit-dom.js, loaded before this script). */
  var el = window.JitDom.el;

  function status(text, kind) {
    var line = document.querySelector('[data-role="console-status"]');
    if (!line) return;
    line.textContent = text || '';
    line.className = 'jit-status' + (kind ? ' jit-' + kind : '');
    line.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  }

  function runPost(button) {
    var body = button.getAttribute('data-body');
    button.disabled = true;
    status(word('console.working'));
    post(button.getAttribute('data-url'), body ? JSON.parse(body) : {}).then(
      function () {
        status(word('console.done'), 'ok');
        window.location.reload();
      },
      function (err) {
        button.disabled = false;
        status(errorText(err), 'error');
        button.setAttribute('data-error', err.code || '');
      },
    );
  }

  // -- sync ---------------------------------------------------------------------------------

  function nameOf(item) {
    if (!item || typeof item !== 'object') return String(item);
    var name = item.name || item.username || '';
    return (name ? name + ' ' : '') + '(' + (item.userid || item.userId || '') + ')';
  }

  function failureText(f) {
    if (f.kind === 'member') return 'member ' + f.userid + (f.name ? ' (' + f.name + ')' : '') + ': ' + f.code + ' ' + f.message;
    return 'department ' + f.deptId + ': ' + f.code + ' ' + f.message;
  }

  /** One kind of change: a heading with its count and the members listed. */
  function changeList(role, title, items, more, describe) {
    if (!items || items.length === 0) return null;
    var list = el('ul', { 'data-role': role }, items.map(function (item) { return el('li', { text: describe(item) }); }));
    if (more) list.appendChild(el('li', { class: 'jit-muted', text: word('sync.more', { count: more }) }));
    return el('div', { class: 'jit-change' }, [el('h4', { text: title }), list]);
  }

  function drawSummary(box, corp, summary, dryRun) {
    var members = summary.members || {};
    var parts = [
      changeList('sync-added', word(dryRun ? 'sync.wouldAdd' : 'sync.added', { count: members.added || 0 }), summary.added, summary.addedMore, function (a) {
        return nameOf(a) + (a.binding ? ' · ' + a.binding : '');
      }),
      changeList('sync-updated', word(dryRun ? 'sync.wouldUpdate' : 'sync.updated', { count: members.updated || 0 }), summary.updated, summary.updatedMore, function (u) {
        return nameOf(u) + (u.changes && u.changes.length ? ': ' + u.changes.join(', ') : '');
      }),
      changeList('sync-disabled', word(dryRun ? 'sync.wouldDisable' : 'sync.disabledUsers', { count: members.disabled || 0 }), summary.disabled, summary.disabledMore, nameOf),
      changeList('sync-kept', word(dryRun ? 'sync.wouldKeep' : 'sync.kept', { count: members.leftKept || 0 }), summary.leftKept, summary.leftKeptMore, function (k) {
        return nameOf(k) + (k.reason ? ' · ' + k.reason : '');
      }),
      changeList('sync-failures', word('sync.failures', { count: (summary.failures || []).length }), summary.failures, summary.failuresMore, failureText),
    ].filter(Boolean);
    box.textContent = '';
    box.appendChild(el('h3', { text: word(dryRun ? 'sync.dryRunTitle' : 'sync.resultTitle') }));
    if (parts.length === 0) box.appendChild(el('p', { 'data-role': 'sync-nothing', text: word('sync.nothing') }));
    parts.forEach(function (part) { box.appendChild(part); });
    if (dryRun) {
      box.appendChild(el('button', {
        type: 'button',
        class: 'jit-button',
        'data-role': 'sync-apply',
        text: word('sync.apply'),
        on: { click: function (event) { startSync(event.target, corp, false); } },
      }));
    }
  }

  function poll(jobId) {
    return new Promise(function (resolve, reject) {
      function once() {
        get('/admin/api/sync/jobs/' + encodeURIComponent(jobId)).then(function (job) {
          if (job.state === 'running') return setTimeout(once, POLL_MS);
          if (job.state === 'failed') return reject(failure(job.error.code, job.error.message));
          resolve(job);
        }, reject);
      }
      once();
    });
  }

  function startSync(button, corp, dryRun) {
    var section = button.closest('section[data-corp]');
    var box = section.querySelector('[data-role="sync-result"]');
    var buttons = section.querySelectorAll('button');
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    var enable = function () { Array.prototype.forEach.call(section.querySelectorAll('button'), function (b) { b.disabled = false; }); };
    box.textContent = '';
    box.appendChild(el('p', { 'data-role': 'sync-running', text: word('sync.running') }));
    post('/admin/api/sync/start', { corp: corp, dryRun: dryRun })
      .then(function (job) { return poll(job.id); })
      .then(function (job) {
        enable();
        drawSummary(box, corp, job.summary || {}, dryRun);
        box.setAttribute('data-state', dryRun ? 'dry-run' : 'applied');
        status(word('console.done'), 'ok');
      }, function (err) {
        enable();
        box.textContent = '';
        box.appendChild(el('p', { class: 'jit-error', role: 'alert', 'data-code': err.code || '', text: errorText(err) }));
      });
  }

  // -- wiring ---------------------------------------------------------------------------------

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-action]');
    if (!button || button.disabled) return;
    var action = button.getAttribute('data-action');
    if (action === 'post') runPost(button);
    else if (action === 'sync') startSync(button, button.getAttribute('data-corp'), button.getAttribute('data-dry-run') === 'true');
    else if (action === 'logout') {
      button.disabled = true;
      post('/api/logout', {}).then(function () { window.location.assign('/'); }, function () { window.location.assign('/'); });
    } else return;
    event.preventDefault();
  });

  window.JitConsole = { page: page, word: word, errorText: errorText, post: post, get: get, el: el, status: status };
})();
