package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.model.Account;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import io.switchboard.model.User;
import io.switchboard.store.RawRequestRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store calls that write several rows in one round trip: a message with its
 * conversation's and sender's activity, and the raw inputs of a shared transaction, each on
 * H2 and PostgreSQL, read back with plain SQL.
 */
class BatchedWritesTest {
  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("H2"), Arguments.of("PostgreSQL"));
  }

  private static HikariDataSource dataSource(String database) {
    if (database.equals("H2")) {
      HikariDataSource ds = new HikariDataSource();
      ds.setJdbcUrl("jdbc:h2:mem:batched-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return ds;
    }
    return new HikariDataSource(TestDatabases.postgresConfig(TestDatabases.newSchema()));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aMessageIsStoredWithItsConversationsAndSendersActivityKeepingTheirOtherColumns(
      String database) throws Exception {
    try (HikariDataSource ds = dataSource(database); JdbiStore store = JdbiStore.create(ds);
        Fixture f = new Fixture(store)) {
      Account account = f.account("Acme");
      Inbox inbox = f.apiInbox(account.id());
      User anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test",
          io.switchboard.model.Role.AGENT, null);
      Message first = f.incoming(inbox, "gina", "g-1", "hi");
      Conversation stale = f.sb.conversations().get(account.id(), first.conversationId());
      Contact staleContact = f.sb.contacts().get(account.id(), first.senderId());
      // changes committed after the message's transaction read the rows
      f.sb.conversations().assign(account.id(), stale.id(), anna.id(),
          io.switchboard.model.Actor.user(anna));
      f.sb.contacts().update(account.id(), staleContact.id(),
          io.switchboard.ContactDraft.empty().withName("Gina Rossi"),
          io.switchboard.model.Actor.user(anna));

      Instant later = first.createdAt().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
      Message draft = new Message(0, account.id(), inbox.id(), stale.id(), MessageType.INCOMING,
          ContentType.TEXT, "a photo", Map.of(), false, MessageStatus.SENT, "g-2",
          SenderType.CONTACT, staleContact.id(), List.of(new Attachment(0, account.id(), 0,
              AttachmentType.IMAGE, "https://cdn.example/p.jpg", null, "p.jpg", "image/jpeg",
              20L, null, null, Map.of())), later, later);
      Message saved = store.inTransaction(tx -> tx.insertMessageWithActivity(draft,
          stale.toBuilder().lastActivityAt(later).waitingSince(later).updatedAt(later).build(),
          staleContact));

      assertThat(saved.id()).isGreaterThan(first.id());
      assertThat(saved.attachments()).singleElement()
          .satisfies(a -> assertThat(a.messageId()).isEqualTo(saved.id()));
      Message stored = f.sb.messages().list(account.id(), stale.id(), null, 10).items().stream()
          .filter(m -> m.id() == saved.id()).findFirst().orElseThrow();
      assertThat(stored.content()).isEqualTo("a photo");
      assertThat(stored.attachments()).extracting(Attachment::fileName).containsExactly("p.jpg");
      Conversation c = f.sb.conversations().get(account.id(), stale.id());
      assertThat(c.assigneeId()).isEqualTo(anna.id());
      assertThat(List.of(c.lastActivityAt(), c.waitingSince(), c.updatedAt())).containsOnly(later);
      Contact contact = f.sb.contacts().get(account.id(), staleContact.id());
      assertThat(contact.name()).isEqualTo("Gina Rossi");
      assertThat(contact.lastActivityAt()).isEqualTo(later);

      // without a sender, no contact is touched
      Instant later2 = later.plusSeconds(60);
      Message note = new Message(0, account.id(), inbox.id(), stale.id(), MessageType.OUTGOING,
          ContentType.TEXT, "noted", Map.of(), false, MessageStatus.SENT, "out-1",
          SenderType.SYSTEM, null, List.of(), later2, later2);
      store.inTransaction(tx -> tx.insertMessageWithActivity(note,
          c.toBuilder().lastActivityAt(later2).updatedAt(later2).build(), null));
      assertThat(f.sb.conversations().get(account.id(), stale.id()).lastActivityAt())
          .isEqualTo(later2);
      assertThat(f.sb.contacts().get(account.id(), staleContact.id()).lastActivityAt())
          .isEqualTo(later);
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void theRawInputsOfASharedTransactionAreStoredProcessedInOneCall(String database)
      throws Exception {
    try (HikariDataSource ds = dataSource(database); JdbiStore store = JdbiStore.create(ds)) {
      Instant at = Instant.parse("2026-11-25T10:00:00Z");
      List<RawRequestRecord> one = List.of(raw("a", at));
      List<RawRequestRecord> three = List.of(raw("b", at), raw("c", at), raw("d", at));
      store.inTransaction(tx -> {
        tx.insertProcessedRawRequests(one);
        tx.insertProcessedRawRequests(three);
        return null;
      });

      assertThat(rows(ds)).containsExactly("a true", "b true", "c true", "d true");
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void finishingStoredInputsMarksTheirRawRequestsProcessedAndDeletesOnlyTheirJobs(
      String database) throws Exception {
    try (HikariDataSource ds = dataSource(database); JdbiStore store = JdbiStore.create(ds)) {
      Instant at = Instant.parse("2026-11-25T10:00:00Z");
      long[] ids = store.inTransaction(tx -> {
        long[] out = new long[6];
        for (int i = 0; i < 3; i++) {
          out[i] = tx.insertRawRequest("whatsapp", "POST", "/webhooks/whatsapp",
              "application/json", ("r" + i).getBytes(StandardCharsets.UTF_8), at);
          out[3 + i] = tx.insertJob(new io.switchboard.store.JobRecord(0, "inbound", null, null,
              "{}", 0, at, null, false, at));
        }
        return out;
      });

      store.inTransaction(tx -> {
        tx.finishInbound(List.of(ids[0], ids[2]), List.of(ids[3], ids[5]));
        return null;
      });

      assertThat(rows(ds)).containsExactly("r0 true", "r1 false", "r2 true");
      List<io.switchboard.store.JobRecord> left =
          store.inTransaction(tx -> tx.listDueJobs(at.plusSeconds(1), 10));
      assertThat(left).extracting(io.switchboard.store.JobRecord::id).containsExactly(ids[4]);
    }
  }

  private static RawRequestRecord raw(String body, Instant at) {
    return new RawRequestRecord("whatsapp", "POST", "/webhooks/whatsapp", "application/json",
        body.getBytes(StandardCharsets.UTF_8), at);
  }

  private static List<String> rows(DataSource ds) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT body, processed FROM raw_requests ORDER BY id")) {
      while (rs.next()) {
        out.add(new String(rs.getBytes(1), StandardCharsets.UTF_8) + " " + rs.getBoolean(2));
      }
    }
    return out;
  }
}
