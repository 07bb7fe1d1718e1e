package io.weir.samples.demo;

import io.weir.lakehouse.IcebergSink;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.Row;
import io.weir.lakehouse.TableDefinition;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.TimeWindow;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * Real-time analytics: page views (CSV {@code id,user,page,timestampMillis}) read from a log
 * topic in event time, counted per page in one-minute tumbling windows (views and distinct
 * users), and appended to an Iceberg table, exactly once through checkpoints.
 *
 * <p>Arguments: the topic, the lakehouse (a directory, or
 * {@code LakehouseSettings.toArgument()}), the table. An event whose id is {@value #END} only
 * moves event time on (the generator's last word, one per partition).
 */
public final class PageViewsPerMinute implements JobDefinition {
  /** The id of the events that end a run: they close the last windows and are dropped. */
  public static final String END = "end";

  /** The table's columns. */
  public static final TableDefinition TABLE = TableDefinition.of(new Schema(
      Types.NestedField.required(1, "window_start", Types.TimestampType.withZone()),
      Types.NestedField.required(2, "page", Types.StringType.get()),
      Types.NestedField.required(3, "views", Types.LongType.get()),
      Types.NestedField.required(4, "users", Types.IntegerType.get())));

  @Override
  public void define(JobBuilder job, List<String> args) {
    String topic = args.get(0);
    LakehouseSettings lake = LakehouseSettings.fromArgument(args.get(1));
    String table = args.get(2);
    job.setParallelism(2);
    job.enableCheckpointing(CheckpointConfig.every(Duration.ofSeconds(1)));
    job.fromLog(topic, StartPosition.earliest(), WatermarkStrategy
            .<ConsumerRecord>forBoundedOutOfOrderness(Duration.ofSeconds(5))
            .withTimestampAssigner((r, ts) -> timestamp(r.valueString())))
        .map(ConsumerRecord::valueString).name("Parse")
        .filter(v -> !v.startsWith(END + ",")).name("Drop end markers")
        .keyBy(PageViewsPerMinute::page)
        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
        .aggregate(new ViewsAndUsers(), new ToRow()).name("Views per page and minute")
        // One writer: one commit (one table snapshot) per checkpoint.
        .sinkTo(IcebergSink.append(lake, table, "page-views-per-minute")).name("Iceberg")
        .setParallelism(1);
  }

  static long timestamp(String csv) {
    return Long.parseLong(csv.substring(csv.lastIndexOf(',') + 1));
  }

  static String page(String csv) {
    return csv.split(",", 4)[2];
  }

  /** One table row per page and window. */
  static final class ToRow implements ProcessWindowFunction<long[], Row, String, TimeWindow> {
    @Override
    public void process(String page, Context<TimeWindow> context, Iterable<long[]> results,
        Collector<Row> out) {
      long[] r = results.iterator().next();
      out.collect(Row.insert(Map.of("window_start", context.window().start(), "page", page,
          "views", r[0], "users", (int) r[1])));
    }
  }

  /** Views and distinct users of a window; the result is {views, users}. */
  public static final class ViewsAndUsers
      implements AggregateFunction<String, ViewsAndUsers.Acc, long[]> {
    /** The accumulator: a count and the users seen. */
    public static final class Acc {
      public long views;
      public Set<String> users = new HashSet<>();
    }

    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc add(String csv, Acc acc) {
      acc.views++;
      acc.users.add(csv.split(",", 4)[1]);
      return acc;
    }

    @Override
    public long[] getResult(Acc acc) {
      return new long[] {acc.views, acc.users.size()};
    }

    @Override
    public Acc merge(Acc a, Acc b) {
      a.views += b.views;
      a.users.addAll(b.users);
      return a;
    }
  }
}
