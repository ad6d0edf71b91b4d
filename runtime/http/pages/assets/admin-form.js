/*
 * The console's instance form: fields generated from the Type's config JSON Schema (page.form.schema,
 * the schema `jit validate` uses), checked as you type by the loader itself (POST check: the same
 * diagnostics `jit validate` prints, shown beside their fields and as `file:line:col CODE message`),
 * saved by POST save. A secret field (x-secret) takes the name of an environment variable and is
 * written as {{NAME}}: the form never holds or sends a secret. Fields marked x-deprecated are kept
 * as written, not shown. Shapes the generator does not draw (oneOf, ...) are edited as JSON.
 * Plain ES2017, no build step; uses window.JitConsole (admin.js).
 */
(function () {
  'use strict';

  var C = window.JitConsole;
  var form = C.page.form;
  var el = C.el;
  var word = C.word;
  var CHECK_DELAY_MS = 400;
  var fieldCount = 0;

  var formNode = document.querySelector('[data-role="element-form"]');
  var configRoot = document.querySelector('[data-role="config-fields"]');
  var results = document.querySelector('[data-role="check-results"]');
  var nameInput = document.getElementById('element-name');
  var titleInput = document.getElementById('element-title');
  var saveButton = formNode.querySelector('[data-role="save"]');
  var secretStatus = {};

  function appendPointer(pointer, key) {
    return pointer + '/' + String(key).replace(/~/g, '~0').replace(/\//g, '~1');
  }

  function labelOf(schema, key) {
    if (schema && schema.title) return schema.title;
    return String(key).replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, function (c) { return c.toUpperCase(); });
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function nextId() {
    fieldCount += 1;
    return 'field-' + fieldCount;
  }

  /** A labelled control with its help text and a place for its diagnostics. */
  function wrap(id, label, control, schema, pointer) {
    var help = schema && schema.description ? el('p', { class: 'jit-help', id: id + '-help', text: schema.description }) : null;
    if (help) control.setAttribute('aria-describedby', id + '-help');
    control.setAttribute('data-pointer', pointer);
    control.setAttribute('data-place', 'config');
    return el('div', { class: 'jit-field', 'data-field': pointer }, [el('label', { for: id, text: label }), control, help, el('p', { class: 'jit-field-error', 'data-role': 'field-error', hidden: true })]);
  }

  function referenceName(value) {
    var match = typeof value === 'string' ? /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(value) : null;
    return match ? match[1] : '';
  }

  /** A field for one schema node: {node, read()}; read() gives the value to write, or undefined to leave it out. */
  function field(schema, pointer, key, value, required) {
    schema = schema || {};
    var present = value !== undefined;
    if (schema['x-deprecated']) {
      return { node: null, read: function () { return value; } };
    }
    if (!present && schema.default !== undefined && !isObject(schema.default) && !Array.isArray(schema.default)) value = schema.default;
    var id = nextId();
    var label = labelOf(schema, key);

    if (schema['x-secret'] === true) {
      var variable = el('input', { id: id, name: pointer, value: referenceName(value), autocomplete: 'off', spellcheck: 'false', placeholder: 'DD_APP_SECRET', pattern: '[A-Za-z_][A-Za-z0-9_]*' });
      var note = el('p', { class: 'jit-help', 'data-role': 'secret-status', 'data-secret': pointer });
      secretStatus[pointer] = note;
      var box = wrap(id, label + ' · ' + word('elements.secretVariable'), variable, schema, pointer);
      box.appendChild(note);
      return { node: box, read: function () { var name = variable.value.trim(); return name ? '{{' + name + '}}' : ''; } };
    }
    if (typeof schema['x-element-ref'] === 'string') {
      var choices = (form.references && form.references[schema['x-element-ref']]) || [];
      var ref = el('select', { id: id, name: pointer }, [el('option', { value: '', text: word('elements.unset') })].concat(choices.map(function (c) {
        return el('option', { value: c, text: c, selected: c === value });
      })));
      return { node: wrap(id, label, ref, schema, pointer), read: function () { return ref.value || undefined; } };
    }
    if (Array.isArray(schema.enum)) {
      var options = schema.enum.map(function (option, i) {
        return el('option', { value: String(i), text: typeof option === 'string' ? option : JSON.stringify(option), selected: JSON.stringify(option) === JSON.stringify(value) });
      });
      if (!required && schema.default === undefined) options.unshift(el('option', { value: '', text: word('elements.unset'), selected: !present }));
      var select = el('select', { id: id, name: pointer }, options);
      return { node: wrap(id, label, select, schema, pointer), read: function () { return select.value === '' ? undefined : schema.enum[Number(select.value)]; } };
    }
    if (schema.type === 'object' || isObject(schema.properties)) return objectField(schema, pointer, key, isObject(value) ? value : undefined, required, present);
    if (schema.type === 'boolean') {
      var box2 = el('input', { id: id, name: pointer, type: 'checkbox', checked: value === true });
      var node = wrap(id, label, box2, schema, pointer);
      node.classList.add('jit-check');
      return { node: node, read: function () { return box2.checked; } };
    }
    if (schema.type === 'integer' || schema.type === 'number') {
      var number = el('input', { id: id, name: pointer, inputmode: 'numeric', value: value === undefined ? '' : String(value), autocomplete: 'off' });
      return {
        node: wrap(id, label, number, schema, pointer),
        read: function () {
          var text = number.value.trim();
          if (text === '') return undefined;
          return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
        },
      };
    }
    if (schema.type === 'array' && schema.items && (schema.items.type === 'object' || Array.isArray(schema.items.enum) || schema.items.type === 'string')) {
      return arrayField(schema, pointer, key, Array.isArray(value) ? value : undefined, present);
    }
    if (schema.type === 'string' || (!schema.type && !schema.oneOf && !schema.anyOf)) {
      var input = el('input', { id: id, name: pointer, value: value === undefined ? '' : String(value), autocomplete: 'off', spellcheck: 'false' });
      return { node: wrap(id, label, input, schema, pointer), read: function () { return input.value === '' ? undefined : input.value; } };
    }
    // Anything else: its JSON.
    var area = el('textarea', { id: id, name: pointer, rows: '4', spellcheck: 'false' });
    area.value = value === undefined ? '' : JSON.stringify(value, null, 2);
    return {
      node: wrap(id, label, area, schema, pointer),
      read: function () {
        if (area.value.trim() === '') return undefined;
        try { return JSON.parse(area.value); } catch (e) { return area.value; }
      },
    };
  }

  function objectField(schema, pointer, key, value, required, present) {
    var properties = schema.properties || {};
    var needed = Array.isArray(schema.required) ? schema.required : [];
    var children = Object.keys(properties).filter(function (name) { return name !== '$schema'; }).map(function (name) {
      return { name: name, field: field(properties[name], appendPointer(pointer, name), name, value ? value[name] : undefined, needed.indexOf(name) >= 0) };
    });
    var nodes = children.map(function (child) { return child.field.node; }).filter(Boolean);
    var node = pointer === ''
      ? el('div', { class: 'jit-fields' }, nodes)
      : el('fieldset', { class: 'jit-fieldset', 'data-field': pointer }, [el('legend', { text: labelOf(schema, key) }), schema.description ? el('p', { class: 'jit-help', text: schema.description }) : null, el('p', { class: 'jit-field-error', 'data-role': 'field-error', hidden: true })].concat(nodes));
    return {
      node: node,
      read: function () {
        var result = {};
        children.forEach(function (child) {
          var childValue = child.field.read();
          if (childValue !== undefined) result[child.name] = childValue;
        });
        return Object.keys(result).length || required || present || pointer === '' ? result : undefined;
      },
    };
  }

  function arrayField(schema, pointer, key, value, present) {
    var rows = [];
    var list = el('div', { class: 'jit-rows' });
    var legend = labelOf(schema, key);
    function addRow(itemValue) {
      var row = { field: field(schema.items, appendPointer(pointer, rows.length), legend + ' ' + (rows.length + 1), itemValue, true) };
      row.node = el('div', { class: 'jit-row' }, [row.field.node, el('button', {
        type: 'button',
        class: 'jit-link',
        text: word('elements.removeRow'),
        on: { click: function () { rows.splice(rows.indexOf(row), 1); list.removeChild(row.node); changed(); } },
      })]);
      rows.push(row);
      list.appendChild(row.node);
    }
    (value || []).forEach(addRow);
    var node = el('fieldset', { class: 'jit-fieldset', 'data-field': pointer }, [
      el('legend', { text: legend }),
      schema.description ? el('p', { class: 'jit-help', text: schema.description }) : null,
      el('p', { class: 'jit-field-error', 'data-role': 'field-error', hidden: true }),
      list,
      el('button', { type: 'button', class: 'jit-button jit-secondary', 'data-role': 'add-row', text: word('elements.addRow') + ': ' + legend, on: { click: function () { addRow(undefined); changed(); } } }),
    ]);
    return {
      node: node,
      read: function () {
        var items = rows.map(function (row) { return row.field.read(); }).filter(function (v) { return v !== undefined; });
        return items.length || present ? items : undefined;
      },
    };
  }

  // -- the form ------------------------------------------------------------------------------

  var config = form.schema ? field(form.schema, '', '', form.config || {}, true) : null;
  if (config && config.node) configRoot.appendChild(config.node);

  function fullName() {
    return form.mode === 'edit' ? form.fullName : form.namePrefix + nameInput.value.trim();
  }

  function payload() {
    return {
      mode: form.mode,
      fullName: fullName(),
      type: form.type,
      title: titleInput.value,
      config: config ? config.read() : undefined,
      stamp: form.stamp || undefined,
    };
  }

  function showSecrets(secrets) {
    Object.keys(secretStatus).forEach(function (pointer) { secretStatus[pointer].textContent = ''; });
    (secrets || []).forEach(function (secret) {
      var note = secretStatus[secret.pointer];
      if (!note) return;
      note.textContent = secret.set === false ? word('elements.secretNotSet', { name: secret.variable }) : word('elements.secretSet', { name: secret.variable });
      note.className = 'jit-help' + (secret.set === false ? ' jit-warning' : '');
      var input = document.getElementById(note.parentNode.querySelector('input').id);
      if (input && !input.value) input.placeholder = secret.variable;
    });
  }

  /** Marks the fields the diagnostics point at (the nearest field for a pointer inside one). */
  function markFields(diagnostics) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-role="field-error"]'), function (p) { p.hidden = true; p.textContent = ''; });
    Array.prototype.forEach.call(document.querySelectorAll('[aria-invalid]'), function (n) { n.removeAttribute('aria-invalid'); });
    diagnostics.forEach(function (d) {
      if (d.place === 'other') return;
      var pointer = d.place === 'eJson' ? '/title' : d.pointer;
      var target = null;
      for (var p = pointer; target === null; p = p.slice(0, p.lastIndexOf('/'))) {
        target = d.place === 'eJson' ? titleInput.parentNode : document.querySelector('[data-field="' + (window.CSS && CSS.escape ? CSS.escape(p) : p) + '"]');
        if (p === '') break;
      }
      if (!target) return;
      var line = target.querySelector('[data-role="field-error"]');
      if (!line) {
        line = el('p', { class: 'jit-field-error', 'data-role': 'field-error' });
        target.appendChild(line);
      }
      line.hidden = false;
      line.textContent = (line.textContent ? line.textContent + ' ' : '') + d.code + ': ' + d.message;
      var control = target.querySelector('input, select, textarea');
      if (control) control.setAttribute('aria-invalid', 'true');
    });
  }

  function showDiagnostics(diagnostics) {
    results.textContent = '';
    if (!diagnostics.length) {
      results.appendChild(el('p', { class: 'jit-ok', 'data-role': 'check-ok', text: word('elements.valid') }));
    } else {
      results.appendChild(el('ul', { class: 'jit-diagnostics', 'data-role': 'check-diagnostics' }, diagnostics.map(function (d) {
        return el('li', { class: 'jit-' + d.severity, 'data-code': d.code }, [el('code', { text: d.text })]);
      })));
    }
    markFields(diagnostics);
  }

  function showProblem(err) {
    results.textContent = '';
    results.appendChild(el('p', { class: 'jit-error', role: 'alert', 'data-role': 'check-problem', 'data-code': err.code || '', text: C.errorText(err) }));
    if (err.details && Array.isArray(err.details.diagnostics)) {
      results.appendChild(el('ul', { class: 'jit-diagnostics' }, err.details.diagnostics.map(function (d) { return el('li', { class: 'jit-error' }, [el('code', { text: d.text })]); })));
      markFields(err.details.diagnostics);
    }
  }

  var timer = null;
  var sequence = 0;
  function check() {
    var mine = ++sequence;
    results.setAttribute('aria-busy', 'true');
    C.post(form.checkUrl, payload()).then(function (result) {
      if (mine !== sequence) return;
      results.removeAttribute('aria-busy');
      showDiagnostics(result.diagnostics);
      showSecrets(result.secrets);
      results.setAttribute('data-state', result.diagnostics.some(function (d) { return d.severity === 'error'; }) ? 'invalid' : 'valid');
    }, function (err) {
      if (mine !== sequence) return;
      results.removeAttribute('aria-busy');
      results.setAttribute('data-state', 'problem');
      showProblem(err);
    });
  }

  function changed() {
    if (timer) clearTimeout(timer);
    results.setAttribute('data-state', 'checking');
    timer = setTimeout(check, CHECK_DELAY_MS);
  }

  formNode.addEventListener('input', changed);
  formNode.addEventListener('change', changed);
  formNode.addEventListener('submit', function (event) {
    event.preventDefault();
    if (saveButton.disabled) return;
    saveButton.disabled = true;
    C.status(word('console.working'));
    C.post(form.saveUrl, payload()).then(function (result) {
      var saved = word('elements.saved', { files: result.files.join(', ') }) + ' ' + (result.live ? word('elements.live', { name: fullName() }) : word('elements.notYetLive'));
      C.status(saved, result.live ? 'ok' : 'error');
      document.querySelector('[data-role="console-status"]').setAttribute('data-state', result.live ? 'live' : 'saved');
      showDiagnostics(result.diagnostics || []);
      if (form.mode === 'create') {
        nameInput.readOnly = true;
        formNode.parentNode.insertBefore(el('p', {}, [el('a', { href: '/admin/elements/edit/' + encodeURIComponent(fullName()), 'data-role': 'edit-link', text: word('elements.edit') + ' ' + fullName() })]), formNode);
      } else {
        window.location.reload();
      }
    }, function (err) {
      saveButton.disabled = false;
      C.status(C.errorText(err), 'error');
      document.querySelector('[data-role="console-status"]').setAttribute('data-code', err.code || '');
      showProblem(err);
    });
  });

  if (form.literalSecrets && form.literalSecrets.length) {
    form.literalSecrets.forEach(function (pointer) {
      var note = secretStatus[pointer];
      if (note) note.textContent = word('elements.secretNote');
    });
  }
  if (form.diagnostics && form.diagnostics.length) showDiagnostics(form.diagnostics);
  showSecrets(form.secrets);
  if (form.mode === 'edit') check();
})();
