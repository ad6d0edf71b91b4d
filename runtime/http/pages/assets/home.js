/* The home page's sign-out button: revokes the session, then shows the signed-out page. */
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var button = document.querySelector('[data-role="logout"]');
    if (!button) return;
    button.addEventListener('click', function () {
      button.disabled = true;
      fetch('/api/logout', { method: 'POST', credentials: 'same-origin' }).then(
        function () { window.location.assign('/'); },
        function () { button.disabled = false; },
      );
    });
  });
})();
