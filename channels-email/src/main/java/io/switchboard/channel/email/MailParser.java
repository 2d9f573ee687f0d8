package io.switchboard.channel.email;

import io.switchboard.blob.BlobStore;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundEvent;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.InboundStatus;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one raw RFC 822 message into the event it stands for: an incoming message with its
 * threading hints, or, for a delivery-status bounce of a message Switchboard sent (its
 * Message-ID has the form Switchboard issues), a failed status of that message. A bounce of
 * any other message is an incoming message flagged {@code bounce}. Never touches the store;
 * stores attachment bytes in the blob store, and deletes them again when the mail then fails.
 */
final class MailParser {
  private static final Logger LOG = LoggerFactory.getLogger(MailParser.class);
  static final String THREAD_CONVERSATION_UUID = "thread_conversation_uuid";
  static final String THREAD_REFERENCES = "thread_references";
  static final String THREAD_NEW = "thread_new";
  /** Conversation attributes the sender reads to thread its replies. */
  static final String SUBJECT = "mail_subject";
  static final String LAST_MESSAGE_ID = "mail_last_message_id";
  static final String REFERENCES = "mail_references";
  private static final int MAX_REFERENCES = 20;
  private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>\\s]+)>");
  private static final Pattern REPLY_ADDRESS = Pattern.compile(
      "^reply\\+([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})@(.+)$");
  private static final Pattern ISSUED_ID = Pattern.compile(
      "^conversation/([0-9a-fA-F-]{36})/messages/\\d+@(.+)$");
  private static final Session SESSION = session();

  private final BlobStore blobs;

  MailParser(BlobStore blobs) {
    this.blobs = blobs;
  }

  private static Session session() {
    Properties p = new Properties();
    p.setProperty("mail.mime.address.strict", "false");
    p.setProperty("mail.mime.decodetext.strict", "false");
    p.setProperty("mail.mime.decodefilename", "true");
    p.setProperty("mail.mime.decodeparameters", "true");
    p.setProperty("mail.mime.multipart.allowempty", "false");
    return Session.getInstance(p);
  }

  /**
   * Parses {@code raw}; throws when the message cannot be read at all, or
   * {@link AttachmentStorageException} when the blob store fails. Attachments stored before a
   * failure are deleted.
   */
  InboundEvent parse(byte[] raw, long accountId, EmailSettings settings)
      throws MessagingException, IOException {
    Bodies bodies = new Bodies();
    try {
      return parse(raw, accountId, settings, bodies);
    } catch (Throwable e) {
      discard(bodies.attachments, accountId);
      throw e;
    }
  }

  private InboundEvent parse(byte[] raw, long accountId, EmailSettings settings, Bodies bodies)
      throws MessagingException, IOException {
    MimeMessage mime = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    String messageId = messageId(mime, raw);
    Bounce bounce = bounce(mime);
    if (bounce != null && bounce.originalId() != null
        && issuedIdUuid(List.of(bounce.originalId()), settings) != null) {
      return new InboundStatus(bounce.originalId(), MessageStatus.FAILED, bounce.error());
    }
    InternetAddress from = sender(mime);
    String address = from.getAddress().strip().toLowerCase(Locale.ROOT);
    String name = from.getPersonal() == null || from.getPersonal().isBlank() ? null
        : from.getPersonal().strip();

    walk(mime, bodies, accountId);
    String fullText;
    String sanitizedHtml = null;
    if (bodies.html != null) {
      sanitizedHtml = HtmlText.sanitize(bodies.html);
    }
    if (bodies.plain != null) {
      fullText = HtmlText.tidy(bodies.plain);
    } else if (bodies.html != null) {
      fullText = HtmlText.toText(bodies.html);
    } else {
      fullText = "";
    }
    String reply = QuoteSplitter.reply(fullText);
    String subject = subject(mime);

    List<String> inReplyTo = ids(mime.getHeader("In-Reply-To", " "));
    List<String> references = ids(mime.getHeader("References", " "));

    Map<String, Object> email = new LinkedHashMap<>();
    email.put("message_id", messageId);
    email.put("subject", subject);
    email.put("from", List.of(address));
    email.put("to", addresses(mime.getRecipients(MimeMessage.RecipientType.TO)));
    email.put("cc", addresses(mime.getRecipients(MimeMessage.RecipientType.CC)));
    if (mime.getSentDate() != null) {
      email.put("date", mime.getSentDate().toInstant().toString());
    }
    email.put("in_reply_to", inReplyTo);
    email.put("references", references);
    email.put("text_content", Map.of("full", limit(fullText), "reply", limit(reply)));
    if (sanitizedHtml != null) {
      email.put("html_content", Map.of("full", limit(sanitizedHtml)));
    }
    Map<String, Object> contentAttributes = new LinkedHashMap<>();
    contentAttributes.put("email", email);
    if (!inReplyTo.isEmpty()) {
      contentAttributes.put("in_reply_to_external_id", inReplyTo.get(0));
    }
    String autoReply = autoReply(mime);
    if (autoReply != null) {
      contentAttributes.put("auto_reply", true);
      contentAttributes.put("auto_reply_reason", autoReply);
    }
    if (bounce != null) {
      contentAttributes.put("bounce", true);
      contentAttributes.put("bounce_error", bounce.error());
      if (bounce.originalId() != null) {
        contentAttributes.put("bounce_original_message_id", bounce.originalId());
      }
    }
    if (bodies.dropped > 0) {
      contentAttributes.put("attachments_dropped", bodies.dropped);
    }

    Map<String, Object> conversation = new LinkedHashMap<>();
    if (subject != null) {
      conversation.put(SUBJECT, subject);
    }
    conversation.put(LAST_MESSAGE_ID, messageId);
    List<String> chain = new ArrayList<>(references);
    inReplyTo.stream().filter(id -> !chain.contains(id)).forEach(chain::add);
    chain.add(messageId);
    conversation.put(REFERENCES, List.copyOf(chain.subList(Math.max(0,
        chain.size() - MAX_REFERENCES), chain.size())));
    LinkedHashSet<String> hints = new LinkedHashSet<>(inReplyTo);
    List<String> newestFirst = new ArrayList<>(references);
    Collections.reverse(newestFirst);
    hints.addAll(newestFirst);
    String threadUuid = replyAddressUuid(mime, settings);
    if (threadUuid == null) {
      threadUuid = issuedIdUuid(hints, settings);
    }
    if (threadUuid != null) {
      conversation.put(THREAD_CONVERSATION_UUID, threadUuid);
    }
    if (!hints.isEmpty()) {
      conversation.put(THREAD_REFERENCES, List.copyOf(hints));
    }
    conversation.put(THREAD_NEW, true);

    InboundContact contact = new InboundContact(address, name, address, null, null, Map.of());
    return new InboundMessage(messageId, contact, limit(reply), ContentType.INCOMING_EMAIL,
        contentAttributes, bodies.attachments, conversation, false,
        mime.getSentDate() == null ? null : mime.getSentDate().toInstant());
  }

  /**
   * The message Switchboard stores for mail it cannot parse: an {@code unsupported} message
   * carrying the error, from whoever the raw headers name, under the raw Message-ID (or a hash
   * of the bytes), so that it is parked once and never blocks what follows.
   */
  static InboundMessage parked(byte[] raw, Throwable error) {
    String head = new String(raw, 0, Math.min(raw.length, 64 * 1024), StandardCharsets.ISO_8859_1);
    Matcher id = Pattern.compile("(?im)^Message-ID:\\s*<([^<>\\s]+)>").matcher(head);
    String sourceId = id.find() ? id.group(1) : "sha256-" + sha256(raw) + "@switchboard.invalid";
    Matcher from = Pattern.compile("(?im)^From:[^\\n]*?([A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+)")
        .matcher(head);
    String address = from.find() ? from.group(1).toLowerCase(Locale.ROOT) : "unknown@invalid";
    String reason = error.getClass().getSimpleName() + ": " + (error instanceof StackOverflowError
        ? "the message is nested too deeply or too complex to read" : error.getMessage());
    return new InboundMessage(sourceId, new InboundContact(address, null,
        address.equals("unknown@invalid") ? null : address, null, null, Map.of()),
        null, ContentType.UNSUPPORTED, Map.of("parse_error", reason, "parked", true), List.of(),
        Map.of(THREAD_NEW, true), false, null);
  }

  private static String messageId(MimeMessage mime, byte[] raw) throws MessagingException {
    List<String> ids = ids(mime.getHeader("Message-ID", " "));
    return ids.isEmpty() ? "sha256-" + sha256(raw) + "@switchboard.invalid" : ids.get(0);
  }

  /**
   * A header value with raw UTF-8 (RFC 6532) decoded. The parser reads header bytes as
   * ISO-8859-1, one char per byte: a value with chars above ASCII is turned back into its bytes
   * and decoded as UTF-8 when they are valid UTF-8, and kept as it is when they are not (a raw
   * Latin-1 header). Call it before encoded words are decoded, which may add chars above 0xFF.
   */
  private static String rawUtf8(String value) {
    if (value == null || value.chars().allMatch(c -> c < 0x80)
        || value.chars().anyMatch(c -> c > 0xff)) {
      return value;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (CharacterCodingException e) {
      return value;
    }
  }

  /** The subject, raw UTF-8 and RFC 2047 encoded words decoded. */
  private static String subject(MimeMessage mime) throws MessagingException {
    String raw = mime.getHeader("Subject", null);
    if (raw == null) {
      return null;
    }
    String unfolded = MimeUtility.unfold(rawUtf8(raw));
    try {
      return MimeUtility.decodeText(unfolded);
    } catch (UnsupportedEncodingException e) {
      return unfolded;
    }
  }

  private static InternetAddress sender(MimeMessage mime) throws MessagingException {
    for (String header : List.of("From", "Sender", "Return-Path")) {
      String[] values = mime.getHeader(header);
      if (values == null) {
        continue;
      }
      try {
        InternetAddress[] parsed = InternetAddress.parseHeader(rawUtf8(values[0]), false);
        if (parsed.length > 0 && parsed[0].getAddress() != null
            && parsed[0].getAddress().contains("@")) {
          return parsed[0];
        }
      } catch (AddressException ignored) {
        // try the next header
      }
    }
    throw new MessagingException("the message names no sender address");
  }

  /** Message-IDs in a header, without angle brackets, in order. */
  static List<String> ids(String header) {
    if (header == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Matcher m = MESSAGE_ID.matcher(header);
    while (m.find()) {
      if (!out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    if (out.isEmpty() && !header.isBlank() && !header.strip().contains(" ")) {
      out.add(header.strip());
    }
    return out;
  }

  private static List<String> addresses(Address[] list) {
    if (list == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Address a : list) {
      if (a instanceof InternetAddress ia && ia.getAddress() != null) {
        out.add(ia.getAddress().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static String replyAddressUuid(MimeMessage mime, EmailSettings settings)
      throws MessagingException {
    List<String> candidates = new ArrayList<>();
    for (String header : List.of("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")) {
      String[] values = mime.getHeader(header);
      if (values == null) {
        continue;
      }
      for (String v : values) {
        try {
          for (InternetAddress a : InternetAddress.parseHeader(v, false)) {
            if (a.getAddress() != null) {
              candidates.add(a.getAddress().toLowerCase(Locale.ROOT));
            }
          }
        } catch (AddressException ignored) {
          // not an address list
        }
      }
    }
    for (String address : candidates) {
      Matcher m = REPLY_ADDRESS.matcher(address);
      if (m.matches() && (settings.inboundDomain() == null
          || settings.inboundDomain().equals(m.group(2)))) {
        return m.group(1).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /**
   * The conversation uuid of the first referenced Message-ID that Switchboard issued for this
   * inbox ({@code conversation/<uuid>/messages/<id>@<domain>}): it threads the answer even
   * when the sent message's id was not stored (a crash between the send and the commit).
   */
  private static String issuedIdUuid(java.util.Collection<String> ids, EmailSettings settings) {
    for (String id : ids) {
      Matcher m = ISSUED_ID.matcher(id);
      if (m.matches() && m.group(2).equalsIgnoreCase(settings.messageIdDomain())) {
        return m.group(1).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** Why this is an automatic reply, or null for a message a person wrote. */
  private static String autoReply(MimeMessage mime) throws MessagingException {
    String auto = mime.getHeader("Auto-Submitted", null);
    if (auto != null && !auto.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
      return "Auto-Submitted: " + auto.strip();
    }
    for (String header : List.of("X-Autoreply", "X-Autorespond")) {
      String v = mime.getHeader(header, null);
      if (v != null) {
        return header + ": " + v.strip();
      }
    }
    String precedence = mime.getHeader("Precedence", null);
    if (precedence != null) {
      String p = precedence.strip().toLowerCase(Locale.ROOT);
      if (p.equals("auto_reply") || p.equals("bulk") || p.equals("junk")) {
        return "Precedence: " + p;
      }
    }
    return null;
  }

  /**
   * A failed delivery reported by a delivery-status report: the Message-ID of the message
   * that could not be delivered, when the report quotes it, and what went wrong.
   */
  private record Bounce(String originalId, String error) {}

  /**
   * The failure a delivery-status report ({@code multipart/report; report-type=delivery-status})
   * reports, or null for anything else, a delay or a success report included.
   */
  private static Bounce bounce(MimeMessage mime) throws MessagingException, IOException {
    jakarta.mail.internet.ContentType type = contentType(mime);
    if (type == null || !type.match("multipart/report")) {
      return null;
    }
    String reportType = type.getParameter("report-type");
    if (reportType != null && !reportType.equalsIgnoreCase("delivery-status")) {
      return null;
    }
    Object content = mime.getContent();
    if (!(content instanceof Multipart multipart)) {
      return null;
    }
    String status = null;
    String originalId = null;
    for (int i = 0; i < multipart.getCount(); i++) {
      BodyPart part = multipart.getBodyPart(i);
      jakarta.mail.internet.ContentType partType = contentType(part);
      if (partType == null) {
        continue;
      }
      if (partType.match("message/delivery-status")) {
        status = new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } else if (partType.match("message/rfc822") || partType.match("text/rfc822-headers")) {
        InternetHeaders headers = new InternetHeaders(part.getInputStream());
        List<String> ids = ids(headers.getHeader("Message-ID", " "));
        if (!ids.isEmpty()) {
          originalId = ids.get(0);
        }
      }
    }
    if (status == null) {
      return null;
    }
    // RFC 3464: per-message fields, then one group of fields per recipient, blank-line apart;
    // the report fails the message when any recipient failed
    List<String> failures = new ArrayList<>();
    String unfolded = status.replace("\r\n", "\n").replaceAll("\n[ \t]+", " ").strip();
    for (String group : unfolded.split("\n\\s*\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : group.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).strip());
        }
      }
      String action = fields.getOrDefault("action", "failed").toLowerCase(Locale.ROOT);
      boolean recipient = fields.containsKey("final-recipient") || fields.containsKey("action");
      if (!recipient || !action.equals("failed")) {
        continue;
      }
      StringBuilder error = new StringBuilder();
      if (fields.containsKey("final-recipient")) {
        error.append(fields.get("final-recipient")).append(": ");
      }
      if (fields.containsKey("status")) {
        error.append("status ").append(fields.get("status"));
      }
      if (fields.containsKey("diagnostic-code")) {
        error.append(error.length() > 0 ? "; " : "").append(fields.get("diagnostic-code"));
      }
      failures.add(error.length() == 0 ? "delivery failed" : error.toString());
    }
    if (failures.isEmpty()) {
      return null;
    }
    return new Bounce(originalId, limit(String.join("\n", failures)));
  }

  private static jakarta.mail.internet.ContentType contentType(Part part) {
    try {
      return new jakarta.mail.internet.ContentType(part.getContentType());
    } catch (Exception e) {
      return null;
    }
  }

  /** What the body walk collects. */
  private static final class Bodies {
    String plain;
    String html;
    final List<Attachment> attachments = new ArrayList<>();
    int dropped;
  }

  private void walk(Part part, Bodies bodies, long accountId)
      throws MessagingException, IOException {
    jakarta.mail.internet.ContentType type = contentType(part);
    String disposition = part.getDisposition();
    String fileName = fileName(part);
    boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition);
    if (type != null && type.match("multipart/*") && !attachment) {
      Object content = part.getContent();
      if (content instanceof Multipart mp) {
        for (int i = 0; i < mp.getCount(); i++) {
          walk(mp.getBodyPart(i), bodies, accountId);
        }
        return;
      }
    }
    boolean text = type == null || type.match("text/plain") || type.match("text/html");
    if (text && !attachment && fileName == null) {
      String body = text(part);
      if (type != null && type.match("text/html")) {
        bodies.html = bodies.html == null ? body : bodies.html + "\n" + body;
      } else {
        bodies.plain = bodies.plain == null ? body : bodies.plain + "\n" + body;
      }
      return;
    }
    if (bodies.attachments.size() >= Message.MAX_ATTACHMENTS) {
      bodies.dropped++;
      return;
    }
    bodies.attachments.add(store(part, type, fileName, accountId));
  }

  private static String text(Part part) throws MessagingException, IOException {
    Object content;
    try {
      content = part.getContent();
    } catch (java.io.UnsupportedEncodingException e) {
      // an unknown charset: read it as Latin-1 rather than lose the message
      return new String(part.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    if (content instanceof String s) {
      return s;
    }
    try (InputStream in = part.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Attachment store(Part part, jakarta.mail.internet.ContentType type, String fileName,
      long accountId) throws MessagingException, IOException {
    String mimeType = type == null ? "application/octet-stream" : type.getBaseType()
        .toLowerCase(Locale.ROOT);
    CountingStream counting = null;
    String key;
    try (InputStream in = part.getInputStream()) {
      counting = new CountingStream(in);
      key = blobs.put(accountId, fileName, counting);
    } catch (IOException e) {
      if (counting == null || counting.failed) {
        throw e; // the part cannot be decoded: the mail's fault
      }
      throw new AttachmentStorageException(accountId, e);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    String[] cid = part.getHeader("Content-ID");
    if (cid != null && cid.length > 0) {
      List<String> ids = ids(cid[0]);
      if (!ids.isEmpty()) {
        meta.put("content_id", ids.get(0));
      }
    }
    if (Part.INLINE.equalsIgnoreCase(part.getDisposition()) || meta.containsKey("content_id")) {
      meta.put("inline", true);
    }
    AttachmentType fileType = mimeType.startsWith("image/") ? AttachmentType.IMAGE
        : mimeType.startsWith("audio/") ? AttachmentType.AUDIO
        : mimeType.startsWith("video/") ? AttachmentType.VIDEO : AttachmentType.FILE;
    return new Attachment(0, 0, 0, fileType, null, key, fileName, mimeType, counting.count,
        null, null, meta);
  }

  /**
   * The part's file name: the {@code filename} of its Content-Disposition, else the
   * {@code name} of its Content-Type, with raw UTF-8, RFC 2231 and RFC 2047 decoded.
   */
  private static String fileName(Part part) {
    try {
      String name = null;
      String disposition = header(part, "Content-Disposition");
      if (disposition != null) {
        name = new ContentDisposition(disposition).getParameter("filename");
      }
      String type = header(part, "Content-Type");
      if (name == null && type != null) {
        name = new jakarta.mail.internet.ContentType(type).getParameter("name");
      }
      if (name != null) {
        name = MimeUtility.decodeText(name);
      }
      return name == null || name.isBlank() ? null : name.strip();
    } catch (Exception e) {
      return null;
    }
  }

  /** The first value of a part's header, raw UTF-8 decoded, or null. */
  private static String header(Part part, String name) throws MessagingException {
    String[] values = part.getHeader(name);
    return values == null || values.length == 0 ? null : rawUtf8(values[0]);
  }

  private static String limit(String s) {
    return s == null || s.length() <= Message.MAX_CONTENT_LENGTH ? s
        : s.substring(0, Message.MAX_CONTENT_LENGTH);
  }

  /** Deletes the blobs of a mail that failed after they were stored; best effort. */
  private void discard(List<Attachment> attachments, long accountId) {
    for (Attachment a : attachments) {
      try {
        blobs.delete(accountId, a.blobKey());
      } catch (IOException | RuntimeException e) {
        LOG.debug("a blob of a mail that failed could not be deleted: {}",
            e.getClass().getSimpleName());
      }
    }
  }

  static String sha256(byte[] raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Counts the bytes read through it, and tells a part that cannot be decoded (its reads
   * failed) from a blob store that fails.
   */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;
    boolean failed;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b;
      try {
        b = super.read();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n;
      try {
        n = super.read(buf, off, len);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
