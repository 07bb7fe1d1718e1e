package io.weir.samples.demo;

import io.weir.connectors.postgres.PostgresCdcSource;
import io.weir.connectors.postgres.SnapshotMode;
import io.weir.connectors.transforms.OutboxRouter;
import io.weir.log.api.CommittableRecord;
import io.weir.log.api.CommitterSettings;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.Control;
import io.weir.log.api.Log;
import io.weir.log.api.OffsetReset;
import io.weir.node.WeirNode;
import io.weir.node.cli.NodeOptions;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.Jobs;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weir demo services}: event-driven services with the outbox pattern. An order service
 * writes each order and its {@code OrderPlaced} event (an outbox row) in one PostgreSQL
 * transaction; a Weir job captures the outbox table (CDC from the WAL) and its outbox router
 * publishes each event on {@code outbox.event.Order}, keyed by order, exactly once; a shipping
 * service of two instances in one consumer group shares the topic's partitions and reacts to
 * each order once (idempotently, by event id, as at-least-once delivery asks).
 */
@Command(name = "services", mixinStandardHelpOptions = true,
    description = "The outbox sample: an order service and its outbox in PostgreSQL (embedded), "
        + "the outbox relay job, and a shipping service of two instances in a consumer group.")
public final class ServicesCommand implements Callable<Integer> {
  static final String TOPIC = "outbox.event.Order";
  static final String SLOT = "weir_outbox_relay";
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @Mixin NodeOptions node;
  @Spec CommandSpec spec;
  @Option(names = "--orders", paramLabel = "N", defaultValue = "500",
      description = "How many orders to place (default: ${DEFAULT-VALUE}).") int orders;

  /** The outbox relay: args JDBC URL, user, password. */
  public static final class OutboxRelay implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(500)));
      job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user(args.get(1))
              .password(args.get(2)).slotName(SLOT).publicationName(SLOT)
              .tables(List.of("outbox")).snapshotMode(SnapshotMode.NEVER).build(), "Outbox")
          .toLog(OutboxRouter.defaults(), "outbox-relay");
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Weir services sample: orders and their outbox in PostgreSQL, the outbox relayed"
        + " to the log by a CDC job, a shipping service of two instances reacting.");
    try (EmbeddedPostgres postgres = DemoCommand.logicalPostgres();
        WeirNode n = node.start()) {
      String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE orders (id text PRIMARY KEY, customer text, total numeric)");
        s.execute("CREATE TABLE outbox (id uuid PRIMARY KEY, aggregatetype text,"
            + " aggregateid text, type text, payload jsonb)");
      }
      out.printf("[1/5] PostgreSQL (embedded) on port %d with tables orders and outbox; node %s%n",
          postgres.getPort(), n.address());

      Log log = n.weir().log();
      DemoCommand.recreateTopic(log, TOPIC, 4);
      Jobs jobs = n.weir().jobs();
      String jobId = jobs.submit(OutboxRelay.class.getName(), List.of(url, "postgres",
          "postgres")).toCompletableFuture().get(1, TimeUnit.MINUTES).jobId();
      awaitSlot(postgres);
      out.printf("[2/5] outbox relay job %s: CDC of table outbox -> outbox router -> %s"
          + " (4 partitions), exactly once%n", jobId, TOPIC);

      Map<String, Set<String>> handledBy = new ConcurrentHashMap<>();
      Set<String> events = ConcurrentHashMap.newKeySet();
      AtomicLong redelivered = new AtomicLong();
      Control first = shippingInstance(n, "shipping-1", handledBy, events, redelivered);
      Control second = shippingInstance(n, "shipping-2", handledBy, events, redelivered);
      out.println("[3/5] shipping service: instances shipping-1 and shipping-2 joined group"
          + " 'shipping'");

      placeOrders(postgres);
      out.printf("[4/5] order service: %d orders placed, each with its OrderPlaced event in the"
          + " same transaction (the outbox row deleted again, as Debezium recommends)%n",
          orders);
      out.flush();

      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (events.size() < orders && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      first.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
      second.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
      jobs.cancel(jobId).toCompletableFuture().get(1, TimeUnit.MINUTES);

      out.printf("[5/5] shipping reacted to %d of %d orders:%n", events.size(), orders);
      handledBy.forEach((instance, ids) -> out.printf("      %s shipped %d orders%n", instance,
          ids.size()));
      long both = handledBy.getOrDefault("shipping-1", Set.of()).stream()
          .filter(id -> handledBy.getOrDefault("shipping-2", Set.of()).contains(id)).count();
      boolean ok = events.size() == orders && both == 0;
      out.printf("Summary: %d orders, %d events shipped once each%s; %d redeliveries skipped by"
          + " event id%n", orders, events.size(), ok ? "" : " (MISMATCH)", redelivered.get());
      return ok ? 0 : 1;
    }
  }

  /**
   * One instance of the shipping service: a member of group {@code shipping}; it ships each
   * order once, by the event's id, and commits after.
   */
  private static Control shippingInstance(WeirNode n, String name,
      Map<String, Set<String>> handledBy, Set<String> events, AtomicLong redelivered) {
    Log log = n.weir().log();
    return log.committableSource(ConsumerGroupSettings.of("shipping", TOPIC)
            .withClientId(name).withAutoOffsetReset(OffsetReset.EARLIEST)
            .withIsolation(io.weir.log.api.IsolationLevel.READ_COMMITTED))
        .map((CommittableRecord r) -> {
          String eventId = r.record().headers().stream().filter(h -> h.key().equals("id"))
              .map(h -> new String(h.value(), StandardCharsets.UTF_8)).findFirst()
              .orElseThrow(() -> new IllegalStateException("an event without an id header"));
          if (events.add(eventId)) {
            handledBy.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet())
                .add(r.record().keyString());
          } else {
            redelivered.incrementAndGet();
          }
          return r.committableOffset();
        })
        .toMat(log.committerSink(CommitterSettings.defaults()),
            org.apache.pekko.stream.javadsl.Keep.left())
        .run(n.system());
  }

  /** Each order and its event in one transaction. */
  private void placeOrders(EmbeddedPostgres postgres) throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement order = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)");
          PreparedStatement event = c.prepareStatement("INSERT INTO outbox VALUES (?, 'Order',"
              + " ?, 'OrderPlaced', ?::jsonb)");
          PreparedStatement clear = c.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
        for (int i = 1; i <= orders; i++) {
          String id = "order-" + i;
          String customer = "customer-" + (i % 37);
          long cents = 1_000 + (i * 7_919L) % 90_000;
          order.setString(1, id);
          order.setString(2, customer);
          order.setBigDecimal(3, java.math.BigDecimal.valueOf(cents, 2));
          order.executeUpdate();
          UUID eventId = UUID.randomUUID();
          event.setObject(1, eventId);
          event.setString(2, id);
          event.setString(3, "{\"order\": \"" + id + "\", \"customer\": \"" + customer
              + "\", \"total\": " + java.math.BigDecimal.valueOf(cents, 2) + "}");
          event.executeUpdate();
          clear.setObject(1, eventId);
          clear.executeUpdate();
          c.commit();
        }
      }
    }
  }

  /** The relay captures changes from when its slot exists. */
  private static void awaitSlot(EmbeddedPostgres postgres) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '"
              + SLOT + "'")) {
        if (r.next()) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the outbox relay did not create its replication slot "
        + SLOT + " within a minute");
  }
}
