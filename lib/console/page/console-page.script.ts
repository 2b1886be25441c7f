/** The console page's script (no bundler, no dependency): the page talks to `<path>/api` only. Served as `<path>/console.js`. */
export const CONSOLE_SCRIPT = String.raw`(function () {
  'use strict';
  var root = document.getElementById('console');
  var API = root.getAttribute('data-api');
  var ORIGIN = window.location.origin;
  var views = {};
  Array.prototype.forEach.call(document.querySelectorAll('[data-view]'), function (el) { views[el.getAttribute('data-view')] = el; });
  var statusEl = document.getElementById('status');
  var alertEl = document.getElementById('alert');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = String(value);
      else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) { if (child !== null && child !== undefined) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child); });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function say(text) { statusEl.textContent = text; }
  function fail(text) { alertEl.textContent = text; alertEl.hidden = !text; }
  function when(value) { if (!value) return '—'; var d = new Date(value); return isNaN(d.getTime()) ? String(value) : d.toLocaleString(); }
  function qs(params) {
    var parts = [];
    Object.keys(params).forEach(function (key) { var v = params[key]; if (v !== undefined && v !== null && v !== '') parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(v)); });
    return parts.length ? '?' + parts.join('&') : '';
  }

  function api(method, path, body) {
    fail('');
    var init = { method: method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(API + path, init).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (response.ok) return data;
        var message = data && data.message ? (Array.isArray(data.message) ? data.message.join('; ') : data.message) : response.statusText;
        if (response.status === 401) message = 'You are signed out. Sign in again, then reload this page.';
        var error = new Error(message + ' (' + response.status + ')');
        error.status = response.status;
        throw error;
      });
    });
  }
  function guard(promise) { return promise.catch(function (error) { fail(error.message); say(''); }); }

  function flagBadges(user) {
    var badges = [];
    badges.push(el('span', { class: user.isActive ? 'badge ok' : 'badge off', text: user.isActive ? 'active' : 'inactive' }));
    if (user.isStaff) badges.push(el('span', { class: 'badge', text: 'staff' }));
    if (user.isSuperuser) badges.push(el('span', { class: 'badge strong', text: 'superuser' }));
    if (!user.clerkId) badges.push(el('span', { class: 'badge', text: 'no Clerk id' }));
    return el('span', { class: 'badges' }, badges);
  }
  function nameOf(user) { var n = ((user.firstName || '') + ' ' + (user.lastName || '')).trim(); return n || user.email || user.username || user.clerkId || user.id; }
  function table(caption, headers, rows, empty) {
    if (!rows.length) return el('p', { class: 'empty', text: empty });
    return el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': caption }, [
      el('table', null, [
        el('caption', { text: caption }),
        el('thead', null, [el('tr', null, headers.map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
        el('tbody', null, rows),
      ]),
    ]);
  }
  function pager(container, load) {
    var more = el('button', { type: 'button', class: 'secondary', text: 'Load more' });
    var cursor = null;
    more.addEventListener('click', function () { guard(load(cursor).then(step)); });
    function step(next) { cursor = next; more.hidden = !next; }
    container.appendChild(more);
    return step;
  }

  // Users
  var userForm = document.getElementById('user-search');
  var userResults = document.getElementById('user-results');
  function userFilters() {
    var data = new FormData(userForm);
    var params = {};
    data.forEach(function (value, key) { if (value) params[key] = value; });
    return params;
  }
  function loadUsers() {
    clear(userResults);
    say('Searching users…');
    var body = el('tbody');
    var holder = el('div');
    userResults.appendChild(holder);
    var step;
    function page(cursor) {
      var params = userFilters();
      if (cursor) params.cursor = cursor;
      return api('GET', '/users' + qs(params)).then(function (result) {
        if (!cursor) {
          clear(holder);
          holder.appendChild(result.items.length
            ? el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Users' }, [el('table', null, [
                el('caption', { text: 'Users, newest first' }),
                el('thead', null, [el('tr', null, ['Name', 'Email', 'Username', 'Flags', 'Created'].map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
                body,
              ])])
            : el('p', { class: 'empty', text: 'No user matches.' }));
        }
        result.items.forEach(function (user) {
          body.appendChild(el('tr', null, [
            el('td', null, [el('a', { href: '#/users/' + user.id, text: nameOf(user) })]),
            el('td', { text: user.email || '—' }),
            el('td', { text: user.username || '—' }),
            el('td', null, [flagBadges(user)]),
            el('td', { text: when(user.createdAt) }),
          ]));
        });
        say(body.children.length + ' user' + (body.children.length === 1 ? '' : 's') + ' shown' + (result.nextCursor ? ', more available' : ''));
        return result.nextCursor;
      });
    }
    guard(page(null).then(function (next) { step = pager(userResults, page); step(next); }));
  }
  userForm.addEventListener('submit', function (event) { event.preventDefault(); if (location.hash !== '#/users') location.hash = '#/users'; else loadUsers(); });

  function userDetail(id, done) {
    var view = clear(views.user);
    say('Loading user…');
    guard(api('GET', '/users/' + id).then(function (detail) {
      var user = detail.user;
      var title = el('h2', { tabindex: '-1', text: nameOf(user) });
      view.appendChild(el('p', null, [el('a', { href: '#/users', text: '← Back to users' })]));
      view.appendChild(title);
      view.appendChild(flagBadges(user));

      var flagsBox = el('div', { class: 'actions', role: 'group', 'aria-label': 'Local flags' });
      function flagButton(flag, on, off, danger) {
        var value = !!user[flag];
        return el('button', { type: 'button', class: value && danger ? 'danger' : '', text: value ? off : on, onclick: function () {
          var change = {}; change[flag] = !value;
          guard(api('PATCH', '/users/' + id, change).then(function () { userDetail(id, 'Saved.'); }));
        } });
      }
      flagsBox.appendChild(flagButton('isActive', 'Activate', 'Deactivate', true));
      flagsBox.appendChild(flagButton('isStaff', 'Make staff', 'Remove staff', true));
      flagsBox.appendChild(flagButton('isSuperuser', 'Make superuser', 'Remove superuser', true));
      view.appendChild(el('h3', { text: 'Local flags' }));
      view.appendChild(flagsBox);

      if (user.clerkId) {
        var out = el('div', { class: 'link-out', 'aria-live': 'polite' });
        function action(label, path, confirmText, done) {
          return el('button', { type: 'button', class: confirmText ? 'danger' : 'secondary', text: label, onclick: function () {
            if (confirmText && !window.confirm(confirmText)) return;
            guard(api('POST', '/users/' + id + '/' + path).then(function (result) { userDetail(id, done(result)); }));
          } });
        }
        var linkButton = el('button', { type: 'button', class: 'secondary', text: 'Create sign-in link', onclick: function () {
          guard(api('POST', '/users/' + id + '/sign-in-link', { redirectUrl: ORIGIN + '/' }).then(function (link) {
            clear(out);
            var field = el('input', { id: 'sign-in-link', type: 'text', readonly: true, value: link.url, size: '40' });
            out.appendChild(el('label', { for: 'sign-in-link', text: 'One-time sign-in link (shown once; expires ' + when(link.expiresAt) + ')' }));
            out.appendChild(field);
            field.focus(); field.select();
            say('Sign-in link created. Copy it now: it is not shown again.');
          }));
        } });
        view.appendChild(el('h3', { text: 'Clerk' }));
        view.appendChild(el('div', { class: 'actions', role: 'group', 'aria-label': 'Clerk actions' }, [
          action('Resync from Clerk', 'resync', null, function (r) { return 'Resynced: ' + r.outcome + '.'; }),
          action('Revoke all sessions', 'revoke-sessions', 'Sign this user out everywhere?', function (r) { return r.revokedSessions + ' session(s) revoked.'; }),
          action('Ban', 'ban', 'Ban this user in Clerk? They cannot sign in until unbanned.', function () { return 'Banned.'; }),
          action('Unban', 'unban', null, function () { return 'Unbanned.'; }),
          linkButton,
        ]));
        view.appendChild(out);
      }

      var extras = detail.extraColumns || [];
      var rows = Object.keys(user).map(function (key) {
        var value = user[key];
        var text = value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
        return el('tr', null, [el('th', { scope: 'row' }, [key, extras.indexOf(key) >= 0 ? el('span', { class: 'badge', text: 'app' }) : null]), el('td', { class: 'value', text: text })]);
      });
      view.appendChild(el('h3', { text: 'Columns' }));
      view.appendChild(table('Every column of this row (app: added by the app’s entity; the Clerk id is read-only)', ['Column', 'Value'], rows, ''));

      if (detail.memberships) {
        view.appendChild(el('h3', { text: 'Organizations' }));
        view.appendChild(table('Memberships', ['Organization', 'Role', 'Joined'], detail.memberships.map(function (m) {
          return el('tr', null, [el('td', null, [el('a', { href: '#/organizations/' + m.organizationId, text: m.name || m.clerkOrganizationId })]), el('td', { text: m.role }), el('td', { text: when(m.joinedAt) })]);
        }), 'No memberships.'));
      }
      if (user.clerkId) {
        view.appendChild(el('h3', { text: 'Latest webhook events' }));
        view.appendChild(table('The last ' + (detail.webhookEvents || []).length + ' webhook events about this user, newest first', ['Outcome', 'Type', 'Received', 'Processed', 'Attempts', 'Last error'], (detail.webhookEvents || []).map(function (e) {
          var failed = !e.processedAt;
          return el('tr', { class: failed ? 'row-failed' : '' }, [
            el('td', null, [el('span', { class: failed ? 'badge off' : 'badge ok', text: failed ? 'failed' : 'processed' })]),
            el('td', { text: e.type }), el('td', { text: when(e.receivedAt) }), el('td', { text: when(e.processedAt) }), el('td', { text: e.attempts }),
            el('td', { class: 'value', text: e.lastError || '—' }),
          ]);
        }), 'No webhook event recorded for this user.'));
      }
      view.appendChild(el('h3', { text: 'Changes made here' }));
      var auditBox = el('div');
      view.appendChild(auditBox);
      auditList(auditBox, { userId: id });
      say(done || '');
      if (!done) title.focus();
    }));
  }

  // Organizations
  var orgForm = document.getElementById('org-search');
  var orgResults = document.getElementById('org-results');
  function loadOrgs() {
    clear(orgResults);
    var body = el('tbody');
    var holder = el('div');
    orgResults.appendChild(holder);
    function page(cursor) {
      var search = new FormData(orgForm).get('search');
      return api('GET', '/organizations' + qs({ search: search, cursor: cursor })).then(function (result) {
        if (!cursor) holder.appendChild(result.items.length ? el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Organizations' }, [el('table', null, [
          el('caption', { text: 'Organizations by name' }),
          el('thead', null, [el('tr', null, ['Name', 'Slug', 'Members', 'Pending invitations'].map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
          body,
        ])]) : el('p', { class: 'empty', text: 'No organization matches.' }));
        result.items.forEach(function (org) {
          body.appendChild(el('tr', null, [el('td', null, [el('a', { href: '#/organizations/' + org.id, text: org.name || org.clerkId })]), el('td', { text: org.slug || '—' }), el('td', { text: org.membersCount }), el('td', { text: org.pendingInvitationsCount })]));
        });
        return result.nextCursor;
      });
    }
    guard(page(null).then(function (next) { pager(orgResults, page)(next); }).catch(function (error) {
      if (error.status === 404) { clear(orgResults).appendChild(el('p', { class: 'empty', text: 'Organizations are not enabled in this app (OrganizationsModule is not loaded).' })); return; }
      throw error;
    }));
  }
  orgForm.addEventListener('submit', function (event) { event.preventDefault(); loadOrgs(); });
  function orgDetail(id) {
    var view = clear(views.organization);
    guard(api('GET', '/organizations/' + id).then(function (detail) {
      var org = detail.organization;
      var title = el('h2', { tabindex: '-1', text: org.name || org.clerkId });
      view.appendChild(el('p', null, [el('a', { href: '#/organizations', text: '← Back to organizations' })]));
      view.appendChild(title);
      view.appendChild(el('p', { class: 'muted', text: (org.slug ? org.slug + ' · ' : '') + org.clerkId }));
      view.appendChild(el('h3', { text: 'Members' }));
      view.appendChild(table('Members and their roles', ['Member', 'Role', 'Joined'], detail.members.map(function (m) {
        return el('tr', null, [el('td', null, [el('a', { href: '#/users/' + m.userId, text: m.user || m.clerkUserId })]), el('td', { text: m.role }), el('td', { text: when(m.joinedAt) })]);
      }), 'No members.'));
      view.appendChild(el('h3', { text: 'Pending invitations' }));
      view.appendChild(table('Pending invitations', ['Email', 'Role', 'Sent'], detail.pendingInvitations.map(function (i) {
        return el('tr', null, [el('td', { text: i.emailAddress }), el('td', { text: i.role }), el('td', { text: when(i.createdAt) })]);
      }), 'No pending invitations.'));
      title.focus();
    }));
  }

  // Webhook deliveries
  var hookForm = document.getElementById('webhook-filter');
  var hookResults = document.getElementById('webhook-results');
  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function chart(counts) {
    var byType = {};
    counts.forEach(function (c) { (byType[c.type] = byType[c.type] || { processed: 0, failed: 0 })[c.outcome] += c.count; });
    var types = Object.keys(byType).sort();
    if (!types.length) return el('p', { class: 'empty', text: 'No deliveries in the last 24 hours.' });
    var max = Math.max.apply(null, types.map(function (t) { return byType[t].processed + byType[t].failed; }));
    var row = 26, label = 190, width = 640, barWidth = width - label - 150;
    var summary = types.map(function (t) { return t + ': ' + byType[t].processed + ' processed, ' + byType[t].failed + ' failed'; }).join('; ');
    var box = svg('svg', { viewBox: '0 0 ' + width + ' ' + (types.length * row + 8), role: 'img', 'aria-label': 'Deliveries per type in the last 24 hours. ' + summary, class: 'chart' });
    types.forEach(function (t, i) {
      var y = i * row + 4, p = byType[t].processed, f = byType[t].failed;
      var pw = max ? Math.round(barWidth * p / max) : 0, fw = max ? Math.round(barWidth * f / max) : 0;
      box.appendChild(svg('text', { x: label - 8, y: y + 15, 'text-anchor': 'end', class: 'chart-label' }, t));
      box.appendChild(svg('rect', { x: label, y: y, width: pw, height: 18, class: 'bar-ok' }));
      box.appendChild(svg('rect', { x: label + pw, y: y, width: fw, height: 18, class: 'bar-failed' }));
      box.appendChild(svg('text', { x: label + pw + fw + 6, y: y + 15, class: 'chart-label' }, p + ' ok' + (f ? ', ' + f + ' failed' : '')));
    });
    return el('figure', null, [box, el('figcaption', null, [el('span', { class: 'key key-ok', 'aria-hidden': 'true' }), ' processed ', el('span', { class: 'key key-failed', 'aria-hidden': 'true' }), ' failed — last 24 hours'])]);
  }
  function loadWebhooks() {
    clear(hookResults);
    say('Loading deliveries…');
    var chartBox = el('div'); var holder = el('div'); var body = el('tbody');
    hookResults.appendChild(chartBox); hookResults.appendChild(holder);
    function page(cursor) {
      var data = new FormData(hookForm);
      return api('GET', '/webhook-events' + qs({ outcome: data.get('outcome'), type: data.get('type'), cursor: cursor })).then(function (result) {
        if (result.last24h) chartBox.appendChild(chart(result.last24h));
        if (!cursor) holder.appendChild(result.items.length ? el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Deliveries' }, [el('table', null, [
          el('caption', { text: 'Deliveries: failures first, then the newest' }),
          el('thead', null, [el('tr', null, ['Outcome', 'Type', 'Received', 'Processed', 'Attempts', 'Last error'].map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
          body,
        ])]) : el('p', { class: 'empty', text: 'No deliveries.' }));
        result.items.forEach(function (e) {
          var error = e.lastError ? el('details', null, [el('summary', { text: e.lastError.length > 60 ? e.lastError.slice(0, 60) + '…' : e.lastError }), el('pre', { text: e.lastError + '\n\nsvix id: ' + e.svixId })]) : el('span', { text: '—' });
          body.appendChild(el('tr', { class: e.outcome === 'failed' ? 'row-failed' : '' }, [
            el('td', null, [el('span', { class: e.outcome === 'failed' ? 'badge off' : 'badge ok', text: e.outcome })]),
            el('td', { text: e.type }), el('td', { text: when(e.receivedAt) }), el('td', { text: when(e.processedAt) }), el('td', { text: e.attempts }), el('td', null, [error]),
          ]));
        });
        say('');
        return result.nextCursor;
      });
    }
    guard(page(null).then(function (next) { pager(hookResults, page)(next); }));
  }
  hookForm.addEventListener('submit', function (event) { event.preventDefault(); loadWebhooks(); });

  // Audit
  function auditList(container, filter) {
    var body = el('tbody'); var holder = el('div');
    container.appendChild(holder);
    function page(cursor) {
      return api('GET', '/audit' + qs({ userId: filter.userId, cursor: cursor })).then(function (result) {
        if (!cursor) holder.appendChild(result.items.length ? el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Audit' }, [el('table', null, [
          el('caption', { text: 'Changes, newest first' }),
          el('thead', null, [el('tr', null, ['When', 'Who', 'What', 'User', 'Before', 'After'].map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
          body,
        ])]) : el('p', { class: 'empty', text: 'No changes yet.' }));
        result.items.forEach(function (a) {
          body.appendChild(el('tr', null, [
            el('td', { text: when(a.at) }), el('td', { text: a.actor }), el('td', { text: a.action }),
            el('td', null, [a.targetUserId ? el('a', { href: '#/users/' + a.targetUserId, text: a.target || a.targetUserId }) : '—']),
            el('td', { class: 'value', text: a.before ? JSON.stringify(a.before) : '—' }), el('td', { class: 'value', text: a.after ? JSON.stringify(a.after) : '—' }),
          ]));
        });
        return result.nextCursor;
      });
    }
    return guard(page(null).then(function (next) { pager(container, page)(next); }));
  }

  // Routing: #/users, #/users/<id>, #/organizations, #/organizations/<id>, #/webhooks, #/audit
  function show(name) {
    Object.keys(views).forEach(function (key) { views[key].hidden = key !== name; });
    Array.prototype.forEach.call(document.querySelectorAll('nav a'), function (a) {
      var current = name.indexOf(a.getAttribute('data-nav')) === 0;
      if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
  }
  function route() {
    var parts = (location.hash || '#/users').slice(2).split('/');
    fail('');
    if (parts[0] === 'users' && parts[1]) { show('user'); userDetail(parts[1]); }
    else if (parts[0] === 'organizations' && parts[1]) { show('organization'); orgDetail(parts[1]); }
    else if (parts[0] === 'organizations') { show('organizations'); loadOrgs(); }
    else if (parts[0] === 'webhooks') { show('webhooks'); loadWebhooks(); }
    else if (parts[0] === 'audit') { show('audit'); clear(document.getElementById('audit-results')); auditList(document.getElementById('audit-results'), {}); }
    else { show('users'); loadUsers(); }
  }
  window.addEventListener('hashchange', route);
  route();
})();
`;
