/*
 * The login pages' client: reads the page data, mounts each login instance's panel into its
 * section and gives panels a small toolkit (calling element functions, plain-words errors, the
 * signed-in view, the words of the page's language). Plain ES2017, no build step. A panel script
 * registers itself by its Type:
 *
 *   JitLogin.register('auths.loginTypes.DDInnerType', function mount(panel) { ... panel.text('key') ... });
 *
 * Words come in the page data: `text` (this client's, in the page's language), `words` (errors by
 * code) and `panelWords[<panel Type>]` (each panel's own, contributed by its Type).
 */
(function () {
  'use strict';

  var dataBlock = document.getElementById('jit-page-data');
  var page = dataBlock ? JSON.parse(dataBlock.textContent) : { instances: [], words: {}, text: {}, panelWords: {}, app: { title: '' } };
  var panels = {};

  /** This client's words, `{name}` marks filled in. */
  function text(key, values) {
    var found = (page.text && page.text[key]) || key;
    Object.keys(values || {}).forEach(function (name) { found = found.split('{' + name + '}').join(values[name]); });
    return found;
  }

  /** The plain-words message for an error code ({org} is the app's title). */
  function words(code, fallback) {
    var found = (page.words && page.words[code]) || fallback || page.words.INTERNAL_ERROR || 'Something went wrong.';
    return found.split('{org}').join(page.app.title);
  }

  function functionUrl(fullName, name) {
    return page.apiPrefix + '/' + fullName.split('.').map(encodeURIComponent).join('/') + '/' + encodeURIComponent(name);
  }

  /** An error a panel can show: {code, message} from the envelope, or NETWORK. */
  function failure(code, message) {
    var err = new Error(message || code);
    err.code = code;
    return err;
  }

  /**
   * POSTs named arguments to an element function and resolves to the envelope's data. The session
   * arrives as an HttpOnly cookie, so the page asks the host to leave the token out of the body.
   */
  function call(url, args) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-jit-session': 'cookie' },
      body: JSON.stringify(args || {}),
    }).then(
      function (response) {
        return response.json().then(
          function (body) {
            if (body && body.success === true) return body.data;
            var error = (body && body.error) || {};
            throw failure(error.code || 'INTERNAL_ERROR', error.message);
          },
          function () {
            throw failure('INTERNAL_ERROR');
          },
        );
      },
      function () {
        throw failure('NETWORK');
      },
    );
  }

  /** Tiny element builder: el('p', {class: 'x', text: 'hi'}, [children]). */
  /** The shared element builder (assets/jit-dom.js, loaded before this script). */
  var el = window.JitDom.el;

  /** Words with one `{name}` mark as nodes: the text around it, and `node` in its place. */
  function around(words, node) {
    var at = words.indexOf('{name}');
    if (at < 0) return [words, node];
    return [words.slice(0, at), node, words.slice(at + '{name}'.length)];
  }

  /** Replaces a panel's content with who is signed in; follows ?next= when the page has one. */
  function showSignedIn(panel, result) {
    var user = (result && result.user) || {};
    panel.setStatus('');
    panel.replace([
      el('div', { class: 'jit-card', 'data-role': 'signed-in' }, [
        el('p', {}, around(text('login.signedInAs'), el('strong', { 'data-role': 'user-name', text: user.displayName || user.username || '' }))),
        el('p', { class: 'jit-muted' }, around(text('login.usernameIs'), el('span', { 'data-role': 'user-username', text: user.username || '' }))),
        el('a', { class: 'jit-button', href: page.next || '/', text: text('login.continue') }),
      ]),
    ]);
    if (page.next) window.location.assign(page.next);
  }

  function panelFor(section, view) {
    var body = section.querySelector('[data-role="panel"]');
    var status = section.querySelector('[data-role="status"]');
    var ownWords = (view && view.panel && page.panelWords && page.panelWords[view.panel.type]) || {};
    var panel = {
      page: page,
      mode: page.mode,
      instance: view,
      section: section,
      body: body,
      el: el,
      words: words,
      /** The panel's own words in the page's language (from its Type), `{name}` marks filled in. */
      text: function (key, values) {
        var found = ownWords[key] || key;
        Object.keys(values || {}).forEach(function (name) { found = found.split('{' + name + '}').join(values[name]); });
        return found;
      },
      language: page.language || 'en',
      functionUrl: functionUrl,
      /** Calls one of this instance's functions. */
      call: function (name, args) {
        var url = view.functions[name];
        return url ? call(url, args) : Promise.reject(failure('NOT_FOUND', name + ' is not a function of ' + view.fullName));
      },
      /** Calls any element's function by fullName (e.g. a service of the login Type). */
      callElement: function (fullName, name, args) {
        return call(functionUrl(fullName, name), args);
      },
      replace: function (nodes) {
        body.textContent = '';
        nodes.forEach(function (node) { body.appendChild(node); });
      },
      setStatus: function (text, kind) {
        status.textContent = text || '';
        status.className = 'jit-status' + (kind ? ' jit-' + kind : '');
        if (kind === 'error') status.setAttribute('role', 'alert');
        else status.setAttribute('role', 'status');
      },
      showError: function (err) {
        panel.setStatus(words(err && err.code, err && err.message), 'error');
        if (status) status.setAttribute('data-code', (err && err.code) || '');
      },
      signedIn: function (result) {
        showSignedIn(panel, result);
      },
    };
    return panel;
  }

  /** The host's own panel for username/password login instances (PasswordType). */
  function passwordPanel(panel) {
    var username = el('input', { id: panel.section.id + '-username', name: 'username', autocomplete: 'username', required: true });
    var password = el('input', { id: panel.section.id + '-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    var form = el('form', { class: 'jit-form', 'data-role': 'password-form' }, [
      el('label', { for: username.id, text: text('login.username') }), username,
      el('label', { for: password.id, text: text('login.password') }), password,
      el('button', { type: 'submit', class: 'jit-button', text: text('login.signIn') }),
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      panel.setStatus(text('login.signingIn'));
      panel.call('login', { username: username.value, password: password.value }).then(panel.signedIn, panel.showError);
    });
    panel.replace([form]);
  }
  panels['password'] = passwordPanel;
  panels['auths.loginTypes.PasswordType'] = passwordPanel;

  function start() {
    var sections = document.querySelectorAll('section[data-instance]');
    Array.prototype.forEach.call(sections, function (section, index) {
      if (!section.id) section.id = 'jit-instance-' + index;
      var fullName = section.getAttribute('data-instance');
      var view = page.instances.filter(function (i) { return i.fullName === fullName; })[0];
      var panel = panelFor(section, view);
      var mount = view && view.panel && panels[view.panel.type];
      if (!mount) {
        panel.replace([el('p', { class: 'jit-muted', text: text('login.panelMissing') })]);
        return;
      }
      try {
        var pending = mount(panel);
        if (pending && typeof pending.catch === 'function') pending.catch(panel.showError);
      } catch (err) {
        panel.showError(err);
      }
    });
  }

  window.JitLogin = {
    page: page,
    register: function (type, mount) { panels[type] = mount; },
    call: call,
    functionUrl: functionUrl,
    words: words,
    text: text,
    el: el,
  };
  document.addEventListener('DOMContentLoaded', start);
})();
