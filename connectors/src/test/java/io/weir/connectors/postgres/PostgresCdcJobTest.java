package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.weir.stream.internal.exec.StreamElement;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CDC source inside a job of the stream runtime. */
class PostgresCdcJobTest {
  private static PostgresServer server;
  private static StreamTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.logical();
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    server.close();
  }

  /** args: jdbc URL, slot, table, snapshot mode, parallelism, result name. */
  public static final class Capture implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(Integer.parseInt(args.get(4)));
      job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user("postgres")
              .password("postgres").slotName(args.get(1)).publicationName(args.get(1))
              .tables(List.of(args.get(2))).snapshotMode(SnapshotMode.valueOf(args.get(3)))
              .build(), "Postgres CDC")
          .map(event -> event.op().code() + ":" + event.after().get("id") + ":"
              + event.after().get("name"))
          .sinkTo(new CollectSink<>(args.get(5)));
    }
  }

  @Test
  void aBoundedSnapshotJobFinishesWithEveryRowOnce() throws Exception {
    server.execute("CREATE TABLE people (id int PRIMARY KEY, name text)",
        "INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 3000) g");
    JobStatus status = kit.run(Capture.class, server.jdbcUrl(), "job_once", "people",
        "INITIAL_ONLY", "2", "people-once");
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertEquals(IntStream.rangeClosed(1, 3000).mapToObj(i -> "r:" + i + ":p" + i).sorted()
        .toList(), CollectSink.results("people-once").stream().map(String::valueOf)
        .sorted().toList());
  }

  @Test
  void aStreamingJobDeliversTheSnapshotThenCommittedChanges() throws Exception {
    server.execute("CREATE TABLE pets (id int PRIMARY KEY, name text)",
        "INSERT INTO pets VALUES (1, 'rex'), (2, 'tom')");
    JobStatus submitted = StreamTestKit.await(kit.jobs().submit(Capture.class, List.of(
        server.jdbcUrl(), "job_stream", "pets", "INITIAL", "1", "pets")));
    awaitResults("pets", 2);
    server.execute("INSERT INTO pets VALUES (3, 'kit')", "UPDATE pets SET name = 'max'"
        + " WHERE id = 1");
    awaitResults("pets", 4);
    assertEquals(List.of("r:1:rex", "r:2:tom", "c:3:kit", "u:1:max"),
        CollectSink.results("pets").stream().map(String::valueOf).toList());
    JobStatus canceled = StreamTestKit.await(kit.jobs().cancel(submitted.jobId()));
    JobStatus end = StreamTestKit.await(kit.jobs().awaitTermination(submitted.jobId(),
        Duration.ofSeconds(60)));
    assertEquals(JobState.CANCELED, end.state(), end.summary() + " / " + canceled.summary());
  }

  private static void awaitResults(String name, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (CollectSink.results(name).size() < count) {
      assertTrue(System.nanoTime() < deadline, "results so far: "
          + CollectSink.results(name));
      Thread.sleep(50);
    }
  }

  @Test
  void eventsCrossNodesWithEveryValueTypeKept() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("s", (short) 1);
    row.put("i", 2);
    row.put("b", 3L);
    row.put("n", new BigDecimal("12.340"));
    row.put("r", 1.5f);
    row.put("d", 2.5);
    row.put("flag", true);
    row.put("t", "text");
    row.put("day", LocalDate.of(2024, 2, 29));
    row.put("tod", LocalTime.of(1, 2, 3, 4000));
    row.put("ts", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000));
    row.put("tstz", Instant.parse("2024-01-01T21:34:05.5Z"));
    row.put("u", UUID.randomUUID());
    row.put("ints", Arrays.asList(1, null, 3));
    row.put("grid", List.of(List.of("a"), List.of("b")));
    row.put("toast", Unavailable.VALUE);
    row.put("nothing", null);
    Map<String, Object> withBytes = new LinkedHashMap<>(row);
    withBytes.put("bin", new byte[] {1, 2, 3});
    ChangeEvent event = new ChangeEvent(row, withBytes, ChangeEvent.Operation.UPDATE,
        new ChangeEvent.SourceInfo("postgresql", "db", "public", "t", 99, 7L, 5, "false"), 6);
    StreamElement.Batch batch = new StreamElement.Batch(0, List.of(event), new long[] {5});

    Serialization serialization = SerializationExtension.get(kit.weir().system().classicSystem());
    byte[] bytes = serialization.serialize(batch).get();
    var serializer = serialization.findSerializerFor(batch);
    StreamElement.Batch back = (StreamElement.Batch) serialization.deserialize(bytes,
        serializer.identifier(), Serializers.manifestFor(serializer, batch)).get();
    ChangeEvent arrived = (ChangeEvent) back.values().get(0);
    assertEquals(event.before(), arrived.before());
    Map<String, Object> after = new LinkedHashMap<>(arrived.after());
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) after.remove("bin"));
    assertEquals(row, after);
    assertEquals(event.source(), arrived.source());
    assertEquals(event.op(), arrived.op());
    ChangeEvent delete = new ChangeEvent(row, null, ChangeEvent.Operation.DELETE,
        event.source(), 1);
    StreamElement.Batch deletes = new StreamElement.Batch(0, List.of(delete), new long[] {1});
    assertEquals(deletes, serialization.deserialize(serialization.serialize(deletes).get(),
        serializer.identifier(), Serializers.manifestFor(serializer, deletes)).get());
    ChangeEvent withSchema = new ChangeEvent(null, row, ChangeEvent.Operation.CREATE,
        event.source(), 3, null, new TableSchema(List.of(
            new TableSchema.Column("s", "int2", 21, -1, true),
            new TableSchema.Column("n", "numeric", 1700, 655366, false))));
    StreamElement.Batch schemas = new StreamElement.Batch(0, List.of(withSchema),
        new long[] {1});
    assertEquals(schemas, serialization.deserialize(serialization.serialize(schemas).get(),
        serializer.identifier(), Serializers.manifestFor(serializer, schemas)).get());
    ChangeEvent end = new ChangeEvent(null, null, ChangeEvent.Operation.END, event.source(), 2,
        new ChangeEvent.TransactionInfo("7:99", 0, 0, 3, Map.of("public.t", 3L)));
    StreamElement.Batch ends = new StreamElement.Batch(0, List.of(end, delete.withTransaction(
        new ChangeEvent.TransactionInfo("7:99", 3, 1, 0, Map.of()))), new long[] {1, 1});
    assertEquals(ends, serialization.deserialize(serialization.serialize(ends).get(),
        serializer.identifier(), Serializers.manifestFor(serializer, ends)).get());
  }

  @Test
  void splitsAndTheEnumeratorCheckpointSerialize() throws Exception {
    Serialization serialization = SerializationExtension.get(kit.weir().system().classicSystem());
    PgSplit split = new PgSplit("slot", true, 123, 456, 7);
    var serializer = serialization.findSerializerFor(split);
    assertEquals(split, serialization.deserialize(serialization.serialize(split).get(),
        serializer.identifier(), Serializers.manifestFor(serializer, split)).get());
    PgEnumeratorState state = new PgEnumeratorState(List.of(split));
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    assertEquals(state, cbor.readValue(cbor.writeValueAsBytes(state), PgEnumeratorState.class));
  }
}
