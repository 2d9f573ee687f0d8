package io.switchboard.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.ConflictException;
import io.switchboard.ConversationFilter;
import io.switchboard.MessageDraft;
import io.switchboard.NotFoundException;
import io.switchboard.Page;
import io.switchboard.RateLimitedException;
import io.switchboard.Switchboard;
import io.switchboard.ValidationException;
import io.switchboard.internal.Json;
import io.switchboard.model.AccountUser;
import io.switchboard.model.Actor;
import io.switchboard.model.Contact;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Message;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.realtime.AgentAuthenticator.AgentIdentity;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small JSON API for agents, mounted at {@code /api/*}:
 *
 * <pre>
 * POST /api/login                          {email, password} → {token, account_id, user}
 * POST /api/logout
 * GET  /api/me
 * GET  /api/inboxes                         (an administrator's: all of the account)
 * GET  /api/agents
 * GET  /api/conversations?status=&inbox_id=&assignee_id=&unassigned=&label=&cursor=&limit=
 * GET  /api/conversations/{id}
 * GET  /api/conversations/{id}/messages?cursor=&limit=
 * POST /api/conversations/{id}/messages    {content, private}
 * POST /api/conversations/{id}/status      {status, snoozed_until}
 * POST /api/conversations/{id}/assignee    {assignee_id}   (null unassigns)
 * POST /api/conversations/{id}/typing      {typing_status: on|off, is_private?}  → 204
 * </pre>
 *
 * Every call but login needs {@code Authorization: Bearer <token>}. An agent sees the
 * conversations of its inboxes; an administrator the whole account.
 */
final class AgentApiServlet extends HttpServlet {
  private static final Pattern CONVERSATION = Pattern.compile("/conversations/(\\d+)(/[a-z]+)?");
  private final transient Switchboard sb;
  private final transient AgentSessions sessions;

  AgentApiServlet(Switchboard sb, AgentSessions sessions) {
    this.sb = sb;
    this.sessions = sessions;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
    try {
      if (path.equals("/login") && req.getMethod().equals("POST")) {
        login(req, resp);
        return;
      }
      Optional<String> token = bearer(req);
      Optional<AgentIdentity> who = token.flatMap(sessions::find);
      if (who.isEmpty()) {
        send(resp, 401, error("sign in first"));
        return;
      }
      route(req, resp, path, who.get(), token.get());
    } catch (NotFoundException e) {
      send(resp, 404, error(e.entity() + " not found"));
    } catch (ValidationException e) {
      send(resp, 400, error(e.getMessage()));
    } catch (RateLimitedException e) {
      send(resp, 429, error(e.getMessage()));
    } catch (ConflictException e) {
      send(resp, 409, error(e.getMessage()));
    } catch (IllegalArgumentException e) {
      send(resp, 400, error("malformed request"));
    }
  }

  private void route(HttpServletRequest req, HttpServletResponse resp, String path,
      AgentIdentity who, String token) throws IOException {
    long accountId = who.accountId();
    User me = sb.admin().agent(accountId, who.userId());
    Actor actor = Actor.user(me);
    String method = req.getMethod();
    if (path.equals("/logout") && method.equals("POST")) {
      sessions.close(token);
      send(resp, 204, null);
    } else if (path.equals("/me")) {
      ObjectNode node = (ObjectNode) Json.mapper().valueToTree(me);
      node.put("account_id", accountId);
      node.put("role", sb.admin().membership(accountId, me.id()).role().wireName());
      send(resp, 200, node);
    } else if (path.equals("/inboxes")) {
      ArrayNode list = Json.mapper().createArrayNode();
      boolean admin = sb.admin().membership(accountId, me.id()).role() == Role.ADMINISTRATOR;
      Set<Long> mine = new HashSet<>(sb.admin().inboxIdsOf(accountId, me.id()));
      sb.admin().inboxes(accountId).stream().filter(i -> admin || mine.contains(i.id())).forEach(i ->
          list.addObject().put("id", i.id()).put("name", i.name())
              .put("channel_type", i.channelType().wireName()));
      send(resp, 200, list);
    } else if (path.equals("/agents")) {
      ArrayNode list = Json.mapper().createArrayNode();
      for (AccountUser au : sb.admin().agents(accountId)) {
        User u = sb.admin().agent(accountId, au.userId());
        list.addObject().put("id", u.id()).put("name", u.name()).put("email", u.email())
            .put("role", au.role().wireName());
      }
      send(resp, 200, list);
    } else if (path.equals("/conversations")) {
      listConversations(req, resp, who);
    } else {
      Matcher m = CONVERSATION.matcher(path);
      if (!m.matches()) {
        send(resp, 404, error("no such route"));
        return;
      }
      Conversation c = visibleConversation(who, Long.parseLong(m.group(1)));
      String sub = m.group(2) == null ? "" : m.group(2);
      JsonNode body = method.equals("POST") ? readBody(req) : null;
      switch (sub + " " + method) {
        case " GET" -> send(resp, 200, conversationJson(c));
        case "/messages GET" -> {
          Page<Message> page = sb.messages().list(accountId, c.id(), req.getParameter("cursor"),
              intParam(req, "limit", 50));
          ObjectNode node = Json.mapper().createObjectNode();
          node.set("items", Json.mapper().valueToTree(page.items()));
          node.put("next_cursor", page.nextCursor());
          send(resp, 200, node);
        }
        case "/messages POST" -> {
          boolean privateNote = body.path("private").asBoolean(false);
          Message sent = sb.messages().reply(accountId, c.id(), MessageDraft.builder()
              .content(body.path("content").asText(null)).privateNote(privateNote).build(), actor);
          send(resp, 201, Json.mapper().valueToTree(sent));
        }
        case "/status POST" -> {
          String until = body.path("snoozed_until").asText(null);
          Conversation updated = sb.conversations().changeStatus(accountId, c.id(),
              ConversationStatus.of(body.path("status").asText()),
              until == null ? null : Instant.parse(until), actor);
          send(resp, 200, conversationJson(updated));
        }
        case "/typing POST" -> {
          String status = body.path("typing_status").asText("");
          if (!status.equals("on") && !status.equals("off")) {
            throw new ValidationException("typing_status", "must be on or off");
          }
          sb.conversations().typing(accountId, c.id(), status.equals("on"),
              body.path("is_private").asBoolean(false), actor);
          send(resp, 204, null);
        }
        case "/assignee POST" -> {
          JsonNode id = body.get("assignee_id");
          Conversation updated = sb.conversations().assign(accountId, c.id(),
              id == null || id.isNull() ? null : id.asLong(), actor);
          send(resp, 200, conversationJson(updated));
        }
        default -> send(resp, 404, error("no such route"));
      }
    }
  }

  private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    JsonNode body = readBody(req);
    Optional<User> user = sb.admin().authenticate(body.path("email").asText(""),
        body.path("password").asText("").toCharArray());
    Optional<AccountUser> membership = user.flatMap(u -> sb.admin().accounts().stream()
        .map(a -> {
          try {
            return Optional.of(sb.admin().membership(a.id(), u.id()));
          } catch (NotFoundException e) {
            return Optional.<AccountUser>empty();
          }
        }).flatMap(Optional::stream).findFirst());
    if (membership.isEmpty()) {
      send(resp, 401, error("wrong email or password"));
      return;
    }
    String token = sessions.open(new AgentIdentity(membership.get().accountId(), user.get().id()));
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("token", token);
    node.put("account_id", membership.get().accountId());
    node.set("user", Json.mapper().valueToTree(user.get()));
    node.put("role", membership.get().role().wireName());
    send(resp, 200, node);
  }

  private void listConversations(HttpServletRequest req, HttpServletResponse resp,
      AgentIdentity who) throws IOException {
    long accountId = who.accountId();
    ConversationFilter filter = ConversationFilter.all();
    if (sb.admin().membership(accountId, who.userId()).role() != Role.ADMINISTRATOR) {
      filter = filter.withinInboxes(sb.admin().inboxIdsOf(accountId, who.userId()));
    }
    String status = req.getParameter("status");
    if (status != null && !status.isBlank() && !status.equals("all")) {
      filter = filter.withStatuses(ConversationStatus.of(status));
    }
    if (req.getParameter("inbox_id") != null) {
      filter = filter.withInbox(Long.parseLong(req.getParameter("inbox_id")));
    }
    if (req.getParameter("assignee_id") != null) {
      filter = filter.withAssignee(Long.parseLong(req.getParameter("assignee_id")));
    }
    if ("true".equals(req.getParameter("unassigned"))) {
      filter = filter.onlyUnassigned();
    }
    if (req.getParameter("label") != null) {
      filter = filter.withLabel(req.getParameter("label"));
    }
    Page<Conversation> page = sb.conversations().list(accountId, filter,
        req.getParameter("cursor"), intParam(req, "limit", 50));
    ObjectNode node = Json.mapper().createObjectNode();
    ArrayNode items = node.putArray("items");
    page.items().forEach(c -> items.add(conversationJson(c)));
    node.put("next_cursor", page.nextCursor());
    send(resp, 200, node);
  }

  private Conversation visibleConversation(AgentIdentity who, long id) {
    Conversation c = sb.conversations().get(who.accountId(), id);
    if (sb.admin().membership(who.accountId(), who.userId()).role() != Role.ADMINISTRATOR
        && !sb.admin().inboxIdsOf(who.accountId(), who.userId()).contains(c.inboxId())) {
      throw new NotFoundException("conversation", who.accountId(), id);
    }
    return c;
  }

  private ObjectNode conversationJson(Conversation c) {
    ObjectNode node = (ObjectNode) Json.mapper().valueToTree(c);
    Contact contact = sb.contacts().get(c.accountId(), c.contactId());
    node.putObject("contact").put("id", contact.id()).put("name", contact.displayName());
    return node;
  }

  private static Optional<String> bearer(HttpServletRequest req) {
    String h = req.getHeader("Authorization");
    return h != null && h.startsWith("Bearer ") ? Optional.of(h.substring(7).strip())
        : Optional.empty();
  }

  private static JsonNode readBody(HttpServletRequest req) throws IOException {
    byte[] bytes = req.getInputStream().readNBytes(1024 * 1024);
    if (bytes.length == 0) {
      return Json.mapper().createObjectNode();
    }
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON");
    }
  }

  private static int intParam(HttpServletRequest req, String name, int fallback) {
    String v = req.getParameter(name);
    return v == null ? fallback : Integer.parseInt(v);
  }

  private static ObjectNode error(String message) {
    return Json.mapper().createObjectNode().put("error", message);
  }

  static void send(HttpServletResponse resp, int status, JsonNode body) throws IOException {
    resp.setStatus(status);
    resp.setHeader("Cache-Control", "no-store");
    if (body != null) {
      resp.setContentType("application/json;charset=utf-8");
      resp.getOutputStream().write(Json.mapper().writeValueAsBytes(body));
    }
  }
}
