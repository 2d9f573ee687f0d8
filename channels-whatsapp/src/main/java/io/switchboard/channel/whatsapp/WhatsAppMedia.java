package io.switchboard.channel.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channel.ChannelContext;
import io.switchboard.model.Attachment;
import io.switchboard.model.Inbox;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The two-step media download: media id → short-lived URL → bytes, into the blob store. */
final class WhatsAppMedia {
  private static final Logger LOG = LoggerFactory.getLogger(WhatsAppMedia.class);
  /** Cloud API media is at most 100 MB; anything larger is not fetched. */
  static final long MAX_BYTES = 100L * 1024 * 1024;

  private final WhatsAppConfig config;
  private final ChannelContext context;

  WhatsAppMedia(WhatsAppConfig config, ChannelContext context) {
    this.config = config;
    this.context = context;
  }

  Attachment fetch(Inbox inbox, Attachment a) throws IOException {
    Object mediaId = a.meta().get("media_id");
    if (mediaId == null) {
      return withNote(a, "no media id to fetch");
    }
    String token = inbox.setting(WhatsAppChannel.ACCESS_TOKEN);
    HttpUrl lookupUrl = HttpUrl.get(config.graphBaseUrl()).newBuilder()
        .addPathSegment(config.apiVersion()).addPathSegment(mediaId.toString()).build();
    String url;
    String mime;
    try (Response response = context.http().newCall(authorized(lookupUrl, token)).execute()) {
      if (response.code() == 400 || response.code() == 404) {
        // Meta keeps media for a limited time; an expired or unknown id will not come back
        LOG.info("WhatsApp media of inbox {} is gone (HTTP {})", inbox.id(), response.code());
        return withNote(a, "media no longer available (HTTP " + response.code() + ")");
      }
      if (!response.isSuccessful()) {
        throw new IOException("media lookup answered HTTP " + response.code());
      }
      JsonNode node = Graph.JSON.readTree(body(response).string());
      url = Graph.text(node, "url");
      mime = Graph.text(node, "mime_type");
      String size = Graph.text(node, "file_size");
      if (size != null && size.matches("\\d+") && Long.parseLong(size) > MAX_BYTES) {
        return withNote(a, "file of " + size + " bytes is over the " + MAX_BYTES + " byte limit");
      }
    }
    HttpUrl fileUrl = url == null ? null : HttpUrl.parse(url);
    if (fileUrl == null) {
      throw new IOException("media lookup gave no URL");
    }
    try (Response response = context.http().newCall(authorized(fileUrl, token)).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("media download answered HTTP " + response.code());
      }
      ResponseBody body = body(response);
      if (body.contentLength() > MAX_BYTES) {
        return withNote(a, "file is over the " + MAX_BYTES + " byte limit");
      }
      String contentType = a.contentType() != null ? a.contentType()
          : mime != null ? mime : body.contentType() == null ? null : body.contentType().toString();
      String fileName = a.fileName() != null ? a.fileName() : "whatsapp-" + mediaId;
      CountingStream counted = new CountingStream(body.byteStream());
      String key = context.blobs().put(inbox.accountId(), fileName, counted);
      return new Attachment(a.id(), a.accountId(), a.messageId(), a.fileType(), a.externalUrl(),
          key, a.fileName(), contentType, counted.count, a.latitude(), a.longitude(), a.meta());
    }
  }

  private static Request authorized(HttpUrl url, String token) {
    return new Request.Builder().url(url).header("Authorization", "Bearer " + token).get().build();
  }

  private static ResponseBody body(Response response) throws IOException {
    ResponseBody body = response.body();
    if (body == null) {
      throw new IOException("empty answer");
    }
    return body;
  }

  private static Attachment withNote(Attachment a, String note) {
    Map<String, Object> meta = new LinkedHashMap<>(a.meta());
    meta.remove(Attachment.PENDING_FETCH);
    meta.put("fetch_error", note);
    return new Attachment(a.id(), a.accountId(), a.messageId(), a.fileType(), a.externalUrl(),
        null, a.fileName(), a.contentType(), a.fileSize(), a.latitude(), a.longitude(), meta);
  }

  /** Counts the bytes read and refuses to read past {@link #MAX_BYTES}. */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(long n) throws IOException {
      count += n;
      if (count > MAX_BYTES) {
        throw new IOException("media is over the " + MAX_BYTES + " byte limit");
      }
    }
  }
}
