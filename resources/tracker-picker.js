/*
 * clawarr tracker picker: one field that holds a Trakt account or a Simkl account.
 *
 * The clawarr nodes that talk to a tracker (match, sync-history, scrobble) have one property, `tracker`, with the
 * id of a clawarr-trakt-config OR a clawarr-simkl-config node. Node-RED's own config-node picker (the select it
 * builds for a property with `type: '<config type>'`) handles exactly one type, so those properties have no
 * `type`: a plain text input plus a `validate` function in each node's .html. This script, served from the
 * package's resources/ folder, turns that input into a grouped select:
 *
 *     window.ClawarrTrackerPicker.prepare(node, { input: '#node-input-tracker' });   // from oneditprepare
 *
 * The chosen id is written to the (now hidden) input, which Node-RED saves as usual. If this script does not
 * load, the input stays a text field holding the id and everything else keeps working.
 *
 * Known limitations of an untyped config reference (Node-RED 3.1 - 4.1, public APIs only):
 *   - Node-RED counts a config node's `users` only through properties declared with `type`
 *     (RED.nodes updateConfigNodeUsers), so a tracker account used only through `tracker` has 0 users. The
 *     config types say `hasUsers: false` so they are not reported as "unused" (config sidebar, Deploy notice);
 *     the user count in their edit dialog is hidden for the same reason.
 *   - "Export selected nodes" / copy only bring along config nodes referenced through typed properties: export
 *     the whole flow (or all flows) to take the tracker account with it.
 *   - Importing with "copy" gives imported config nodes new ids but does not rewrite untyped references: the
 *     imported nodes then point at the old id and show as invalid until an account is picked again.
 *   - Deleting a config node only clears the typed references to it. This script re-validates the nodes that
 *     point at a removed tracker account, so they show as invalid instead of silently keeping a dead id.
 *
 * Plain ES2017 and jQuery, like the rest of the Node-RED editor. Loaded once per editor (each .html asks for it,
 * without a blocking <script src>: see the comment there; a second copy returns early).
 */
