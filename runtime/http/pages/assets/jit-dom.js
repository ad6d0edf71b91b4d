/*
 * The element builder the host's page scripts share (the login client, the console): loaded first,
 * it sets `window.JitDom`. Plain ES2017, no build step.
 *
 *   JitDom.el('button', { type: 'button', text: 'Save', on: { click: save } }, [child, 'text'])
 *
 * `text` sets textContent (never HTML: words and names are data), `on` adds listeners, `true` is an
 * empty attribute, and undefined / null / false leave the attribute out.
 */
(function () {
  'use strict';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'on') Object.keys(value).forEach(function (type) { node.addEventListener(type, value[type]); });
      else node.setAttribute(key, value === true ? '' : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  window.JitDom = Object.freeze({ el: el });
})();
