package io.switchboard.channel.email;

import io.switchboard.ValidationException;
import java.util.Locale;
import java.util.Map;

/**
 * An email inbox's settings, read from {@code Inbox.settings()}. Package-private: hosts set
 * the documented setting names.
 */
record EmailSettings(
    String email,
    String inboundDomain,
    String smtpHost,
    int smtpPort,
    Security smtpSecurity,
    String smtpUsername,
    String smtpPassword,
    String imapHost,
    int imapPort,
    Security imapSecurity,
    String imapUsername,
    String imapPassword,
    String imapFolder,
    boolean imapStartNew,
    boolean oauth2) {

  /** How a connection to a mail server is secured. */
  enum Security {
    SSL, STARTTLS, NONE;

    static Security parse(String field, String value, Security fallback) {
      if (value == null || value.isBlank()) {
        return fallback;
      }
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ValidationException(field, "must be ssl, starttls or none, not '" + value + "'");
      }
    }
  }

  static EmailSettings of(Map<String, String> s) {
    String email = s.get("email");
    if (email == null || email.isBlank() || !email.contains("@")) {
      throw new ValidationException("email", "must be the inbox's email address");
    }
    email = email.strip().toLowerCase(Locale.ROOT);
    String inboundDomain = blankToNull(s.get("inbound_domain"));
    Security smtpSecurity = Security.parse("smtp_security", s.get("smtp_security"), Security.STARTTLS);
    Security imapSecurity = Security.parse("imap_security", s.get("imap_security"), Security.SSL);
    return new EmailSettings(email,
        inboundDomain == null ? null : inboundDomain.toLowerCase(Locale.ROOT),
        blankToNull(s.get("smtp_host")),
        port("smtp_port", s.get("smtp_port"), smtpSecurity == Security.SSL ? 465 : 587),
        smtpSecurity, blankToNull(s.get("smtp_username")), s.get("smtp_password"),
        blankToNull(s.get("imap_host")),
        port("imap_port", s.get("imap_port"), imapSecurity == Security.SSL ? 993 : 143),
        imapSecurity, blankToNull(s.get("imap_username")), s.get("imap_password"),
        s.get("imap_folder") == null || s.get("imap_folder").isBlank() ? "INBOX"
            : s.get("imap_folder").strip(),
        imapStartNew(s.get("imap_start")),
        "true".equalsIgnoreCase(s.get("oauth2")));
  }

  /** The domain of the Message-IDs Switchboard issues: the inbound domain, else the inbox's. */
  String messageIdDomain() {
    return inboundDomain != null ? inboundDomain : email.substring(email.indexOf('@') + 1);
  }

  /** {@code imap_start}: {@code all} (the default) or {@code new}. */
  private static boolean imapStartNew(String value) {
    if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("all")) {
      return false;
    }
    if (value.strip().equalsIgnoreCase("new")) {
      return true;
    }
    throw new ValidationException("imap_start", "must be all or new, not '" + value + "'");
  }

  private static int port(String field, String value, int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value.strip());
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ValidationException(field, "must be a port number, not '" + value + "'");
    }
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** Prints no secrets. */
  @Override
  public String toString() {
    return "EmailSettings[email=" + email + ", smtp=" + smtpHost + ":" + smtpPort + ", imap="
        + imapHost + ":" + imapPort + "]";
  }
}
