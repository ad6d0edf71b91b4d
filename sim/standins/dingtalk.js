/*
 * Offline stand-in for the DingTalk H5 JSAPI (dingtalk-jsapi / dingtalk.open.js), served by the
 * jit-runtime DingTalk simulator at /standins/dingtalk.js. It plays "this page runs inside the
 * DingTalk client" for the workbench (免登) login:
 *
 *   dd.ready(cb); dd.env.platform;
 *   dd.requestAuthCode({corpId, clientId}) -> Promise<{code}>            (current API; both required)
 *   dd.runtime.permission.requestAuthCode({corpId, onSuccess, onFail})   (older API; corpId required)
 *   dd.getAuthCode({corpId}) -> Promise<{authCode, code}>                (mini-program style)
 *
 * A refusal goes to the fail callback (fail / onFail) and rejects the Promise with JSAPI's failure
 * object {errorCode, errorMessage}, e.g. {errorCode: -1, errorMessage: 'clientId is required'}.
 *
 * Who is "logged in to DingTalk": the page URL's ?dd_sim_user=<userid>, else localStorage
 * dd_sim_user, else an accessible chooser listing the corp's members. The code comes from the
 * simulator's stand-in route POST /standins/dd/auth-code (single use, 5 minutes), which answers only
 * pages of an allowed origin (loopback ones, and those the simulator is told about), as DingTalk's
 * client gives codes only to a page on the domain of one of the corp's apps.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var simBase = script && script.src ? new URL(script.src).origin : window.location.origin;
  var query = new URLSearchParams(window.location.search);
  var readyCallbacks = [];
  var isReady = false;

  function storedUser() {
    var fromUrl = query.get('dd_sim_user');
    if (fromUrl) return fromUrl;
    try {
      return window.localStorage.getItem('dd_sim_user');
    } catch (e) {
      return null;
    }
  }

  /** JSAPI's failure object (DingTalk's "JSAPI standard input/output object"). */
  function failure(code, message) {
    return { errorCode: code, errorMessage: message };
  }

  /** The simulator's stand-in routes; their errors already come as failure objects. */
  function standin(method, route, body) {
    return fetch(simBase + '/standins/dd/' + route, {
      method: method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) throw data && typeof data.errorCode === 'number' ? data : failure(-1, 'simulator error (HTTP ' + res.status + ')');
        return data;
      });
    }, function () {
      throw failure(-1, 'the DingTalk simulator at ' + simBase + ' did not answer (or refused this page\'s origin)');
    });
  }

  /** An accessible modal listing the corp's members; resolves with the chosen userid. */
  function chooseMember(corpId, clientId) {
    var query = '?corpId=' + encodeURIComponent(corpId) + (clientId ? '&clientId=' + encodeURIComponent(clientId) : '');
    return standin('GET', 'members' + query).then(function (answer) {
      var members = answer.members;
      var corp = answer.corp;
      return new Promise(function (resolve, reject) {
        var previousFocus = document.activeElement;
        var overlay = document.createElement('div');
        // Styles through the CSSOM, never style attributes: the host's page CSP has no 'unsafe-inline' for styles.
        overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:2147483647;font:14px system-ui,sans-serif';
        var dialog = document.createElement('div');
        dialog.setAttribute('role', 'dialog');
        dialog.setAttribute('aria-modal', 'true');
        dialog.setAttribute('aria-labelledby', 'dd-sim-title');
        dialog.style.cssText = 'background:#fff;color:#1f2329;border-radius:8px;padding:16px;max-width:360px;max-height:80vh;overflow:auto';
        var title = document.createElement('h2');
        title.id = 'dd-sim-title';
        title.textContent = 'DingTalk (simulated): who is using ' + corp.name + '?';
        title.style.cssText = 'font-size:16px;margin:0 0 8px';
        dialog.appendChild(title);
        var list = document.createElement('ul');
        list.setAttribute('aria-labelledby', 'dd-sim-title');
        list.style.cssText = 'list-style:none;margin:0;padding:0';
        var close = function () {
          document.removeEventListener('keydown', onKey, true);
          overlay.remove();
          if (previousFocus && previousFocus.focus) previousFocus.focus();
        };
        var onKey = function (event) {
          if (event.key === 'Escape') {
            close();
            reject(failure(-2, 'the user cancelled'));
          }
        };
        members.forEach(function (member) {
          var item = document.createElement('li');
          item.style.cssText = 'margin:4px 0';
          var button = document.createElement('button');
          button.type = 'button';
          button.textContent = 'Continue as ' + member.name + ' (' + member.userid + (member.external ? ', external contact' : '') + ')';
          button.style.cssText = 'font:inherit;padding:4px 10px;width:100%;text-align:left;cursor:pointer';
          button.addEventListener('click', function () {
            close();
            resolve(member.userid);
          });
          item.appendChild(button);
          list.appendChild(item);
        });
        dialog.appendChild(list);
        var cancel = document.createElement('button');
        cancel.type = 'button';
        cancel.textContent = 'Cancel';
        cancel.style.cssText = 'font:inherit;margin-top:8px;padding:4px 10px;cursor:pointer';
        cancel.addEventListener('click', function () {
          close();
          reject(failure(-2, 'the user cancelled'));
        });
        dialog.appendChild(cancel);
        overlay.appendChild(dialog);
        document.body.appendChild(overlay);
        document.addEventListener('keydown', onKey, true);
        var first = dialog.querySelector('ul button') || cancel;
        first.focus();
      });
    });
  }

  /** A workbench code for corpId (and the app clientId, when the API takes one). */
  function requestCode(corpId, clientId) {
    var known = storedUser();
    var who = known ? Promise.resolve(known) : chooseMember(corpId, clientId);
    return who.then(function (userid) {
      var body = { corpId: corpId, userid: userid };
      if (clientId) body.clientId = clientId;
      return standin('POST', 'auth-code', body);
    }).then(function (data) {
      return { code: data.code };
    });
  }

  /** The parameters an API requires, checked before anything else, as the DingTalk client does. */
  function requireParams(params, names) {
    for (var i = 0; i < names.length; i++) {
      var value = params && params[names[i]];
      if (typeof value !== 'string' || value === '') return Promise.reject(failure(-1, names[i] + ' is required'));
    }
    return null;
  }

  /** dingtalk-jsapi style: a Promise, plus the optional success/fail/complete callbacks. */
  function withCallbacks(promise, params) {
    params = params || {};
    promise.then(function (result) {
      if (typeof params.success === 'function') params.success(result);
      if (typeof params.onSuccess === 'function') params.onSuccess(result);
    }, function (error) {
      if (typeof params.fail === 'function') params.fail(error);
      if (typeof params.onFail === 'function') params.onFail(error);
    }).then(function () {
      if (typeof params.complete === 'function') params.complete();
    });
    return promise;
  }

  function markReady() {
    isReady = true;
    readyCallbacks.splice(0).forEach(function (cb) { cb(); });
  }

  window.dd = {
    version: 'jit-sim',
    env: { platform: query.get('dd_sim_platform') || 'pc' },
    ready: function (cb) {
      if (isReady) setTimeout(cb, 0);
      else readyCallbacks.push(cb);
    },
    error: function () {},
    config: function () {},
    /** The current H5 API: corpId and clientId (the app's AppKey) are both required. */
    requestAuthCode: function (params) {
      var refused = requireParams(params, ['corpId', 'clientId']);
      return withCallbacks(refused || requestCode(params.corpId, params.clientId), params);
    },
    getAuthCode: function (params) {
      var refused = requireParams(params, ['corpId']);
      var promise = refused || requestCode(params.corpId).then(function (r) { return { authCode: r.code, code: r.code }; });
      return withCallbacks(promise, params);
    },
    runtime: {
      permission: {
        /** The older H5 API, for older clients: corpId only. */
        requestAuthCode: function (params) {
          var refused = requireParams(params, ['corpId']);
          return withCallbacks(refused || requestCode(params.corpId), params);
        },
      },
    },
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', markReady);
  else setTimeout(markReady, 0);
})();
