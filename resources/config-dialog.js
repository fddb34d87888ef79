/*
 * clawarr config dialogs: the pieces the trakt-config, simkl-config and tautulli-config edit dialogs share.
 *
 *     var form = window.ClawarrConfigDialog;
 *     form.showText($('#clawarr-tautulli-test-result'), text, 'error');    // kinds: error, success, muted, busy
 *     form.errorText(xhr, t, 'test');        // why a request to the runtime failed: t('test.noResponse'), ...
 *     form.setEnabled($('#clawarr-tautulli-test'), false);
 *     form.copyText(text, button, copiedTitle, copyTitle);
 *     form.isHttpUrl(value), form.isEnvReference(value)
 *
 * No labels of its own: the dialogs pass in their texts, or their translate function `t(key, options)`.
 * Loaded by the .html files that use it without a blocking <script src> (see the comment there), and used by
 * resources/authorize-widget.js. Plain ES2017 and jQuery, like the rest of the Node-RED editor. A second copy
 * returns early.
 */
/* global RED, $, window, navigator, setTimeout */
(function () {
    'use strict';

    var VERSION = 1;
    if (window.ClawarrConfigDialog && window.ClawarrConfigDialog.version >= VERSION) {
        return;
    }

    var COLOURS = {
        error: 'var(--red-ui-text-color-error, #AD1625)',
        success: 'var(--red-ui-text-color-success, #3a3)',
        muted: 'var(--red-ui-secondary-text-color, #888)'
    };
    var ICONS = { error: 'fa-exclamation-triangle', success: 'fa-check-circle', busy: 'fa-spinner fa-spin' };

    function isHttpUrl(value) {
        return typeof value === 'string' && /^https?:\/\/[^\s/?#]+/i.test(value.trim());
    }

    function isEnvReference(value) {
        return typeof value === 'string' && /^\$\{[^}]+\}$/.test(value.trim());
    }

    // One line of text in `area` (a jQuery element), replacing what was there, coloured and with an icon by `kind`.
    function showText(area, text, kind) {
        var line = $('<div>').css('color', COLOURS[kind] || '');
        if (ICONS[kind]) {
            $('<i>').addClass('fa ' + ICONS[kind]).css('margin-right', '6px').appendTo(line);
        }
        $('<span>').text(text).appendTo(line);
        area.empty().append(line);
    }

    // What to tell the user about a failed request to the runtime's admin routes: the runtime's own message when it
    // sent one, else t(group + '.noResponse'), t(group + '.notFound') or t(group + '.unexpected', { status }).
    function errorText(xhr, t, group) {
        if (!xhr || xhr.status === 0) {
            return t(group + '.noResponse');
        }
        if (xhr.status === 404) {
            return t(group + '.notFound');
        }
        var body = xhr.responseJSON;
        if (!body && xhr.responseText) {
            try {
                body = JSON.parse(xhr.responseText);
            } catch (ignore) { // eslint-disable-line @typescript-eslint/no-unused-vars -- ES2017 needs the binding
                body = null;
            }
        }
        if (body && typeof body.message === 'string' && body.message) {
            return body.message;
        }
        return t(group + '.unexpected', { status: xhr.status });
    }

    function setEnabled(button, enabled) {
        button.prop('disabled', !enabled).toggleClass('disabled', !enabled);
    }

    // Copies `text`; the button's clipboard icon turns into a tick and its title into `copiedTitle` for a moment.
    function copyText(text, button, copiedTitle, copyTitle) {
        var done = function () {
            var icon = button.find('i');
            icon.removeClass('fa-clipboard').addClass('fa-check');
            button.attr('title', copiedTitle);
            setTimeout(function () {
                icon.removeClass('fa-check').addClass('fa-clipboard');
                button.attr('title', copyTitle);
            }, 1500);
        };
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(text).then(done, function () {
                if (RED.clipboard && RED.clipboard.copyText(text)) {
                    done();
                }
            });
        } else if (RED.clipboard && RED.clipboard.copyText(text)) {
            done();
        }
    }

    window.ClawarrConfigDialog = {
        version: VERSION,
        isHttpUrl: isHttpUrl,
        isEnvReference: isEnvReference,
        showText: showText,
        errorText: errorText,
        setEnabled: setEnabled,
        copyText: copyText
    };
})();
