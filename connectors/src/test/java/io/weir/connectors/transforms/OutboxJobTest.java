package io.weir.connectors.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.connectors.postgres.PostgresCdcSource;
import io.weir.connectors.postgres.SnapshotMode;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox pattern end to end: an order service writes its order and an outbox row in one
 * transaction; a job captures the outbox table and the outbox router publishes each event on
 * its aggregate's topic, keyed by aggregate id.
 */
class OutboxJobTest {
  private static EmbeddedPostgres postgres;
  private static StreamTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical")
        .setServerConfig("max_replication_slots", "4").setServerConfig("max_wal_senders", "4")
        .start();
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    postgres.close();
  }

  private static String url() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  /** args: jdbc URL. The outbox table's inserts, routed to outbox.event.<aggregatetype>. */
  public static final class Relay implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user("postgres")
              .password("postgres").slotName("outbox_relay").publicationName("outbox_relay")
              .tables(List.of("outbox")).snapshotMode(SnapshotMode.NEVER).build(), "Outbox")
          .toLog(OutboxRouter.defaults());
    }
  }

  private static void awaitSlot(String slot) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement();
          var r = s.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '"
              + slot + "'")) {
        if (r.next()) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("slot " + slot + " was not created");
  }

  @Test
  void eachOutboxRowIsPublishedOnItsAggregatesTopic() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id text PRIMARY KEY, total int)");
      s.execute("CREATE TABLE outbox (id text PRIMARY KEY, aggregatetype text,"
          + " aggregateid text, type text, payload jsonb)");
    }
    StreamTestKit.await(kit.weir().log().createTopic("outbox.event.Order", 2, Map.of()));
    JobStatus job = StreamTestKit.await(kit.jobs().submit(Relay.class, List.of(url())));
    awaitSlot("outbox_relay"); // changes before the slot exists are not captured
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(false);
      for (int i = 1; i <= 3; i++) {
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO orders VALUES ('o-" + i + "', " + (10 * i) + ")");
          s.execute("INSERT INTO outbox VALUES ('e-" + i + "', 'Order', 'o-" + i
              + "', 'OrderCreated', '{\"total\": " + (10 * i) + "}')");
          s.execute("DELETE FROM outbox WHERE id = 'e-" + i + "'");
        }
        c.commit();
      }
    }
    List<ConsumerRecord> records = kit.weir().log()
        .source("outbox.event.Order", StartPosition.earliest())
        .take(3).takeWithin(Duration.ofSeconds(30))
        .runWith(Sink.seq(), kit.weir().system()).toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    assertEquals(List.of("o-1:{\"total\": 10}", "o-2:{\"total\": 20}", "o-3:{\"total\": 30}"),
        records.stream().map(r -> r.keyString() + ":" + r.valueString()).sorted().toList());
    assertEquals("OrderCreated", new String(records.get(0).headers().stream()
        .filter(h -> h.key().equals("type")).findFirst().orElseThrow().value(),
        StandardCharsets.UTF_8));
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }
}
