// Password change (POST /api/v1/auth/password). A user whose password was reset or generated (mustChangePassword)
// is led here right after signing in, since the API answers nothing else until it is changed; any user can open it
// from the header. On success the server keeps this session and ends the others; the console then starts as usual.
(function () {
  'use strict';
  var K = window.KuzetConsole;
  var t = K.t;
  var $ = function (id) { return document.getElementById(id); };
  var forced = false;

  var section = document.createElement('section');
  section.id = 'password-view';
  section.hidden = true;
  section.innerHTML =
    '<form id="password-form">' +
    ' <h2 data-i18n="changePassword"></h2>' +
    ' <p id="password-required" class="presumed" data-i18n="passwordMustChange" hidden></p>' +
    ' <label><span data-i18n="currentPassword"></span> <input id="current-password" type="password" autocomplete="current-password" required></label>' +
    ' <label><span data-i18n="newPassword"></span> <input id="new-password" type="password" autocomplete="new-password" required></label>' +
    ' <label><span data-i18n="repeatPassword"></span> <input id="repeat-password" type="password" autocomplete="new-password" required></label>' +
    ' <p class="hint" data-i18n="passwordHint"></p>' +
    ' <button id="password-save" type="submit" data-i18n="changePassword"></button>' +
    ' <button id="password-cancel" type="button" data-i18n="cancel"></button>' +
    ' <p id="password-error" class="error" role="alert"></p>' +
    '</form>';
  $('login-view').insertAdjacentElement('afterend', section);

  var open = document.createElement('button');
  open.id = 'password-btn';
  open.hidden = true;
  open.setAttribute('data-i18n', 'changePassword');
  $('logout-btn').insertAdjacentElement('beforebegin', open);

  // the refusal in the user's language: the server's code (error_<code>: too short, too long, unchanged, wrong current
  // password...) behind the translated prefix, kept as keys so a language switch translates it again
  var refusal = null;

  function showRefusal(keys) {
    refusal = keys;
    $('password-error').textContent = keys ? keys.map(t).join(': ') : '';
  }

  function translate() {
    document.querySelectorAll('#password-view [data-i18n], #password-btn').forEach(function (e) { e.textContent = t(e.dataset.i18n); });
    showRefusal(refusal);
  }

  function showForm(mustChange) {
    forced = mustChange;
    $('password-form').reset();
    showRefusal(null);
    $('password-required').hidden = !mustChange;
    $('password-cancel').hidden = mustChange;
    $('main-view').hidden = true;
    if ($('report-views')) { $('report-views').hidden = true; }
    $('login-view').hidden = true;
    section.hidden = false;
    $('current-password').focus();
  }

  function closeForm() {
    section.hidden = true;
    if (K.showView) { K.showView('queue'); } else { $('main-view').hidden = false; }
  }

  $('password-form').onsubmit = function (ev) {
    ev.preventDefault();
    showRefusal(null);
    if ($('new-password').value !== $('repeat-password').value) {
      showRefusal(['passwordsDiffer']);
      return;
    }
    K.api('POST', '/api/v1/auth/password', { currentPassword: $('current-password').value, newPassword: $('new-password').value })
      .then(function () {
        section.hidden = true;
        $('password-form').reset();
        if (forced) {
          forced = false;
          return K.api('GET', '/api/v1/auth/me').then(K.start);
        }
        closeForm();
        return null;
      })
      .catch(function (e) {
        showRefusal(['passwordRefused', e.code && window.KUZET_I18N.en['error_' + e.code] ? 'error_' + e.code
          : (e.status ? 'error_unknown' : 'error_network')]);
      });
  };
  $('password-cancel').onclick = closeForm;
  open.onclick = function () { showForm(false); };

  K.on('password-required', function () { open.hidden = true; showForm(true); });
  K.on('start', function () { section.hidden = true; open.hidden = false; });
  K.on('logout', function () { section.hidden = true; open.hidden = true; forced = false; });
  K.on('translate', translate);
  translate();
}());
