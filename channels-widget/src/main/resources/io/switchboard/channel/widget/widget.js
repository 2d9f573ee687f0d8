/*
 * Switchboard web widget. Plain JavaScript, no framework, no build step.
 *
 * Embed:
 *   <script>
 *     window.switchboardSettings = { baseUrl: "https://support.example", websiteToken: "..." };
 *   </script>
 *   <script async src="https://support.example/widget.js"></script>
 *
 * Optional settings: apiPath (default "/widget"), realtimePath (default "/realtime"),
 * attachmentUrl (a function blobKey -> URL, for attachments stored in the blob store),
 * open (true to open the window at start), locale (the widget's language, reported to the
 * inbox's agent bot and webhooks in webwidget.triggered when the visitor opens the window).
 *
 * Page API: window.$switchboard.setUser(identifier, {identifier_hash, name, email,
 * phone_number}), .setContact({name, email, phone_number}), .open(), .close(), .toggle().
 *
 * Every text from the server or the visitor is put into the page with textContent or
 * setAttribute on safe attributes: never as HTML.
 */
(function () {
  "use strict";
  if (window.$switchboard && window.$switchboard.loaded) {
    return;
  }
  var settings = window.switchboardSettings || {};
  if (!settings.websiteToken) {
    if (window.console) { console.warn("switchboard widget: switchboardSettings.websiteToken is missing"); }
    return;
  }
  var baseUrl = String(settings.baseUrl || "").replace(/\/+$/, "");
  var apiBase = baseUrl + (settings.apiPath || "/widget");
  var realtimePath = settings.realtimePath || "/realtime";
  var storageKey = "switchboard_widget_" + settings.websiteToken;

  var state = {
    token: null,
    pubsubToken: null,
    widget: {},
    contact: {},
    messages: {},        // id -> message
    order: [],           // ids, in creation order
    pending: {},         // echo_id -> element of a message being sent
    conversation: null,
    lastSequence: 0,
    socket: null,
    connectedOnce: false,
    reconnectDelay: 1000,
    reconnectTimer: null,
    typingTimer: null,
    typingSent: false,
    agentTypingTimer: null,
    open: false,
    started: false,
    lastSeenTimer: null
  };

  // ---- storage --------------------------------------------------------------------------

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey) || "{}");
      state.token = saved.token || null;
    } catch (e) { /* private mode or bad JSON: start afresh */ }
  }

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ token: state.token }));
    } catch (e) { /* storage unavailable */ }
  }

  // ---- HTTP -----------------------------------------------------------------------------

  function request(method, path, body, retried) {
    var url = apiBase + path + (path.indexOf("?") < 0 ? "?" : "&")
      + "website_token=" + encodeURIComponent(settings.websiteToken);
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (state.token) { headers["X-Widget-Token"] = state.token; }
    return fetch(url, {
      method: method, headers: headers, mode: "cors", credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (res.status === 401 && !retried && data && data.error === "invalid_token") {
          // the token expired or was revoked: get a session again, then retry once
          return config().then(function () { return request(method, path, body, true); });
        }
        if (!res.ok) {
          var err = new Error((data && data.message) || ("HTTP " + res.status));
          err.status = res.status;
          err.code = data && data.error;
          throw err;
        }
        return data;
      });
    });
  }

  function config() {
    return request("GET", "/config", undefined, true).then(function (data) {
      var changed = state.pubsubToken && state.pubsubToken !== data.pubsub_token;
      state.token = data.token;
      state.pubsubToken = data.pubsub_token;
      state.contact = data.contact || {};
      if (data.widget) { state.widget = data.widget; }
      save();
      // a new visitor (the token had expired or was revoked): its own list and socket
      if (changed) { restart(); }
      return data;
    });
  }

  // ---- DOM helpers ----------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") { node.textContent = attrs[k]; }
        else if (k === "className") { node.className = attrs[k]; }
        else { node.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function safeUrl(url) {
    if (typeof url !== "string") { return null; }
    try {
      var u = new URL(url, window.location.href);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (e) { return null; }
  }

  var css = [
    ".sbw-launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;color:#fff;font:600 24px/56px sans-serif;box-shadow:0 4px 12px rgba(0,0,0,.25);z-index:2147483000}",
    ".sbw-window{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.25);overflow:hidden;font:14px/1.4 -apple-system,Segoe UI,Roboto,sans-serif;color:#1f2937;z-index:2147483000}",
    ".sbw-window.sbw-open{display:flex}",
    ".sbw-header{padding:14px 16px;color:#fff}",
    ".sbw-title{font-weight:600;font-size:16px}",
    ".sbw-tagline{opacity:.9;font-size:13px}",
    ".sbw-status{font-size:12px;opacity:.85}",
    ".sbw-list{flex:1;overflow-y:auto;padding:12px;background:#f9fafb}",
    ".sbw-message{max-width:80%;margin:6px 0;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}",
    ".sbw-incoming{margin-left:auto;color:#fff}",
    ".sbw-outgoing,.sbw-template{background:#e5e7eb}",
    ".sbw-pending{opacity:.6}",
    ".sbw-failed{outline:1px solid #dc2626}",
    ".sbw-attachment{display:block;margin-top:6px;max-width:100%;color:inherit}",
    ".sbw-attachment img{max-width:100%;border-radius:8px}",
    ".sbw-options{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}",
    ".sbw-option{border:1px solid #9ca3af;background:#fff;border-radius:14px;padding:4px 10px;cursor:pointer}",
    ".sbw-typing{font-size:12px;color:#6b7280;padding:0 12px;min-height:16px}",
    ".sbw-composer{display:flex;border-top:1px solid #e5e7eb}",
    ".sbw-input{flex:1;border:0;padding:12px;resize:none;font:inherit;outline:none}",
    ".sbw-send{border:0;background:none;padding:0 16px;font-weight:600;cursor:pointer}",
    ".sbw-form{padding:12px;display:flex;flex-direction:column;gap:8px}",
    ".sbw-form input,.sbw-form textarea{padding:8px;border:1px solid #d1d5db;border-radius:6px;font:inherit}",
    ".sbw-form button{padding:8px;border:0;border-radius:6px;color:#fff;cursor:pointer}",
    ".sbw-error{color:#dc2626;font-size:12px}"
  ].join("\n");

  var ui = {};

  function color() {
    var c = state.widget.widget_color;
    return typeof c === "string" && /^#[0-9a-fA-F]{3,8}$/.test(c) ? c : "#1f93ff";
  }

  function build() {
    var style = el("style");
    style.textContent = css;
    document.head.appendChild(style);

    ui.launcher = el("button", { id: "sbw-launcher", className: "sbw-launcher", type: "button",
      "aria-label": "Open chat", text: "\u2709" });
    ui.title = el("div", { className: "sbw-title", id: "sbw-title" });
    ui.tagline = el("div", { className: "sbw-tagline" });
    ui.status = el("div", { className: "sbw-status", id: "sbw-status" });
    ui.header = el("div", { className: "sbw-header" }, [ui.title, ui.tagline, ui.status]);
    ui.list = el("div", { className: "sbw-list", id: "sbw-messages", role: "log",
      "aria-live": "polite" });
    ui.typing = el("div", { className: "sbw-typing", id: "sbw-typing" });
    ui.input = el("textarea", { id: "sbw-input", className: "sbw-input", rows: "2",
      placeholder: "Type your message\u2026", "aria-label": "Message" });
    ui.send = el("button", { id: "sbw-send", className: "sbw-send", type: "button", text: "Send" });
    ui.composer = el("div", { className: "sbw-composer" }, [ui.input, ui.send]);
    ui.form = el("form", { className: "sbw-form", id: "sbw-prechat" });
    ui.form.style.display = "none";
    ui.window = el("div", { id: "sbw-window", className: "sbw-window", role: "dialog",
      "aria-label": "Chat" }, [ui.header, ui.list, ui.form, ui.typing, ui.composer]);
    document.body.appendChild(ui.window);
    document.body.appendChild(ui.launcher);

    ui.launcher.addEventListener("click", toggle);
    ui.send.addEventListener("click", sendFromInput);
    ui.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); sendFromInput(); }
    });
    ui.input.addEventListener("input", onVisitorTyping);
    applyWidget();
  }

  function applyWidget() {
    var w = state.widget || {};
    ui.launcher.style.background = color();
    ui.header.style.background = color();
    ui.title.textContent = w.welcome_title || w.name || "Chat with us";
    ui.tagline.textContent = w.welcome_tagline || "";
  }

  function setStatus(text) {
    ui.status.textContent = text || "";
  }

  // ---- messages -------------------------------------------------------------------------

  function resetConversation() {
    state.messages = {};
    state.order = [];
    state.pending = {};
    state.conversation = null;
    state.lastSequence = 0;
    while (ui.list && ui.list.firstChild) { ui.list.removeChild(ui.list.firstChild); }
  }

  function isVisible(m) {
    return m && !m.private_note && !m["private"] && m.message_type !== "activity";
  }

  function attachmentNode(a) {
    var url = safeUrl(a.external_url)
      || (a.blob_key && typeof settings.attachmentUrl === "function"
        ? safeUrl(settings.attachmentUrl(a.blob_key)) : null);
    var name = a.file_name || a.file_type || "attachment";
    if (url && a.file_type === "image") {
      var img = el("img", { src: url, alt: name });
      return el("a", { className: "sbw-attachment", href: url, target: "_blank",
        rel: "noopener noreferrer" }, [img]);
    }
    if (url) {
      return el("a", { className: "sbw-attachment", href: url, target: "_blank",
        rel: "noopener noreferrer", text: "\uD83D\uDCCE " + name });
    }
    if (a.file_type === "location" && a.latitude != null) {
      return el("span", { className: "sbw-attachment", text: "\uD83D\uDCCD " + a.latitude + ", " + a.longitude });
    }
    return el("span", { className: "sbw-attachment", text: "\uD83D\uDCCE " + name });
  }

  function optionsNode(m) {
    var attrs = m.content_attributes || {};
    var items = Array.isArray(attrs.items) ? attrs.items : [];
    if (m.content_type !== "input_select" || !items.length || attrs.submitted_values) {
      return null;
    }
    var box = el("div", { className: "sbw-options" });
    items.forEach(function (item) {
      var title = item && (item.title != null ? String(item.title) : String(item.value));
      var b = el("button", { className: "sbw-option", type: "button", text: title });
      b.addEventListener("click", function () {
        box.parentNode && box.parentNode.removeChild(box);
        post({ in_reply_to: m.id, submitted_values: [{ title: title, value: item.value }] }, title);
      });
      box.appendChild(b);
    });
    return box;
  }

  function emailNode(m) {
    var attrs = m.content_attributes || {};
    if (m.content_type !== "input_email" || attrs.submitted_values) { return null; }
    var input = el("input", { type: "email", placeholder: "you@example.com", "aria-label": "Email" });
    var ok = el("button", { type: "button", className: "sbw-option", text: "Submit" });
    var box = el("div", { className: "sbw-options" }, [input, ok]);
    ok.addEventListener("click", function () {
      var v = input.value.trim();
      if (v.indexOf("@") < 1) { return; }
      box.parentNode && box.parentNode.removeChild(box);
      post({ in_reply_to: m.id, submitted_values: { email: v } }, v);
    });
    return box;
  }

  function render(m) {
    var kind = m.message_type === "incoming" ? "sbw-incoming"
      : m.message_type === "template" ? "sbw-template" : "sbw-outgoing";
    var node = el("div", { className: "sbw-message " + kind, "data-message-id": String(m.id) });
    if (kind === "sbw-incoming") { node.style.background = color(); }
    if (m.status === "failed") { node.className += " sbw-failed"; }
    if (m.content) { node.appendChild(el("span", { className: "sbw-text", text: m.content })); }
    (m.attachments || []).forEach(function (a) { node.appendChild(attachmentNode(a)); });
    var extra = optionsNode(m) || emailNode(m);
    if (extra) { node.appendChild(extra); }
    return node;
  }

  function upsert(m) {
    if (!isVisible(m)) { return; }
    var node = render(m);
    // set on the answer to the visitor's own POST; a socket frame finds its message by id
    var echo = typeof m.echo_id === "string" ? m.echo_id : null;
    var pending = echo && state.pending[echo];
    if (pending) {
      delete state.pending[echo];
      if (state.messages[m.id]) {
        pending.parentNode && pending.parentNode.removeChild(pending);
      } else {
        ui.list.replaceChild(node, pending);
        state.messages[m.id] = { data: m, node: node };
        state.order.push(m.id);
        scroll();
        return;
      }
    }
    var known = state.messages[m.id];
    if (known) {
      ui.list.replaceChild(node, known.node);
      known.data = m;
      known.node = node;
    } else {
      state.messages[m.id] = { data: m, node: node };
      state.order.push(m.id);
      ui.list.appendChild(node);
      scroll();
      if (m.message_type !== "incoming") { markSeenSoon(); }
    }
  }

  function scroll() {
    ui.list.scrollTop = ui.list.scrollHeight;
  }

  function loadMessages() {
    return request("GET", "/messages").then(function (data) {
      // the account's latest event when the list was read: the socket resumes after it
      if (typeof data.sequence === "number" && data.sequence > state.lastSequence) {
        state.lastSequence = data.sequence;
      }
      state.conversation = data.conversation || state.conversation;
      (data.messages || []).forEach(upsert);
      showFormIfNeeded();
      markSeenSoon();
    });
  }

  function newEchoId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function post(extra, shownText) {
    var echo = newEchoId();
    var body = { echo_id: echo };
    Object.keys(extra).forEach(function (k) { body[k] = extra[k]; });
    var node = el("div", { className: "sbw-message sbw-incoming sbw-pending" },
      [el("span", { className: "sbw-text", text: shownText })]);
    node.style.background = color();
    state.pending[echo] = node;
    ui.list.appendChild(node);
    scroll();
    stopTyping();
    return request("POST", "/messages", body).then(function (m) {
      if (!state.conversation) { state.conversation = { id: m.conversation_id }; }
      m.echo_id = echo;
      upsert(m);
    }).catch(function (e) {
      node.className = "sbw-message sbw-incoming sbw-failed";
      node.appendChild(el("div", { className: "sbw-error", text: e.message }));
    });
  }

  function sendFromInput() {
    var text = ui.input.value.trim();
    if (!text) { return; }
    ui.input.value = "";
    post({ content: text }, text);
  }

  // ---- pre-chat form --------------------------------------------------------------------

  function showFormIfNeeded() {
    var pre = state.widget.pre_chat_form || {};
    var needed = pre.enabled && !state.conversation && state.order.length === 0;
    ui.form.style.display = needed ? "flex" : "none";
    ui.composer.style.display = needed ? "none" : "flex";
    if (!needed || ui.form.firstChild) { return; }
    if (pre.message) { ui.form.appendChild(el("div", { text: pre.message })); }
    var inputs = {};
    (pre.fields || []).forEach(function (f) {
      var label = f === "phone_number" ? "Phone number" : f.charAt(0).toUpperCase() + f.slice(1);
      inputs[f] = el("input", { name: f, placeholder: label, "aria-label": label,
        type: f === "email" ? "email" : "text", required: "required" });
      ui.form.appendChild(inputs[f]);
    });
    var message = el("textarea", { name: "message", rows: "3", placeholder: "How can we help?",
      "aria-label": "Message", required: "required" });
    var error = el("div", { className: "sbw-error" });
    var submit = el("button", { type: "submit", text: "Start conversation" });
    submit.style.background = color();
    ui.form.appendChild(message);
    ui.form.appendChild(error);
    ui.form.appendChild(submit);
    ui.form.addEventListener("submit", function (e) {
      e.preventDefault();
      var contact = {};
      Object.keys(inputs).forEach(function (f) { contact[f] = inputs[f].value.trim(); });
      request("POST", "/conversations", {
        contact: contact, message: { content: message.value.trim(), echo_id: newEchoId() }
      }).then(function (data) {
        state.conversation = data.conversation;
        upsert(data.message);
        showFormIfNeeded();
      }).catch(function (err) { error.textContent = err.message; });
    });
  }

  // ---- typing and last seen -------------------------------------------------------------

  function onVisitorTyping() {
    if (!state.conversation) { return; }
    if (!state.typingSent) {
      state.typingSent = true;
      request("POST", "/conversations/toggle_typing", { typing_status: "on" }).catch(function () {});
    }
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(stopTyping, 3000);
  }

  function stopTyping() {
    clearTimeout(state.typingTimer);
    if (state.typingSent) {
      state.typingSent = false;
      request("POST", "/conversations/toggle_typing", { typing_status: "off" }).catch(function () {});
    }
  }

  function showAgentTyping(on) {
    clearTimeout(state.agentTypingTimer);
    ui.typing.textContent = on ? "Agent is typing\u2026" : "";
    if (on) { state.agentTypingTimer = setTimeout(function () { showAgentTyping(false); }, 30000); }
  }

  function markSeenSoon() {
    if (!state.open || !state.conversation) { return; }
    clearTimeout(state.lastSeenTimer);
    state.lastSeenTimer = setTimeout(function () {
      request("POST", "/conversations/update_last_seen", {}).catch(function () {});
    }, 500);
  }

  // ---- real time ------------------------------------------------------------------------

  function socketUrl() {
    var u = new URL(baseUrl + realtimePath, window.location.href);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    u.searchParams.set("pubsub_token", state.pubsubToken);
    u.searchParams.set("last_sequence", String(state.lastSequence || 0));
    return u.href;
  }

  function connect() {
    if (!state.pubsubToken || !window.WebSocket) { return; }
    clearTimeout(state.reconnectTimer);
    var socket;
    try { socket = new window.WebSocket(socketUrl()); } catch (e) { scheduleReconnect(); return; }
    state.socket = socket;
    // the server replays what came after last_sequence; a client that had seen no event yet
    // has nothing to resume after, and reads the list again instead
    var reread = state.connectedOnce && !state.lastSequence;
    // this socket's own: a replaced socket closing late must not stop its successor's
    var heartbeat = null;
    socket.onopen = function () {
      state.connectedOnce = true;
      state.reconnectDelay = 1000;
      setStatus("");
      if (reread) { loadMessages().catch(function () {}); }
      clearInterval(heartbeat);
      heartbeat = setInterval(function () {
        if (socket.readyState === 1) { socket.send(JSON.stringify({ type: "heartbeat" })); }
      }, 15000);
    };
    socket.onmessage = function (msg) {
      if (state.socket !== socket) { return; }   // replaced: another visitor's events
      var event;
      try { event = JSON.parse(msg.data); } catch (e) { return; }
      onEvent(event);
    };
    socket.onclose = function () {
      clearInterval(heartbeat);
      if (state.socket === socket) {
        state.socket = null;
        setStatus("Reconnecting\u2026");
        scheduleReconnect();
      }
    };
    socket.onerror = function () { /* onclose follows */ };
  }

  function scheduleReconnect() {
    clearTimeout(state.reconnectTimer);
    var delay = state.reconnectDelay;
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, 30000);
    state.reconnectTimer = setTimeout(connect, delay + Math.floor(Math.random() * 500));
  }

  function onEvent(event) {
    if (!event || typeof event.type !== "string") { return; }
    if (typeof event.sequence === "number" && event.sequence > state.lastSequence) {
      state.lastSequence = event.sequence;
    }
    var data = event.data || {};
    switch (event.type) {
      case "message.created":
      case "message.updated":
        if (!state.conversation && data.conversation_id) {
          state.conversation = { id: data.conversation_id };
          showFormIfNeeded();
        }
        if (data.message_type !== "incoming") { showAgentTyping(false); }
        upsert(data);
        break;
      case "conversation.typing_on":
      case "conversation.typing_off":
        // the visitor's own typing comes back too: only an agent's is shown
        var who = event.performer && event.performer.type;
        if (who && who !== "contact") { showAgentTyping(event.type === "conversation.typing_on"); }
        break;
      case "resync":
        // away for longer than the server replays: read the list again, resume after sequence
        loadMessages().catch(function () {});
        break;
      case "conversation.status_changed":
      case "conversation.resolved":
      case "conversation.opened":
        if (data.id) { state.conversation = data; }
        break;
      default:
        break;
    }
  }

  // ---- open / close ---------------------------------------------------------------------

  function start() {
    if (state.started) { return Promise.resolve(); }
    state.started = true;
    // the list first, then the socket, resuming after the sequence the list was read at: an
    // event committed between the two is replayed, not lost
    return loadMessages().then(connect, function (e) {
      state.started = false;
      setStatus("Cannot reach the chat: " + e.message);
    });
  }

  // another visitor session (a new pubsub token): a new list and a socket for it
  function restart() {
    resetConversation();
    clearTimeout(state.reconnectTimer);
    if (state.socket) { var s = state.socket; state.socket = null; s.close(); }
    state.started = false;
    return start();
  }

  function open() {
    var wasOpen = state.open;
    state.open = true;
    ui.window.className = "sbw-window sbw-open";
    ui.launcher.setAttribute("aria-label", "Close chat");
    start().then(markSeenSoon);
    ui.input.focus();
    if (!wasOpen) { triggered(); }
  }

  // tells the inbox's agent bot and webhooks that the visitor opened the widget
  function triggered() {
    var path = "/events" + (settings.locale ? "?locale=" + encodeURIComponent(settings.locale) : "");
    request("POST", path, {
      name: "webwidget.triggered",
      event_info: { initiated_at: { timestamp: new Date().toString() },
        referer: window.location.href }
    }).catch(function () { /* a missed trigger must not disturb the chat */ });
  }

  function close() {
    state.open = false;
    ui.window.className = "sbw-window";
    ui.launcher.setAttribute("aria-label", "Open chat");
  }

  function toggle() {
    if (state.open) { close(); } else { open(); }
  }

  function init() {
    load();
    build();
    config().then(function () {
      applyWidget();
      // connect at once, so that replies arrive even before the window is opened
      start();
      if (settings.open) { open(); }
    }).catch(function (e) {
      setStatus("Cannot reach the chat: " + e.message);
    });
  }

  window.$switchboard = {
    loaded: true,
    open: function () { open(); },
    close: function () { close(); },
    toggle: function () { toggle(); },
    setUser: function (identifier, user) {
      var body = { identifier: String(identifier) };
      Object.keys(user || {}).forEach(function (k) { body[k] = user[k]; });
      return request("POST", "/contact/set_user", body).then(function (data) {
        if (data && data.token) {
          // signed in as another person: a new session
          state.token = data.token;
          state.pubsubToken = data.pubsub_token;
          save();
          restart();
        }
        state.contact = (data && data.contact) || state.contact;
        return data;
      });
    },
    setContact: function (fields) {
      return request("PATCH", "/contact", fields || {}).then(function (data) {
        state.contact = (data && data.contact) || state.contact;
        return data;
      });
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
