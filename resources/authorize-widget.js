/*
 * clawarr authorize widget: the "Authorize" button of the trakt-config and simkl-config edit dialogs.
 *
 * The button asks the runtime for a code (POST <type>/<node id>/auth/start), shows it with a copy button, a link to
 * approve it and a countdown, and asks for the outcome every 2 s (GET .../auth/status) until the account is
 * authorized, the code expires or the user cancels (POST .../auth/cancel). An authorization still running when the
 * dialog opens again is picked up. From the node's .html, once the editor has loaded this script:
 *
 *     var widget = window.ClawarrAuthorizeWidget.get({
 *         type: 'clawarr-trakt-config',     // the admin routes' prefix
 *         prefix: 'clawarr-trakt',          // the template's #clawarr-trakt-authorize button, #clawarr-trakt-auth-status area
 *         t: t,                             // the node's translate function: keys auth.*, errors.invalidUrl
 *         tokenFields: ['accessToken'],     // left out of the saved form when untouched (see save)
 *         needSecret: true                  // the code flow needs the Client secret as well as the Client ID
 *     });
 *     oneditprepare: widget.prepare(node); oneditsave: widget.save(node); oneditcancel, oneditdelete: widget.cancel(node)
 *
 * get() returns null while resources/config-dialog.js, which it builds on, is not there. Options for a dialog with
 * another way to authorize (Simkl's redirect), see simkl-config.html: `links` (more buttons, disabled while an
 * authorization runs), `appFields` (form fields whose value at opening is kept in session.initial), `onStatus`
 * (sees each status answer first; returns true when it dealt with it), `showWaiting` (shows a pending status that
 * has no code) and `onStop`. The widget's other methods are for those hooks.
 *
 * Plain ES2017 and jQuery, like the rest of the Node-RED editor. Loaded once per editor (a second copy returns early).
 */
