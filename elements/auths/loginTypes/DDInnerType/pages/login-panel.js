/*
 * DDInnerType's login panel, served by the host as this Type's frontendBundleEntry. Plain ES2017,
 * no build step. Two modes:
 *  - 'login' (/login): DingTalk's QR frame (window.DTFrameLogin) with a fresh single-use state from
 *    getLoginConfig; the authCode goes to getLoginCode. BIND_REQUIRED opens the bind form (a local
 *    password, or phone + verification code) which calls DDInnerAuthSvc.completeBinding. A
 *    "full-page sign-in" button runs the redirect flow, which returns to /login/callback/<instance>.
 *    Under scope `openid corpid` the full-page flow is the only one (see loginMode).
 *  - 'workbench' (/login/workbench, inside the DingTalk client): dd.requestAuthCode, then
 *    DDInnerAuthSvc.loginByWorkbench, without a click.
 *
 * Its words come from this Type (pages/panel-words.ts) in the page's language: `panel.text(key)`.
 *
 * A bind ticket is never read from, or written to, a URL (issue #16): it comes only in a login
 * result, or in the page data of the redirect callback's answer (page.pendingBind), and it is
 * bound to this browser anyway. The bind form names the DingTalk account being linked, so a person
 * who was sent someone else's bind form sees that it is not theirs.
 */
