package io.weir.node.pipeline;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A pipeline declared in a YAML file, in the manner of Flink CDC's pipelines: one source, the
 * transforms (filter and projection) and routes (source table to sink table or topic) of its
 * tables, one sink, and the pipeline's name, parallelism and checkpoint interval. See
 * {@code docs/pipelines.md} for every key.
 *
 * @param name the pipeline's name
 * @param parallelism the default parallelism of its operators
 * @param checkpointInterval how often checkpoints are taken; null for none
 * @param source where rows come from
 * @param transforms filters and projections, the first matching a table applying to it
 * @param routes where each table's rows go, the first matching a table applying to it
 * @param sink where rows go
 */
public record Pipeline(String name, int parallelism, Duration checkpointInterval,
    SourceSpec source, List<Transform> transforms, List<Route> routes, SinkSpec sink) {

  /** Copies. */
  public Pipeline {
    transforms = List.copyOf(transforms);
    routes = List.copyOf(routes);
  }

  /** Where rows come from. */
  public sealed interface SourceSpec permits Generator, LogSource, Postgres, KafkaSourceSpec {
    /** The tables this source produces rows of, as records name them. */
    List<String> tables();
  }

  /**
   * Generated rows of one table, {@code count} of them (unbounded when null), at most
   * {@code rowsPerSecond} a second per subtask when set.
   */
  public record Generator(String table, Long count, Long rowsPerSecond,
      List<GeneratedColumn> columns) implements SourceSpec {
    /** Copies. */
    public Generator {
      columns = List.copyOf(columns);
    }

    @Override
    public List<String> tables() {
      return List.of(table);
    }
  }

  /** A log topic's records, JSON objects, from {@code earliest} or {@code latest}. */
  public record LogSource(String topic, String start) implements SourceSpec {
    @Override
    public List<String> tables() {
      return List.of(topic);
    }
  }

  /**
   * An external Kafka cluster's topics (by name, or every topic matching a regular expression),
   * each record a JSON object (or a Debezium change envelope) in {@code format} json, each topic
   * a table of its own name. Reads from {@code startingOffsets} (earliest, latest or committed
   * by the group) unless a checkpoint says where.
   */
  public record KafkaSourceSpec(String bootstrapServers, List<String> topics,
      String topicPattern, String groupId, String startingOffsets, String format)
      implements SourceSpec {
    /** Copies. */
    public KafkaSourceSpec {
      topics = List.copyOf(topics);
    }

    /** The topics by name; empty for a pattern (its topics are known only when it runs). */
    @Override
    public List<String> tables() {
      return topics;
    }
  }

  /** PostgreSQL tables by logical replication: a snapshot, then every change. */
  public record Postgres(String hostname, int port, String database, String username,
      String password, List<String> tableNames, String slot, String snapshotMode)
      implements SourceSpec {
    /** Copies. */
    public Postgres {
      tableNames = List.copyOf(tableNames);
    }

    /** The JDBC URL of the database. */
    public String jdbcUrl() {
      return "jdbc:postgresql://" + hostname + ":" + port + "/" + database;
    }

    @Override
    public List<String> tables() {
      return tableNames.stream().map(t -> t.contains(".") ? t : "public." + t).toList();
    }
  }

  /**
   * A filter and a projection of the tables a pattern matches: rows for which the filter is
   * not true are dropped, then only the projected columns are kept (all when null).
   *
   * @param sourceTable the tables it applies to
   * @param projection output column to the source column it takes (renamed by {@code AS}), in
   *     order; null for every column
   * @param filter the condition; null for none
   * @param line the line of the transform in the file
   */
  public record Transform(TablePattern sourceTable, Map<String, String> projection,
      FilterExpression filter, int line) {
    /** Copies. */
    public Transform {
      projection = projection == null ? null
          : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(projection));
    }
  }

  private static final java.util.regex.Pattern PROJECTED = java.util.regex.Pattern.compile(
      "([\\w.$]+)(?:\\s+(?i:as)\\s+([\\w.$]+))?");

  /**
   * Rows of the tables a pattern matches go to {@code sinkTable}, a table or topic name in
   * which {@code ${schema}} and {@code ${table}} stand for the source table's parts.
   */
  public record Route(TablePattern sourceTable, String sinkTable) {
    /** The sink table for a source table. */
    public String target(String table) {
      int dot = table.indexOf('.');
      return sinkTable.replace("${schema}", dot < 0 ? "" : table.substring(0, dot))
          .replace("${table}", table.substring(dot + 1));
    }
  }

  /** Where rows go. */
  public sealed interface SinkSpec permits LogSink, IcebergSinkSpec, PrintSink, KafkaSinkSpec {
    /** The table or topic of rows no route matches; null when they keep their table's name. */
    String defaultTarget();
  }

  /**
   * Log topics (created with {@code partitions} when missing): each row's values as a JSON
   * object, keyed by the {@code key} columns when given (a deleted row is then a tombstone).
   */
  public record LogSink(String topic, int partitions, List<String> key) implements SinkSpec {
    /** Copies. */
    public LogSink {
      key = List.copyOf(key);
    }

    @Override
    public String defaultTarget() {
      return topic;
    }
  }

  /**
   * Iceberg tables of the node's lakehouse, in {@code append} or {@code upsert} mode (by the
   * primary key), created when missing with {@code columns} (or the source's columns when
   * known), the primary key and the partitioning.
   */
  public record IcebergSinkSpec(String table, String mode, List<String> primaryKey,
      List<String> partitionBy, Map<String, String> columns, boolean schemaEvolution, int line)
      implements SinkSpec {
    /** Copies. */
    public IcebergSinkSpec {
      primaryKey = List.copyOf(primaryKey);
      partitionBy = List.copyOf(partitionBy);
      columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** Whether rows replace rows of the same primary key. */
    public boolean upsert() {
      return mode.equals("upsert");
    }

    @Override
    public String defaultTarget() {
      return table;
    }
  }

  /**
   * An external Kafka cluster's topics: each row's values as a JSON object, to {@code topic} (or
   * the row's route target, else its table's name), keyed by the {@code key} columns when given
   * (a deleted row is then a tombstone), at least once or exactly once (Kafka transactions
   * committed with the checkpoints, under {@code transactionalIdPrefix}).
   */
  public record KafkaSinkSpec(String bootstrapServers, String topic, boolean exactlyOnce,
      String transactionalIdPrefix, List<String> key) implements SinkSpec {
    /** Copies. */
    public KafkaSinkSpec {
      key = List.copyOf(key);
    }

    @Override
    public String defaultTarget() {
      return topic;
    }
  }

  /** Each row printed on standard output. */
  public record PrintSink() implements SinkSpec {
    @Override
    public String defaultTarget() {
      return null;
    }
  }

  /** Column types a pipeline file may name. */
  public static final List<String> COLUMN_TYPES = List.of("boolean", "int", "long", "float",
      "double", "string", "date", "timestamp", "timestamptz");

  private static final List<String> TOP = List.of("pipeline", "source", "transform", "route",
      "sink");
  private static final List<String> SOURCE_TYPES = List.of("generator", "log", "postgres",
      "kafka");
  private static final List<String> SINK_TYPES = List.of("log", "iceberg", "print", "kafka");

  /**
   * Parses a pipeline file.
   *
   * @param yaml the file's text
   * @param defaultName the name when the file gives none (such as the file's name)
   * @return the pipeline
   * @throws PipelineFileException naming the line, the key and what was expected
   */
  public static Pipeline parse(String yaml, String defaultName) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true); // reported by Section, with the line
      root = new Yaml(options).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new PipelineFileException(line, "not valid YAML: " + e.getProblem()
          + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
    } catch (YAMLException e) {
      throw new PipelineFileException(0, "not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new PipelineFileException(0, "the file is empty; expected the keys source and sink,"
          + " and optionally pipeline, transform and route");
    }
    Section top = Section.of("at the top level", root, "a pipeline file").allowOnly(TOP);

    String name = defaultName;
    int parallelism = 1;
    Duration checkpoint = null;
    Optional<Section> p = top.optSection("pipeline");
    if (p.isPresent()) {
      Section s = p.get().allowOnly(List.of("name", "parallelism", "checkpoint-interval",
          "description"));
      name = s.optString("name", "a name").orElse(defaultName);
      parallelism = s.optLong("parallelism", 1, 128).orElse(1L).intValue();
      checkpoint = s.optDuration("checkpoint-interval").orElse(null);
      s.optString("description", "a text");
    }
    Section sourceSection = top.section("source", "a mapping with a type: one of "
        + String.join(", ", SOURCE_TYPES));
    SourceSpec source = source(sourceSection);
    if (source instanceof Postgres pg && !pg.snapshotMode().equals("initial_only")
        && checkpoint == null) {
      throw new PipelineFileException(sourceSection.line(), "a PostgreSQL source confirms its"
          + " slot's position with the checkpoints and does not end; expected"
          + " 'checkpoint-interval' under 'pipeline'");
    }
    List<Transform> transforms = new ArrayList<>();
    for (Section t : top.sections("transform")) {
      t.allowOnly(List.of("source-table", "projection", "filter", "description"));
      TablePattern pattern = pattern(t);
      List<String> items = t.has("projection") ? t.names("projection") : null;
      Map<String, String> projection = null;
      if (items != null && items.contains("*")) {
        if (items.size() > 1) {
          throw new PipelineFileException(t.lineOf("projection"), "'projection' " + t.where()
              + " must be * or a list of columns, not both");
        }
      } else if (items != null) {
        projection = new LinkedHashMap<>();
        for (String item : items) {
          java.util.regex.Matcher m = PROJECTED.matcher(item);
          if (!m.matches()) {
            throw new PipelineFileException(t.lineOf("projection"), "'" + item + "' in"
                + " 'projection' " + t.where() + " is not a column; expected a column name or"
                + " 'column AS name' (expressions are not supported)");
          }
          String output = m.group(2) == null ? m.group(1) : m.group(2);
          if (projection.put(output, m.group(1)) != null) {
            throw new PipelineFileException(t.lineOf("projection"), "column '" + output
                + "' appears twice in 'projection' " + t.where());
          }
        }
      }
      FilterExpression filter = null;
      Optional<String> f = t.optString("filter", "a condition such as \"total > 100\"");
      if (f.isPresent()) {
        try {
          filter = FilterExpression.parse(f.get());
        } catch (IllegalArgumentException e) {
          throw new PipelineFileException(t.lineOf("filter"), "'filter' " + t.where()
              + " is not a valid condition, " + e.getMessage());
        }
      }
      t.optString("description", "a text");
      transforms.add(new Transform(pattern, projection, filter, t.line()));
    }
    List<Route> routes = new ArrayList<>();
    for (Section r : top.sections("route")) {
      r.allowOnly(List.of("source-table", "sink-table", "replace-symbol", "description"));
      TablePattern pattern = pattern(r);
      String target = r.string("sink-table", "a table or topic name");
      Optional<String> symbol = r.optString("replace-symbol", "a symbol such as <>");
      if (symbol.isPresent()) {
        // Flink CDC's form: the symbol stands for the source table's name.
        target = target.replace(symbol.get(), "${table}");
      }
      r.optString("description", "a text");
      routes.add(new Route(pattern, target));
    }
    Section sinkSection = top.section("sink", "a mapping with a type: one of "
        + String.join(", ", SINK_TYPES));
    SinkSpec sink = sink(sinkSection);
    if (sink instanceof KafkaSinkSpec k && k.exactlyOnce() && checkpoint == null) {
      throw new PipelineFileException(sinkSection.lineOf("delivery"), "an exactly-once Kafka"
          + " sink commits its transactions with the checkpoints; expected"
          + " 'checkpoint-interval' under 'pipeline' (or 'delivery: at-least-once')");
    }
    if (source instanceof KafkaSourceSpec k && k.topicPattern() != null
        && sink instanceof IcebergSinkSpec) {
      throw new PipelineFileException(sourceSection.lineOf("topic-pattern"), "an iceberg sink"
          + " creates its tables before the pipeline runs, so it needs the source's topics by"
          + " name; expected 'topics' instead of 'topic-pattern' " + sourceSection.where());
    }
    return new Pipeline(name, parallelism, checkpoint, source, transforms, routes, sink);
  }

  private static TablePattern pattern(Section s) {
    String text = s.string("source-table", "a table name or pattern, such as public.orders or"
        + " public.*");
    try {
      return TablePattern.of(text);
    } catch (IllegalArgumentException e) {
      throw new PipelineFileException(s.lineOf("source-table"), "'source-table' " + s.where()
          + " is " + e.getMessage());
    }
  }

  private static String type(Section s, List<String> types) {
    String expected = "one of " + String.join(", ", types);
    s.string("type", expected);
    return s.optChoice("type", types).orElseThrow();
  }

  private static SourceSpec source(Section s) {
    s.optString("name", "a name");
    switch (type(s, SOURCE_TYPES)) {
      case "generator" -> {
        s.allowOnly(List.of("type", "name", "table", "count", "rows-per-second", "columns"));
        List<GeneratedColumn> columns = new ArrayList<>();
        Map<String, Section.Scalar> specs = s.scalars("columns");
        if (specs.isEmpty()) {
          throw new PipelineFileException(s.line(), "missing key 'columns' " + s.where()
              + "; expected a mapping of column names to " + GeneratedColumn.EXPECTED);
        }
        for (Map.Entry<String, Section.Scalar> c : specs.entrySet()) {
          try {
            columns.add(GeneratedColumn.parse(c.getKey(), c.getValue().value()));
          } catch (IllegalArgumentException e) {
            throw new PipelineFileException(c.getValue().line(), "column '" + c.getKey()
                + "' under 'columns': " + e.getMessage() + "; expected "
                + GeneratedColumn.EXPECTED);
          }
        }
        return new Generator(s.optString("table", "a table name").orElse("generator"),
            s.optLong("count", 0, Long.MAX_VALUE).orElse(null),
            s.optLong("rows-per-second", 1, Long.MAX_VALUE).orElse(null), columns);
      }
      case "log" -> {
        s.allowOnly(List.of("type", "name", "topic", "start"));
        return new LogSource(s.string("topic", "a topic name"),
            s.optChoice("start", List.of("earliest", "latest")).orElse("earliest"));
      }
      case "kafka" -> {
        s.allowOnly(List.of("type", "name", "bootstrap-servers", "topics", "topic-pattern",
            "group-id", "starting-offsets", "format"));
        List<String> topics = s.names("topics");
        Optional<String> pattern = s.optString("topic-pattern", "a regular expression");
        if (topics.isEmpty() == pattern.isEmpty()) {
          throw new PipelineFileException(s.line(), (topics.isEmpty() ? "missing key 'topics' "
              : "both 'topics' and 'topic-pattern' ") + s.where() + "; expected either a list"
              + " of topics, such as [orders], or 'topic-pattern', a regular expression");
        }
        if (pattern.isPresent()) {
          try {
            java.util.regex.Pattern.compile(pattern.get());
          } catch (java.util.regex.PatternSyntaxException e) {
            throw new PipelineFileException(s.lineOf("topic-pattern"), "'topic-pattern' "
                + s.where() + " is not a regular expression: " + e.getDescription());
          }
        }
        Optional<String> group = s.optString("group-id", "a consumer group id");
        String start = s.optChoice("starting-offsets", List.of("earliest", "latest",
            "committed")).orElse("earliest");
        if (start.equals("committed") && group.isEmpty()) {
          throw new PipelineFileException(s.lineOf("starting-offsets"), "'starting-offsets:"
              + " committed' " + s.where() + " reads the group's offsets; expected 'group-id'");
        }
        return new KafkaSourceSpec(s.string("bootstrap-servers", "host:port of the brokers"),
            topics, pattern.orElse(null), group.orElse(null), start,
            s.optChoice("format", List.of("json")).orElse("json"));
      }
      default -> {
        s.allowOnly(List.of("type", "name", "hostname", "port", "database", "username", "password",
            "tables", "slot", "snapshot-mode"));
        List<String> tables = s.names("tables");
        if (tables.isEmpty()) {
          throw new PipelineFileException(s.line(), "missing key 'tables' " + s.where()
              + "; expected a list of tables, such as [public.orders]");
        }
        return new Postgres(s.optString("hostname", "a host name").orElse("localhost"),
            s.optLong("port", 1, 65535).orElse(5432L).intValue(),
            s.string("database", "a database name"),
            s.optString("username", "a user name").orElse("postgres"),
            s.optString("password", "a password").orElse(""), tables,
            s.optString("slot", "a replication slot name").orElse("weir"),
            s.optChoice("snapshot-mode", List.of("initial", "never", "initial_only",
                "when_needed")).orElse("initial"));
      }
    }
  }

  private static SinkSpec sink(Section s) {
    s.optString("name", "a name");
    switch (type(s, SINK_TYPES)) {
      case "log" -> {
        s.allowOnly(List.of("type", "name", "topic", "partitions", "key"));
        return new LogSink(s.optString("topic", "a topic name").orElse(null),
            s.optLong("partitions", 1, 10_000).orElse(4L).intValue(), s.names("key"));
      }
      case "iceberg" -> {
        s.allowOnly(List.of("type", "name", "table", "mode", "primary-key", "partition-by",
            "columns", "schema-evolution"));
        boolean evolve = s.optChoice("schema-evolution", List.of("true", "false"))
            .orElse("false").equals("true");
        String mode = s.optChoice("mode", List.of("append", "upsert")).orElse("append");
        List<String> key = s.names("primary-key");
        if (mode.equals("upsert") && key.isEmpty()) {
          throw new PipelineFileException(s.line(), "missing key 'primary-key' " + s.where()
              + "; expected the key columns of an upsert sink, such as [id]");
        }
        Map<String, String> columns = new LinkedHashMap<>();
        for (Map.Entry<String, Section.Scalar> c : s.scalars("columns").entrySet()) {
          String type = c.getValue().value().toLowerCase(java.util.Locale.ROOT);
          if (!COLUMN_TYPES.contains(type)) {
            throw new PipelineFileException(c.getValue().line(), "unknown type '"
                + c.getValue().value() + "' of column '" + c.getKey() + "' under 'columns';"
                + " expected one of " + String.join(", ", COLUMN_TYPES));
          }
          columns.put(c.getKey(), type);
        }
        return new IcebergSinkSpec(s.optString("table", "a table name").orElse(null), mode,
            key, s.names("partition-by"), columns, evolve, s.line());
      }
      case "kafka" -> {
        s.allowOnly(List.of("type", "name", "bootstrap-servers", "topic", "delivery",
            "transactional-id-prefix", "key"));
        return new KafkaSinkSpec(s.string("bootstrap-servers", "host:port of the brokers"),
            s.optString("topic", "a topic name").orElse(null),
            s.optChoice("delivery", List.of("at-least-once", "exactly-once"))
                .orElse("at-least-once").equals("exactly-once"),
            s.optString("transactional-id-prefix", "a prefix unique to this sink").orElse(null),
            s.names("key"));
      }
      default -> {
        s.allowOnly(List.of("type", "name"));
        return new PrintSink();
      }
    }
  }
}