/* global $, window, setTimeout, clearTimeout, setInterval, clearInterval */
(function () {
    'use strict';

    var VERSION = 1;
    if (window.ClawarrAuthorizeWidget && window.ClawarrAuthorizeWidget.version >= VERSION) {
        return;
    }

    var POLL_MS = 2000;
    var MAX_POLL_FAILURES = 3;
    var widgets = {};

    function formatSeconds(total) {
        var seconds = Math.max(0, Math.round(total));
        var minutes = Math.floor(seconds / 60);
        var rest = seconds % 60;
        return minutes + ':' + (rest < 10 ? '0' : '') + rest;
    }

    function create(options, form) {
        var t = options.t;
        var prefix = options.prefix;
        var tokenFields = options.tokenFields || [];
        var watchedFields = tokenFields.concat(options.appFields || []);
        // One entry per config node whose edit dialog is open: timers, the values of the token (and app) fields when
        // the dialog opened, and a generation counter so late ajax answers of a stopped session are ignored.
        var sessions = {};
        var widget = {};

        function route(id, action) {
            return options.type + '/' + encodeURIComponent(id) + '/auth/' + action;
        }

        function sessionFor(id) {
            if (!sessions[id]) {
                sessions[id] = { id: id, generation: 0, pollTimer: null, tickTimer: null, failures: 0, deadline: 0, code: '', initial: {} };
            }
            return sessions[id];
        }

        function stopTimers(session) {
            if (!session) {
                return;
            }
            session.generation++;
            if (session.pollTimer) {
                clearTimeout(session.pollTimer);
            }
            if (session.tickTimer) {
                clearInterval(session.tickTimer);
            }
            session.pollTimer = null;
            session.tickTimer = null;
            session.failures = 0;
            if (options.onStop) {
                options.onStop(session);
            }
        }

        function cancelOnServer(id) {
            $.ajax({ url: route(id, 'cancel'), type: 'POST', contentType: 'application/json', data: '{}' });
        }

        function errorText(xhr) {
            return form.errorText(xhr, t, 'auth');
        }

        // ---- the status area under the Authorize button ----

        function area() {
            return $('#' + prefix + '-auth-status');
        }

        function setButtonsEnabled(enabled) {
            form.setEnabled($('#' + prefix + '-authorize'), enabled);
            (options.links || []).forEach(function (link) {
                $(link).toggleClass('disabled', !enabled).attr('aria-disabled', enabled ? 'false' : 'true');
            });
        }

        function showText(text, kind) {
            form.showText(area(), text, kind);
        }

        function showAuthorized(username, needsDeploy) {
            var key;
            if (username) {
                key = needsDeploy ? 'auth.authorizedDeploy' : 'auth.authorized';
            } else {
                key = needsDeploy ? 'auth.authorizedNoName' : 'auth.authorizedUnknown';
            }
            showText(t(key, { username: username || '' }), 'success');
        }

        // The "waiting …  m:ss  cancel" line.
        function waitingRow(session, text) {
            var waitRow = $('<div>').css('color', 'var(--red-ui-secondary-text-color, #888)');
            $('<i class="fa fa-spinner fa-spin">').css('margin-right', '6px').appendTo(waitRow);
            $('<span>').text(text).appendTo(waitRow);
            $('<span>').text(' ').appendTo(waitRow);
            $('<span>').addClass(prefix + '-countdown').appendTo(waitRow);
            $('<span>').text(' ').appendTo(waitRow);
            $('<a href="#" role="button">').text(t('auth.cancel')).appendTo(waitRow).on('click', function (event) {
                event.preventDefault();
                stopTimers(session);
                cancelOnServer(session.id);
                showText(t('auth.cancelled'), 'muted');
                setButtonsEnabled(true);
            });
            return waitRow;
        }

        function showPending(session, status) {
            if (typeof status.expiresIn === 'number') {
                session.deadline = Date.now() + status.expiresIn * 1000;
            }
            if (status.userCode && status.userCode === session.code && area().find('.' + prefix + '-code').length) {
                renderCountdown(session); // already on screen: only the countdown changes
                return;
            }
            session.code = status.userCode || '';
            var box = area().empty();

            var codeRow = $('<div>').css({ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: '8px', marginBottom: '6px' }).appendTo(box);
            $('<span>').text(t('auth.enterCode')).appendTo(codeRow);
            $('<span>').addClass(prefix + '-code').text(session.code).css({
                fontFamily: 'var(--red-ui-monospace-font, monospace)',
                fontSize: '22px',
                fontWeight: 'bold',
                letterSpacing: '3px',
                padding: '4px 10px',
                border: '1px dashed var(--red-ui-secondary-border-color, #ccc)',
                borderRadius: '4px',
                userSelect: 'all'
            }).appendTo(codeRow);
            var copy = $('<button type="button" class="red-ui-button red-ui-button-small">')
                .attr('title', t('auth.copy'))
                .attr('aria-label', t('auth.copy'))
                .append($('<i class="fa fa-clipboard">'))
                .appendTo(codeRow);
            copy.on('click', function (event) {
                event.preventDefault();
                form.copyText(session.code, copy, t('auth.copied'), t('auth.copy'));
            });

            if (form.isHttpUrl(status.verificationUrl)) {
                var linkRow = $('<div>').css('margin-bottom', '6px').appendTo(box);
                $('<a>', { href: status.verificationUrl.trim(), target: '_blank', rel: 'noopener noreferrer' })
                    .css({ fontWeight: 'bold', color: 'var(--red-ui-text-color-link, #0088cc)' })
                    .append($('<i class="fa fa-external-link">').css('margin-right', '6px'))
                    .append($('<span>').text(t('auth.open')))
                    .appendTo(linkRow);
            }

            waitingRow(session, t('auth.waiting')).appendTo(box);
            startCountdown(session);
        }

        function renderCountdown(session) {
            var left = session.deadline ? (session.deadline - Date.now()) / 1000 : 0;
            area().find('.' + prefix + '-countdown').text(session.deadline ? t('auth.expiresIn', { time: formatSeconds(left) }) : '');
        }

        function startCountdown(session) {
            if (session.tickTimer) {
                clearInterval(session.tickTimer);
            }
            renderCountdown(session);
            session.tickTimer = setInterval(function () {
                renderCountdown(session);
            }, 1000);
        }

        // What the dialog shows before (or without) an answer from the runtime.
        function showInitial(session) {
            if (session.savedAuthorizedAs) {
                showAuthorized(session.savedAuthorizedAs, false);
            } else {
                showText(t('auth.notAuthorized'), 'muted');
            }
        }

        // ---- talking to the runtime ----

        // Applies a status answer ({state, userCode, verificationUrl, expiresIn, username, message}).
        // `polling` is true while an authorization started or resumed in this dialog is running.
        function applyStatus(session, status, polling) {
            var state = status && status.state;
            if (options.onStatus && options.onStatus(session, status, polling)) {
                return;
            }
            switch (state) {
            case 'pending':
                setButtonsEnabled(false);
                if (status.userCode || !options.showWaiting) {
                    showPending(session, status);
                } else {
                    options.showWaiting(session, status);
                }
                schedulePoll(session);
                return;
            case 'authorized':
                stopTimers(session);
                setButtonsEnabled(true);
                var previous = $('#node-config-input-authorizedAs').val();
                var username = status.username || '';
                if (username && username !== previous) {
                    $('#node-config-input-authorizedAs').val(username).trigger('change');
                }
                // "Press Deploy" whenever this dialog changes what is saved, or an authorization just finished.
                showAuthorized(username || previous, polling || (username && username !== session.savedAuthorizedAs));
                return;
            case 'reauth_required':
                stopTimers(session);
                setButtonsEnabled(true);
                showText(status.message || t('auth.reauth'), 'error');
                return;
            case 'cancelled':
                stopTimers(session);
                setButtonsEnabled(true);
                if (polling) {
                    showText(t('auth.cancelled'), 'muted');
                } else {
                    showInitial(session);
                }
                return;
            case 'none':
                stopTimers(session);
                setButtonsEnabled(true);
                if (polling) {
                    showText(t('auth.lost'), 'error');
                } else {
                    showText(t('auth.notAuthorized'), 'muted');
                }
                return;
            case 'denied':
            case 'expired':
            case 'invalid':
            case 'used':
            case 'error':
                stopTimers(session);
                setButtonsEnabled(true);
                if (polling) {
                    showText(status.message || t('auth.' + state), 'error');
                } else {
                    // An old outcome seen when the dialog opens: say what is saved, not the old failure.
                    showInitial(session);
                }
                return;
            default:
                stopTimers(session);
                setButtonsEnabled(true);
                showText(status && status.message ? status.message : t('auth.error'), 'error');
            }
        }

        function schedulePoll(session) {
            if (session.pollTimer) {
                clearTimeout(session.pollTimer);
            }
            var generation = session.generation;
            session.pollTimer = setTimeout(function () {
                session.pollTimer = null;
                $.ajax({ url: route(session.id, 'status'), type: 'GET', dataType: 'json', cache: false })
                    .done(function (status) {
                        if (generation !== session.generation) {
                            return;
                        }
                        session.failures = 0;
                        applyStatus(session, status || {}, true);
                    })
                    .fail(function (xhr) {
                        if (generation !== session.generation) {
                            return;
                        }
                        session.failures++;
                        if (xhr.status === 0 && session.failures < MAX_POLL_FAILURES) {
                            schedulePoll(session);
                            return;
                        }
                        stopTimers(session);
                        setButtonsEnabled(true);
                        showText(errorText(xhr), 'error');
                    });
            }, POLL_MS);
        }

        // The API URL to send, or null (with the problem shown) when it is not usable.
        function formApiUrl() {
            var apiUrl = ($('#node-config-input-apiUrl').val() || '').trim();
            if (form.isEnvReference(apiUrl)) {
                return ''; // the runtime uses the deployed (already substituted) URL
            }
            if (apiUrl && !form.isHttpUrl(apiUrl)) {
                showText(t('errors.invalidUrl'), 'error');
                $('#node-config-input-apiUrl').trigger('focus');
                return null;
            }
            return apiUrl;
        }

        // The Client ID in the form, or '' (with the problem shown).
        function formClientId() {
            var clientId = ($('#node-config-input-clientId').val() || '').trim();
            if (!clientId) {
                showText(t('auth.needClientId'), 'error');
                $('#node-config-input-clientId').trigger('focus');
            }
            return clientId;
        }

        // Whether the form has a Client secret or the node has one saved (shown as "__PWRD__", sent as is: the runtime
        // then uses the secret it already has); says so when it has not.
        function checkSecret(node) {
            var secret = $('#node-config-input-clientSecret').val() || '';
            if (!secret && !(node.credentials && node.credentials.has_clientSecret)) {
                showText(t('auth.needSecret'), 'error');
                $('#node-config-input-clientSecret').trigger('focus');
                return false;
            }
            return true;
        }

        // The Authorize button: the runtime asks the tracker for a code with the values in the form, so an account can
        // be authorized before its first deploy.
        function startAuthorization(node, session) {
            var clientId = formClientId();
            if (!clientId || (options.needSecret && !checkSecret(node))) {
                return;
            }
            var apiUrl = formApiUrl();
            if (apiUrl === null) {
                return;
            }
            stopTimers(session);
            session.code = '';
            session.deadline = 0;
            setButtonsEnabled(false);
            showText(t('auth.starting'), 'busy');
            var generation = session.generation;
            $.ajax({
                url: route(node.id, 'start'),
                type: 'POST',
                contentType: 'application/json',
                dataType: 'json',
                data: JSON.stringify({ clientId: clientId, clientSecret: $('#node-config-input-clientSecret').val() || '', apiUrl: apiUrl })
            }).done(function (status) {
                if (generation !== session.generation) {
                    return;
                }
                applyStatus(session, status || {}, true);
            }).fail(function (xhr) {
                if (generation !== session.generation) {
                    return;
                }
                setButtonsEnabled(true);
                showText(errorText(xhr), 'error');
            });
        }

        function checkOnOpen(session) {
            var generation = session.generation;
            $.ajax({ url: route(session.id, 'status'), type: 'GET', dataType: 'json', cache: false })
                .done(function (status) {
                    if (generation !== session.generation) {
                        return;
                    }
                    // An authorization still running (started earlier, the dialog was closed) is resumed.
                    applyStatus(session, status || {}, !!status && status.state === 'pending');
                });
            // No answer is not worth an error here: the form still works, and the buttons report problems.
        }

        // From oneditprepare. Returns the dialog's session, where the .html's hooks may keep their own state.
        widget.prepare = function (node) {
            var session = sessionFor(node.id);
            stopTimers(session);
            session.code = '';
            session.deadline = 0;
            session.savedAuthorizedAs = node.authorizedAs || '';
            session.initial = {};
            watchedFields.forEach(function (field) {
                session.initial[field] = $('#node-config-input-' + field).val();
            });
            $('#' + prefix + '-authorize').on('click', function (event) {
                event.preventDefault();
                startAuthorization(node, session);
            });
            setButtonsEnabled(true);
            showInitial(session);
            checkOnOpen(session);
            return session;
        };

        // From oneditsave. Token fields the user did not touch are taken out of the form, so saving the dialog never
        // sends empty tokens that would overwrite the ones an authorization just stored.
        widget.save = function (node) {
            var session = sessions[node.id];
            stopTimers(session);
            if (session) {
                tokenFields.forEach(function (field) {
                    var input = $('#node-config-input-' + field);
                    if (input.length && input.val() === session.initial[field]) {
                        input.remove();
                    }
                });
            }
            delete sessions[node.id];
        };

        // From oneditcancel and oneditdelete: an authorization still running for the node is cancelled.
        widget.cancel = function (node) {
            stopTimers(sessions[node.id]);
            delete sessions[node.id];
            cancelOnServer(node.id);
        };

        // For the hooks.
        widget.area = area;
        widget.showText = showText;
        widget.errorText = errorText;
        widget.setButtonsEnabled = setButtonsEnabled;
        widget.waitingRow = waitingRow;
        widget.renderCountdown = renderCountdown;
        widget.startCountdown = startCountdown;
        widget.schedulePoll = schedulePoll;
        widget.stop = stopTimers;
        widget.cancelOnServer = cancelOnServer;
        widget.route = route;
        widget.formClientId = formClientId;
        widget.formApiUrl = formApiUrl;
        widget.checkSecret = checkSecret;
        return widget;
    }

    window.ClawarrAuthorizeWidget = {
        version: VERSION,
        /**
         * The widget of the config type `options.type`: made on the first call, the same one after that (later
         * options are ignored). Null while resources/config-dialog.js has not loaded.
         */
        get: function (options) {
            var form = window.ClawarrConfigDialog;
            if (!widgets[options.type] && form) {
                widgets[options.type] = create(options, form);
            }
            return widgets[options.type] || null;
        }
    };
})();
