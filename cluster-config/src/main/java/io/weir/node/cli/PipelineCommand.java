package io.weir.node.cli;

import io.weir.api.WeirException;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.TableDefinition;
import io.weir.log.api.TopicExistsException;
import io.weir.node.WeirNode;
import io.weir.node.pipeline.Pipeline;
import io.weir.node.pipeline.PipelineFileException;
import io.weir.node.pipeline.PipelineJob;
import io.weir.node.pipeline.PipelinePlan;
import io.weir.node.pipeline.PostgresColumns;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.SubmitOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir pipeline run|validate FILE}: pipelines declared in YAML files (see
 * {@code docs/pipelines.md}), run as a {@link PipelineJob}.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Run or check a pipeline declared in a YAML file: a source (generator, log"
        + " topic, PostgreSQL CDC), transforms (filter, projection), routes and a sink (log"
        + " topic, Iceberg table, print).",
    subcommands = {PipelineCommand.Run.class, PipelineCommand.Validate.class})
public final class PipelineCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a pipeline command is required: run or"
        + " validate");
  }

  /** The file's text, or a one-line failure naming the file. */
  static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new WeirException("cannot read the pipeline file " + file + ": "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
  }

  private static Pipeline parse(Path file, String text) {
    try {
      return Pipeline.parse(text, defaultName(file));
    } catch (PipelineFileException e) {
      throw new WeirException(file.getFileName() + " " + e.getMessage(), e);
    }
  }

  private static PipelinePlan plan(Path file, Pipeline pipeline,
      Map<String, Map<String, String>> columns) {
    try {
      return new PipelinePlan(pipeline, columns);
    } catch (PipelineFileException e) {
      throw new WeirException(file.getFileName() + " " + e.getMessage(), e);
    }
  }

  /** The file's name without its extension. */
  static String defaultName(Path file) {
    String name = file.getFileName().toString();
    return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
  }

  /** {@code weir pipeline run FILE [--detach]}. */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run a pipeline file as a stream job.",
          "",
          "Creates the sink's log topics and Iceberg tables when missing (an Iceberg table's"
              + " columns from the sink's 'columns', else from the source's), then runs the"
              + " job in this process until it ends (a bounded generator) or Ctrl-C, which"
              + " leaves it RUNNING: it resumes when a node ('weir node') starts on the data"
              + " directory. With --detach, records the job, prints its id and exits."})
  static final class Run implements Callable<Integer> {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "The pipeline file (YAML).")
    Path file;
    @Option(names = "--detach", description = "Print the job id and exit at once.")
    boolean detach;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      String text = text(file);
      Pipeline pipeline = parse(file, text);
      Map<String, Map<String, String>> columns = new LinkedHashMap<>();
      if (pipeline.source() instanceof Pipeline.Postgres p
          && pipeline.sink() instanceof Pipeline.IcebergSinkSpec) {
        columns.putAll(PostgresColumns.lookup(p));
      }
      PipelinePlan plan = plan(file, pipeline, columns);
      LakehouseSettings lake = LakehouseSettings.fromConfig(node.launcher().resolveConfig());
      if (pipeline.sink() instanceof Pipeline.IcebergSinkSpec sink) {
        TableCommand.withLakehouse(node, lakehouse -> {
          createTables(lakehouse, plan, sink, out);
          return null;
        });
      }
      WeirNode n = node.start();
      try {
        prepareTopics(n, pipeline, plan, out);
      } catch (RuntimeException | InterruptedException | ExecutionException
          | TimeoutException e) {
        n.close();
        throw e;
      }
      List<String> args = List.of(pipeline.name(), lake.toArgument(), text);
      if (detach) {
        try (n) {
          JobStatus submitted = Blocking.await(n.weir().jobs().submit(
              PipelineJob.class.getName(), args, SubmitOptions.NONE));
          out.println(submitted.jobId());
          spec.commandLine().getErr().println("weir: pipeline " + pipeline.name()
              + " submitted as job " + submitted.jobId() + "; it runs when a node runs on "
              + n.settings().dataDir() + " (weir node)");
          return 0;
        }
      }
      return AttachedJob.run(n, PipelineJob.class.getName(), args, SubmitOptions.NONE, out,
          spec.commandLine().getErr());
    }

    private void createTables(Lakehouse lakehouse, PipelinePlan plan,
        Pipeline.IcebergSinkSpec sink, PrintWriter out) {
      for (String target : plan.targets().keySet()) {
        if (lakehouse.tableExists(target)) {
          continue;
        }
        Optional<Map<String, String>> columns = plan.targetColumns(target);
        if (columns.isEmpty()) {
          throw new WeirException(file.getFileName() + " line " + sink.line() + ": table "
              + target + " does not exist and the columns of its source are not known;"
              + " expected the sink's 'columns' (name: type), or a table created beforehand");
        }
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (Map.Entry<String, String> c : columns.get().entrySet()) {
          Type type = icebergType(c.getValue());
          fields.add(sink.primaryKey().contains(c.getKey())
              ? Types.NestedField.required(id++, c.getKey(), type)
              : Types.NestedField.optional(id++, c.getKey(), type));
        }
        TableDefinition definition = TableDefinition.of(new Schema(fields))
            .withPrimaryKey(sink.primaryKey().toArray(String[]::new))
            .withPartitioning(sink.partitionBy().toArray(String[]::new));
        try {
          lakehouse.createTable(target, definition);
        } catch (IllegalArgumentException e) {
          throw new WeirException(file.getFileName() + " line " + sink.line() + ": cannot"
              + " create table " + target + ": " + e.getMessage());
        }
        out.println("Created table " + Lakehouse.identifier(target) + ".");
      }
    }

    private static Type icebergType(String type) {
      return switch (type == null ? "string" : type) {
        case "boolean" -> Types.BooleanType.get();
        case "int" -> Types.IntegerType.get();
        case "long" -> Types.LongType.get();
        case "float" -> Types.FloatType.get();
        case "double" -> Types.DoubleType.get();
        case "date" -> Types.DateType.get();
        case "timestamp" -> Types.TimestampType.withoutZone();
        case "timestamptz" -> Types.TimestampType.withZone();
        default -> Types.StringType.get();
      };
    }

    private void prepareTopics(WeirNode n, Pipeline pipeline, PipelinePlan plan,
        PrintWriter out) throws InterruptedException, ExecutionException, TimeoutException {
      if (pipeline.source() instanceof Pipeline.LogSource l) {
        try {
          n.weir().log().describeTopic(l.topic()).toCompletableFuture().get(30,
              TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw new WeirException(file.getFileName() + ": the source's topic '" + l.topic()
              + "' does not exist (create it with 'weir topic create " + l.topic() + "')");
        }
      }
      if (pipeline.sink() instanceof Pipeline.LogSink sink) {
        for (String topic : plan.targets().keySet()) {
          try {
            n.weir().log().createTopic(topic, sink.partitions(), Map.of())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
            out.println("Created topic " + topic + ".");
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              throw e;
            }
          }
        }
      }
    }
  }

  /** {@code weir pipeline validate FILE}. */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a pipeline file without running it, and print what it would do:"
          + " exit code 0 when valid, 1 with the line, the key and what was expected when not.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "The pipeline file (YAML).")
    Path file;

    @Override
    public Integer call() {
      Pipeline pipeline = parse(file, text(file));
      PipelinePlan plan = plan(file, pipeline, Map.of());
      PrintWriter out = spec.commandLine().getOut();
      out.println("Pipeline " + pipeline.name() + " is valid: parallelism "
          + pipeline.parallelism() + ", " + (pipeline.checkpointInterval() == null
          ? "no checkpoints" : "checkpoints every " + pipeline.checkpointInterval().toString()
              .substring(2).toLowerCase(java.util.Locale.ROOT)) + ".");
      out.println("Source: " + describe(pipeline.source()) + ".");
      for (String table : pipeline.source().tables()) {
        StringBuilder line = new StringBuilder("  " + table + " -> " + plan.targetOf(table));
        plan.transformOf(table).ifPresent(t -> {
          if (t.filter() != null) {
            line.append("  where ").append(t.filter());
          }
          if (t.projection() != null) {
            line.append("  columns ").append(t.projection().entrySet().stream()
                .map(e -> e.getKey().equals(e.getValue()) ? e.getKey()
                    : e.getValue() + " AS " + e.getKey())
                .collect(java.util.stream.Collectors.joining(", ")));
          }
        });
        out.println(line);
      }
      out.println("Sink: " + describe(pipeline.sink()) + ".");
      return 0;
    }

    private static String describe(Pipeline.SourceSpec s) {
      if (s instanceof Pipeline.Generator g) {
        return "generator of " + (g.count() == null ? "unbounded" : g.count()) + " rows"
            + (g.rowsPerSecond() == null ? "" : ", " + g.rowsPerSecond() + " a second");
      }
      if (s instanceof Pipeline.LogSource l) {
        return "log topic " + l.topic() + " from " + l.start();
      }
      if (s instanceof Pipeline.KafkaSourceSpec k) {
        return "kafka " + k.bootstrapServers() + ", " + (k.topicPattern() == null
            ? "topics " + String.join(", ", k.topics())
            : "topics matching " + k.topicPattern()) + " from " + k.startingOffsets()
            + (k.groupId() == null ? "" : ", group " + k.groupId());
      }
      Pipeline.Postgres p = (Pipeline.Postgres) s;
      return "postgres " + p.jdbcUrl() + ", slot " + p.slot() + ", snapshot " + p.snapshotMode();
    }

    private static String describe(Pipeline.SinkSpec s) {
      if (s instanceof Pipeline.LogSink l) {
        return "log topics" + (l.key().isEmpty() ? "" : ", keyed by "
            + String.join(", ", l.key()));
      }
      if (s instanceof Pipeline.KafkaSinkSpec k) {
        return "kafka " + k.bootstrapServers() + ", " + (k.exactlyOnce() ? "exactly once"
            : "at least once") + (k.key().isEmpty() ? "" : ", keyed by "
            + String.join(", ", k.key()));
      }
      if (s instanceof Pipeline.IcebergSinkSpec i) {
        return "iceberg tables, " + i.mode() + (i.primaryKey().isEmpty() ? ""
            : ", primary key " + String.join(", ", i.primaryKey()));
      }
      return "print";
    }
  }
}
