package io.weir.node.pipeline;

import io.weir.connectors.transforms.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pipeline does with each of its source tables: the transform that applies, the columns
 * that come out (when the source's are known) and the sink table or topic the rows go to.
 * Checks what can be checked before anything runs: projected and filtered columns and primary
 * keys against the source's columns. Immutable.
 */
public final class PipelinePlan {
  private final Pipeline pipeline;
  private final Map<String, Map<String, String>> sourceColumns;

  /**
   * Plans a pipeline.
   *
   * @param pipeline the pipeline
   * @param sourceColumns column name to type of the source tables whose columns are known (a
   *     generator's always; a database's when looked up), in table order
   * @throws PipelineFileException when a transform or the sink names a column that is not
   *     there
   */
  public PipelinePlan(Pipeline pipeline, Map<String, Map<String, String>> sourceColumns) {
    this.pipeline = pipeline;
    Map<String, Map<String, String>> known = new LinkedHashMap<>(sourceColumns);
    if (pipeline.source() instanceof Pipeline.Generator g) {
      Map<String, String> columns = new LinkedHashMap<>();
      g.columns().forEach(c -> columns.put(c.name(), c.type()));
      known.put(g.table(), columns);
    }
    this.sourceColumns = known;
    check();
  }

  /** Plans a pipeline knowing only a generator's columns. */
  public PipelinePlan(Pipeline pipeline) {
    this(pipeline, Map.of());
  }

  /** The pipeline. */
  public Pipeline pipeline() {
    return pipeline;
  }

  /** A record's table name: {@code schema.table}, or the table alone without a schema. */
  public static String tableOf(Row row) {
    return row.schema().isEmpty() ? row.table() : row.schema() + "." + row.table();
  }

  /** Whether the source ends: a generator with a count, a PostgreSQL snapshot only. */
  public boolean bounded() {
    return pipeline.source() instanceof Pipeline.Generator g && g.count() != null
        || pipeline.source() instanceof Pipeline.Postgres p
            && p.snapshotMode().equals("initial_only");
  }

  /** The first transform matching a table. */
  public Optional<Pipeline.Transform> transformOf(String table) {
    return pipeline.transforms().stream().filter(t -> t.sourceTable().matches(table))
        .findFirst();
  }

  /** The sink table or topic of a table: its route's, else the sink's, else its own name. */
  public String targetOf(String table) {
    for (Pipeline.Route r : pipeline.routes()) {
      if (r.sourceTable().matches(table)) {
        return r.target(table);
      }
    }
    String target = pipeline.sink().defaultTarget();
    return target != null ? target : table;
  }

  /** Every sink table or topic, with the source tables going to it, in source order. */
  public Map<String, List<String>> targets() {
    Map<String, List<String>> targets = new LinkedHashMap<>();
    for (String table : pipeline.source().tables()) {
      targets.computeIfAbsent(targetOf(table), t -> new ArrayList<>()).add(table);
    }
    return targets;
  }

  /** The columns of a source table after its transform, when known. */
  public Optional<Map<String, String>> columnsOf(String table) {
    Map<String, String> columns = sourceColumns.get(table);
    if (columns == null) {
      return Optional.empty();
    }
    Optional<Pipeline.Transform> t = transformOf(table);
    if (t.isEmpty() || t.get().projection() == null) {
      return Optional.of(columns);
    }
    Map<String, String> out = new LinkedHashMap<>();
    t.get().projection().forEach((name, c) -> out.put(name, columns.get(c)));
    return Optional.of(out);
  }

  /**
   * The columns of a sink table: the sink's {@code columns} when given, else those of its
   * source tables when known (the first one's, merged with the others').
   */
  public Optional<Map<String, String>> targetColumns(String target) {
    if (pipeline.sink() instanceof Pipeline.IcebergSinkSpec s && !s.columns().isEmpty()) {
      return Optional.of(s.columns());
    }
    Map<String, String> merged = new LinkedHashMap<>();
    for (String table : targets().getOrDefault(target, List.of())) {
      Optional<Map<String, String>> c = columnsOf(table);
      if (c.isEmpty()) {
        return Optional.empty();
      }
      c.get().forEach(merged::putIfAbsent);
    }
    return merged.isEmpty() ? Optional.empty() : Optional.of(merged);
  }

  /**
   * Applies a table's transform to a row.
   *
   * @param row the row
   * @return the row with only the projected columns, or empty when the filter drops it
   */
  public Optional<Row> transform(Row row) {
    Optional<Pipeline.Transform> t = transformOf(tableOf(row));
    if (t.isEmpty()) {
      return Optional.of(row);
    }
    if (t.get().filter() != null && !t.get().filter().test(row.values())) {
      return Optional.empty();
    }
    if (t.get().projection() == null) {
      return Optional.of(row);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    t.get().projection().forEach((name, c) -> values.put(name, row.get(c)));
    return Optional.of(new Row(row.schema(), row.table(), row.op(), row.deleted(), values));
  }

  private void check() {
    for (String table : pipeline.source().tables()) {
      Map<String, String> columns = sourceColumns.get(table);
      Optional<Pipeline.Transform> t = transformOf(table);
      if (columns == null || t.isEmpty()) {
        continue;
      }
      List<String> named = new ArrayList<>();
      if (t.get().projection() != null) {
        named.addAll(t.get().projection().values());
      }
      if (t.get().filter() != null) {
        named.addAll(t.get().filter().columns());
      }
      for (String c : named) {
        if (!columns.containsKey(c)) {
          throw new PipelineFileException(t.get().line(), "the transform of table " + table
              + " names column '" + c + "', which the table does not have; expected one of "
              + String.join(", ", columns.keySet()));
        }
      }
    }
    if (pipeline.sink() instanceof Pipeline.IcebergSinkSpec s) {
      if (pipeline.checkpointInterval() == null && !bounded()) {
        throw new PipelineFileException(s.line(), "an Iceberg sink commits with the"
            + " checkpoints and this source does not end; expected 'checkpoint-interval' under"
            + " 'pipeline'");
      }
      for (String target : targets().keySet()) {
        Optional<Map<String, String>> columns = targetColumns(target);
        if (columns.isEmpty()) {
          continue;
        }
        List<String> named = new ArrayList<>(s.primaryKey());
        for (String p : s.partitionBy()) {
          String column = p.replaceAll(".*\\(\\s*(?:\\d+\\s*,\\s*)?([^)\\s]+)\\s*\\)", "$1");
          named.add(column);
        }
        for (String c : named) {
          if (!columns.get().containsKey(c)) {
            throw new PipelineFileException(s.line(), "the sink's primary-key or partition-by"
                + " names column '" + c + "', which table " + target + " does not have;"
                + " expected one of " + String.join(", ", columns.get().keySet()));
          }
        }
      }
    }
  }
}
