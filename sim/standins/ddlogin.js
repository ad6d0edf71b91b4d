/*
 * Offline stand-in for DingTalk's ddlogin.js (https://g.alicdn.com/dingding/h5-dingtalk-login/.../ddlogin.js),
 * served by the jit-runtime DingTalk simulator at /standins/ddlogin.js.
 *
 * window.DTFrameLogin(frameParams, loginParams, successCbk, errorCbk) renders an iframe to the
 * simulator's /login/qr-frame page, which lists people to "scan as". The frame posts
 * {type:'jit-sim-login', authCode, state, redirectUrl} (or {type:'jit-sim-login-error', errorMsg})
 * to this window; we answer with successCbk({redirectUrl, authCode, state}) or errorCbk(errorMsg).
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var simOrigin = script && script.src ? new URL(script.src).origin : window.location.origin;
  var MIN_SIZE = 280;
  var DEFAULT_SIZE = 300;
  var LOGIN_PARAMS = ['redirect_uri', 'response_type', 'client_id', 'scope', 'prompt', 'state', 'org_type', 'corpId', 'exclusiveLogin', 'exclusiveCorpId'];
  /** One active listener per container, so calling DTFrameLogin again replaces the frame. */
  var listeners = {};

  function size(value) {
    var n = Number(value);
    return n > 0 ? Math.max(MIN_SIZE, n) : DEFAULT_SIZE;
  }

  window.DTFrameLogin = function DTFrameLogin(frameParams, loginParams, successCbk, errorCbk) {
    var fail = function (message) {
      if (typeof errorCbk === 'function') errorCbk(message);
    };
    // The checks and messages of DingTalk's own script (docs/dingtalk-facts.md §3b): these four parameters
    // here, the rest (prompt; corpId and org_type with scope "openid corpid") by the login page.
    var p = loginParams || {};
    if (!(p.client_id && p.redirect_uri && p.response_type && p.scope)) return fail('Missing parameters');
    var id = frameParams && frameParams.id;
    var container = id ? document.getElementById(id) : null;
    if (!container) return fail('Element not found');

    var query = new URLSearchParams();
    LOGIN_PARAMS.forEach(function (name) {
      var value = loginParams[name];
      if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
    });
    var iframe = document.createElement('iframe');
    iframe.src = simOrigin + '/login/qr-frame?' + query.toString();
    iframe.title = 'DingTalk QR code login (simulated)';
    iframe.width = String(size(frameParams.width));
    iframe.height = String(size(frameParams.height));
    iframe.style.border = '0';
    iframe.setAttribute('frameborder', '0');

    if (listeners[id]) window.removeEventListener('message', listeners[id]);
    listeners[id] = function (event) {
      if (event.origin !== simOrigin || event.source !== iframe.contentWindow) return;
      var data = event.data || {};
      if (data.type === 'jit-sim-login') {
        if (typeof successCbk === 'function') successCbk({ redirectUrl: data.redirectUrl, authCode: data.authCode, state: data.state });
      } else if (data.type === 'jit-sim-login-error') {
        fail(String(data.errorMsg || 'login failed'));
      }
    };
    window.addEventListener('message', listeners[id]);
    container.innerHTML = '';
    container.appendChild(iframe);
  };
})();
