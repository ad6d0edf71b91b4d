/*
 * Offline stand-in for the DingTalk H5 JSAPI (dingtalk-jsapi / dingtalk.open.js), served by the
 * jit-runtime DingTalk simulator at /standins/dingtalk.js. It plays "this page runs inside the
 * DingTalk client" for the workbench (免登) login:
 *
 *   dd.ready(cb); dd.env.platform;
 *   dd.requestAuthCode({corpId, clientId}) -> Promise<{code}>            (current API)
 *   dd.runtime.permission.requestAuthCode({corpId, onSuccess, onFail})   (older API)
 *   dd.getAuthCode({corpId}) -> Promise<{authCode, code}>                (mini-program style)
 *
 * Who is "logged in to DingTalk": the page URL's ?dd_sim_user=<userid>, else localStorage
 * dd_sim_user, else an accessible chooser listing the corp's members. The code is minted through
 * the simulator's admin route POST /__sim/codes/workbench (single use, 5 minutes).
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

  function failure(code, message) {
    return { errorCode: code, errorMessage: message };
  }

  function admin(method, route, body) {
    return fetch(simBase + '/__sim/' + route, {
      method: method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) throw failure(String(res.status), (data && data.error && data.error.message) || 'simulator error');
        return data;
      });
    }, function () {
      throw failure('-1', 'the DingTalk simulator at ' + simBase + ' did not answer');
    });
  }

  /** An accessible modal listing the corp's members; resolves with the chosen userid. */
  function chooseMember(corpId) {
    return admin('GET', 'org').then(function (org) {
      var members = org.members.filter(function (m) { return m.corpId === corpId; });
      var corp = org.corps.filter(function (c) { return c.corpId === corpId; })[0];
      if (!corp) throw failure('3', 'no organisation ' + corpId + ' in the simulator');
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
            reject(failure('-2', 'the user cancelled'));
          }
        };
        members.forEach(function (member) {
          var item = document.createElement('li');
          item.style.cssText = 'margin:4px 0';
          var button = document.createElement('button');
          button.type = 'button';
          button.textContent = 'Continue as ' + member.name + ' (' + member.userid + ')';
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
          reject(failure('-2', 'the user cancelled'));
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

  function requestCode(corpId) {
    if (!corpId) return Promise.reject(failure('3', 'corpId is required'));
    var known = storedUser();
    var who = known ? Promise.resolve(known) : chooseMember(corpId);
    return who.then(function (userid) {
      return admin('POST', 'codes/workbench', { corpId: corpId, userid: userid });
    }).then(function (data) {
      return { code: data.code };
    });
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
    requestAuthCode: function (params) {
      return withCallbacks(requestCode(params && params.corpId), params);
    },
    getAuthCode: function (params) {
      var promise = requestCode(params && params.corpId).then(function (r) { return { authCode: r.code, code: r.code }; });
      return withCallbacks(promise, params);
    },
    runtime: {
      permission: {
        requestAuthCode: function (params) {
          return withCallbacks(requestCode(params && params.corpId), params);
        },
      },
    },
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', markReady);
  else setTimeout(markReady, 0);
})();
