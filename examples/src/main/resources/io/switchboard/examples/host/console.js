// The agent console: plain DOM, every piece of data set with textContent.
(function () {
  'use strict';
  var state = { token: sessionStorage.getItem('sb-token'), selected: null, lastSequence: 0,
    socket: null, retry: 1000, agents: [] };
  var $ = function (id) { return document.getElementById(id); };

  function api(method, path, body) {
    return fetch('/api' + path, {
      method: method,
      headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + state.token },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      if (r.status === 401) { signOut(); throw new Error('signed out'); }
      return r.status === 204 ? null : r.json().then(function (j) {
        if (!r.ok) { throw new Error(j.error || r.statusText); }
        return j;
      });
    });
  }

  function signOut() {
    sessionStorage.removeItem('sb-token');
    state.token = null;
    $('app').classList.remove('ready');
    $('login').style.display = '';
  }

  $('login').addEventListener('submit', function (e) {
    e.preventDefault();
    fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: $('email').value, password: $('password').value }) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) { $('login-error').textContent = res.body.error; return; }
        state.token = res.body.token;
        sessionStorage.setItem('sb-token', state.token);
        start();
      });
  });

  function start() {
    $('login').style.display = 'none';
    $('app').classList.add('ready');
    api('GET', '/me').then(function (me) {
      state.me = me;
      $('me').textContent = me.name + ' (' + me.role + ')';
    });
    api('GET', '/inboxes').then(function (inboxes) {
      var select = $('inbox-filter');
      var chosen = select.value;
      while (select.options.length > 1) { select.remove(1); }
      inboxes.forEach(function (i) {
        var o = document.createElement('option');
        o.value = String(i.id); o.textContent = i.name;
        select.appendChild(o);
      });
      select.value = chosen;
    });
    api('GET', '/agents').then(function (agents) {
      state.agents = agents;
      var select = $('assignee');
      select.textContent = '';
      var none = document.createElement('option');
      none.value = ''; none.textContent = 'Unassigned';
      select.appendChild(none);
      agents.forEach(function (a) {
        var o = document.createElement('option');
        o.value = String(a.id); o.textContent = a.name;
        select.appendChild(o);
      });
    });
    loadConversations();
    connect();
  }

  // the list's query: status, inbox, Mine/Unassigned/All and label, as /api/conversations takes them
  function listQuery() {
    var q = '?status=' + encodeURIComponent($('status-filter').value);
    if ($('inbox-filter').value) { q += '&inbox_id=' + encodeURIComponent($('inbox-filter').value); }
    var who = $('assignee-filter').value;
    if (who === 'mine' && state.me) { q += '&assignee_id=' + state.me.id; }
    if (who === 'unassigned') { q += '&unassigned=true'; }
    var label = $('label-filter').value.trim();
    if (label) { q += '&label=' + encodeURIComponent(label); }
    return q;
  }

  function loadConversations() {
    api('GET', '/conversations' + listQuery()).then(function (page) {
      var list = $('conversations');
      list.textContent = '';
      page.items.forEach(function (c) {
        var li = document.createElement('li');
        li.dataset.id = String(c.id);
        if (state.selected && state.selected.id === c.id) { li.className = 'active'; }
        var name = document.createElement('div');
        name.textContent = '#' + c.display_id + ' ' + c.contact.name;
        var meta = document.createElement('div');
        meta.className = 'meta';
        meta.textContent = c.status + (c.assignee_id ? ' · assigned' : '') +
          (c.labels && c.labels.length ? ' · ' + c.labels.join(', ') : '') +
          ' · ' + new Date(c.last_activity_at).toLocaleString();
        li.appendChild(name); li.appendChild(meta);
        li.addEventListener('click', function () { select(c.id); });
        list.appendChild(li);
      });
    });
  }

  function select(id) {
    if (!state.selected || state.selected.id !== id) { stopTyping(); showVisitorTyping(false); }
    api('GET', '/conversations/' + id).then(function (c) {
      state.selected = c;
      $('title').textContent = '#' + c.display_id + ' ' + c.contact.name + ' — ' + c.status;
      $('assignee').value = c.assignee_id ? String(c.assignee_id) : '';
      loadConversations();
      return api('GET', '/conversations/' + id + '/messages?limit=100');
    }).then(function (page) {
      $('messages').textContent = '';
      page.items.forEach(addMessage);
    });
  }

  function addMessage(m) {
    if (document.querySelector('[data-message-id="' + m.id + '"]')) { return; }
    var div = document.createElement('div');
    div.dataset.messageId = String(m.id);
    div.className = 'msg ' + (m.private_note ? 'private' : m.message_type);
    div.textContent = m.content || '[attachment]';
    if (m.message_type === 'outgoing' && !m.private_note) {
      var status = document.createElement('div');
      status.className = 'status';
      status.textContent = m.status;
      div.appendChild(status);
    }
    $('messages').appendChild(div);
    $('messages').scrollTop = $('messages').scrollHeight;
  }

  function connect() {
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +
      '/realtime?access_token=' + encodeURIComponent(state.token) + '&last_sequence=' + state.lastSequence;
    var socket = new WebSocket(url);
    state.socket = socket;
    socket.onopen = function () { $('socket').textContent = 'live'; state.retry = 1000; };
    socket.onmessage = function (e) {
      var event = JSON.parse(e.data);
      state.lastSequence = Math.max(state.lastSequence, event.sequence);
      if (event.type === 'resync') {
        // away for longer than the server replays: read everything again
        loadConversations();
        if (state.selected) { select(state.selected.id); }
        return;
      }
      if (event.type.indexOf('message.') === 0 && state.selected &&
          event.conversation_id === state.selected.id) {
        if (event.type === 'message.created') { addMessage(event.data); }
        else { select(state.selected.id); }
      }
      if (event.type === 'conversation.typing_on' || event.type === 'conversation.typing_off') {
        // the visitor's typing, for the open conversation; an agent's own typing comes back too
        if (state.selected && event.conversation_id === state.selected.id &&
            event.performer && event.performer.type === 'contact') {
          showVisitorTyping(event.type === 'conversation.typing_on');
        }
        return;
      }
      if (event.type === 'message.created' && event.data.message_type === 'incoming' &&
          state.selected && event.conversation_id === state.selected.id) {
        showVisitorTyping(false);
      }
      if (event.type.indexOf('conversation.') === 0 || event.type === 'message.created' ||
          event.type === 'assignee.changed') {
        loadConversations();
      }
    };
    socket.onclose = function () {
      $('socket').textContent = 'reconnecting…';
      if (state.token) {
        setTimeout(connect, state.retry);
        state.retry = Math.min(state.retry * 2, 15000);
      }
    };
  }
  setInterval(function () {
    if (state.socket && state.socket.readyState === 1) { state.socket.send('{"type":"heartbeat"}'); }
  }, 10000);

  // typing: on at the first key, off after 3 s without one or when the reply is sent;
  // never for a private note, which the visitor must not know about
  function sendTyping(on) {
    if (!state.typingIn) { return; }
    api('POST', '/conversations/' + state.typingIn + '/typing', { typing_status: on ? 'on' : 'off' })
      .catch(function () {});
  }
  function stopTyping() {
    clearTimeout(state.typingTimer);
    if (state.typingIn) { sendTyping(false); state.typingIn = null; }
  }
  $('content').addEventListener('input', function () {
    if (!state.selected || $('private').checked) { stopTyping(); return; }
    if (state.typingIn !== state.selected.id) {
      stopTyping();
      state.typingIn = state.selected.id;
      sendTyping(true);
    }
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(stopTyping, 3000);
  });
  $('private').addEventListener('change', function () { if ($('private').checked) { stopTyping(); } });
  function showVisitorTyping(on) {
    clearTimeout(state.visitorTypingTimer);
    $('typing').textContent = on ? 'Visitor is typing…' : '';
    // a lost typing_off must not leave the line forever
    if (on) { state.visitorTypingTimer = setTimeout(function () { showVisitorTyping(false); }, 30000); }
  }

  $('reply').addEventListener('submit', function (e) {
    e.preventDefault();
    stopTyping();
    if (!state.selected || !$('content').value.trim()) { return; }
    api('POST', '/conversations/' + state.selected.id + '/messages',
      { content: $('content').value, private: $('private').checked })
      .then(function (m) { $('content').value = ''; addMessage(m); })
      .catch(function (err) { alert(err.message); });
  });
  function setStatus(status, until) {
    if (!state.selected) { return; }
    api('POST', '/conversations/' + state.selected.id + '/status', { status: status, snoozed_until: until })
      .then(function () { select(state.selected.id); });
  }
  $('resolve').addEventListener('click', function () { setStatus('resolved'); });
  $('reopen').addEventListener('click', function () { setStatus('open'); });
  $('snooze').addEventListener('click', function () {
    setStatus('snoozed', new Date(Date.now() + 3600 * 1000).toISOString());
  });
  $('assignee').addEventListener('change', function () {
    if (!state.selected) { return; }
    var v = $('assignee').value;
    api('POST', '/conversations/' + state.selected.id + '/assignee', { assignee_id: v ? Number(v) : null })
      .then(function () { select(state.selected.id); });
  });
  ['status-filter', 'assignee-filter', 'inbox-filter', 'label-filter'].forEach(function (id) {
    $(id).addEventListener('change', loadConversations);
  });

  if (state.token) { start(); }
}());
