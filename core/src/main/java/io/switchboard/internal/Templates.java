package io.switchboard.internal;

import io.switchboard.model.Actor;
import io.switchboard.model.Contact;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders the template variables of an outgoing message; unknown variables stay as written. */
public final class Templates {
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([a-z_]+\\.[a-z_]+)\\s*}}");

  private Templates() {}

  public static String render(String content, Contact contact, Actor agent,
      Conversation conversation, Inbox inbox) {
    String name = contact.name() == null ? "" : contact.name();
    Map<String, String> values = Map.of(
        "contact.name", name,
        "contact.first_name", name.contains(" ") ? name.substring(0, name.indexOf(' ')) : name,
        "contact.email", contact.email() == null ? "" : contact.email(),
        "contact.phone", contact.phoneNumber() == null ? "" : contact.phoneNumber(),
        "agent.name", agent.name(),
        "conversation.id", Long.toString(conversation.displayId()),
        "inbox.name", inbox.name());
    Matcher m = VARIABLE.matcher(content);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