/* global RED, $, window, console */
(function () {
    'use strict';

    var VERSION = 1;
    if (window.ClawarrTrackerPicker && window.ClawarrTrackerPicker.version >= VERSION) {
        return;
    }

    var PROVIDERS = [
        { type: 'clawarr-trakt-config', key: 'trakt' },
        { type: 'clawarr-simkl-config', key: 'simkl' }
    ];
    var ADD = '_ADD_:';
    var CATALOG_TYPE = 'clawarr-simkl-config';
    var CATALOG_PREFIX = 'simkl-config.picker.';
    // Used when the simkl-config catalog is not available (the node set disabled, an old catalog cached).
    var FALLBACK = {
        trakt: 'Trakt',
        simkl: 'Simkl',
        option: '__provider__: __label__',
        none: 'none',
        addTrakt: 'Add new Trakt account…',
        addSimkl: 'Add new Simkl account…',
        edit: 'Edit the selected account',
        missing: 'account not found (__id__)',
        envVar: 'from environment variable __name__'
    };

    function t(key, options) {
        var def = RED.nodes.getType(CATALOG_TYPE);
        var text = def && typeof def._ === 'function' ? def._(CATALOG_PREFIX + key, options) : '';
        if (!text || text === CATALOG_PREFIX + key || text === key) {
            text = FALLBACK[key] || key;
            Object.keys(options || {}).forEach(function (name) {
                text = text.split('__' + name + '__').join(String(options[name]));
            });
        }
        return text;
    }

    function providerOf(type) {
        for (var i = 0; i < PROVIDERS.length; i++) {
            if (PROVIDERS[i].type === type) {
                return PROVIDERS[i];
            }
        }
        return null;
    }

    function isTracker(id) {
        var config = id ? RED.nodes.node(id) : null;
        return !!(config && providerOf(config.type));
    }

    function isEnvReference(value) {
        return typeof value === 'string' && /^\$\{[^}]+\}$/.test(value.trim());
    }

    // A config node is offered when it is global or scoped to the flow (or subflow) the edited node is on,
    // as Node-RED's own picker does.
    function inScope(config, node) {
        if (!config.z) {
            return true;
        }
        return config.z === (node.z || RED.workspaces.active());
    }

    function optionText(provider, config) {
        var name = t(provider.key);
        var label = RED.utils.getNodeLabel(config, config.id);
        // "Trakt: alice" already says which tracker it is; a plain name ("Living room") gets the prefix.
        var text = label.toLowerCase().indexOf(name.toLowerCase()) === 0 ? label : t('option', { provider: name, label: label });
        if (config.d) {
            text += ' [' + RED._('workspace.disabled') + ']';
        }
        return text;
    }

    function accountsByProvider(node) {
        var groups = PROVIDERS.map(function (provider) {
            return { provider: provider, accounts: [] };
        });
        RED.nodes.eachConfig(function (config) {
            var provider = providerOf(config.type);
            if (provider && inScope(config, node)) {
                groups[PROVIDERS.indexOf(provider)].accounts.push({ id: config.id, text: optionText(provider, config) });
            }
        });
        groups.forEach(function (group) {
            group.accounts.sort(function (a, b) {
                return a.text.localeCompare(b.text, undefined, { sensitivity: 'base' });
            });
        });
        return groups;
    }

    // ---- one picker per open edit dialog ----

    var pickers = [];

    // Builds the picker over `input` (a jQuery text input). The returned object is what the event handlers below
    // work with: its current `value`, the config type of an "Add new … account" dialog it opened (`pendingAdd`),
    // `render()` and `setValue()`.
    function createPicker(node, input) {
        var style = input.attr('style') || '';
        var width = /(^|\s|;)width\s*:\s*([^;]+)/i.exec(style);
        var selectId = input.attr('id') + '-picker';
        var wrap = $('<div class="clawarr-tracker-picker">').css({ width: width ? width[2].trim() : '70%', display: 'inline-flex' });
        var select = $('<select>').attr('id', selectId).css({ flexGrow: 1, width: 'auto', minWidth: 0 }).appendTo(wrap);
        var editButton = $('<a href="#" role="button" class="red-ui-button">')
            .attr('aria-label', t('edit'))
            .css({ marginLeft: '10px' })
            .append($('<i class="fa fa-pencil">'))
            .appendTo(wrap);

        var picker = {
            node: node,
            input: input,
            wrap: wrap,
            value: String(input.val() || ''),
            pendingAdd: null
        };

        function updateButton() {
            var editable = isTracker(picker.value);
            editButton.toggleClass('disabled', !editable).attr('aria-disabled', editable ? 'false' : 'true');
        }

        // Node-RED marks the hidden input; the select is what the user sees.
        function showValidity() {
            var def = node._def && node._def.defaults && node._def.defaults.tracker;
            var problem = '';
            if (!picker.value) {
                problem = def && def.required ? ' ' : '';
            } else if (def && typeof def.validate === 'function' && !isEnvReference(picker.value)) {
                try {
                    var result = def.validate.call(node, picker.value, {});
                    problem = result === true ? '' : (typeof result === 'string' ? result : ' ');
                } catch (err) {
                    problem = (err && err.message) || ' ';
                }
            }
            select.toggleClass('input-error', !!problem).attr('title', problem.trim() || null);
        }

        picker.render = function () {
            var value = picker.value;
            var known = false;
            select.empty();
            $('<option>').val('').text(t('none')).appendTo(select);
            accountsByProvider(node).forEach(function (group) {
                var optgroup = $('<optgroup>').attr('label', t(group.provider.key)).appendTo(select);
                group.accounts.forEach(function (account) {
                    $('<option>').val(account.id).text(RED.text.bidi.enforceTextDirectionWithUCC(account.text)).appendTo(optgroup);
                    known = known || account.id === value;
                });
                var addKey = group.provider.key === 'trakt' ? 'addTrakt' : 'addSimkl';
                $('<option>').val(ADD + group.provider.type).text(t(addKey)).appendTo(optgroup);
            });
            if (value && !known) {
                // Keep what the node has (an env variable, an account on another flow, a deleted one) instead of
                // silently dropping it; validation says what is wrong with it.
                var text = isEnvReference(value) ? t('envVar', { name: value.trim() }) : t('missing', { id: value });
                $('<option>').val(value).text(text).insertAfter(select.children().first());
            }
            select.val(value);
            updateButton();
            showValidity();
        };

        picker.setValue = function (value) {
            picker.value = value;
            input.val(value).trigger('change'); // Node-RED validates the form on change
            updateButton();
            showValidity();
        };

        // The dialog's tray is detached (jQuery keeps its data) while a config dialog is stacked on top of it,
        // and removed (jQuery drops its data) when it closes.
        picker.alive = function () {
            return input.data('clawarrTrackerPicker') === picker;
        };

        function add(type) {
            if (!RED.nodes.getType(type)) {
                return; // that node set is disabled or missing
            }
            picker.pendingAdd = type;
            RED.editor.editConfig('', type, '_ADD_');
        }

        RED.popover.tooltip(editButton, function () {
            return t('edit');
        });
        input.attr('type', 'hidden').after(wrap);
        // The field's label now belongs to the select.
        $('label[for="' + input.attr('id') + '"]').attr('for', selectId);

        select.on('change', function () {
            var chosen = String(select.val() || '');
            if (chosen.indexOf(ADD) === 0) {
                select.val(picker.value); // shown again if the new-account dialog is cancelled
                add(chosen.substring(ADD.length));
                return;
            }
            picker.setValue(chosen);
        });
        editButton.on('click', function (event) {
            event.preventDefault();
            var config = editButton.hasClass('disabled') ? null : RED.nodes.node(picker.value);
            if (config) {
                RED.editor.editConfig('', config.type, config.id);
            }
        });

        // Like Node-RED for a typed config property: a node with nothing chosen gets the only account there is.
        if (!picker.value) {
            var all = [];
            accountsByProvider(node).forEach(function (group) {
                all = all.concat(group.accounts);
            });
            if (all.length === 1) {
                picker.value = all[0].id;
                input.val(picker.value);
            }
        }
        input.data('clawarrTrackerPicker', picker);
        picker.render();
        return picker;
    }

    // ---- keeping the open pickers in step with the config nodes ----

    function eachPicker(fn) {
        pickers = pickers.filter(function (picker) {
            return picker.alive();
        });
        pickers.forEach(fn);
    }

    // Every change to a Trakt or Simkl config node re-renders the open pickers. The config dialog is opened
    // without a property name or prefix, so Node-RED does not try to re-render a select of its own in our place.
    function onConfigAdded(config) {
        if (!config || !providerOf(config.type)) {
            return;
        }
        eachPicker(function (picker) {
            if (picker.pendingAdd === config.type) {
                picker.pendingAdd = null;
                picker.value = config.id;
                picker.render();
                picker.setValue(config.id);
            } else {
                picker.render();
            }
        });
    }

    function onConfigChanged(config) {
        if (config && providerOf(config.type)) {
            eachPicker(function (picker) {
                picker.render();
            });
        }
    }

    function onConfigRemoved(config) {
        if (config && providerOf(config.type)) {
            eachPicker(function (picker) {
                picker.render(); // a removed selection stays, shown as "not found", and is flagged
            });
        }
    }

    // Whenever a stacked dialog closes (Done, Cancel or Delete), the dialog below is shown again: re-render,
    // and forget an "Add new" that was cancelled.
    function onEditorChange() {
        eachPicker(function (picker) {
            if (picker.wrap.closest('body').length) {
                picker.pendingAdd = null;
                picker.render();
            }
        });
    }

    // Node-RED only re-validates the nodes that use a config node through a typed property. Nodes whose
    // `tracker` points at an account that was just removed (or restored by undo) are re-validated here.
    function revalidateUsersOf(config) {
        if (!config || !providerOf(config.type)) {
            return;
        }
        var touched = false;
        RED.nodes.eachNode(function (node) {
            if (node.tracker === config.id && node._def && node._def.defaults && node._def.defaults.tracker) {
                RED.editor.validateNode(node);
                node.dirty = true;
                touched = true;
            }
        });
        if (touched) {
            RED.view.redraw(true);
        }
    }

    RED.events.on('nodes:add', function (config) {
        onConfigAdded(config);
        revalidateUsersOf(config);
    });
    RED.events.on('nodes:change', onConfigChanged);
    RED.events.on('nodes:remove', function (config) {
        onConfigRemoved(config);
        revalidateUsersOf(config);
    });
    RED.events.on('editor:change', onEditorChange);
    RED.events.on('editor:close', function () {
        pickers = [];
    });

    window.ClawarrTrackerPicker = {
        version: VERSION,
        types: PROVIDERS.map(function (provider) {
            return provider.type;
        }),
        isTracker: isTracker,
        /**
         * Turns the text input `options.input` (default '#node-input-tracker') into the account picker.
         * Call it from oneditprepare. Returns the picker, or null when the input is not there or the picker failed
         * (the text field still works then).
         */
        prepare: function (node, options) {
            var input = $((options && options.input) || '#node-input-tracker');
            if (!input.length || input.data('clawarrTrackerPicker')) {
                return null;
            }
            try {
                var picker = createPicker(node, input);
                pickers.push(picker);
                return picker;
            } catch (err) {
                console.warn('clawarr tracker picker:', err); // the text field still works
                return null;
            }
        }
    };
})();