(function () {
  'use strict';

  var AUTH_SERVICE = 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc';
  /** States live 5 minutes; a frame left open is renewed before its state expires. */
  var STATE_RENEW_MS = 4 * 60 * 1000;
  var frameCount = 0;

  function callbackUrl(panel, config) {
    // getLoginConfig gives the callback as a path on this host; DingTalk needs the absolute URL.
    return new URL(config.redirectUri || '/login/callback/' + panel.instance.fullName, window.location.origin).href;
  }

  function wantsCorp(scope) {
    return /\bcorpid\b/.test(scope || '');
  }

  /**
   * 'qr' (the embedded frame) under scope `openid`; 'full-page' under `openid corpid`. DingTalk's
   * docs make `org_type` and `corpId` required for the frame under `openid corpid`, and the only
   * `org_type` they document is `management`, which lists only the organisations a person
   * administers and so locks out every ordinary employee: it is never sent. The full-page
   * authorize page takes `openid corpid` without `org_type` (docs/dingtalk.md).
   */
  function loginMode(config) {
    return wantsCorp(config.scope) ? 'full-page' : 'qr';
  }

  /** The QR frame's parameters (scope `openid` only): never `org_type`. */
  function loginParams(panel, config) {
    return {
      redirect_uri: encodeURIComponent(callbackUrl(panel, config)),
      response_type: 'code',
      client_id: config.appKey,
      scope: config.scope || 'openid',
      prompt: 'consent',
      state: config.state,
    };
  }

  /** The redirect flow: a fresh state, then DingTalk's authorize page, which comes back to the callback. */
  function startFullPage(panel) {
    panel.setStatus(panel.text('opening'));
    return panel.call('getLoginConfig').then(function (config) {
      var query = new URLSearchParams({
        redirect_uri: callbackUrl(panel, config),
        response_type: 'code',
        client_id: config.appKey,
        scope: config.scope || 'openid',
        prompt: 'consent',
        state: config.state,
      });
      // With scope `openid corpid` DingTalk asks for the organisation: pre-select ours (never org_type).
      if (wantsCorp(config.scope) && config.corpId) query.set('corpId', config.corpId);
      window.location.assign(config.loginUrl.replace(/\/+$/, '') + '/oauth2/auth?' + query.toString());
    }, panel.showError);
  }

  /** What to do with a login result: signed in, or prove a local account first. */
  function handleResult(panel, result) {
    if (result && result.status === 'BIND_REQUIRED') return showBindForm(panel, result);
    panel.signedIn(result);
  }

  function retryButton(panel, label) {
    return panel.el('button', { type: 'button', class: 'jit-button', 'data-role': 'retry', text: label || panel.text('tryAgain'), on: { click: function () { mountQr(panel); } } });
  }

  function showFailure(panel, err) {
    panel.showError(err);
    panel.replace([retryButton(panel, err && err.code === 'BIND_TICKET_INVALID' ? panel.text('startAgain') : panel.text('tryAgain'))]);
  }

  /** Scope `openid corpid`: one button to DingTalk's own sign-in page, where the person picks the organisation. */
  function mountFullPage(panel) {
    var el = panel.el;
    panel.setStatus('');
    panel.replace([
      el('p', { class: 'jit-muted', text: panel.text('fullPageIntro') }),
      el('button', { type: 'button', class: 'jit-button', 'data-role': 'full-page', text: panel.text('signInWithDingTalk'), on: { click: function () { startFullPage(panel); } } }),
    ]);
  }

  function mountQr(panel) {
    var el = panel.el;
    var frameId = 'jit-dd-qr-' + ++frameCount;
    var mountedAt = frameCount;
    panel.setStatus('');
    panel.replace([
      el('div', { id: frameId, class: 'jit-qr', 'data-role': 'qr-frame', 'aria-label': panel.text('qrLabel') }),
      el('p', { class: 'jit-muted' }, [
        panel.text('scanHint'),
        el('button', { type: 'button', class: 'jit-link', 'data-role': 'full-page', text: panel.text('useFullPage'), on: { click: function () { startFullPage(panel); } } }),
      ]),
    ]);
    return panel.call('getLoginConfig').then(function (config) {
      if (loginMode(config) === 'full-page') return mountFullPage(panel);
      if (typeof window.DTFrameLogin !== 'function') {
        panel.showError({ code: 'FRAME_UNAVAILABLE' });
        return;
      }
      var renew = setTimeout(function () {
        if (mountedAt === frameCount && document.getElementById(frameId)) mountQr(panel);
      }, STATE_RENEW_MS);
      window.DTFrameLogin(
        { id: frameId, width: 300, height: 300 },
        loginParams(panel, config),
        function (login) {
          clearTimeout(renew);
          panel.setStatus(panel.text('signingIn'));
          panel
            .call('getLoginCode', { code: login.authCode, loginType: 'qr', platform: 'web', state: login.state || config.state })
            .then(function (result) { handleResult(panel, result); }, function (err) { showFailure(panel, err); });
        },
        function (errorMsg) {
          clearTimeout(renew);
          showFailure(panel, { code: 'DINGTALK_CANCELLED', message: String(errorMsg || '') });
        },
      );
    }, function (err) { showFailure(panel, err); });
  }

  /** Who is being linked: the DingTalk account's picture, name and organisation (from the BIND_REQUIRED result). */
  function memberCard(panel, member) {
    var el = panel.el;
    var corp = member.corpName || member.corpId || '';
    var avatar = typeof member.avatar === 'string' && /^https:\/\//.test(member.avatar)
      ? el('img', { class: 'jit-avatar', 'data-role': 'bind-member-avatar', src: member.avatar, alt: '', width: '40', height: '40', referrerpolicy: 'no-referrer' })
      : null;
    return el('div', { class: 'jit-card', 'data-role': 'bind-member' }, [
      avatar,
      el('p', {}, [
        panel.text('dingtalkAccount'),
        el('strong', { 'data-role': 'bind-member-name', text: member.name || '' }),
        corp ? el('span', { class: 'jit-muted', 'data-role': 'bind-member-corp', text: ' (' + corp + ')' }) : null,
      ]),
    ]);
  }

  /** After the link: signed in, and a line saying which DingTalk account is now linked to which account. */
  function linked(panel, member, result) {
    panel.signedIn(result);
    var user = (result && result.user) || {};
    var card = panel.body.querySelector('[data-role="signed-in"]');
    if (!card || !member) return;
    card.insertBefore(
      panel.el('p', { 'data-role': 'linked', text: panel.text('linked', { member: member.name || '', username: user.username || '' }) }),
      card.firstChild,
    );
  }

  /**
   * The bindExisting step: prove a local account with its password, or a phone and a texted code.
   * `pending` is the BIND_REQUIRED result: {bindTicket, expiresAt, member}.
   */
  function showBindForm(panel, pending) {
    var el = panel.el;
    var id = panel.section.id;
    var bindTicket = pending.bindTicket;
    var member = pending.member || { name: '', avatar: null, corpId: '' };
    var complete = function (proof) { return panel.callElement(AUTH_SERVICE, 'completeBinding', { bindTicket: bindTicket, proof: proof }); };
    var done = function (result) {
      if (result && result.status === 'LOGGED_IN') linked(panel, member, result);
      else handleResult(panel, result);
    };
    var onError = function (err) {
      if (err && err.code === 'BIND_TICKET_INVALID') showFailure(panel, err);
      else panel.showError(err);
    };

    var username = el('input', { id: id + '-bind-username', name: 'username', autocomplete: 'username', required: true });
    var password = el('input', { id: id + '-bind-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    var passwordForm = el('form', { class: 'jit-form', id: id + '-bind-password-form', role: 'tabpanel', 'aria-labelledby': id + '-tab-password', 'data-role': 'bind-password' }, [
      el('label', { for: username.id, text: panel.text('username') }), username,
      el('label', { for: password.id, text: panel.text('password') }), password,
      el('button', { type: 'submit', text: panel.text('linkAndSignIn') }),
    ]);
    passwordForm.addEventListener('submit', function (event) {
      event.preventDefault();
      panel.setStatus(panel.text('checking'));
      complete({ username: username.value, password: password.value }).then(done, onError);
    });

    var phone = el('input', { id: id + '-bind-phone', name: 'phone', type: 'tel', autocomplete: 'tel', required: true });
    var code = el('input', { id: id + '-bind-code', name: 'verificationCode', inputmode: 'numeric', autocomplete: 'one-time-code' });
    var codeLabel = el('label', { for: code.id, text: panel.text('verificationCode'), hidden: true });
    code.hidden = true;
    var phoneButton = el('button', { type: 'submit', 'data-role': 'send-code', text: panel.text('sendCode') });
    var phoneForm = el('form', { class: 'jit-form', id: id + '-bind-phone-form', role: 'tabpanel', 'aria-labelledby': id + '-tab-phone', 'data-role': 'bind-phone', hidden: true }, [
      el('label', { for: phone.id, text: panel.text('phone') }), phone,
      codeLabel, code,
      phoneButton,
    ]);
    phoneForm.addEventListener('submit', function (event) {
      event.preventDefault();
      if (code.hidden) {
        panel.setStatus(panel.text('sendingCode'));
        complete({ phone: phone.value }).then(function (result) {
          if (result && result.status === 'CODE_SENT') {
            codeLabel.hidden = false;
            code.hidden = false;
            code.required = true;
            phoneButton.textContent = panel.text('linkAndSignIn');
            panel.setStatus(panel.text('codeSent'), 'ok');
            code.focus();
          } else done(result);
        }, onError);
      } else {
        panel.setStatus(panel.text('checking'));
        complete({ phone: phone.value, verificationCode: code.value.trim() }).then(done, onError);
      }
    });

    var tabs = [
      el('button', { type: 'button', role: 'tab', id: id + '-tab-password', 'aria-controls': passwordForm.id, 'aria-selected': 'true', text: panel.text('tabPassword') }),
      el('button', { type: 'button', role: 'tab', id: id + '-tab-phone', 'aria-controls': phoneForm.id, 'aria-selected': 'false', tabindex: '-1', text: panel.text('tabPhone') }),
    ];
    var forms = [passwordForm, phoneForm];
    var select = function (index) {
      tabs.forEach(function (tab, i) {
        tab.setAttribute('aria-selected', i === index ? 'true' : 'false');
        tab.setAttribute('tabindex', i === index ? '0' : '-1');
        forms[i].hidden = i !== index;
      });
      tabs[index].focus();
      panel.setStatus('');
    };
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function () { select(i); });
      tab.addEventListener('keydown', function (event) {
        if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') select((i + 1) % tabs.length);
      });
    });

    panel.setStatus('');
    panel.replace([
      el('div', { class: 'jit-bind', 'data-role': 'bind' }, [
        el('h3', { text: panel.text('bindHeading') }),
        memberCard(panel, member),
        el('p', { text: panel.text('bindIntro', { app: panel.page.app.title }) }),
        el('div', { class: 'jit-tabs', role: 'tablist', 'aria-label': panel.text('proveAccount') }, tabs),
        passwordForm,
        phoneForm,
      ]),
    ]);
    username.focus();
  }

  /** dd.requestAuthCode (current JSAPI), else dd.runtime.permission.requestAuthCode (older clients). */
  function requestAuthCode(corpId, clientId) {
    return new Promise(function (resolve, reject) {
      var dd = window.dd;
      var notInDingTalk = { code: 'NOT_IN_DINGTALK' };
      if (!dd || (dd.env && dd.env.platform === 'notInDingTalk')) return reject(notInDingTalk);
      var settled = false;
      var ok = function (result) {
        if (settled) return;
        settled = true;
        var authCode = result && (result.code || result.authCode);
        if (authCode) resolve(authCode);
        else reject({ code: 'DINGTALK_CANCELLED' });
      };
      var fail = function (error) {
        if (settled) return;
        settled = true;
        reject({ code: 'DINGTALK_CANCELLED', message: error && (error.errorMessage || error.message) });
      };
      var run = function () {
        if (typeof dd.requestAuthCode === 'function') {
          var pending = dd.requestAuthCode({ corpId: corpId, clientId: clientId, success: ok, fail: fail });
          if (pending && typeof pending.then === 'function') pending.then(ok, fail);
        } else if (dd.runtime && dd.runtime.permission && typeof dd.runtime.permission.requestAuthCode === 'function') {
          dd.runtime.permission.requestAuthCode({ corpId: corpId, onSuccess: ok, onFail: fail });
        } else {
          settled = true;
          reject(notInDingTalk);
        }
      };
      if (typeof dd.ready === 'function') dd.ready(run);
      else run();
    });
  }

  function platformOf() {
    var platform = window.dd && window.dd.env && window.dd.env.platform;
    return platform === 'ios' || platform === 'android' ? 'mobile' : 'web';
  }

  function mountWorkbench(panel) {
    var corpId = panel.page.corpId;
    panel.replace([panel.el('p', { class: 'jit-muted', 'data-role': 'workbench-progress', text: panel.text('workbenchProgress') })]);
    return panel
      .call('getLoginConfig')
      .then(function (config) { return requestAuthCode(corpId, config.appKey); })
      .then(function (authCode) {
        return panel.callElement(AUTH_SERVICE, 'loginByWorkbench', { corpId: corpId, authCode: authCode, platform: platformOf() });
      })
      .then(function (result) { handleResult(panel, result); }, function (err) {
        panel.showError(err);
        panel.replace([panel.el('a', { class: 'jit-button', href: '/login', text: panel.text('useQrInstead') })]);
      });
  }

  window.JitLogin.register('auths.loginTypes.DDInnerType', function (panel) {
    if (panel.mode === 'workbench') return mountWorkbench(panel);
    // The redirect callback answers BIND_REQUIRED with this page, the result in its page data (never
    // in the URL). The address bar still shows the spent callback URL: show /login instead.
    var pending = panel.page.pendingBind;
    if (pending && pending.instance === panel.instance.fullName && pending.bindTicket) {
      if (/^\/login\/callback\//.test(window.location.pathname)) window.history.replaceState(null, '', '/login');
      return showBindForm(panel, pending);
    }
    return mountQr(panel);
  });
})();
